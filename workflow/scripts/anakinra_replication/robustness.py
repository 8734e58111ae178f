"""How robust is the reported benefit? Effect measures, sensitivity and Bayesian reanalysis.

The events are adverse (death; ventilation or death), so a negative risk difference and a risk
ratio below 1 favour the treated arm. Every comparison is treated (``arms[0]``) minus or over
control (``arms[1]``). Each function takes plain data and returns a dict of Python floats,
ints, strings, booleans and ``None`` (JSON-serialisable without NaN or infinity).

- Risk difference, ratio, odds ratio and number needed to treat: statsmodels and scipy.
- Hazard ratio and the proportional-hazards check: lifelines (statsmodels as a cross-check).
- Restricted mean survival time: lifelines, with a bootstrap interval.
- Fragility index (Walsh et al. 2014), E-value (VanderWeele and Ding 2017) and the conjugate
  Beta-binomial posterior: short formulas no well-kept Python library provides.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import proportional_hazard_test
from lifelines.utils import restricted_mean_survival_time
from scipy.stats import fisher_exact, gaussian_kde
from scipy.stats.contingency import odds_ratio
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.stats.proportion import confint_proportions_2indep

from .survival import endpoint_times

# Binary event of each time-to-event endpoint (the endpoint names are those of outcomes.ENDPOINTS).
BINARY_EVENTS = {"survival": "died", "vent_free_survival": "died_or_ventilated"}


def _check_table(events_t: int, n_t: int, events_c: int, n_c: int) -> None:
    for events, n in ((events_t, n_t), (events_c, n_c)):
        if not 0 <= events <= n:
            raise ValueError(f"events must lie between 0 and n; got {events} of {n}")


def number_needed_to_treat(rd: float, rd_lower: float, rd_upper: float) -> dict[str, Any]:
    """Number needed to treat, 1/|RD|, with its interval from the RD limits (Altman 1998, BMJ 317:1309).

    RD < 0 (fewer adverse events when treated) is a benefit: NNT to benefit (NNTB), else NNT to
    harm (NNTH). When the RD interval excludes 0 the NNT interval is the reciprocals of its
    limits. When it includes 0 the interval is unbounded: it runs from NNTB = 1/|RD lower limit|
    through infinity to NNTH = 1/(RD upper limit), given as ``nntb_limit`` and ``nnth_limit``.
    """
    bounded = rd_upper < 0 or rd_lower > 0
    result: dict[str, Any] = {
        "estimate": 1 / abs(rd) if rd != 0 else None,
        "direction": "benefit" if rd < 0 else "harm" if rd > 0 else "none",
        "nnt_interval_bounded": bounded,
        "ci_lower": None, "ci_upper": None, "nntb_limit": None, "nnth_limit": None,
    }
    if bounded:
        result["ci_lower"], result["ci_upper"] = sorted((1 / abs(rd_lower), 1 / abs(rd_upper)))
    else:
        result["nntb_limit"] = 1 / abs(rd_lower) if rd_lower < 0 else None
        result["nnth_limit"] = 1 / rd_upper if rd_upper > 0 else None
    return result


def risk_measures(events_t: int, n_t: int, events_c: int, n_c: int, alpha: float) -> dict[str, Any]:
    """Risks per arm; risk difference, risk ratio, odds ratio and NNT, each with its interval.

    - Risk difference: Newcombe's hybrid score interval (Newcombe 1998, Stat Med 17:873, method
      10), statsmodels ``confint_proportions_2indep(compare="diff", method="newcomb")``.
    - Risk ratio: the standard (Katz) interval, exp(log RR +- z sqrt(1/a - 1/n1 + 1/c - 1/n2)),
      statsmodels ``confint_proportions_2indep(compare="ratio", method="log")``.
    - Odds ratio: the sample odds ratio, and the conditional maximum-likelihood estimate with
      its exact conditional interval (Cornfield 1956; as R's fisher.test), scipy ``odds_ratio``.
    - NNT: :func:`number_needed_to_treat` from the risk difference and its interval.
    """
    _check_table(events_t, n_t, events_c, n_c)
    risk_t, risk_c = events_t / n_t, events_c / n_c
    rd = risk_t - risk_c
    counts = (events_t, n_t, events_c, n_c)
    rd_low, rd_high = confint_proportions_2indep(*counts, compare="diff", method="newcomb", alpha=alpha)
    rr_low, rr_high = confint_proportions_2indep(*counts, compare="ratio", method="log", alpha=alpha)
    table = [[events_t, n_t - events_t], [events_c, n_c - events_c]]
    conditional = odds_ratio(table, kind="conditional")
    or_low, or_high = conditional.confidence_interval(confidence_level=1 - alpha)
    sample_or = odds_ratio(table, kind="sample").statistic
    return {
        "treated": {"events": events_t, "n": n_t, "risk": risk_t},
        "control": {"events": events_c, "n": n_c, "risk": risk_c},
        "risk_difference": {"estimate": rd, "ci_lower": float(rd_low), "ci_upper": float(rd_high),
                            "method": "Newcombe hybrid score (method 10)"},
        "risk_ratio": {"estimate": risk_t / risk_c if risk_c > 0 else None,
                       "ci_lower": float(rr_low), "ci_upper": float(rr_high), "method": "log (Katz)"},
        "odds_ratio": {"sample": float(sample_or), "conditional_mle": float(conditional.statistic),
                       "ci_lower": float(or_low), "ci_upper": float(or_high), "method": "exact conditional"},
        "nnt": number_needed_to_treat(rd, float(rd_low), float(rd_high)),
    }


def _cox_frame(times: pd.DataFrame, arms: list[str]) -> pd.DataFrame:
    """Rows of the two arms with a 0/1 ``treated`` column (1 = ``arms[0]``)."""
    rows = times[times["arm"].isin(arms)]
    return pd.DataFrame({"day": rows["day"].astype(float).to_numpy(), "event": rows["event"].astype(int).to_numpy(),
                         "treated": (rows["arm"] == arms[0]).astype(int).to_numpy()})


def cox_hazard_ratio(times: pd.DataFrame, arms: list[str], alpha: float) -> dict[str, Any]:
    """Hazard ratio treated vs control: Cox model, Efron ties, Wald interval and P (lifelines).

    Also the proportional-hazards check: lifelines' ``proportional_hazard_test`` with the rank
    time transform (g = 1, 2, ... over the event times in order), the Grambsch and Therneau
    (1994, Biometrika 81:515) test on scaled Schoenfeld residuals (chi-squared, 1 df).
    """
    frame = _cox_frame(times, arms)
    # lifelines' default Newton-Raphson stopping rule (precision 1e-7) can leave the log HR
    # about 1e-6 from the maximum; a tighter rule costs a few steps more.
    cph = CoxPHFitter(alpha=alpha).fit(frame, duration_col="day", event_col="event", fit_options={"precision": 1e-12})
    row = cph.summary.loc["treated"]
    low, high = cph.confidence_intervals_.loc["treated"]
    ph = proportional_hazard_test(cph, frame, time_transform="rank")
    return {
        "hazard_ratio": math.exp(float(row["coef"])),
        "ci_lower": math.exp(float(low)), "ci_upper": math.exp(float(high)),
        "log_hr": float(row["coef"]), "se_log_hr": float(row["se(coef)"]),
        "z": float(row["z"]), "p_value": float(row["p"]),
        "events": int(frame["event"].sum()), "n": len(frame), "ties": "efron",
        "ph_test": {"statistic": float(np.ravel(ph.test_statistic)[0]), "p_value": float(np.ravel(ph.p_value)[0]),
                    "df": 1, "time_transform": "rank"},
    }


def cox_hazard_ratio_statsmodels(times: pd.DataFrame, arms: list[str]) -> dict[str, float]:
    """Log hazard ratio and its standard error from statsmodels' PHReg (Efron ties); a cross-check."""
    frame = _cox_frame(times, arms)
    fit = PHReg(frame["day"].to_numpy(), frame[["treated"]].to_numpy(dtype=float), status=frame["event"].to_numpy(),
                ties="efron").fit()
    return {"log_hr": float(fit.params[0]), "se_log_hr": float(fit.bse[0])}


def km_rmst(day: np.ndarray, event: np.ndarray, weights: np.ndarray, horizon: float) -> np.ndarray:
    """Area under the Kaplan-Meier curve from 0 to ``horizon``, for each row of ``weights``.

    ``weights`` (n_samples x n_patients) counts how often each patient is drawn. Written with
    numpy because fitting lifelines' KaplanMeierFitter once per bootstrap sample is far too slow
    (milliseconds per fit); the test checks this against lifelines.
    """
    day, event = np.asarray(day, dtype=float), np.asarray(event, dtype=bool)
    weights = np.atleast_2d(np.asarray(weights, dtype=float))
    steps = np.unique(day[event & (day <= horizon)])
    at_risk = weights @ (day[:, None] >= steps[None, :])
    deaths = weights @ ((day[:, None] == steps[None, :]) & event[:, None])
    hazard = np.divide(deaths, at_risk, out=np.zeros_like(deaths), where=at_risk > 0)
    survival = np.cumprod(1 - hazard, axis=1)
    before_step = np.hstack([np.ones((len(weights), 1)), survival])
    widths = np.diff(np.concatenate([[0.0], steps, [horizon]]))
    return before_step @ widths


def rmst_difference(times: pd.DataFrame, arms: list[str], horizon: float, alpha: float, seed: int,
                    n_boot: int) -> dict[str, Any]:
    """Restricted mean survival time to ``horizon`` per arm and its difference (treated - control).

    Per arm: lifelines' ``restricted_mean_survival_time`` of a KaplanMeierFitter (Royston and
    Parmar 2013, BMC Med Res Methodol 13:152). Interval of the difference: percentile bootstrap,
    patients resampled with replacement within arm, ``numpy.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    estimates, boot = {}, {}
    for arm in arms:
        rows = times[times["arm"] == arm]
        day, event = rows["day"].to_numpy(dtype=float), rows["event"].to_numpy(dtype=int)
        kmf = KaplanMeierFitter().fit(day, event)
        estimates[arm] = float(restricted_mean_survival_time(kmf, t=horizon))
        draws = rng.integers(0, len(rows), size=(n_boot, len(rows)))
        counts = np.zeros((n_boot, len(rows)))
        np.add.at(counts, (np.arange(n_boot)[:, None], draws), 1)
        boot[arm] = km_rmst(day, event, counts, horizon)
    diffs = boot[arms[0]] - boot[arms[1]]
    low, high = np.quantile(diffs, [alpha / 2, 1 - alpha / 2])
    return {
        "horizon_days": float(horizon), "treated": estimates[arms[0]], "control": estimates[arms[1]],
        "difference": estimates[arms[0]] - estimates[arms[1]], "ci_lower": float(low), "ci_upper": float(high),
        "se_bootstrap": float(np.std(diffs, ddof=1)), "n_boot": n_boot, "seed": seed,
        "method": "percentile bootstrap, resampling within arm",
    }


def fragility_index(events_t: int, n_t: int, events_c: int, n_c: int, alpha: float = 0.05) -> dict[str, Any]:
    """Fragility index (Walsh et al. 2014, J Clin Epidemiol 67:622) and quotient (Ahmed et al. 2016).

    Written by hand: no well-kept Python library computes it. The arm with fewer events (ties:
    the lower risk, then treated) has non-events turned into events one at a time until
    Fisher's exact two-sided P (scipy) reaches ``alpha``; the index is the number of changes
    (0 when P >= alpha to start with; ``None`` if the arm runs out of non-events first). The
    fragility quotient is the index over the total sample size.
    """
    _check_table(events_t, n_t, events_c, n_c)
    counts = {"treated": [events_t, n_t], "control": [events_c, n_c]}
    arm = min(counts, key=lambda a: (counts[a][0], counts[a][0] / counts[a][1], a != "treated"))

    def p_value() -> float:
        (et, nt), (ec, nc) = counts["treated"], counts["control"]
        return float(fisher_exact([[et, nt - et], [ec, nc - ec]]).pvalue)

    p_start = p = p_value()
    index: int | None = 0
    while p < alpha:
        if counts[arm][0] == counts[arm][1]:
            index = None
            break
        counts[arm][0] += 1
        index += 1
        p = p_value()
    return {
        "fragility_index": index, "fragility_quotient": None if index is None else index / (n_t + n_c),
        "modified_arm": arm, "p_value_start": p_start, "p_value_end": p, "alpha": alpha,
        "events_end": {"treated": counts["treated"][0], "control": counts["control"][0]},
    }


def _e_value_of(rr: float) -> float:
    rr = 1 / rr if rr < 1 else rr
    return rr + math.sqrt(rr * (rr - 1))


def e_value(rr: float, lo: float, hi: float) -> dict[str, Any]:
    """E-value of a risk ratio and of its confidence limit nearer the null (VanderWeele and Ding 2017).

    Written by hand (a two-line formula; Ann Intern Med 167:268): for RR < 1 take 1/RR, then
    E = RR + sqrt(RR (RR - 1)). For the interval: E of the limit nearer 1, or 1 if it spans 1.
    """
    if not 0 < lo <= rr <= hi:
        raise ValueError(f"need 0 < lo <= rr <= hi; got {lo}, {rr}, {hi}")
    nearer = hi if hi < 1 else lo if lo > 1 else None
    return {"rr": rr, "ci_lower": lo, "ci_upper": hi, "e_value": _e_value_of(rr),
            "ci_limit_nearer_null": nearer, "e_value_ci": 1.0 if nearer is None else _e_value_of(nearer)}


def default_priors(control_risk: float, weight: float = 10.0, benefit_rr: float = 0.5,
                   harm_rr: float = 1.5) -> dict[str, dict[str, list[float]]]:
    """Four Beta priors on each arm's risk; Beta(m w, (1 - m) w) has mean m and weight w patients.

    - non_informative: Beta(1, 1) (uniform) on both arms.
    - sceptical: both arms centred on ``control_risk``, weight ``weight``; prior RR centred on 1.
    - enthusiastic: control as sceptical; treated centred on ``benefit_rr`` x ``control_risk``.
    - pessimistic: control as sceptical; treated centred on ``harm_rr`` x ``control_risk`` (harm).
    """
    def beta(mean: float) -> list[float]:
        if not 0 < mean < 1:
            raise ValueError(f"prior mean must lie strictly between 0 and 1; got {mean}")
        return [mean * weight, (1 - mean) * weight]

    control = beta(control_risk)
    return {
        "non_informative": {"treated": [1.0, 1.0], "control": [1.0, 1.0]},
        "sceptical": {"treated": beta(control_risk), "control": control},
        "enthusiastic": {"treated": beta(benefit_rr * control_risk), "control": control},
        "pessimistic": {"treated": beta(harm_rr * control_risk), "control": control},
    }


def bayesian_risk(events_t: int, n_t: int, events_c: int, n_c: int, priors: dict[str, dict[str, list[float]]],
                  draws: int, seed: int, margin: float = 0.10, grid_points: int = 200) -> dict[str, Any]:
    """Posterior of the risk ratio and difference under independent conjugate Beta priors.

    Written by hand (conjugacy is one line): the posterior of an arm's risk is
    Beta(a + events, b + n - events). RR and RD posteriors are by Monte Carlo, ``draws`` draws
    per prior from ``numpy.random.default_rng`` (one child seed of ``seed`` per prior, so each
    prior's draws do not depend on the others). Per prior: posterior median and equal-tailed
    interval of RR and RD, P(RR < 1) and P(RD <= -margin). ``rr_density``: a Gaussian kernel
    density (scipy) of each prior's log RR posterior on one shared grid of ``grid_points``.
    """
    _check_table(events_t, n_t, events_c, n_c)
    seeds = np.random.SeedSequence(seed).spawn(len(priors))
    data = {"treated": (events_t, n_t), "control": (events_c, n_c)}
    result: dict[str, Any] = {"draws": draws, "seed": seed, "margin": margin, "priors": {}}
    log_rr = {}
    for child, (name, prior) in zip(seeds, priors.items()):
        rng = np.random.default_rng(child)
        posterior = {arm: [float(prior[arm][0] + e), float(prior[arm][1] + n - e)] for arm, (e, n) in data.items()}
        risk = {arm: rng.beta(a, b, size=draws) for arm, (a, b) in posterior.items()}
        rr, rd = risk["treated"] / risk["control"], risk["treated"] - risk["control"]
        log_rr[name] = np.log(rr)
        rr_q, rd_q = np.quantile(rr, [0.5, 0.025, 0.975]), np.quantile(rd, [0.5, 0.025, 0.975])
        result["priors"][name] = {
            "prior": {arm: [float(v) for v in prior[arm]] for arm in data},
            "posterior": posterior,
            "posterior_mean_risk": {arm: a / (a + b) for arm, (a, b) in posterior.items()},
            "rr": {"median": float(rr_q[0]), "ci_lower": float(rr_q[1]), "ci_upper": float(rr_q[2])},
            "rd": {"median": float(rd_q[0]), "ci_lower": float(rd_q[1]), "ci_upper": float(rd_q[2])},
            "p_rr_below_1": float(np.mean(rr < 1)),
            "p_rd_at_most_minus_margin": float(np.mean(rd <= -margin)),
        }
    if log_rr:
        low = min(float(np.quantile(v, 0.001)) for v in log_rr.values())
        high = max(float(np.quantile(v, 0.999)) for v in log_rr.values())
        grid = np.linspace(low, high, grid_points)
        density = {name: [float(y) for y in gaussian_kde(v)(grid)] for name, v in log_rr.items()}
        result["rr_density"] = {"log_rr": [float(x) for x in grid], "density": density}
    return result


def robustness_numbers(cohort: pd.DataFrame, arms: list[str], horizon: int, alpha: float,
                       settings: dict[str, Any]) -> dict[str, Any]:
    """All of the above for death and for ventilation or death, by the horizon.

    Keyed by time-to-event endpoint (``survival``, ``vent_free_survival``); the binary measures
    use that endpoint's event by ``horizon`` (death; ventilation or death). ``settings`` is the
    ``robustness`` block of the config: ``seed``, ``bootstrap_samples``, ``posterior_draws``,
    ``benefit_margin`` and the prior parameters of :func:`default_priors` (``prior_weight``,
    ``enthusiastic_rr``, ``pessimistic_rr``), the priors being centred on the pooled risk.
    """
    seed, n_boot, draws = int(settings["seed"]), int(settings["bootstrap_samples"]), int(settings["posterior_draws"])
    numbers: dict[str, Any] = {"settings": {"arms": list(arms), "horizon_days": horizon, "alpha": alpha, **settings}}
    for endpoint, event_name in BINARY_EVENTS.items():
        times = endpoint_times(cohort, endpoint)
        by_horizon = (times["event"] == 1) & (times["day"] <= horizon)
        (e_t, n_t), (e_c, n_c) = ((int(by_horizon[times["arm"] == arm].sum()), int((times["arm"] == arm).sum()))
                                  for arm in arms)
        risk = risk_measures(e_t, n_t, e_c, n_c, alpha)
        rr = risk["risk_ratio"]
        priors = default_priors((e_t + e_c) / (n_t + n_c), settings["prior_weight"],
                                settings["enthusiastic_rr"], settings["pessimistic_rr"])
        numbers[endpoint] = {
            "event": event_name,
            "risk": risk,
            "fragility": fragility_index(e_t, n_t, e_c, n_c, alpha),
            "e_value": e_value(rr["estimate"], rr["ci_lower"], rr["ci_upper"]) if rr["estimate"] else None,
            "bayes": bayesian_risk(e_t, n_t, e_c, n_c, priors, draws, seed, settings["benefit_margin"]),
            "cox": cox_hazard_ratio(times, arms, alpha),
            "rmst": rmst_difference(times, arms, horizon, alpha, seed, n_boot),
        }
    return numbers
