# Monte-Carlo G*_i pseudo p-values of spdep's localG_perm on the 3,191 US counties, in two named
# conventions, for HotspotsConventions.AgreesWithSpdepLocalGPermOnUsCounties (the test compares
# agglo's p-values under the same convention within Monte-Carlo error; it never calls R).
#
#   Rscript perm_counties.R SPDEP_SRC      (from this folder; about 1 min on 2 cores)
#
# Inputs as make_reference.R: the counties of the TopoJSON (queen contiguity by poly2nb), value
# log(area km²) from county_values.csv. G* weights: include.self(), style "B".
#   * p_total_with: the installed spdep 1.2-7 localG_perm (all k_i + 1 slots, i's own too,
#     drawn with replacement) = agglo --gi-permutation total --sampling with;
#   * p_conditional_with: spdep 1.4-3's localG_perm (SPDEP_SRC/R/lisa_perm.R, sourced over the
#     installed namespace as in perm_exact.R), defaults fix_i_in_Gstar_permutations = TRUE,
#     no_repeat_in_row = FALSE = agglo --gi-permutation conditional --sampling with.
# 9,999 simulations each; "Pr(folded) Sim" is (min(M, R − M) + 1)/(R + 1), agglo's gi_p_sim.
suppressMessages({library(sf); library(spdep)})
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 1, packageVersion("spdep") == "1.2.7")
sf_use_s2(FALSE)
set.ZeroPolicyOption(TRUE)
cty <- st_read("../../../data/geo/us_counties_economic_areas_msas.topojson", layer = "counties", quiet = TRUE)
vals <- read.csv("county_values.csv", colClasses = c(fips = "character", state = "character"))
x <- vals$log_area[match(cty$fips, vals$fips)]
stopifnot(nrow(cty) == 3191, !anyNA(x))
nbq <- poly2nb(cty, queen = TRUE)
lw_self <- nb2listw(include.self(nbq), style = "B", zero.policy = TRUE)
src143 <- new.env(parent = asNamespace("spdep"))
sys.source(file.path(args[1], "R", "lisa_perm.R"), envir = src143)
stopifnot(read.dcf(file.path(args[1], "DESCRIPTION"))[1, "Version"] == "1.4-3")
set.seed(20240601)
t0 <- Sys.time()
g127 <- attr(localG_perm(x, lw_self, nsim = 9999, zero.policy = TRUE), "internals")
t1 <- Sys.time()
g143 <- attr(src143$localG_perm(x, lw_self, nsim = 9999, zero.policy = TRUE), "internals")
t2 <- Sys.time()
cat("localG_perm 1.2-7:", format(t1 - t0), "| 1.4-3:", format(t2 - t1), "\n")
col <- "Pr(folded) Sim"
write.csv(data.frame(fips = cty$fips, p_total_with = sprintf("%.17g", g127[, col]),
                     p_conditional_with = sprintf("%.17g", g143[, col])),
          "perm_counties_gi.csv", row.names = FALSE, quote = FALSE, na = "NA")
