# R dbscan (Hahsler, Piekenbrock & Doran 2019, package dbscan) on the points of an agglo
# establishments CSV with projected x,y — the peer of bench/spatial_dbscan_dense.sh.
#   Rscript spatial_dbscan_r.R POINTS.csv EPS MIN_POINTS LABELS_OUT
# dbscan::dbscan (kd-tree fixed-radius queries, single-threaded; minPts counts the point
# itself, as agglo's --min-points does). Writes one label per line (0 = noise in R, written as
# −1; clusters renumbered 0..), and prints the time of the dbscan() call alone.
args <- commandArgs(trailingOnly = TRUE)
pts <- read.csv(args[1], colClasses = c("NULL", "NULL", "numeric", "numeric", "NULL"))
eps <- as.numeric(args[2]); minpts <- as.integer(args[3])
t <- system.time(db <- dbscan::dbscan(as.matrix(pts[, c("x", "y")]), eps = eps, minPts = minpts,
                                      borderPoints = TRUE))
writeLines(as.character(db$cluster - 1L), args[4])
cat(sprintf("R dbscan %s: dbscan() %.2f s, clusters %d, noise %d\n", packageVersion("dbscan"),
            t[["elapsed"]], max(db$cluster), sum(db$cluster == 0)))
