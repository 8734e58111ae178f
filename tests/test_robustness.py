"""The robustness statistics against references this code did not produce.

References, per test: hand calculations written out in the comments (Wilson and Katz
intervals, NNT, E-value, Fisher P values by enumerating the hypergeometric distribution,
Kaplan-Meier areas, Beta integrals); published worked examples (Newcombe 1998, Stat Med
17:873, Table II; VanderWeele and Ding 2017, Ann Intern Med 167:268); R's fisher.test output;
and statsmodels' PHReg against lifelines for the Cox model on the real cohort.
"""
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy.optimize import brentq
from scipy.stats import beta as beta_dist
from statsmodels.duration.hazard_regression import PHReg

from anakinra_replication.robustness import (
    bayesian_risk, cox_hazard_ratio, cox_hazard_ratio_statsmodels, default_priors, e_value, fragility_index,
    km_rmst, number_needed_to_treat, risk_measures, rmst_difference, robustness_numbers,
)
from anakinra_replication.survival import endpoint_times

from conftest import COHORT

ARMS = ["anakinra", "standard"]
Z = 1.959963984540054  # standard normal 0.975 quantile


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    return pd.read_csv(COHORT)


def frame(groups: dict[str, list[tuple[float, int]]]) -> pd.DataFrame:
    return pd.DataFrame([{"arm": arm, "day": t, "event": e} for arm, rows in groups.items() for t, e in rows])


# --- risk difference, ratio, odds ratio, NNT -----------------------------------------------

def wilson(x: int, n: int) -> tuple[float, float]:
    """Wilson (1927) score interval: (2np + z^2 -+ z sqrt(z^2 + 4np(1-p))) / (2(n + z^2))."""
    p = x / n
    root = Z * math.sqrt(Z * Z + 4 * n * p * (1 - p))
    return (2 * n * p + Z * Z - root) / (2 * (n + Z * Z)), (2 * n * p + Z * Z + root) / (2 * (n + Z * Z))


def test_newcombe_interval_matches_published_example():
    # Newcombe (1998), Table II, example (a): 56/70 - 48/80 = 0.2000, method 10: 0.0524 to 0.3339.
    rd = risk_measures(56, 70, 48, 80, 0.05)["risk_difference"]
    assert rd["estimate"] == pytest.approx(0.2)
    assert (round(rd["ci_lower"], 4), round(rd["ci_upper"], 4)) == (0.0524, 0.3339)


def test_risk_measures_by_hand_on_the_death_table():
    # Deaths: anakinra 3/29, standard 7/16.
    # RD = 3/29 - 7/16 = (48 - 203)/464 = -155/464; RR = (3/29)/(7/16) = 48/203; OR = 3*9/(26*7) = 27/182.
    # Newcombe: L = RD - sqrt((p1 - l1)^2 + (u2 - p2)^2), U = RD + sqrt((u1 - p1)^2 + (p2 - l2)^2),
    # (l, u) the Wilson limits of each arm.
    # Katz: exp(log RR -+ z sqrt(1/3 - 1/29 + 1/7 - 1/16)) = exp(-1.44202 -+ 1.95996 * 0.61564)
    #     = 0.07073 to 0.79052.
    # NNT = 464/155 = 2.99355; its interval is 1/|U| to 1/|L| (the RD interval excludes 0).
    m = risk_measures(3, 29, 7, 16, 0.05)
    p1, p2 = 3 / 29, 7 / 16
    (l1, u1), (l2, u2) = wilson(3, 29), wilson(7, 16)
    low = -155 / 464 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = -155 / 464 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    assert m["risk_difference"]["estimate"] == pytest.approx(-155 / 464, rel=1e-12)
    assert m["risk_difference"]["ci_lower"] == pytest.approx(low, rel=1e-9)
    assert m["risk_difference"]["ci_upper"] == pytest.approx(high, rel=1e-9)
    se = math.sqrt(1 / 3 - 1 / 29 + 1 / 7 - 1 / 16)
    assert m["risk_ratio"]["estimate"] == pytest.approx(48 / 203, rel=1e-12)
    assert m["risk_ratio"]["ci_lower"] == pytest.approx(math.exp(math.log(48 / 203) - Z * se), rel=1e-9)
    assert m["risk_ratio"]["ci_upper"] == pytest.approx(math.exp(math.log(48 / 203) + Z * se), rel=1e-9)
    assert (round(m["risk_ratio"]["ci_lower"], 5), round(m["risk_ratio"]["ci_upper"], 5)) == (0.07073, 0.79052)
    assert m["odds_ratio"]["sample"] == pytest.approx(27 / 182, rel=1e-12)
    nnt = m["nnt"]
    assert nnt["estimate"] == pytest.approx(464 / 155, rel=1e-12)
    assert nnt["direction"] == "benefit" and nnt["nnt_interval_bounded"] is True
    assert nnt["ci_lower"] == pytest.approx(1 / abs(low), rel=1e-9)
    assert nnt["ci_upper"] == pytest.approx(1 / abs(high), rel=1e-9)


