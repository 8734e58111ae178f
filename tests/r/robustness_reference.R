# Reference values for results/robustness.json and the test table, computed with R.
#
# Run from the repository root:   Rscript tests/r/robustness_reference.R
# It reads data/cohort/patients.csv and config/config.yaml and writes
# tests/r/robustness_reference.json (or the path given as its one argument), which tests/test_robustness.py compares with the Python
# results (R is not needed at test time; a live test reruns this script when Rscript exists).
#
# Packages (Debian: r-cran-survival, r-cran-epitools, r-cran-jsonlite, r-cran-yaml):
# - survival: coxph (Efron ties), cox.zph (default transform "km"), survfit with rmean (the
#   restricted mean and its standard error, se(rmean));
# - epitools: riskratio.wald (the Katz log interval, from whose limits the standard error of the
#   log risk ratio is taken), tab2by2.test (Fisher's mid-P, twice the smaller one-sided mid-P);
# - base R: fisher.test (conditional MLE odds ratio, exact interval, P), chisq.test,
#   prop.test (Wilson score limits, from which Newcombe's hybrid interval is built by formula),
#   integrate (the Bayesian posterior by adaptive quadrature, nested: over the control risk p
#   inside, over log RR outside; not by a grid).
# The RMST interval of R's survRM2 (rmst2) is written out below (survRM2 is not in Debian): its
# per-arm variance (the formula of survRM2's rmst1) from the survfit curve, compared in the tests
# with survival's own se(rmean) too.
# Conventions are R's own: the arms enter as a 0/1 covariate or as table rows in R's orientation,
# never as the Python code lays them out.
suppressMessages({library(survival); library(epitools); library(jsonlite); library(yaml)})

config <- yaml::read_yaml("config/config.yaml")
d <- read.csv(config$cohorts$reconstruction, stringsAsFactors = FALSE)
horizon <- config$horizon_days
alpha <- config$alpha
z <- qnorm(1 - alpha / 2)
treated <- as.integer(d$arm == config$arms[[1]])

endpoint_data <- function(endpoint) {
  if (endpoint == "survival") {
    ev <- d$died
    t <- ifelse(ev == 1, d$death_day, d$followup_days)
  } else {
    ev <- as.integer(d$died == 1 | d$mech_vent == 1)
    t <- ifelse(ev == 1, pmin(d$death_day, d$mech_vent_day, na.rm = TRUE), d$followup_days)
  }
  list(t = t, ev = ev)
}

