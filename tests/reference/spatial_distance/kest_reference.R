# Reference values of Ripley's K for tests/unit/spatial/test_ripley.cpp, computed by spatstat's
# Kest with the border, translation and isotropic corrections on small point sets.
# Run from this folder:  Rscript kest_reference.R
# Writes kest_<case>_points.csv (x,y and the window in a comment-free header row "window")
# and kest_<case>_k.csv (r,theo,border,trans,iso) with 17 significant digits.
suppressMessages(library(spatstat))
cat("spatstat", as.character(packageVersion("spatstat")), "R", R.version$major, R.version$minor, "\n")
write_case <- function(name, X, rmax, n_r) {
  r <- seq(0, rmax, length.out = n_r)
  K <- Kest(X, r = r, correction = c("border", "translate", "isotropic"))
  W <- Window(X)
  pts <- data.frame(x = sprintf("%.17g", X$x), y = sprintf("%.17g", X$y))
  win <- data.frame(xmin = W$xrange[1], ymin = W$yrange[1], xmax = W$xrange[2], ymax = W$yrange[2])
  write.csv(win, sprintf("kest_%s_window.csv", name), row.names = FALSE, quote = FALSE)
  write.csv(pts, sprintf("kest_%s_points.csv", name), row.names = FALSE, quote = FALSE)
  out <- data.frame(r = sprintf("%.17g", K$r), theo = sprintf("%.17g", K$theo),
                    border = sprintf("%.17g", K$border), trans = sprintf("%.17g", K$trans),
                    iso = sprintf("%.17g", K$iso))
  write.csv(out, sprintf("kest_%s_k.csv", name), row.names = FALSE, quote = FALSE)
}
set.seed(42)
# 1. 40 uniform points in the unit square
write_case("unit40", runifpoint(40, square(1)), 0.3, 31)
# 2. 60 clustered (Thomas) points in a 2 x 1 rectangle, offset from the origin
X <- rThomas(8, 0.05, 8, win = owin(c(10, 12), c(-3, -2)))
X <- X[1:min(60, npoints(X))]
write_case("thomas", X, 0.45, 46)
# 3. 25 points in a 3 x 5 rectangle, r up to beyond the translation limit (NaN there)
write_case("rect25", runifpoint(25, owin(c(0, 3), c(0, 5))), 3.5, 36)
# 4. isotropic edge weights for a few circles (edge.Ripley), for the closed form
W <- owin(c(0, 1), c(0, 2))
P <- ppp(c(0.1, 0.5, 0.02, 0.9, 0.3), c(0.1, 1.0, 1.95, 0.05, 0.4), window = W)
R <- c(0.05, 0.3, 0.6, 0.2, 0.8)
e <- edge.Ripley(P, matrix(R, ncol = 1))
write.csv(data.frame(x = P$x, y = P$y, r = R, weight = sprintf("%.17g", as.numeric(e))),
          "edge_ripley.csv", row.names = FALSE, quote = FALSE)