def test_exact_conditional_odds_ratio_interval():
    # Cornfield's exact interval for 3/29 vs 7/16: X = treated deaths given the margins (29, 16; 10
    # deaths) is noncentral hypergeometric, P(X = x) ~ C(29, x) C(16, 10 - x) psi^x. The lower
    # limit solves P(X >= 3; psi) = 0.025, the upper P(X <= 3; psi) = 0.025. Solved here with exact
    # integer binomials. R 4 fisher.test(matrix(c(3, 7, 26, 9), 2)) prints 0.02134693 0.85945057
    # and odds ratio 0.1560005 (its root finder stops at about 1e-5).
    def tail(psi: float, upper: bool) -> float:
        weights = {x: math.comb(29, x) * math.comb(16, 10 - x) * psi ** x for x in range(0, 11)}
        return sum(w for x, w in weights.items() if (x >= 3 if upper else x <= 3)) / sum(weights.values())

    low = math.exp(brentq(lambda t: tail(math.exp(t), True) - 0.025, -20, 5, xtol=1e-13))
    high = math.exp(brentq(lambda t: tail(math.exp(t), False) - 0.025, -20, 5, xtol=1e-13))
    odds = risk_measures(3, 29, 7, 16, 0.05)["odds_ratio"]
    assert odds["ci_lower"] == pytest.approx(low, rel=1e-6)
    assert odds["ci_upper"] == pytest.approx(high, rel=1e-6)
    assert odds["ci_lower"] == pytest.approx(0.02134693, abs=2e-5)
    assert odds["ci_upper"] == pytest.approx(0.85945057, abs=2e-5)
    assert odds["conditional_mle"] == pytest.approx(0.1560005, abs=1e-6)


def test_nnt_interval_unbounded_when_rd_interval_spans_zero():
    # Altman (1998): RD -0.20 (-0.50 to 0.10) gives NNTB 5, interval NNTB 2 to infinity to NNTH 10.
    nnt = number_needed_to_treat(-0.2, -0.5, 0.1)
    assert nnt["estimate"] == pytest.approx(5)
    assert nnt["nnt_interval_bounded"] is False
    assert nnt["ci_lower"] is None and nnt["ci_upper"] is None
    assert nnt["nntb_limit"] == pytest.approx(2) and nnt["nnth_limit"] == pytest.approx(10)
    # Harm, bounded: RD 0.25 (0.10 to 0.40) gives NNTH 4 (2.5 to 10).
    harm = number_needed_to_treat(0.25, 0.1, 0.4)
    assert harm["direction"] == "harm" and harm["nnt_interval_bounded"] is True
    assert (harm["ci_lower"], harm["ci_upper"]) == pytest.approx((2.5, 10))


# --- fragility index -------------------------------------------------------------------------

def fisher_p_by_enumeration(a: int, n1: int, c: int, n2: int) -> float:
    """Two-sided Fisher P: sum of hypergeometric P(X = x) no larger than that of the table."""
    k, n = a + c, n1 + n2
    probs = {x: math.comb(n1, x) * math.comb(n2, k - x) / math.comb(n, k) for x in range(max(0, k - n2), min(n1, k) + 1)}
    return sum(p for p in probs.values() if p <= probs[a] * (1 + 1e-7))


