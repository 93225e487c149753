# Reference side of bench/spatial_lisa.sh: spdep's conditional permutation LISA and G* on the
# same counties, weights and number of permutations as agglo. Times only the permutation calls
# (localmoran_perm, localG_perm), not reading the TopoJSON or poly2nb, and prints one line per
# call: "<name> <elapsed s> <cpu s>". Cores: spdep's set.coresOption (parallel::mclapply forks).
#   Rscript bench/spatial_lisa.R TOPOJSON VALUES_CSV PERMUTATIONS CORES
suppressMessages({library(sf); library(spdep)})
a <- commandArgs(trailingOnly = TRUE)
topo <- a[1]; vals <- read.csv(a[2], colClasses = c(fips = "character"))
nsim <- as.integer(a[3]); cores <- as.integer(a[4])
sf_use_s2(FALSE)
set.ZeroPolicyOption(TRUE)
if (cores > 1) invisible(set.coresOption(cores))
cty <- st_read(topo, layer = "counties", quiet = TRUE)
x <- vals$log_area[match(cty$fips, vals$fips)]
nb <- poly2nb(cty, queen = TRUE)
lw <- nb2listw(nb, style = "W", zero.policy = TRUE)
lws <- nb2listw(include.self(nb), style = "B", zero.policy = TRUE)
# elapsed, and CPU = user + system of this process and of its forked workers
cpu <- function(t) sum(t[c("user.self", "sys.self", "user.child", "sys.child")], na.rm = TRUE)
t <- system.time(lm <- localmoran_perm(x, lw, nsim = nsim, zero.policy = TRUE, iseed = 1))
cat(sprintf("localmoran_perm %.3f %.3f\n", t[["elapsed"]], cpu(t)))
t <- system.time(lg <- localG_perm(x, lws, nsim = nsim, zero.policy = TRUE, iseed = 1))
cat(sprintf("localG_perm %.3f %.3f\n", t[["elapsed"]], cpu(t)))
cat(sprintf("significant_folded_0.05 %d\n", sum(lm[, 7] <= 0.05, na.rm = TRUE)))
