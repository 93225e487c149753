# Reference matches for tests/unit/dynamics/test_matching.cpp: R's MatchIt (Debian
# r-cran-matchit 4.5.1) on the LaLonde (1986) / Dehejia & Wahba (1999) job-training data that
# MatchIt ships (NSW treated + PSID comparison, 614 men).
#
# Run in this folder:  Rscript matching_reference.R
# Writes lalonde.csv            (id,treat,age,educ,black,hispan,married,nodegree,re74,re75,re78)
#        matching_pairs.csv     (case,treated,control,distance): matched pairs of each case below
#        matching_balance.csv   (case,covariate,mean_treated,mean_control,smd): after matching
#        matching_summary.csv   (case,matched_treated,matched_controls)
# Cases (all greedy nearest neighbour without replacement, MatchIt's method = "nearest"):
#   ps          the logit propensity score (below), 1:1, treated by decreasing score
#   ps_ratio2   the same with ratio = 2 (two controls per treated unit)
#   mahalanobis distance = "mahalanobis" (pooled within-group covariance), treated in data order
# Calipers are not compared: MatchIt 4.5.1 returned the uncalipered matches here (caliper = 0.02,
# i.e. 0.0058 on the score, still gave all 185 pairs with score gaps up to 0.45); the test checks
# the caliper's defining properties instead.
library(MatchIt)
data("lalonde", package = "MatchIt")
d <- data.frame(id = rownames(lalonde), treat = lalonde$treat, age = lalonde$age, educ = lalonde$educ,
                black = as.integer(lalonde$race == "black"), hispan = as.integer(lalonde$race == "hispan"),
                married = lalonde$married, nodegree = lalonde$nodegree, re74 = lalonde$re74,
                re75 = lalonde$re75, re78 = lalonde$re78)
write.csv(d, "lalonde.csv", row.names = FALSE)
rownames(d) <- d$id
f <- treat ~ age + educ + black + hispan + married + nodegree + re74 + re75
# The score by glm with a tight convergence tolerance (glm's default, epsilon = 1e-8 on the
# deviance, leaves the scores ~1e-9 from the maximum, enough to flip near-ties between controls),
# handed to matchit as the distance: the logit propensity score MatchIt's distance = "glm" fits.
score <- fitted(glm(f, data = d, family = binomial, control = glm.control(epsilon = 1e-15, maxit = 100)))
cases <- list(
  ps = matchit(f, data = d, method = "nearest", distance = score),
  ps_ratio2 = matchit(f, data = d, method = "nearest", distance = score, ratio = 2),
  mahalanobis = matchit(f, data = d, method = "nearest", distance = "mahalanobis"))
# the Mahalanobis distance of each pair, with the pooled within-group covariance written out
X <- as.matrix(d[, c("age", "educ", "black", "hispan", "married", "nodegree", "re74", "re75")])
n1 <- sum(d$treat == 1); n0 <- sum(d$treat == 0)
S <- ((n1 - 1) * cov(X[d$treat == 1, ]) + (n0 - 1) * cov(X[d$treat == 0, ])) / (n1 + n0 - 2)
Si <- solve(S)
mdist <- function(a, b) sqrt(drop(t(X[a, ] - X[b, ]) %*% Si %*% (X[a, ] - X[b, ])))
ps <- cases$ps$distance; names(ps) <- rownames(d)
pairs <- NULL; bal <- NULL; summ <- NULL
for (nm in names(cases)) {
  m <- cases[[nm]]
  mm <- m$match.matrix
  for (k in seq_len(ncol(mm))) {
    ok <- !is.na(mm[, k])
    tr <- rownames(mm)[ok]; co <- mm[ok, k]
    dist <- if (nm == "mahalanobis") mapply(mdist, tr, co) else abs(ps[tr] - ps[co])
    pairs <- rbind(pairs, data.frame(case = nm, treated = tr, control = co, distance = format(dist, digits = 15)))
  }
  s <- summary(m, standardize = TRUE)$sum.matched
  s <- s[rownames(s) != "distance", , drop = FALSE]
  bal <- rbind(bal, data.frame(case = nm, covariate = rownames(s), mean_treated = s[, 1], mean_control = s[, 2],
                               smd = s[, 3]))
  summ <- rbind(summ, data.frame(case = nm, matched_treated = sum(rowSums(!is.na(mm)) > 0),
                                 matched_controls = sum(m$weights > 0 & d$treat == 0)))
}
write.csv(pairs, "matching_pairs.csv", row.names = FALSE, quote = FALSE)
write.csv(format(bal, digits = 15), "matching_balance.csv", row.names = FALSE, quote = FALSE)
write.csv(summ, "matching_summary.csv", row.names = FALSE, quote = FALSE)
print(summ)
