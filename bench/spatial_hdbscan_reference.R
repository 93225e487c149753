# R's dbscan::hdbscan on establishment points, for bench/spatial_hdbscan.sh.
#   Rscript spatial_hdbscan_reference.R EST.csv MINPTS OUT.txt
# Points are lon/lat; R gets their unit vectors × 6371.0088 km (chord distances, monotone in
# great-circle distance, so the partition is comparable with agglo's). Writes one cluster
# label per line (0 = noise) and prints the number of clusters and noise points.
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(dbscan))
d <- read.csv(args[1])
minPts <- as.integer(args[2])
R <- 6371.0088
lam <- d$lon * pi / 180; phi <- d$lat * pi / 180
x <- R * cbind(cos(phi) * cos(lam), cos(phi) * sin(lam), sin(phi))
r <- hdbscan(x, minPts = minPts)
writeLines(as.character(r$cluster), args[3])
cat(sprintf("clusters %d, noise %d\n", length(setdiff(unique(r$cluster), 0)), sum(r$cluster == 0)))
