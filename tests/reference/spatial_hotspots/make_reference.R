# Reference values for agglo's hot-spot statistics (tests/unit/spatial/test_hotspots*.cpp),
# computed with R spdep 1.2-7 (Debian r-cran-spdep) and sf on real US county geography.
# Run from this folder:  Rscript make_reference.R   (about 1 min on 2 cores)
# The tests read the CSV files written here; they never call R.
#
# Inputs
#   ../../../data/geo/us_counties_economic_areas_msas.topojson, layer "counties": 3,191 US
#     counties (US Cluster Mapping Project public data; see data/README.md). Read through GDAL's
#     TopoJSON driver, as agglo does, so both see the same vertex coordinates.
#   county_values.csv: fips, log_area = log(area_km2), lon, lat, state, derived from
#     data/geo/us_counties.csv (area_km2 and the representative point of each county, made by
#     scripts/data/make_us_geography.py from the same TopoJSON).
suppressMessages({library(sf); library(spdep)})
sf_use_s2(FALSE)                      # planar bounding boxes, as agglo (no s2 intersects)
set.ZeroPolicyOption(TRUE)            # islands allowed (zero.policy = TRUE)
topo <- "../../../data/geo/us_counties_economic_areas_msas.topojson"
cty <- st_read(topo, layer = "counties", quiet = TRUE)
vals <- read.csv("county_values.csv", colClasses = c(fips = "character", state = "character"))
stopifnot(nrow(cty) == 3191)
x <- vals$log_area[match(cty$fips, vals$fips)]
stopifnot(!anyNA(x))
ids <- cty$fips

write_nb <- function(nb, ids, file) {
  from <- rep(ids, card(nb)); to <- ids[unlist(lapply(nb, function(v) v[v > 0]))]
  write.csv(data.frame(from = from, to = to), file, row.names = FALSE, quote = FALSE)
}

t0 <- Sys.time()
nbq <- poly2nb(cty, queen = TRUE)
nbr <- poly2nb(cty, queen = FALSE)
cat("poly2nb x2:", format(Sys.time() - t0), "\n")
write_nb(nbq, ids, "queen_nb.csv")
write_nb(nbr, ids, "rook_nb.csv")
cat("queen links", sum(card(nbq)), "islands", sum(card(nbq) == 0),
    "| rook links", sum(card(nbr)), "islands", sum(card(nbr) == 0), "\n")

# k nearest neighbours on the representative points, great-circle distances.
coords <- cbind(vals$lon, vals$lat)
nbk <- knn2nb(knearneigh(coords, k = 6, longlat = TRUE))
write_nb(nbk, vals$fips, "knn6_nb.csv")

# Local and global statistics on queen contiguity, row-standardised (style W).
lw <- nb2listw(nbq, style = "W", zero.policy = TRUE)
lm <- localmoran(x, lw, zero.policy = TRUE)                 # conditional = TRUE, mlvar = TRUE
lwb_self <- nb2listw(include.self(nbq), style = "B", zero.policy = TRUE)
gs <- localG(x, lwb_self, zero.policy = TRUE)
lws_self <- nb2listw(include.self(nbq), style = "W", zero.policy = TRUE)
gsw <- localG(x, lws_self, zero.policy = TRUE)
stopifnot(max(abs(as.numeric(gs) - as.numeric(gsw))) < 1e-10)  # G* is invariant to row scaling
p_bh <- p.adjust(lm[, 5], method = "BH")
write.csv(data.frame(fips = ids, x = sprintf("%.17g", x), Ii = sprintf("%.17g", lm[, 1]), E_Ii = sprintf("%.17g", lm[, 2]),
                     Var_Ii = sprintf("%.17g", lm[, 3]), Z_Ii = sprintf("%.17g", lm[, 4]), P_Ii = sprintf("%.17g", lm[, 5]),
                     p_bh = sprintf("%.17g", p_bh), gstar = sprintf("%.17g", as.numeric(gs))),
          "local_queen_row.csv", row.names = FALSE, quote = FALSE)

glob <- function(listw, name, x) {
  r <- moran.test(x, listw, randomisation = TRUE, zero.policy = TRUE)
  nrm <- moran.test(x, listw, randomisation = FALSE, zero.policy = TRUE)
  data.frame(weights = name, I = sprintf("%.17g", r$estimate[1]), expected = sprintf("%.17g", r$estimate[2]),
             var_randomisation = sprintf("%.17g", r$estimate[3]), var_normality = sprintf("%.17g", nrm$estimate[3]),
             z_randomisation = sprintf("%.17g", r$statistic), p_greater = sprintf("%.17g", r$p.value))
}
# knn6 is built on county_values.csv (rows sorted by fips): its values in that order.
g <- rbind(glob(lw, "queen_row", x), glob(nb2listw(nbq, style = "B", zero.policy = TRUE), "queen_binary", x),
           glob(nb2listw(nbk, style = "W"), "knn6_row", vals$log_area))
write.csv(g, "global_moran.csv", row.names = FALSE, quote = FALSE)

# Permutation p-values (spdep draws with replacement; agglo without): compared statistically.
set.seed(20240601)
t0 <- Sys.time()
lmp <- localmoran_perm(x, lw, nsim = 9999, zero.policy = TRUE, iseed = 1)
cat("localmoran_perm 9999:", format(Sys.time() - t0), "\n")
write.csv(data.frame(fips = ids, p_folded = sprintf("%.17g", lmp[, 7]), z_sim = sprintf("%.17g", lmp[, 4])),
          "local_perm_queen_row.csv", row.names = FALSE, quote = FALSE)

# Benjamini-Hochberg on a fixed vector with ties and NA.
p <- c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, NA, 0.5, 0.0001, 1)
write.csv(data.frame(p = p, bh = p.adjust(p, "BH")), "bh.csv", row.names = FALSE, quote = FALSE)
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