def test_fragility_index_by_hand_on_a_small_table():
    # 0/5 vs 4/5: C(5, x) C(5, 4 - x) / C(10, 4) = (5, 50, 100, 50, 5)/210 for x = 0..4;
    # P = (5 + 5)/210 = 0.0476 < 0.05. One event more in the arm with fewer events, 1/5 vs 4/5:
    # (1, 25, 100, 100, 25, 1)/252, P = (1 + 25 + 25 + 1)/252 = 0.206 >= 0.05. Index 1, quotient 1/10.
    assert fisher_p_by_enumeration(0, 5, 4, 5) == pytest.approx(10 / 210)
    result = fragility_index(0, 5, 4, 5)
    assert result["fragility_index"] == 1 and result["modified_arm"] == "treated"
    assert result["fragility_quotient"] == pytest.approx(0.1)
    assert result["p_value_start"] == pytest.approx(10 / 210, rel=1e-9)
    assert result["p_value_end"] == pytest.approx(52 / 252, rel=1e-9)
    mirrored = fragility_index(4, 5, 0, 5)
    assert mirrored["fragility_index"] == 1 and mirrored["modified_arm"] == "control"


def test_fragility_index_of_the_death_table():
    # 3/29 vs 7/16; the treated arm has fewer deaths. Enumerated Fisher P values (helper above):
    # 3/29: 0.02113, 4/29: 0.03529, 5/29: 0.08049. Two conversions reach P >= 0.05: index 2,
    # quotient 2/45.
    steps = [fisher_p_by_enumeration(e, 29, 7, 16) for e in (3, 4, 5)]
    assert [round(p, 5) for p in steps] == [0.02113, 0.03529, 0.08049]
    result = fragility_index(3, 29, 7, 16)
    assert result["fragility_index"] == 2
    assert result["fragility_quotient"] == pytest.approx(2 / 45)
    assert result["p_value_start"] == pytest.approx(steps[0], rel=1e-9)
    assert result["p_value_end"] == pytest.approx(steps[2], rel=1e-9)
    assert result["events_end"] == {"treated": 5, "control": 7}


def test_fragility_index_is_zero_when_not_significant():
    # Ventilation or death, 8/29 vs 8/16: enumerated P = 0.195 >= 0.05.
    result = fragility_index(8, 29, 8, 16)
    assert round(fisher_p_by_enumeration(8, 29, 8, 16), 3) == 0.195
    assert result["fragility_index"] == 0 and result["fragility_quotient"] == 0


# --- E-value -----------------------------------------------------------------------------------

def test_e_value_published_example():
    # VanderWeele and Ding (2017): RR 3.9 (1.8 to 8.7). E = 3.9 + sqrt(3.9 * 2.9) = 7.2634,
    # published as 7.2 (truncated); for the lower limit 1.8 + sqrt(1.8 * 0.8) = 1.8 + 1.2 = 3.0.
    result = e_value(3.9, 1.8, 8.7)
    assert result["e_value"] == pytest.approx(3.9 + math.sqrt(3.9 * 2.9), rel=1e-12)
    assert math.floor(result["e_value"] * 10) / 10 == 7.2
    assert result["e_value_ci"] == pytest.approx(3.0, rel=1e-12)
    assert result["ci_limit_nearer_null"] == 1.8


def test_e_value_protective_and_null_spanning():
    # RR 0.5 (0.2 to 0.8): 1/0.5 = 2, E = 2 + sqrt(2) = 3.41421; nearer limit 0.8 -> 1.25,
    # E = 1.25 + sqrt(1.25 * 0.25) = 1.25 + 0.55902 = 1.80902. A CI spanning 1 gives 1.
    result = e_value(0.5, 0.2, 0.8)
    assert result["e_value"] == pytest.approx(2 + math.sqrt(2), rel=1e-12)
    assert result["e_value_ci"] == pytest.approx(1.80902, abs=1e-5)
    spanning = e_value(0.55, 0.26, 1.19)
    assert spanning["e_value_ci"] == 1.0 and spanning["ci_limit_nearer_null"] is None


