# Duranton–Overman K-density in R for bench/spatial_kd.sh, side by side with `agglo kdensity`.
#
# dbmss (Marcon, Traissac, Puech & Lang), the reference implementation of Kd and M, is NOT
# packaged in Debian, so this is a RE-IMPLEMENTATION of its Kdhat algorithm in base R: all pair
# distances with dist() (an n(n−1)/2 vector), Silverman's bandwidth bw.nrd0 on them, and
# stats::density() of the distances reflected at 0 (density of c(D, −D), doubled), evaluated at
# the requested distances (density() bins on 512+ points and convolves by FFT, as in dbmss).
# Counterfactuals as DO: the industry's establishments on sites drawn without replacement from
# all sites; global bands by DO's rank search. Wall time per simulation is what is compared.
#
#   Rscript spatial_kd_reference.R EST.csv INDUSTRY MAX_DISTANCE POINTS SIMULATIONS OUT.csv
args <- commandArgs(trailingOnly = TRUE)
est <- read.csv(args[1], colClasses = c("character", "character", "numeric", "numeric", "numeric"))
industry <- args[2]; rmax <- as.numeric(args[3]); npts <- as.integer(args[4]); nsim <- as.integer(args[5])
r <- seq(0, rmax, length.out = npts)
kd <- function(x, y) {
  D <- as.vector(dist(cbind(x, y)))
  h <- bw.nrd0(D)
  d <- density(c(D, -D), bw = h, from = 0, to = rmax, n = max(512, npts))
  list(kd = 2 * approx(d$x, d$y, r)$y, h = h)
}
ref <- which(est$industry == industry)
t0 <- proc.time()[["elapsed"]]
obs <- kd(est$x[ref], est$y[ref])
t1 <- proc.time()[["elapsed"]]
set.seed(1)
sims <- matrix(NA_real_, nsim, npts)
for (s in seq_len(nsim)) {
  k <- sample.int(nrow(est), length(ref))
  sims[s, ] <- kd(est$x[k], est$y[k])$kd
}
t2 <- proc.time()[["elapsed"]]
# DO global upper band: largest rank k with at most 5 % of curves above the k-th largest anywhere
if (nsim > 1) {
  srt <- apply(sims, 2, sort, decreasing = TRUE)
  cross <- function(k) sum(apply(sims > matrix(srt[k, ], nsim, npts, byrow = TRUE), 1, any))
  k <- 1
  while (k < nsim && cross(k + 1) <= floor(0.05 * nsim)) k <- k + 1
}
t3 <- proc.time()[["elapsed"]]
write.csv(data.frame(distance = r, kd = obs$kd), args[6], row.names = FALSE)
cat(sprintf("R re-implementation: observed %.2f s (bandwidth %.6g), %d simulations %.2f s (%.3f s each), bands %.2f s\n",
            t1 - t0, obs$h, nsim, t2 - t1, (t2 - t1) / max(1, nsim), t3 - t2))
