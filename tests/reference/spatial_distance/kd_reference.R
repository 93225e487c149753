# The Duranton–Overman K-density computed in R (the Kdhat algorithm of dbmss — Marcon, Traissac,
# Puech & Lang 2015 — in base R: dbmss itself is not packaged in Debian) for
# KDensity.AgreesWithRDensityOfReflectedDistances (tests/unit/spatial/test_kdensity.cpp). The
# test reads the CSV written here; it never calls R.
#
#   Rscript kd_reference.R      (from this folder; R 4.2)
#
# Points: tests/cli/good/dist_points.csv, industry LOC (60 clumped points) and RND (60 uniform);
# all pair distances by dist(), bandwidth bw.nrd0 of the unweighted distances, density() of the
# distances reflected at 0 (c(D, −D), doubled) on 2^14 points from 0 to 300 (finer than dbmss's
# 512, so R's own binning error is small), read off at 101 distances 0, 3, …, 300 by linear
# interpolation. Weighted (DO 2005 §5): pair weights e_i e_j passed to density(weights=).
est <- read.csv("../../cli/good/dist_points.csv", colClasses = c("character", "character", "numeric", "numeric", "numeric"))
r <- seq(0, 300, length.out = 101)
kd <- function(x, y, e = NULL) {
  D <- as.vector(dist(cbind(x, y)))
  h <- bw.nrd0(D)
  w <- NULL
  if (!is.null(e)) {
    W <- outer(e, e)
    w <- W[lower.tri(W)]  # the order of dist(): column-wise lower triangle
    w <- c(w, w) / sum(c(w, w))
  }
  d <- density(c(D, -D), bw = h, weights = w, from = -50, to = 350, n = 2^14)
  list(kd = 2 * approx(d$x, d$y, r)$y, h = h)
}
out <- data.frame(distance = r)
bw <- c()
for (ind in c("LOC", "RND")) {
  s <- est$industry == ind
  a <- kd(est$x[s], est$y[s])
  b <- kd(est$x[s], est$y[s], est$employees[s])
  out[[paste0(ind, "_kd")]] <- sprintf("%.17g", a$kd)
  out[[paste0(ind, "_kd_weighted")]] <- sprintf("%.17g", b$kd)
  bw[ind] <- a$h
}
write.csv(out, "kd_reference.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(industry = names(bw), bandwidth = sprintf("%.17g", bw)), "kd_reference_bandwidth.csv", row.names = FALSE, quote = FALSE)
print(bw)