# --- Cox model -----------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", ["survival", "vent_free_survival"])
def test_cox_lifelines_matches_statsmodels_on_the_cohort(cohort, endpoint):
    times = endpoint_times(cohort, endpoint)
    lifelines_fit = cox_hazard_ratio(times, ARMS, 0.05)
    statsmodels_fit = cox_hazard_ratio_statsmodels(times, ARMS)
    assert lifelines_fit["log_hr"] == pytest.approx(statsmodels_fit["log_hr"], abs=1e-6)
    assert lifelines_fit["se_log_hr"] == pytest.approx(statsmodels_fit["se_log_hr"], abs=1e-6)
    # Wald interval and P from the statsmodels estimate: exp(b -+ z se), erfc(|b/se| / sqrt 2).
    b, se = statsmodels_fit["log_hr"], statsmodels_fit["se_log_hr"]
    assert lifelines_fit["hazard_ratio"] == pytest.approx(math.exp(b), rel=1e-5)
    assert lifelines_fit["ci_lower"] == pytest.approx(math.exp(b - Z * se), rel=1e-5)
    assert lifelines_fit["ci_upper"] == pytest.approx(math.exp(b + Z * se), rel=1e-5)
    assert lifelines_fit["p_value"] == pytest.approx(math.erfc(abs(b / se) / math.sqrt(2)), rel=1e-5)


def test_proportional_hazards_test_by_hand_without_ties():
    # Grambsch and Therneau (1994) with g = rank of the event time (1..d) and one covariate:
    # T = d V (sum_k (g_k - gbar) r_k)^2 / sum_k (g_k - gbar)^2, with r_k = x_k - sum_R x e^(bx) / sum_R e^(bx)
    # the Schoenfeld residual over the risk set R at the k-th event, b and V = se^2 from statsmodels.
    times = frame({"t": [(2, 1), (5, 0), (6, 1), (9, 1), (11, 1)], "c": [(1, 1), (3, 1), (4, 1), (7, 0), (8, 1), (10, 1)]})
    fit = PHReg(times["day"].to_numpy(float), (times["arm"] == "t").to_numpy(float)[:, None],
                status=times["event"].to_numpy()).fit()
    b, var = float(fit.params[0]), float(fit.bse[0]) ** 2
    day, x, event = times["day"].to_numpy(), (times["arm"] == "t").to_numpy(float), times["event"].to_numpy()
    resid = []
    for k in np.argsort(day):
        if event[k]:
            at_risk = day >= day[k]
            w = np.exp(b * x[at_risk])
            resid.append(x[k] - (x[at_risk] * w).sum() / w.sum())
    g = np.arange(1, len(resid) + 1) - (len(resid) + 1) / 2
    stat = len(resid) * var * float(g @ np.array(resid)) ** 2 / float(g @ g)
    result = cox_hazard_ratio(times, ["t", "c"], 0.05)["ph_test"]
    assert result["statistic"] == pytest.approx(stat, rel=1e-5)
    assert result["p_value"] == pytest.approx(math.erfc(math.sqrt(stat / 2)), rel=1e-5)


# --- restricted mean survival time ------------------------------------------------------------------

def test_rmst_by_hand_on_four_patients():
    # (2, event), (4, censored), (6, event), (8, censored), horizon 7: S = 1 on [0, 2), 3/4 on
    # [2, 6), 3/4 * 1/2 = 3/8 on [6, 7]. RMST = 2 + 3/4 * 4 + 3/8 * 1 = 5.375.
    rows = [(2, 1), (4, 0), (6, 1), (8, 0)]
    day, event = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
    assert km_rmst(day, event, np.ones((1, 4)), 7)[0] == pytest.approx(5.375)
    # Weights count repeated patients: drawing the first patient twice and dropping the last:
    # (2, e), (2, e), (4, c), (6, e): S = 1/2 on [2, 6), 0 after: RMST = 2 + 2 = 4.
    assert km_rmst(day, event, np.array([[2, 1, 1, 0]]), 7)[0] == pytest.approx(4.0)
    result = rmst_difference(frame({"a": rows, "b": [(7, 0)] * 3}), ["a", "b"], 7, 0.05, seed=1, n_boot=200)
    assert result["treated"] == pytest.approx(5.375) and result["control"] == pytest.approx(7.0)
    assert result["difference"] == pytest.approx(-1.625)


