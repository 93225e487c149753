# Reference values for `agglo spatial-model` (tests/unit/spatial/test_spatial_model.cpp), computed
# with R spatialreg 1.2-6 and spdep 1.2-7 (Debian r-cran-spatialreg, r-cran-spdep).
# Run from this folder:  Rscript make_reference.R   (about 2 min on 2 cores)
# The tests read the CSV files written here; they never call R.
#
# Data
#   columbus.gpkg: the Columbus, Ohio crime data of Anselin (1988), 49 neighbourhoods, as shipped
#     with R spData (shapes/columbus.shp, used by spdep's and spatialreg's examples); written here
#     to a GeoPackage (fields POLYID, CRIME, INC, HOVAL, X, Y; no CRS, planar coordinates).
#   ../../../data/geo/us_counties_economic_areas_msas.topojson (layer counties) and
#     ../../../data/geo/us_counties.csv: the 3,191 US counties bundled with agglo (data/README.md).
#   county_values.csv: fips, log_area = log(area_km2), lat, lon from data/geo/us_counties.csv.
#     These variables are chosen because they exist for every county: the county models test
#     numerical agreement on a real 3,000-region geography, not an economic hypothesis.
#
# Models: OLS (+ lm.morantest, lm.LMtests), lagsarlm (sar, sdm), errorsarlm (sem, sdem), lmSLX,
# all with method = "eigen" (exact Jacobian; analytic asymptotic standard errors) and
# zero.policy = TRUE (islands kept with an empty row, agglo --islands keep). The optimiser
# tolerance is tightened (tol.opt = 1e-12) so the reference rho/lambda are as precise as R's
# optimize allows (relative 1.5e-8).
suppressMessages({library(sf); library(spdep); library(spatialreg)})
sf_use_s2(FALSE)
set.ZeroPolicyOption(TRUE)
options(digits = 17)
f17 <- function(v) sprintf("%.17g", v)

# ---- data
col <- st_read(system.file("shapes/columbus.shp", package = "spData"), quiet = TRUE)
col <- col[, c("POLYID", "CRIME", "INC", "HOVAL", "X", "Y")]
st_crs(col) <- NA
if (file.exists("columbus.gpkg")) file.remove("columbus.gpkg")
st_write(col, "columbus.gpkg", layer = "columbus", quiet = TRUE)
col <- st_read("columbus.gpkg", quiet = TRUE)   # read back: agglo reads the same vertices

cty_all <- read.csv("../../../data/geo/us_counties.csv", colClasses = c(fips = "character"))
vals <- data.frame(fips = cty_all$fips, log_area = log(cty_all$area_km2), lat = cty_all$lat, lon = cty_all$lon)
write.csv(data.frame(fips = vals$fips, log_area = f17(vals$log_area), lat = f17(vals$lat), lon = f17(vals$lon)),
          "county_values.csv", row.names = FALSE, quote = FALSE)
topo <- st_read("../../../data/geo/us_counties_economic_areas_msas.topojson", layer = "counties", quiet = TRUE)
topo_vals <- vals[match(topo$fips, vals$fips), ]
stopifnot(!anyNA(topo_vals$log_area))

write_nb <- function(nb, ids, file) {
  from <- rep(ids, card(nb)); to <- ids[unlist(lapply(nb, function(v) v[v > 0]))]
  write.csv(data.frame(from = from, to = to), file, row.names = FALSE, quote = FALSE)
}

# ---- weights
nb_col_q <- poly2nb(col, queen = TRUE)
cent <- st_coordinates(st_centroid(st_geometry(col)))
nb_col_k <- knn2nb(knearneigh(cent, k = 4))
nb_cty_q <- poly2nb(topo, queen = TRUE)
nb_cty_k <- knn2nb(knearneigh(cbind(vals$lon, vals$lat), k = 6, longlat = TRUE))
write_nb(nb_col_q, col$POLYID, "columbus_queen_nb.csv")
write_nb(nb_col_k, col$POLYID, "columbus_knn4_nb.csv")

cases <- list(
  list(name = "columbus_queen", data = st_drop_geometry(col), nb = nb_col_q, f = CRIME ~ INC + HOVAL,
       models = c("ols", "slx", "sar", "sem", "sdm", "sdem")),
  list(name = "columbus_knn4", data = st_drop_geometry(col), nb = nb_col_k, f = CRIME ~ INC + HOVAL,
       models = c("ols", "sar", "sem", "sdm")),
  list(name = "counties_queen", data = topo_vals, nb = nb_cty_q, f = log_area ~ lat + lon,
       models = c("ols", "sar", "sem")),
  list(name = "counties_knn6", data = vals, nb = nb_cty_k, f = log_area ~ lat + lon,
       models = c("ols", "sar", "sem", "sdm"))
)

