# Reference values of dbmss (Marcon, Traissac, Puech & Lang 2015, "Tools to estimate the spatial
# distribution of economic activities: the R package dbmss", Journal of Statistical Software
# 67(c03)) — the reference implementation of the Duranton–Overman Kd and the Marcon–Puech M — for
# tests/unit/spatial/test_mfunction.cpp (MFunction.AgreesWithDbmss) and test_kdensity.cpp
# (KDensity.AgreesWithDbmss). The tests read the CSV files written here; they never call R.
#
#   R_LIBS=LIB Rscript dbmss_reference.R      (from this folder)
#
# dbmss is not packaged in Debian 12. This run: dbmss 2.11-0 built from its sources
# (github.com/EricMarcon/dbmss, commit in dbmss_sessionInfo.txt) into a private library LIB, its
# other imports from Debian's r-cran-* packages, and doFuture (not in Debian; only dbmss's
# parallel envelopes use it) replaced by an empty stub. No envelope is computed here.
#
# Points: tests/cli/good/dist_points.csv — LOC (60 clumped points), RND (60 uniform), OTH (180)
# and SOLO (1) in a 1000 × 1000 square; PointWeight = employees (or 1 for the unweighted M).
#   * Kdhat (Original = TRUE, exact distances) at r = 0, 7, …, 700. dbmss computes bw.nrd0 on
#     the distances ≤ 2·rmax; with rmax = 700 that is every pair (the square's diagonal is
#     1,414), as agglo, so the bandwidths coincide. dbmss's density() uses 512 points.
#   * Mhat at r = 0, 3, …, 300: univariate LOC (weighted and unweighted) and bivariate LOC → RND.
suppressMessages(library(dbmss))
est <- read.csv("../../cli/good/dist_points.csv", colClasses = c("character", "character", "numeric", "numeric", "numeric"))
w <- owin(c(0, 1000), c(0, 1000))
X <- wmppp(data.frame(X = est$x, Y = est$y, PointType = est$industry, PointWeight = est$employees), window = w)
X1 <- wmppp(data.frame(X = est$x, Y = est$y, PointType = est$industry, PointWeight = 1), window = w)
rk <- seq(0, 700, length.out = 101)
kd <- data.frame(distance = rk)
for (ind in c("LOC", "RND")) {
  kd[[paste0(ind, "_kd")]] <- sprintf("%.17g", as.data.frame(Kdhat(X, rk, ReferenceType = ind))$Kd)
  kd[[paste0(ind, "_kd_weighted")]] <- sprintf("%.17g", as.data.frame(Kdhat(X, rk, ReferenceType = ind, Weighted = TRUE))$Kd)
}
kd$LOC_RND_kd <- sprintf("%.17g", as.data.frame(Kdhat(X, rk, ReferenceType = "LOC", NeighborType = "RND"))$Kd)
write.csv(kd, "dbmss_kdhat.csv", row.names = FALSE, quote = FALSE)
rm <- seq(0, 300, length.out = 101)
m <- data.frame(distance = rm,
                LOC_weighted = as.data.frame(Mhat(X, rm, ReferenceType = "LOC"))$M,
                LOC_unweighted = as.data.frame(Mhat(X1, rm, ReferenceType = "LOC"))$M,
                LOC_RND_weighted = as.data.frame(Mhat(X, rm, ReferenceType = "LOC", NeighborType = "RND"))$M)
for (c in names(m)[-1]) m[[c]] <- ifelse(is.finite(m[[c]]), sprintf("%.17g", m[[c]]), "NaN")
write.csv(m, "dbmss_mhat.csv", row.names = FALSE, quote = FALSE)
writeLines(c(sprintf("dbmss %s (from source), commit %s", packageVersion("dbmss"), Sys.getenv("DBMSS_COMMIT", "unknown")),
             capture.output(sessionInfo())), "dbmss_sessionInfo.txt")
cat("written dbmss_kdhat.csv, dbmss_mhat.csv\n")