def test_numpy_rmst_matches_lifelines_with_censoring():
    # Censoring inside the horizon (R's aml data, Maintained arm), several horizons.
    from lifelines import KaplanMeierFitter
    from lifelines.utils import restricted_mean_survival_time

    aml = [(9, 1), (13, 1), (13, 0), (18, 1), (23, 1), (28, 0), (31, 1), (34, 1), (45, 0), (48, 1), (161, 0)]
    day, event = np.array([r[0] for r in aml]), np.array([r[1] for r in aml])
    kmf = KaplanMeierFitter().fit(day, event)
    for horizon in (10, 13, 30, 50, 200):
        assert km_rmst(day, event, np.ones((1, len(aml))), horizon)[0] == pytest.approx(
            restricted_mean_survival_time(kmf, t=horizon), rel=1e-9)


@pytest.mark.parametrize("endpoint", ["survival", "vent_free_survival"])
def test_rmst_on_the_cohort_and_its_bootstrap(cohort, endpoint):
    # Nobody is censored before day 21 here, so RMST(21) is the plain mean of min(day, 21), and
    # the bootstrap SE of a difference of means is close to sqrt(s_t^2/n_t + s_c^2/n_c) with the
    # divide-by-n variances (Efron and Tibshirani 1993, ch. 5); 2000 draws: within 10%.
    times = endpoint_times(cohort, endpoint)
    assert ((times["event"] == 1) | (times["day"] == 21)).all()
    result = rmst_difference(times, ARMS, 21, 0.05, seed=7, n_boot=2000)
    capped = {arm: np.minimum(times.loc[times["arm"] == arm, "day"].to_numpy(float), 21) for arm in ARMS}
    assert result["treated"] == pytest.approx(capped["anakinra"].mean(), rel=1e-9)
    assert result["control"] == pytest.approx(capped["standard"].mean(), rel=1e-9)
    se = math.sqrt(sum(v.var() / len(v) for v in capped.values()))
    assert result["se_bootstrap"] == pytest.approx(se, rel=0.10)
    assert result["ci_lower"] < result["difference"] < result["ci_upper"]
    assert rmst_difference(times, ARMS, 21, 0.05, seed=7, n_boot=2000) == result


# --- Bayesian reanalysis --------------------------------------------------------------------------------

def test_posterior_of_uniform_against_beta_2_1_by_hand():
    # Treated: no data, Beta(1, 1) -> X ~ U(0, 1). Control: 1 event of 1 -> Y ~ Beta(2, 1), density 2y.
    # P(X < Y) = int 2y * y dy = 2/3. P(Y - X >= 0.1) = int_0.1^1 2y (y - 0.1) dy = 0.56700.
    # RR = X/Y: P(RR <= r) = int 2y min(ry, 1) dy = 2r/3 for r <= 1 and 1 - 1/(3r^2) for r >= 1, so
    # median 0.75, 2.5% quantile 0.0375, 97.5% quantile sqrt(1/0.075) = 3.6515.
    # Monte Carlo tolerances are about 4 standard errors for 100 000 draws.
    uniform = {"u": {"treated": [1, 1], "control": [1, 1]}}
    result = bayesian_risk(0, 0, 1, 1, uniform, draws=100_000, seed=3)["priors"]["u"]
    assert result["posterior"] == {"treated": [1.0, 1.0], "control": [2.0, 1.0]}
    assert result["p_rr_below_1"] == pytest.approx(2 / 3, abs=0.006)
    assert result["p_rd_at_most_minus_margin"] == pytest.approx(0.567, abs=0.007)
    assert result["rr"]["median"] == pytest.approx(0.75, abs=0.01)
    assert result["rr"]["ci_lower"] == pytest.approx(0.0375, abs=0.003)
    assert result["rr"]["ci_upper"] == pytest.approx(math.sqrt(1 / 0.075), abs=0.15)


