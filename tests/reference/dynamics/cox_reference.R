# Reference Cox fits for tests/unit/dynamics/test_survival.cpp, with R's survival package
# (Debian r-cran-survival). Run in this folder: Rscript cox_reference.R
suppressPackageStartupMessages(library(survival))
lung <- read.csv("lung.csv")
lung$event <- as.integer(lung$status == 2)
out <- function(fit, file, label) {
  s <- summary(fit)
  cf <- s$coefficients
  rob <- if ("robust se" %in% colnames(cf)) cf[, "robust se"] else NA
  d <- data.frame(term = rownames(cf), estimate = cf[, "coef"], std_error = cf[, "se(coef)"],
                  robust_std_error = rob,
                  log_likelihood = fit$loglik[2], null_log_likelihood = fit$loglik[1],
                  concordance = unname(fit$concordance["concordance"]),
                  concordance_se = unname(fit$concordance["std"]),
                  n = fit$n, events = fit$nevent, iterations = fit$iter, model = label)
  write.csv(d, file, row.names = FALSE, quote = FALSE)
}
out(coxph(Surv(time, event) ~ age + sex, data = lung, ties = "efron"), "cox_lung_efron.csv", "age+sex efron")
out(coxph(Surv(time, event) ~ age + sex, data = lung, ties = "breslow"), "cox_lung_breslow.csv", "age+sex breslow")
out(coxph(Surv(time, event) ~ age + sex, data = lung, robust = TRUE), "cox_lung_robust.csv", "age+sex robust")
out(coxph(Surv(time, event) ~ age + sex + cluster(inst), data = lung[!is.na(lung$inst), ]),
    "cox_lung_cluster_inst.csv", "age+sex cluster(inst), rows with inst")
l2 <- lung[!is.na(lung$ph.ecog), ]
out(coxph(Surv(time, event) ~ age + strata(sex) + ph.ecog, data = l2), "cox_lung_strata.csv", "age+ph.ecog strata(sex)")
# counting-process form: every spell split at day 200 (same model, so the same estimates)
sp <- survSplit(Surv(time, event) ~ age + sex, data = lung, cut = 200, episode = "ep")
out(coxph(Surv(tstart, time, event) ~ age + sex, data = sp), "cox_lung_split.csv", "age+sex split at 200")
write.csv(sp[, c("tstart", "time", "event", "age", "sex")], "lung_split200.csv", row.names = FALSE, quote = FALSE)
# Kaplan–Meier by sex (Greenwood errors, log intervals): every distinct time, censored ones too
km <- summary(survfit(Surv(time, event) ~ sex, data = lung), censored = TRUE)
write.csv(data.frame(group = sub("sex=", "", as.character(km$strata)), time = km$time, at_risk = km$n.risk,
                     events = km$n.event, survival = km$surv, std_error = km$std.err, ci_lower = km$lower,
                     ci_upper = km$upper), "km_lung_sex.csv", row.names = FALSE, quote = FALSE)
