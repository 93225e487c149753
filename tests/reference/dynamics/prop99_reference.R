# Reference values for synthetic control (SC), synthetic difference-in-differences (SDID)
# and plain DiD on California's Proposition 99 (Abadie, Diamond & Hainmueller 2010),
# computed with the R package synthdid (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021).
#
# Mirrors vignettes/paper-results.Rmd of synthdid (Table 1): estimates from
# did_estimate / sc_estimate / synthdid_estimate, placebo standard errors with
# set.seed(12345) before each vcov(..., method = "placebo") (200 replications, the default).
#
# Run in this folder:  R_LIBS=/tmp/synthdid-rlib Rscript prop99_reference.R
# Reads  california_prop99.csv   (state,year,packs_per_capita,treated)
# Writes prop99_reference.csv    (estimator,estimate,std_error)
#        prop99_weights.csv      (estimator,kind,name,weight): SDID omega + lambda, SC omega

library(synthdid)

panel <- read.csv("california_prop99.csv", stringsAsFactors = FALSE)
stopifnot(identical(names(panel), c("state", "year", "packs_per_capita", "treated")),
          nrow(panel) == 39 * 31)
setup <- panel.matrices(panel, unit = "state", time = "year",
                        outcome = "packs_per_capita", treatment = "treated")
stopifnot(setup$N0 == 38, setup$T0 == 19, ncol(setup$Y) == 31)

# The placebo standard error depends on the order of the control rows (it permutes
# their indices), so check that it matches the package's own copy of the data.
data("california_prop99", package = "synthdid")
setup.pkg <- panel.matrices(california_prop99)
stopifnot(isTRUE(all.equal(unname(setup$Y), unname(setup.pkg$Y), tolerance = 0)),
          identical(rownames(setup$Y), rownames(setup.pkg$Y)))

estimators <- list(did = did_estimate, sc = sc_estimate, sdid = synthdid_estimate)
estimates <- lapply(estimators, function(f) f(setup$Y, setup$N0, setup$T0))
std.errors <- sapply(estimates, function(est) {
  set.seed(12345)
  sqrt(vcov(est, method = "placebo"))
})

num <- function(x) sprintf("%.17g", x)

ref <- data.frame(estimator = names(estimates),
                  estimate = num(sapply(estimates, as.numeric)),
                  std_error = num(std.errors))
write.csv(ref, "prop99_reference.csv", row.names = FALSE, quote = FALSE)

controls <- rownames(setup$Y)[seq_len(setup$N0)]
pre.years <- colnames(setup$Y)[seq_len(setup$T0)]
w.sdid <- attr(estimates$sdid, "weights")
w.sc <- attr(estimates$sc, "weights")
weights <- rbind(
  data.frame(estimator = "sdid", kind = "unit", name = controls, weight = num(w.sdid$omega)),
  data.frame(estimator = "sdid", kind = "time", name = pre.years, weight = num(w.sdid$lambda)),
  data.frame(estimator = "sc", kind = "unit", name = controls, weight = num(w.sc$omega)))
write.csv(weights, "prop99_weights.csv", row.names = FALSE, quote = FALSE)

cat("synthdid", as.character(packageVersion("synthdid")), "on", R.version.string, "\n")
print(ref, row.names = FALSE)
print(round(rbind(estimate = sapply(estimates, as.numeric), std.error = std.errors), 1))
