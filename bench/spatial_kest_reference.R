# spatstat's Kest side by side with `agglo ripley` (bench/spatial_kd.sh): uniform points in the
# unit square, r = 0..RMAX in POINTS steps, border + translation + isotropic corrections.
#   Rscript spatial_kest_reference.R POINTS.csv RMAX POINTS OUT.csv
suppressMessages(library(spatstat))
args <- commandArgs(trailingOnly = TRUE)
p <- read.csv(args[1])
X <- ppp(p$x, p$y, window = square(1))
r <- seq(0, as.numeric(args[2]), length.out = as.integer(args[3]))
t0 <- proc.time()[["elapsed"]]
K <- Kest(X, r = r, correction = c("border", "translate", "isotropic"))
t1 <- proc.time()[["elapsed"]]
write.csv(data.frame(r = K$r, border = K$border, trans = K$trans, iso = K$iso), args[4], row.names = FALSE)
cat(sprintf("spatstat %s Kest: %d points, %.2f s\n", as.character(packageVersion("spatstat")), npoints(X), t1 - t0))