coefs <- list(); summ <- list(); imps <- list()
add_s <- function(case, model, key, value) summ[[length(summ) + 1]] <<- data.frame(case = case, model = model, key = key, value = f17(value))
ctrl <- list(tol.opt = 1e-12)
# impacts: point values (exact, from the dense S_k(W) or the eigenvalues) and standard errors
# (simulated for sar/sdm, R = 2000 draws: compared within Monte-Carlo error; analytic for slx/sdem).
add_imps <- function(case, model, im) {
  est <- im$mat; se <- im$semat
  imps[[length(imps) + 1]] <<- data.frame(case = case, model = model, term = rownames(se),
    direct = f17(est[, "Direct"]), indirect = f17(est[, "Indirect"]), total = f17(est[, "Total"]),
    direct_se = f17(se[, "Direct"]), indirect_se = f17(se[, "Indirect"]), total_se = f17(se[, "Total"]))
}
set.seed(20240601)
for (cs in cases) {
  lw <- nb2listw(cs$nb, style = "W", zero.policy = TRUE)
  cat(cs$name, ": n =", length(cs$nb), "links", sum(card(cs$nb)), "islands", sum(card(cs$nb) == 0), "\n")
  add_s(cs$name, "weights", "links", sum(card(cs$nb)))
  add_s(cs$name, "weights", "islands", sum(card(cs$nb) == 0))
  for (m in cs$models) {
    t0 <- Sys.time()
    if (m == "ols" || m == "slx") {
      fit <- if (m == "ols") lm(cs$f, data = cs$data) else lmSLX(cs$f, data = cs$data, listw = lw, zero.policy = TRUE)
      sm <- summary(fit)$coefficients
      coefs[[length(coefs) + 1]] <- data.frame(case = cs$name, model = m, term = rownames(sm), estimate = f17(sm[, 1]),
                                               std_error = f17(sm[, 2]), z = f17(sm[, 3]), p = f17(sm[, 4]))
      ll <- logLik(fit)
      add_s(cs$name, m, "log_likelihood", as.numeric(ll)); add_s(cs$name, m, "aic", AIC(fit))
      if (m == "ols") {
        mt <- lm.morantest(fit, lw, zero.policy = TRUE)
        add_s(cs$name, m, "moran_I", mt$estimate[1]); add_s(cs$name, m, "moran_expected", mt$estimate[2])
        add_s(cs$name, m, "moran_variance", mt$estimate[3]); add_s(cs$name, m, "moran_z", mt$statistic)
        add_s(cs$name, m, "moran_p", mt$p.value)
        lmt <- lm.LMtests(fit, lw, test = "all", zero.policy = TRUE)
        for (tn in names(lmt)) { add_s(cs$name, m, tn, lmt[[tn]]$statistic); add_s(cs$name, m, paste0(tn, "_p"), lmt[[tn]]$p.value) }
      } else {
        add_imps(cs$name, m, summary(impacts(fit)))
      }
    } else {
      fit <- if (m == "sar") lagsarlm(cs$f, data = cs$data, listw = lw, method = "eigen", zero.policy = TRUE, control = ctrl)
             else if (m == "sdm") lagsarlm(cs$f, data = cs$data, listw = lw, method = "eigen", Durbin = TRUE, zero.policy = TRUE, control = ctrl)
             else if (m == "sem") errorsarlm(cs$f, data = cs$data, listw = lw, method = "eigen", zero.policy = TRUE, control = ctrl)
             else errorsarlm(cs$f, data = cs$data, listw = lw, method = "eigen", Durbin = TRUE, zero.policy = TRUE, control = ctrl)
      sm <- summary(fit)
      ct <- sm$Coef
      coefs[[length(coefs) + 1]] <- data.frame(case = cs$name, model = m, term = rownames(ct), estimate = f17(ct[, 1]),
                                               std_error = f17(ct[, 2]), z = f17(ct[, 3]), p = f17(ct[, 4]))
      par <- if (m %in% c("sar", "sdm")) "rho" else "lambda"
      add_s(cs$name, m, par, if (par == "rho") fit$rho else fit$lambda)
      add_s(cs$name, m, paste0(par, "_se"), if (par == "rho") fit$rho.se else fit$lambda.se)
      add_s(cs$name, m, "log_likelihood", fit$LL); add_s(cs$name, m, "aic", AIC(fit)); add_s(cs$name, m, "sigma2", fit$s2)
      add_s(cs$name, m, "lr", 2 * (fit$LL - fit$logLik_lm.model))
      if (m %in% c("sar", "sdm")) {
        im <- summary(impacts(fit, listw = lw, R = 2000), zstats = TRUE, short = TRUE)
        add_imps(cs$name, m, list(mat = cbind(Direct = as.numeric(im$res$direct), Indirect = as.numeric(im$res$indirect),
                                              Total = as.numeric(im$res$total)), semat = im$semat))
      } else if (m == "sdem") {
        add_imps(cs$name, m, summary(impacts(fit)))
      }
    }
    cat("  ", m, format(Sys.time() - t0), "\n")
  }
}
write.csv(do.call(rbind, coefs), "coefficients.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, summ), "summary.csv", row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, imps), "impacts.csv", row.names = FALSE, quote = FALSE)
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