newcombe <- function(e1, n1, e2, n2) {
  # Newcombe (1998) method 10 from the Wilson limits of each arm (prop.test without correction).
  w1 <- prop.test(e1, n1, correct = FALSE, conf.level = 1 - alpha)$conf.int
  w2 <- prop.test(e2, n2, correct = FALSE, conf.level = 1 - alpha)$conf.int
  p1 <- e1 / n1; p2 <- e2 / n2
  c(p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}

e_value <- function(rr) { rr <- ifelse(rr < 1, 1 / rr, rr); rr + sqrt(rr * (rr - 1)) }

posterior <- function(e_t, n_t, e_c, n_c, prior, threshold) {
  # The stated joint prior: theta = log RR ~ N(mean, sd) and, given RR, the control risk p uniform
  # on [0, top], top = min(1, 1/RR), density 1/top. Deaths ~ Bin(n_c, p) and Bin(n_t, RR p).
  # With no patients (n_t = n_c = 0) the same integrals give the prior itself.
  mean <- log(prior$centre_rr)
  sd <- abs(log(prior$effect_rr) - log(prior$centre_rr)) / qnorm(1 - prior$probability)
  marginal <- function(theta) sapply(theta, function(th) {
    top <- min(1, exp(-th))
    integrate(function(p) dbinom(e_c, n_c, p) * dbinom(e_t, n_t, pmin(exp(th) * p, 1)) / top, 0, top,
              rel.tol = 1e-12, subdivisions = 1000L)$value
  })
  f <- function(theta) marginal(theta) * dnorm(theta, mean, sd)
  # Integrate piece by piece (width 0.25) so that no narrow peak is missed.
  breaks <- seq(min(mean - 12 * sd, -12), max(mean + 12 * sd, 6), by = 0.25)
  pieces <- sapply(seq_len(length(breaks) - 1), function(i)
    integrate(f, breaks[i], breaks[i + 1], rel.tol = 1e-12)$value)
  total <- sum(pieces)
  cdf <- function(x) {
    i <- findInterval(x, breaks)
    (sum(pieces[seq_len(i - 1)]) + integrate(f, breaks[i], x, rel.tol = 1e-12)$value) / total
  }
  quantile <- function(q) exp(uniroot(function(x) cdf(x) - q, c(-10, 5), tol = 1e-12)$root)
  list(p_rr_below_1 = cdf(0), p_rr_below_threshold = cdf(log(threshold)), median = quantile(0.5),
       ci_lower = quantile(alpha / 2), ci_upper = quantile(1 - alpha / 2), sd_log_rr = sd)
}

prior_tails <- function(prior, threshold) {
  # P(RR < 1) and P(RR < threshold) under the joint prior, by the nested integrals of posterior()
  # with no patients (only the tail probabilities: the median and limits are the prior's own).
  mean <- log(prior$centre_rr)
  sd <- abs(log(prior$effect_rr) - log(prior$centre_rr)) / qnorm(1 - prior$probability)
  g <- function(theta) sapply(theta, function(th) {
    top <- min(1, exp(-th))
    integrate(function(p) rep(1 / top, length(p)), 0, top, rel.tol = 1e-12)$value * dnorm(th, mean, sd)
  })
  low <- mean - 12 * sd; high <- mean + 12 * sd  # beyond 12 SD the normal mass is below 1e-32
  below <- function(x) integrate(g, low, x, rel.tol = 1e-12)$value
  total <- integrate(g, low, high, rel.tol = 1e-12)$value
  list(prior_p_rr_below_1 = below(0) / total, prior_p_rr_below_threshold = below(log(threshold)) / total,
       normal_p_rr_below_1 = pnorm(0, mean, sd), normal_p_rr_below_threshold = pnorm(log(threshold), mean, sd))
}

rmst_survrm2 <- function(t, ev, tau) {
  # survRM2's rmst1, written out: area under the Kaplan-Meier curve to tau and its variance,
  # sum over event times t_j <= tau of A_j^2 d_j / (Y_j (Y_j - d_j)) (0 when Y_j = d_j), A_j the
  # area from t_j to tau.
  fit <- survfit(Surv(t, ev) ~ 1)
  keep <- fit$time <= tau & fit$n.event > 0
  tj <- fit$time[keep]; s <- fit$surv[keep]; dj <- fit$n.event[keep]; yj <- fit$n.risk[keep]
  after <- rev(cumsum(rev(s * diff(c(tj, tau)))))
  w <- ifelse(yj > dj, dj / (yj * pmax(yj - dj, 1)), 0)
  list(rmst = sum(diff(c(0, tj, tau)) * c(1, s)), se = sqrt(sum(after^2 * w)))
}

out <- list(r_version = R.version.string, survival_version = as.character(packageVersion("survival")),
            epitools_version = as.character(packageVersion("epitools")))
for (endpoint in c("survival", "vent_free_survival")) {
  x <- endpoint_data(endpoint)
  by_horizon <- x$ev == 1 & x$t <= horizon
  e_t <- sum(by_horizon[treated == 1]); n_t <- sum(treated == 1)
  e_c <- sum(by_horizon[treated == 0]); n_c <- sum(treated == 0)
  rd <- e_t / n_t - e_c / n_c
  rd_ci <- newcombe(e_t, n_t, e_c, n_c)
  # epitools: rows are exposure levels with the reference first, columns (no event, event).
  rr <- riskratio.wald(matrix(c(n_c - e_c, e_c, n_t - e_t, e_t), nrow = 2, byrow = TRUE),
                       conf.level = 1 - alpha)$measure[2, ]
  ft <- fisher.test(matrix(c(e_t, e_c, n_t - e_t, n_c - e_c), nrow = 2), conf.level = 1 - alpha)
  tab <- matrix(c(e_t, e_c, n_t - e_t, n_c - e_c), nrow = 2)
  nearer <- if (rr[["upper"]] < 1) rr[["upper"]] else if (rr[["lower"]] > 1) rr[["lower"]] else NA

  fit <- coxph(Surv(x$t, x$ev) ~ treated, ties = "efron")
  s <- summary(fit, conf.int = 1 - alpha)
  zph <- cox.zph(fit)  # default transform = "km"
  km <- summary(survfit(Surv(x$t, x$ev) ~ treated), rmean = horizon)$table
  rmean <- setNames(km[, "rmean"], c("control", "treated"))
  se_rmean <- setNames(km[, "se(rmean)"], c("control", "treated"))
  arm_t <- rmst_survrm2(x$t[treated == 1], x$ev[treated == 1], horizon)
  arm_c <- rmst_survrm2(x$t[treated == 0], x$ev[treated == 0], horizon)
  se_diff <- sqrt(arm_t$se^2 + arm_c$se^2)

  threshold <- config$robustness$bayes$clinically_relevant_rr
  bayes <- lapply(config$robustness$bayes$priors, function(prior)
    c(posterior(e_t, n_t, e_c, n_c, prior, threshold), prior_tails(prior, threshold)))

  out[[endpoint]] <- list(
    events = c(e_t, e_c), n = c(n_t, n_c),
    risk_difference = list(estimate = rd, ci_lower = rd_ci[1], ci_upper = rd_ci[2]),
    risk_ratio = list(estimate = rr[["estimate"]], ci_lower = rr[["lower"]], ci_upper = rr[["upper"]],
                      se_log_rr = (log(rr[["upper"]]) - log(rr[["lower"]])) / (2 * z)),
    odds_ratio = list(sample = (e_t * (n_c - e_c)) / ((n_t - e_t) * e_c), conditional_mle = unname(ft$estimate),
                      ci_lower = ft$conf.int[1], ci_upper = ft$conf.int[2]),
    nnt = list(estimate = 1 / abs(rd), ci_from_rd = sort(1 / abs(rd_ci))),
    e_value = list(e_value = e_value(rr[["estimate"]]),
                   e_value_ci = if (is.na(nearer)) 1 else e_value(nearer)),
    tests = list(pearson_chi2 = suppressWarnings(chisq.test(tab, correct = FALSE)$p.value),
                 pearson_chi2_yates = suppressWarnings(chisq.test(tab, correct = TRUE)$p.value),
                 fisher_exact = ft$p.value,
                 fisher_mid_p_doubled = suppressWarnings(tab2by2.test(
                   matrix(c(n_c - e_c, e_c, n_t - e_t, e_t), nrow = 2, byrow = TRUE))$p.value[2, "midp.exact"])),
    cox = list(hazard_ratio = s$conf.int[1, "exp(coef)"], ci_lower = s$conf.int[1, "lower .95"],
               ci_upper = s$conf.int[1, "upper .95"], log_hr = unname(coef(fit)),
               se_log_hr = s$coefficients[1, "se(coef)"], p_value = s$coefficients[1, "Pr(>|z|)"]),
    ph_test = list(statistic = zph$table["treated", "chisq"], p_value = zph$table["treated", "p"],
                   time_transform = zph$transform),
    rmst = list(treated = rmean[["treated"]], control = rmean[["control"]],
                difference = rmean[["treated"]] - rmean[["control"]],
                se_rmean_treated = se_rmean[["treated"]], se_rmean_control = se_rmean[["control"]],
                survrm2 = list(treated = arm_t$rmst, control = arm_c$rmst, se_treated = arm_t$se,
                               se_control = arm_c$se, difference = arm_t$rmst - arm_c$rmst,
                               se_difference = se_diff, ci_lower = arm_t$rmst - arm_c$rmst - z * se_diff,
                               ci_upper = arm_t$rmst - arm_c$rmst + z * se_diff)),
    bayes = bayes
  )
}
target <- if (length(commandArgs(TRUE))) commandArgs(TRUE)[1] else "tests/r/robustness_reference.json"
jsonlite::write_json(out, target, auto_unbox = TRUE, digits = NA, pretty = TRUE)
