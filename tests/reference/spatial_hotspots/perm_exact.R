# Exact conditional-randomisation p-values of spdep's local permutation tests on a tiny lattice,
# for tests/unit/spatial/test_hotspots_conventions.cpp (HotspotsConventions.*). The tests read
# the CSV files written here; they never call R.
#
#   Rscript perm_exact.R SPDEP_SRC [COMMIT]      (from this folder; about 20 s)
#
# SPDEP_SRC is a tree of the spdep sources (github.com/r-spatial/spdep, e.g. `git archive`; this
# run: 1.4-3, the commit given as COMMIT is recorded in perm_exact_sessionInfo.txt). Two spdep versions are run:
#   * the installed spdep 1.2-7 (Debian 12's r-cran-spdep): localG_perm on include.self()
#     weights redraws all k_i + 1 slots (i's own too) WITH replacement from the other n − 1
#     values — agglo --gi-permutation total --sampling with; localmoran_perm draws the k_i
#     neighbours with replacement — agglo --sampling with;
#   * spdep 1.4-3's R/lisa_perm.R, sourced into an environment whose parent is the installed
#     namespace (its helpers card, lag.listw … are unchanged): localG_perm holds x_i
#     (fix_i_in_Gstar_permutations = TRUE, the default since 1.2-8) or not, and draws with
#     replacement or, with no_repeat_in_row = TRUE, without (its C routine perm_no_replace).
#
# Exactness. A permutation test with R random draws estimates P(T_sim ≥ T_obs); here spdep's
# own code is fed, instead of random draws, EVERY equally likely draw once: its calls to
# sample(x_i, size = crdi·nsim, replace = TRUE) and .Call("perm_no_replace", nsim, n − 1, crdi)
# are intercepted and return the complete enumeration of crdi-tuples (all (n − 1)^crdi tuples,
# or all ordered tuples of distinct indices), with nsim set to their number. spdep then counts
# every tuple exactly once and its "Pr(folded) Sim" is the exact folded p-value
# (min(M, N − M) + 1)/(N + 1). Regions are run per cardinality class (one nsim per run). When
# spdep draws a slot that it then overwrites with x_i (fix_i = TRUE), every neighbour tuple
# appears (n − 1) (with replacement) or (n − 1 − k_i) (without) times, so M and N are multiples
# of agglo's exact counts; the test compares min(M, N − M) after scaling, i.e. exactly.
#
# The lattice: 3 rows × 4 columns, region r·4 + c (0-based), rook neighbours (cardinalities 2,
# 3 and 4), integer values with ties, so every sum is exact in floating point and ties between
# drawn and observed statistics are decided identically by R and C++. Binary weights (style
# "B"), with self for G* (include.self()).
suppressMessages(library(spdep))
args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) >= 1)
src <- args[1]
commit <- if (length(args) >= 2) args[2] else "unknown"
stopifnot(packageVersion("spdep") == "1.2.7")

nr <- 3; nc <- 4; n <- nr * nc
x <- c(5, 9, 2, 7, 7, 3, 8, 1, 6, 4, 9, 2)
nb <- vector("list", n)
for (r in 0:(nr - 1)) for (c in 0:(nc - 1)) {
  i <- r * nc + c
  v <- integer(0)
  if (r > 0) v <- c(v, i - nc)
  if (c > 0) v <- c(v, i - 1)
  if (c < nc - 1) v <- c(v, i + 1)
  if (r < nr - 1) v <- c(v, i + nc)
  nb[[i + 1]] <- as.integer(sort(v) + 1L)
}
class(nb) <- "nb"
attr(nb, "region.id") <- as.character(0:(n - 1))
write.csv(data.frame(from = rep(0:(n - 1), card(nb)), to = unlist(nb) - 1L), "perm_exact_nb.csv",
          row.names = FALSE, quote = FALSE)
write.csv(data.frame(region = 0:(n - 1), x = x), "perm_exact_x.csv", row.names = FALSE, quote = FALSE)
lw <- nb2listw(nb, style = "B")
lw_self <- nb2listw(include.self(nb), style = "B")

