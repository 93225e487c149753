# spatialreg side of bench/spatial_model.sh: times lagsarlm and errorsarlm (ML) on the given
# regions, around the fitting call only (reading, weights and nb2listw are not counted).
# Usage: Rscript spatial_model_reference.R counties TOPOJSON VALUES METHOD
#        Rscript spatial_model_reference.R synthetic CSV METHOD
# METHOD: a lagsarlm/errorsarlm method (Matrix, LU, eigen), or gmm for stsls(robust = TRUE) and
# GMerrorsar. Prints lines "sar SECONDS RHO LOGLIK" and "sem SECONDS LAMBDA LOGLIK".
suppressMessages({library(sf); library(spdep); library(spatialreg)})
sf_use_s2(FALSE)
a <- commandArgs(TRUE)
if (a[1] == "counties") {
  topo <- st_read(a[2], layer = "counties", quiet = TRUE)
  vals <- read.csv(a[3], colClasses = c(fips = "character"))
  d <- vals[match(topo$fips, vals$fips), ]
  lw <- nb2listw(poly2nb(topo, queen = TRUE), style = "W", zero.policy = TRUE)
  f <- log_area ~ lat + lon; method <- a[4]
} else {
  d <- read.csv(a[2])
  lw <- nb2listw(knn2nb(knearneigh(cbind(d$x, d$y), k = 6)), style = "W")
  f <- yv ~ x1 + x2; method <- a[3]
}
for (m in c("sar", "sem")) {
  if (method == "gmm") {  # stsls (robust = TRUE, HC0) and GMerrorsar
    t <- system.time(fit <- if (m == "sar") stsls(f, data = d, listw = lw, robust = TRUE, zero.policy = TRUE)
                            else GMerrorsar(f, data = d, listw = lw, zero.policy = TRUE))[["elapsed"]]
    cat(m, t, if (m == "sar") fit$coefficients[["Rho"]] else fit$lambda, NA, "\n")
    next
  }
  t <- system.time(fit <- if (m == "sar") lagsarlm(f, data = d, listw = lw, method = method, zero.policy = TRUE)
                          else errorsarlm(f, data = d, listw = lw, method = method, zero.policy = TRUE))[["elapsed"]]
  cat(m, t, if (m == "sar") fit$rho else fit$lambda, fit$LL, "\n")
}