def test_posterior_on_the_death_table_against_numerical_integration():
    # Uniform priors: posteriors Beta(1 + 3, 1 + 26) = Beta(4, 27) and Beta(1 + 7, 1 + 9) = Beta(8, 10),
    # means 4/31 and 8/18. P(RR < 1) = P(p_t < p_c) = int f_c(y) F_t(y) dy (quadrature, not sampling).
    result = bayesian_risk(3, 29, 7, 16, default_priors(0.4), draws=40_000, seed=11)
    flat = result["priors"]["non_informative"]
    assert flat["posterior"] == {"treated": [4.0, 27.0], "control": [8.0, 10.0]}
    assert flat["posterior_mean_risk"]["treated"] == pytest.approx(4 / 31)
    assert flat["posterior_mean_risk"]["control"] == pytest.approx(8 / 18)
    p_below = integrate.quad(lambda y: beta_dist.pdf(y, 8, 10) * beta_dist.cdf(y, 4, 27), 0, 1)[0]
    p_margin = integrate.quad(lambda y: beta_dist.pdf(y, 8, 10) * beta_dist.cdf(y - 0.1, 4, 27), 0.1, 1)[0]
    assert flat["p_rr_below_1"] == pytest.approx(p_below, abs=4 * math.sqrt(p_below * (1 - p_below) / 40_000) + 1e-4)
    assert flat["p_rd_at_most_minus_margin"] == pytest.approx(p_margin, abs=4 * math.sqrt(p_margin * (1 - p_margin) / 40_000))
    # Sceptical prior Beta(4, 6) on both arms: posteriors Beta(7, 32) and Beta(11, 15).
    assert result["priors"]["sceptical"]["posterior"] == {"treated": [7.0, 32.0], "control": [11.0, 15.0]}
    # The RR density is a density of log RR: it integrates to about 1 over the shared grid.
    grid = np.array(result["rr_density"]["log_rr"])
    assert len(grid) == 200
    for density in result["rr_density"]["density"].values():
        assert 0.98 < np.trapezoid(density, grid) < 1.01


def test_equal_data_and_equal_priors_give_even_odds():
    # By symmetry, with the same data and prior in both arms P(RR < 1) = 1/2.
    priors = {"same": {"treated": [2, 3], "control": [2, 3]}}
    result = bayesian_risk(5, 20, 5, 20, priors, draws=50_000, seed=5)["priors"]["same"]
    assert result["p_rr_below_1"] == pytest.approx(0.5, abs=0.01)
    assert result["rd"]["median"] == pytest.approx(0.0, abs=0.005)


def test_default_priors_centres():
    # Beta(a, b) has mean a/(a + b): sceptical both 0.4; enthusiastic treated 0.2; pessimistic 0.6.
    priors = default_priors(0.4)
    mean = {name: {arm: a / (a + b) for arm, (a, b) in p.items()} for name, p in priors.items()}
    assert priors["non_informative"] == {"treated": [1.0, 1.0], "control": [1.0, 1.0]}
    assert mean["sceptical"]["treated"] == pytest.approx(0.4) and mean["sceptical"]["control"] == pytest.approx(0.4)
    assert mean["enthusiastic"]["treated"] == pytest.approx(0.2) and mean["pessimistic"]["treated"] == pytest.approx(0.6)
    assert all(sum(p["control"]) == pytest.approx(10) for name, p in priors.items() if name != "non_informative")


# --- everything together -------------------------------------------------------------------------------------

def plain(value) -> bool:
    """Only JSON's own Python types (not numpy scalars, which subclass float)."""
    if isinstance(value, dict):
        return all(type(k) is str and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return type(value) in (str, int, float, bool, type(None))


def test_robustness_numbers_on_the_cohort(cohort):
    settings = {"seed": 2020, "bootstrap_samples": 500, "posterior_draws": 5000, "benefit_margin": 0.10,
                "prior_weight": 10, "enthusiastic_rr": 0.5, "pessimistic_rr": 1.5}
    numbers = robustness_numbers(cohort, ARMS, 21, 0.05, settings)
    assert plain(numbers)
    json.dumps(numbers, allow_nan=False)
    # Counts straight from the CSV: deaths 3/29 and 7/16; ventilation or death 8/29 and 8/16.
    died, vent_free = numbers["survival"], numbers["vent_free_survival"]
    assert (died["risk"]["treated"]["events"], died["risk"]["control"]["events"]) == (3, 7)
    assert (vent_free["risk"]["treated"]["events"], vent_free["risk"]["control"]["events"]) == (8, 8)
    assert died["fragility"]["fragility_index"] == 2
    assert set(died) == {"event", "risk", "fragility", "e_value", "bayes", "cox", "rmst"}
    assert set(died["bayes"]["priors"]) == {"non_informative", "sceptical", "enthusiastic", "pessimistic"}
    assert vent_free["risk"]["nnt"]["nnt_interval_bounded"] is False
