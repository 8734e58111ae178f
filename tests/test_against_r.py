"""Cross-check with R's survival package (the reference implementation), where R is installed.

Runs survdiff and survfit(conf.type = "log-log") on the committed cohort and on aml, and
compares with this package's lifelines-based results. Skips cleanly without Rscript or the
survival package (Debian: r-base-core, r-cran-survival).
"""

import functools
import json
import shutil
import subprocess

import pytest

from anakinra_replication.cohort import read_cohort
from anakinra_replication.survival import endpoint_times, kaplan_meier, logrank
from conftest import COHORT, COHORT_SCHEMA

RSCRIPT = shutil.which("Rscript")
R_PROGRAM = r"""
suppressMessages(library(survival))
d <- read.csv(commandArgs(TRUE)[1])
out <- list()
for (ep in c("survival", "vent_free_survival")) {
  if (ep == "survival") { ev <- d$died; t <- ifelse(ev == 1, d$death_day, d$followup_days) }
  else { ev <- as.integer(d$died == 1 | d$mech_vent == 1)
         t <- ifelse(ev == 1, pmin(d$death_day, d$mech_vent_day, na.rm = TRUE), d$followup_days) }
  sd <- survdiff(Surv(t, ev) ~ d$arm)
  fit <- summary(survfit(Surv(t, ev) ~ d$arm, conf.type = "log-log"), times = 21)
  out[[ep]] <- list(chisq = sd$chisq, p = pchisq(sd$chisq, 1, lower.tail = FALSE),
                    surv = as.list(fit$surv), lower = as.list(fit$lower), upper = as.list(fit$upper))
}
cat(sprintf(paste0('{"%s": {"chisq": %.15g, "p": %.15g, "surv": [%.15g, %.15g], ',
                   '"lower": [%.15g, %.15g], "upper": [%.15g, %.15g]}}\n'),
    names(out), sapply(out, `[[`, "chisq"), sapply(out, `[[`, "p"),
    sapply(out, function(o) o$surv[[1]]), sapply(out, function(o) o$surv[[2]]),
    sapply(out, function(o) o$lower[[1]]), sapply(out, function(o) o$lower[[2]]),
    sapply(out, function(o) o$upper[[1]]), sapply(out, function(o) o$upper[[2]])))
"""


@functools.cache  # one R session for both endpoints
def r_results() -> dict:
    if RSCRIPT is None:
        pytest.skip("Rscript is not installed")
    run = subprocess.run([RSCRIPT, "-e", R_PROGRAM, str(COHORT)], capture_output=True, text=True)
    if run.returncode != 0 and "there is no package called" in run.stderr:
        pytest.skip("R's survival package is not installed")
    run.check_returncode()
    results = {}
    for line in run.stdout.splitlines():
        results.update(json.loads(line))
    return results


@pytest.mark.parametrize("endpoint", ["survival", "vent_free_survival"])
def test_logrank_and_kaplan_meier_agree_with_r(endpoint):
    r = r_results()[endpoint]
    cohort = read_cohort(COHORT, COHORT_SCHEMA, ["anakinra", "standard"], 21, {"crp_mg_l": 100, "ferritin_ng_ml": 900})
    times = endpoint_times(cohort, endpoint)
    test = logrank(times, ["anakinra", "standard"])
    assert test["chi2"] == pytest.approx(r["chisq"], rel=1e-9)
    assert test["p_value"] == pytest.approx(r["p"], rel=1e-9)
    for i, arm in enumerate(["anakinra", "standard"]):  # R orders the arms alphabetically
        km = kaplan_meier(times[times["arm"] == arm], 21, 0.05)
        assert km["survival"] == pytest.approx(r["surv"][i], rel=1e-9)
        assert km["ci_lower"] == pytest.approx(r["lower"][i], rel=1e-6)
        assert km["ci_upper"] == pytest.approx(r["upper"][i], rel=1e-6)
