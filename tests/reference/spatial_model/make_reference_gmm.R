# Reference values for `agglo spatial-model --estimator gmm` (tests/unit/spatial/test_spatial_gmm.cpp),
# computed with R spatialreg 1.2-6 / spdep 1.2-7 (Debian r-cran-spatialreg, r-cran-spdep) on the
# data of make_reference.R (run that first; this script only reads columbus.gpkg and
# county_values.csv). Run from this folder:  Rscript make_reference_gmm.R   (about 20 s)
#
# Models
#   sar_gmm         stsls(robust = FALSE): spatial two-stage least squares of the lag model
#                   (Kelejian & Prucha 1998), instruments X, WX, W²X (W2X = TRUE, the default)
#   sar_gmm_robust  stsls(robust = TRUE, HC = "HC0"): the same with White's heteroskedasticity-
#                   consistent covariance
#   sem_gmm         GMerrorsar(): the generalised moments estimator of λ (Kelejian & Prucha 1999),
#                   then feasible GLS for β
# zero.policy = TRUE throughout (islands kept with an empty row). The tests never call R.
suppressMessages({library(sf); library(spdep); library(spatialreg)})
sf_use_s2(FALSE)
invisible(set.ZeroPolicyOption(TRUE))
f17 <- function(v) sprintf("%.17g", v)

col <- st_read("columbus.gpkg", quiet = TRUE)
vals <- read.csv("county_values.csv", colClasses = c(fips = "character"))
topo <- st_read("../../../data/geo/us_counties_economic_areas_msas.topojson", layer = "counties", quiet = TRUE)
topo_vals <- vals[match(topo$fips, vals$fips), ]

nb_col_q <- poly2nb(col, queen = TRUE)
cent <- st_coordinates(st_centroid(st_geometry(col)))
nb_col_k <- knn2nb(knearneigh(cent, k = 4))
nb_cty_q <- poly2nb(topo, queen = TRUE)
nb_cty_k <- knn2nb(knearneigh(cbind(vals$lon, vals$lat), k = 6, longlat = TRUE))

cases <- list(
  list(name = "columbus_queen", data = st_drop_geometry(col), nb = nb_col_q, f = CRIME ~ INC + HOVAL),
  list(name = "columbus_knn4", data = st_drop_geometry(col), nb = nb_col_k, f = CRIME ~ INC + HOVAL),
  list(name = "counties_queen", data = topo_vals, nb = nb_cty_q, f = log_area ~ lat + lon),
  list(name = "counties_knn6", data = vals, nb = nb_cty_k, f = log_area ~ lat + lon)
)
coefs <- list(); summ <- list(); imps <- list()
add_c <- function(case, model, term, est, se)
  coefs[[length(coefs) + 1]] <<- data.frame(case = case, model = model, term = term, estimate = f17(est), std_error = f17(se))
add_s <- function(case, model, key, value) summ[[length(summ) + 1]] <<- data.frame(case = case, model = model, key = key, value = f17(value))
for (cs in cases) {
  lw <- nb2listw(cs$nb, style = "W", zero.policy = TRUE)
  for (robust in c(FALSE, TRUE)) {
    m <- if (robust) "sar_gmm_robust" else "sar_gmm"
    fit <- stsls(cs$f, data = cs$data, listw = lw, robust = robust, zero.policy = TRUE)
    se <- sqrt(diag(fit$var))
    nm <- names(fit$coefficients)
    for (i in seq_along(nm)) add_c(cs$name, m, if (nm[i] == "Rho") "rho" else nm[i], fit$coefficients[[i]], se[[i]])
    add_s(cs$name, m, "sigma2", fit$sse / fit$df)
    if (!robust) {
      im <- impacts(fit, listw = lw)
      for (j in seq_along(im$direct))
        imps[[length(imps) + 1]] <- data.frame(case = cs$name, model = m, term = attr(im, "bnames")[j],
                                                direct = f17(im$direct[j]), indirect = f17(im$indirect[j]), total = f17(im$total[j]))
    }
  }
  fit <- GMerrorsar(cs$f, data = cs$data, listw = lw, zero.policy = TRUE)
  nm <- names(fit$coefficients)
  for (i in seq_along(nm)) add_c(cs$name, "sem_gmm", nm[i], fit$coefficients[[i]], fit$rest.se[[i]])
  add_c(cs$name, "sem_gmm", "lambda", fit$lambda, NA)
  add_s(cs$name, "sem_gmm", "sigma2", fit$s2)
  add_s(cs$name, "sem_gmm", "gm_sigma2", fit$GMs2)
  add_s(cs$name, "sem_gmm", "gm_objective", fit$optres$objective)
}
write.csv(do.call(rbind, coefs), "gmm_coefficients.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, summ), "gmm_summary.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, imps), "gmm_impacts.csv", row.names = FALSE, quote = FALSE)
writeLines(capture.output(sessionInfo()), "gmm_sessionInfo.txt")
