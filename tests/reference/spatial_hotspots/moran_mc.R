# The global Moran permutation test (spdep 1.2-7 moran.mc) on a weakly autocorrelated value of
# the 3,191 US counties, for HotspotsGlobal.PermutationPAgreesWithMoranMc (the test compares
# agglo's global p_sim within Monte-Carlo error; it never calls R).
#
#   Rscript moran_mc.R      (from this folder; a few seconds)
#
# value = log(area km²) + noise (sd 3.6, seed 20240602): Moran's I = 0.024, moran.mc p = 0.0094: a p that
# is neither at its floor nor near 1. Queen contiguity, row-standardised, zero.policy = TRUE.
# moran.mc's p (alternative "greater") is (#{I_sim ≥ I} + 1)/(R + 1) — agglo's folded p_sim
# when I > E[I], as here.
suppressMessages({library(sf); library(spdep)})
sf_use_s2(FALSE)
invisible(set.ZeroPolicyOption(TRUE))
cty <- st_read("../../../data/geo/us_counties_economic_areas_msas.topojson", layer = "counties", quiet = TRUE)
vals <- read.csv("county_values.csv", colClasses = c(fips = "character", state = "character"))
la <- vals$log_area[match(cty$fips, vals$fips)]
set.seed(20240602)
v <- round(la + rnorm(length(la), 0, 3.6), 6)
lw <- nb2listw(poly2nb(cty, queen = TRUE), style = "W", zero.policy = TRUE)
mc <- moran.mc(v, lw, nsim = 9999, zero.policy = TRUE, alternative = "greater")
write.csv(data.frame(fips = cty$fips, value = sprintf("%.6f", v)), "moran_mc_values.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(I = sprintf("%.17g", mc$statistic), p = sprintf("%.17g", mc$p.value), nsim = 9999),
          "moran_mc.csv", row.names = FALSE, quote = FALSE)
cat("I", mc$statistic, "p", mc$p.value, "\n")
