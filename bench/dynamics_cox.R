# R side of bench/dynamics.sh: survival::coxph (Efron ties) on the same spells.
# Rscript dynamics_cox.R spells.csv K out.csv  — prints read and fit seconds.
suppressPackageStartupMessages(library(survival))
a <- commandArgs(TRUE); k <- as.integer(a[2])
t0 <- proc.time()[["elapsed"]]
d <- read.csv(a[1], colClasses = "numeric")
t1 <- proc.time()[["elapsed"]]
f <- as.formula(paste("Surv(duration, exited) ~", paste0("x", 1:k, collapse = " + ")))
fit <- coxph(f, data = d, ties = "efron")
t2 <- proc.time()[["elapsed"]]
s <- summary(fit)$coefficients
write.csv(data.frame(term = rownames(s), estimate = s[, "coef"], std_error = s[, "se(coef)"]), a[3], row.names = FALSE)
cat(sprintf("R read %.2f s, coxph %.2f s, loglik %.6f, iterations %d\n", t1 - t0, t2 - t1, fit$loglik[2], fit$iter))