# ---- the enumeration fed to spdep ------------------------------------------------------------
tuples <- function(m, k, distinct) {  # every k-tuple of 1..m as the rows of a matrix
  g <- as.matrix(expand.grid(rep(list(seq_len(m)), k)))
  if (distinct) g <- g[apply(g, 1, function(r) !anyDuplicated(r)), , drop = FALSE]
  unname(g)
}
feed <- new.env()      # the class being enumerated: crdi and the tuples
sample_exact <- function(x, size, replace = FALSE, prob = NULL) {
  if (!is.null(feed$crdi) && size == feed$crdi * nrow(feed$t) && length(x) == n - 1 && isTRUE(replace))
    return(x[as.vector(feed$t)])  # column-major: row s of the nsim × crdi matrix is tuple s
  base::sample(x, size, replace, prob)
}
call_exact <- function(.NAME, ...) {
  if (identical(.NAME, "perm_no_replace")) {
    a <- list(...)
    nsim <- a[[1]]; m <- a[[2]]; crdi <- a[[3]]
    if (!is.null(feed$crdi) && crdi == feed$crdi && nsim == nrow(feed$t) && m == n - 1) return(as.integer(as.vector(feed$t)))
    return(as.integer(as.vector(t(replicate(nsim, sample.int(m, crdi))))))  # other classes: random, unused
  }
  base::.Call(.NAME, ...)
}
# spdep 1.2-7 (installed): copies of its functions whose enclosure sees the fake sample().
inj127 <- new.env(parent = asNamespace("spdep"))
inj127$sample <- sample_exact
localG_perm_127 <- spdep::localG_perm; environment(localG_perm_127) <- inj127
localmoran_perm_127 <- spdep::localmoran_perm; environment(localmoran_perm_127) <- inj127
# spdep 1.4-3 (source): its lisa_perm.R evaluated in an environment that also holds the fakes.
inj143 <- new.env(parent = asNamespace("spdep"))
inj143$sample <- sample_exact
inj143$.Call <- call_exact
sys.source(file.path(src, "R", "lisa_perm.R"), envir = inj143)
desc <- read.dcf(file.path(src, "DESCRIPTION"))
stopifnot(desc[1, "Version"] == "1.4-3")

folded_col <- function(m) which(colnames(m) == "Pr(folded) Sim")

rows <- list()
run <- function(impl, statistic, gi_permutation, sampling, fun, listw, crd_of_slots, distinct, slots_extra) {
  for (cls in sort(unique(crd_of_slots))) {
    feed$crdi <- cls
    feed$t <- tuples(n - 1, cls, distinct)
    nsim <- nrow(feed$t)
    out <- fun(x, listw, nsim)
    tab <- if (statistic == "gi") attr(out, "internals") else out
    p <- as.numeric(tab[, folded_col(tab)])
    for (i in which(crd_of_slots == cls)) {
      m_folded <- round(p[i] * (nsim + 1)) - 1
      stopifnot(abs((m_folded + 1) / (nsim + 1) - p[i]) < 1e-12)
      rows[[length(rows) + 1]] <<- data.frame(implementation = impl, statistic = statistic, gi_permutation = gi_permutation,
                                              sampling = sampling, region = i - 1, k = card(nb)[i], nsim = nsim,
                                              m_folded = m_folded, p_folded = sprintf("%.17g", p[i]))
    }
  }
  feed$crdi <- NULL
}
k <- card(nb)
set.seed(1)
# G*_i. 1.2-7: all k + 1 slots drawn with replacement (total/with).
run("spdep 1.2-7 localG_perm", "gi", "total", "with",
    function(x, lw, nsim) localG_perm_127(x, lw, nsim = nsim), lw_self, k + 1, FALSE)
# 1.4-3: crdi = k + 1 slots are drawn, and with fix_i the self slot is then overwritten by x_i.
for (fix in c(TRUE, FALSE)) for (norep in c(FALSE, TRUE)) {
  run(sprintf("spdep 1.4-3 localG_perm fix_i_in_Gstar_permutations=%s no_repeat_in_row=%s", fix, norep), "gi",
      if (fix) "conditional" else "total", if (norep) "without" else "with",
      function(x, lw, nsim) inj143$localG_perm(x, lw, nsim = nsim, fix_i_in_Gstar_permutations = fix, no_repeat_in_row = norep),
      lw_self, k + 1, norep)
}
# Local Moran: the k neighbour slots.
run("spdep 1.2-7 localmoran_perm", "lisa", "", "with",
    function(x, lw, nsim) localmoran_perm_127(x, lw, nsim = nsim), lw, k, FALSE)
run("spdep 1.4-3 localmoran_perm no_repeat_in_row=TRUE", "lisa", "", "without",
    function(x, lw, nsim) inj143$localmoran_perm(x, lw, nsim = nsim, no_repeat_in_row = TRUE), lw, k, TRUE)
run("spdep 1.4-3 localmoran_perm no_repeat_in_row=FALSE", "lisa", "", "with",
    function(x, lw, nsim) inj143$localmoran_perm(x, lw, nsim = nsim, no_repeat_in_row = FALSE), lw, k, FALSE)
res <- do.call(rbind, rows)
write.csv(res, "perm_exact_spdep.csv", row.names = FALSE, quote = FALSE)
cat(nrow(res), "rows written to perm_exact_spdep.csv\n")
si <- capture.output(sessionInfo())
writeLines(c(sprintf("spdep source: %s, Version %s, commit %s", src, desc[1, "Version"], commit), si), "perm_exact_sessionInfo.txt")
