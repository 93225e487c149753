# Reference outputs of R's dbscan::hdbscan (Hahsler, Piekenbrock & Doran 2019, "dbscan: Fast
# density-based clustering with R", J. Stat. Softw. 91(1)) for agglo's HDBSCAN* tests
# (tests/unit/spatial/test_hdbscan.cpp, SpatialHdbscanR*).
#
#   cd tests/reference/spatial_density && Rscript hdbscan_reference.R
#
# Writes one CSV per case: the points (x, y; or lon, lat for the geographic case) and R's
# cluster (0 = noise), membership_prob and coredist. R's minPts is both the minimum cluster size
# and the core-distance neighbour count, the point itself counted (coredist = distance to the
# (minPts − 1)-th other point). The geographic case gives R the points' unit vectors scaled to
# the Earth's radius (chord distances, monotone in great-circle distance): the partition is
# comparable, the probabilities are not (agglo uses great-circle km). Debian r-cran-dbscan
# 1.1-11 produced the stored files.
suppressMessages(library(dbscan))

write_case <- function(name, xy, minPts, cols = c("x", "y"), input = xy) {
  r <- hdbscan(input, minPts = minPts)
  out <- data.frame(xy[, 1], xy[, 2], r$cluster, r$membership_prob, r$coredist)
  names(out) <- c(cols, "cluster", "membership_prob", "coredist")
  write.csv(out, sprintf("hdbscan_%s_minpts%d.csv", name, minPts), row.names = FALSE, quote = FALSE)
  cat(sprintf("%-12s n=%5d minPts=%2d clusters=%d noise=%d\n", name, nrow(xy), minPts,
              length(setdiff(unique(r$cluster), 0)), sum(r$cluster == 0)))
}
fmt <- function(m) round(m, 6)  # 6 decimals, so the CSV holds the exact doubles R used

# 1. Three Gaussian blobs of different spread and uniform background noise.
set.seed(20240501)
blobs <- rbind(cbind(rnorm(120, 0, 0.5), rnorm(120, 0, 0.5)),
               cbind(rnorm(80, 5, 1.0), rnorm(80, 1, 1.0)),
               cbind(rnorm(60, 2, 0.3), rnorm(60, 6, 0.3)),
               cbind(runif(40, -3, 9), runif(40, -3, 9)))
blobs <- fmt(blobs)
write_case("blobs", blobs, 5)
write_case("blobs", blobs, 12)

# 2. A larger set: six clusters of varying density among 20% noise.
set.seed(7)
centres <- matrix(runif(12, 0, 100), ncol = 2)
sizes <- c(300, 200, 150, 100, 80, 50)
spread <- c(3, 2, 5, 1.5, 4, 1)
med <- do.call(rbind, lapply(1:6, function(i)
  cbind(rnorm(sizes[i], centres[i, 1], spread[i]), rnorm(sizes[i], centres[i, 2], spread[i]))))
med <- rbind(med, cbind(runif(220, 0, 100), runif(220, 0, 100)))
med <- fmt(med)
write_case("medium", med, 10)
write_case("medium", med, 25)

# 3. Ties and duplicates: points on an integer lattice (many equal distances) in two patches,
# some points repeated two or three times, plus scattered lattice points.
set.seed(3)
lat1 <- as.matrix(expand.grid(0:5, 0:5))
lat2 <- as.matrix(expand.grid(20:23, 0:3))
scatter <- cbind(sample(0:40, 25, replace = TRUE), sample(8:40, 25, replace = TRUE))
ties <- rbind(lat1, lat1[c(1, 8, 15), ], lat1[c(1, 15), ], lat2, lat2[c(2, 3), ], scatter)
ties <- unname(ties) + 0
write_case("ties", ties, 4)
write_case("ties", ties, 6)

# 4. Geographic: lon/lat points in three city-sized clusters near 8°E 47°N plus noise, given
# to R as unit vectors × R (chord km).
set.seed(11)
geo <- rbind(cbind(rnorm(150, 8.50, 0.02), rnorm(150, 47.37, 0.015)),
             cbind(rnorm(100, 8.30, 0.03), rnorm(100, 47.05, 0.02)),
             cbind(rnorm(80, 7.59, 0.01), rnorm(80, 47.56, 0.01)),
             cbind(runif(60, 7, 9.5), runif(60, 46.5, 48)))
geo <- fmt(geo)
Rk <- 6371.0088
lam <- geo[, 1] * pi / 180; phi <- geo[, 2] * pi / 180
unit <- Rk * cbind(cos(phi) * cos(lam), cos(phi) * sin(lam), sin(phi))
write_case("lonlat", geo, 8, cols = c("lon", "lat"), input = unit)
