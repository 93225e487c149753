# dbmss side of bench/spatial_kd_dbmss.sh: Duranton–Overman Kd and its global envelope by the
# reference implementation itself (Marcon, Traissac, Puech & Lang, dbmss; installed by the shell
# script into a scratch library), on the same establishments and distances as `agglo kdensity`.
#   Rscript spatial_kd_dbmss.R RLIB EST.csv INDUSTRY MAX_DISTANCE POINTS SIMULATIONS OUT.csv
# Kdhat and KdEnvelope run with dbmss's defaults, which for 10,000 points or more (here 20,000)
# round distances onto a grid (Approximate = 1); the observed Kd is also computed exactly
# (Approximate = 0), the curve compared with agglo's. Prints "observed SECONDS", "observed_exact
# SECONDS", "envelope SECONDS"; OUT.csv: distance,kd_exact,kd,global_lower,global_upper.
a <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(dbmss, lib.loc = a[1]))
est <- read.csv(a[2], colClasses = c("character", "character", "numeric", "numeric", "numeric"))
rmax <- as.numeric(a[4]); npts <- as.integer(a[5]); nsim <- as.integer(a[6])
r <- seq(0, rmax, length.out = npts)
X <- wmppp(data.frame(X = est$x, Y = est$y, PointType = est$industry, PointWeight = 1),
           window = spatstat.geom::owin(range(est$x), range(est$y)))
t_obs <- system.time(k <- Kdhat(X, r = r, ReferenceType = a[3]))[["elapsed"]]
t_exact <- system.time(kx <- Kdhat(X, r = r, ReferenceType = a[3], Approximate = 0))[["elapsed"]]
set.seed(1)
t_env <- system.time(e <- KdEnvelope(X, r = r, NumberOfSimulations = nsim, ReferenceType = a[3], Global = TRUE,
                                     verbose = FALSE))[["elapsed"]]
cat("observed", t_obs, "\n")
cat("observed_exact", t_exact, "\n")
cat("envelope", t_env, "\n")
write.csv(data.frame(distance = r, kd_exact = kx$Kd, kd = k$Kd, global_lower = e$lo, global_upper = e$hi), a[7],
          row.names = FALSE)
