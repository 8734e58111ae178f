"""How robust is the reported benefit? Effect measures, sensitivity and Bayesian reanalysis.

The events are adverse (death; ventilation or death), so a negative risk difference and a risk
ratio below 1 favour the treated arm. Every comparison is treated (``arms[0]``) minus or over
control (``arms[1]``). Each function takes plain data and returns a dict of Python floats,
ints, strings, booleans and ``None`` (JSON-serialisable without NaN or infinity). A statistic
that the data cannot estimate is ``None`` beside a ``reason`` saying why, in words.

- Risk difference, ratio, odds ratio and number needed to treat: statsmodels and scipy.
- Hazard ratio: lifelines (statsmodels as a cross-check). The proportional-hazards test is
  R's ``cox.zph`` (survival 3.x, transform "km"), written out here; lifelines' version differs.
- Restricted mean survival time: lifelines; the interval of the difference is the asymptotic
  one of R's survRM2 (``rmst2``), its variance written out here (no Python library has it).
- Fragility index (Walsh et al. 2014), E-value (VanderWeele and Ding 2017) and the grid
  posterior of the Bayesian reanalysis: short formulas no well-kept Python library provides.

Every result is the same for any order of the cohort's rows: the cohort is sorted by
``patient_id`` first, and nothing is drawn at random.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.exceptions import ConvergenceError
from lifelines.utils import restricted_mean_survival_time
from scipy.special import ndtri
from scipy.stats import chi2, fisher_exact, norm
from scipy.stats.contingency import odds_ratio
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.stats.proportion import confint_proportions_2indep

from .e_value import e_value
from .survival import endpoint_times

# Binary event of each time-to-event endpoint (the endpoint names are those of outcomes.ENDPOINTS).
BINARY_EVENTS = {"survival": "died", "vent_free_survival": "died_or_ventilated"}
EVENT_WORDS = {"survival": "deaths", "vent_free_survival": "ventilations or deaths"}
CONTINUITY = 0.5  # added to every cell of a 2x2 table with a zero cell (Haldane 1956; Anscombe 1956)


def _check_table(events_t: int, n_t: int, events_c: int, n_c: int) -> None:
    for events, n in ((events_t, n_t), (events_c, n_c)):
        if n < 1 or not 0 <= events <= n:
            raise ValueError(f"need n >= 1 and events between 0 and n; got {events} of {n}")


def not_estimable(reason: str, **extra: Any) -> dict[str, Any]:
    """The shape of a statistic the data cannot estimate: ``estimate`` None and the reason."""
    return {"estimate": None, "reason": reason, **extra}


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _ceil(x: float) -> int:
    """Round up, ignoring floating-point noise (3.0000000001 is 3)."""
    return math.ceil(x - 1e-9)


def number_needed_to_treat(rd: float, rd_lower: float, rd_upper: float) -> dict[str, Any]:
    """Number needed to treat, 1/|RD|, with its interval from the RD limits (Altman 1998, BMJ 317:1309).

    RD < 0 (fewer adverse events when treated) gives a number needed to treat to benefit (NNTB),
    RD > 0 one to harm (NNTH). ``rounded_up`` gives each number rounded up to a whole patient,
    as is conventional. When the RD interval excludes 0 the NNT interval is the reciprocals of
    its limits. When it includes 0 the interval runs from NNTB = 1/|RD lower limit| through
    infinity to NNTH = 1/(RD upper limit) (``nntb_limit`` and ``nnth_limit``).
    """
    bounded = rd_upper < 0 or rd_lower > 0
    label = "NNTB" if rd < 0 else "NNTH" if rd > 0 else None
    result: dict[str, Any] = {
        "label": label,
        "estimate": 1 / abs(rd) if rd != 0 else None,
        "interval_bounded": bounded,
        "ci_lower": None,
        "ci_upper": None,
        "nntb_limit": None,
        "nnth_limit": None,
    }
    if rd == 0:
        result["reason"] = "the risks are equal: no number of patients treated changes one outcome"
    if bounded:
        result["ci_lower"], result["ci_upper"] = sorted((1 / abs(rd_lower), 1 / abs(rd_upper)))
    else:
        result["nntb_limit"] = 1 / abs(rd_lower) if rd_lower < 0 else None
        result["nnth_limit"] = 1 / rd_upper if rd_upper > 0 else None
    result["rounded_up"] = {
        k: None if result[k] is None else _ceil(result[k])
        for k in ("estimate", "ci_lower", "ci_upper", "nntb_limit", "nnth_limit")
    }
    return result


def _both_arms_same(events_t: int, n_t: int, events_c: int, n_c: int, words: str) -> str | None:
    """Why a ratio is not estimable at all (no event, or only events, in both arms), else None."""
    if events_t == 0 and events_c == 0:
        return f"no {words} in either arm"
    if events_t == n_t and events_c == n_c:
        return f"every patient of both arms had the event ({words})"
    return None


def risk_ratio(events_t: int, n_t: int, events_c: int, n_c: int, alpha: float, words: str) -> dict[str, Any]:
    """Risk ratio with the standard (Katz) log interval, exp(log RR +- z sqrt(1/a - 1/n1 + 1/c - 1/n2)).

    statsmodels ``confint_proportions_2indep(compare="ratio", method="log")``. With a zero event
    count in one arm, 0.5 is added to every cell first (the conventional correction, labelled);
    with no events in either arm the ratio is not estimable.
    """
    why = _both_arms_same(events_t, n_t, events_c, n_c, words) if events_t == events_c == 0 else None
    if why:
        return not_estimable(why, method="log (Katz)")
    corrected = 0 in (events_t, events_c)
    a, c = (events_t + CONTINUITY, events_c + CONTINUITY) if corrected else (events_t, events_c)
    m1, m2 = (n_t + 2 * CONTINUITY, n_c + 2 * CONTINUITY) if corrected else (n_t, n_c)
    estimate = (a / m1) / (c / m2)
    se = math.sqrt(max(1 / a - 1 / m1 + 1 / c - 1 / m2, 0.0))
    if corrected:
        z = float(ndtri(1 - alpha / 2))
        low, high = math.exp(math.log(estimate) - z * se), math.exp(math.log(estimate) + z * se)
    else:
        low, high = confint_proportions_2indep(events_t, n_t, events_c, n_c, compare="ratio", method="log", alpha=alpha)
    result = {
        "estimate": estimate,
        "ci_lower": float(low),
        "ci_upper": float(high),
        "method": "log (Katz)" + (f", {CONTINUITY} added to every cell (a zero cell)" if corrected else ""),
    }
    if corrected:
        result["continuity_correction"] = CONTINUITY
    return result


def odds_ratios(events_t: int, n_t: int, events_c: int, n_c: int, alpha: float, words: str) -> dict[str, Any]:
    """Sample odds ratio, and the conditional maximum-likelihood estimate with its exact
    conditional interval (Cornfield 1956; as R's fisher.test), scipy ``odds_ratio``.

    With a zero cell the sample odds ratio takes 0.5 in every cell (labelled); an infinite
    conditional estimate or limit is None with the reason. With no event, or only events, in
    both arms nothing is estimable.
    """
    why = _both_arms_same(events_t, n_t, events_c, n_c, words)
    if why:
        return not_estimable(
            why, sample=None, conditional_mle=None, ci_lower=None, ci_upper=None, method="exact conditional"
        )
    table = [[events_t, n_t - events_t], [events_c, n_c - events_c]]
    conditional = odds_ratio(table, kind="conditional")
    low, high = conditional.confidence_interval(confidence_level=1 - alpha)
    cells = np.array(table, dtype=float)
    corrected = bool((cells == 0).any())
    if corrected:
        cells += CONTINUITY
    result: dict[str, Any] = {
        "sample": float(cells[0, 0] * cells[1, 1] / (cells[0, 1] * cells[1, 0])),
        "conditional_mle": _finite(float(conditional.statistic)),
        "ci_lower": _finite(float(low)),
        "ci_upper": _finite(float(high)),
        "method": "exact conditional",
    }
    if corrected:
        result["sample_method"] = f"{CONTINUITY} added to every cell (a zero cell)"
        result["continuity_correction"] = CONTINUITY
    if None in (result["conditional_mle"], result["ci_lower"], result["ci_upper"]):
        result["reason"] = "a zero cell: the conditional estimate or a limit of its interval is 0 or infinite"
        result["ci_lower"] = float(low) if math.isfinite(low) else None
    return result


def risk_measures(
    events_t: int, n_t: int, events_c: int, n_c: int, alpha: float, words: str = "events"
) -> dict[str, Any]:
    """Risks per arm; risk difference, risk ratio, odds ratio and NNT, each with its interval.

    - Risk difference: Newcombe's hybrid score interval (Newcombe 1998, Stat Med 17:873, method
      10), statsmodels ``confint_proportions_2indep(compare="diff", method="newcomb")``.
    - Risk ratio: :func:`risk_ratio`; odds ratio: :func:`odds_ratios`.
    - NNT: :func:`number_needed_to_treat` from the risk difference and its interval.
    """
    _check_table(events_t, n_t, events_c, n_c)
    risk_t, risk_c = events_t / n_t, events_c / n_c
    rd = risk_t - risk_c
    rd_low, rd_high = confint_proportions_2indep(
        events_t, n_t, events_c, n_c, compare="diff", method="newcomb", alpha=alpha
    )
    return {
        "treated": {"events": events_t, "n": n_t, "risk": risk_t},
        "control": {"events": events_c, "n": n_c, "risk": risk_c},
        "risk_difference": {
            "estimate": rd,
            "ci_lower": float(rd_low),
            "ci_upper": float(rd_high),
            "method": "Newcombe hybrid score (method 10)",
        },
        "risk_ratio": risk_ratio(events_t, n_t, events_c, n_c, alpha, words),
        "odds_ratio": odds_ratios(events_t, n_t, events_c, n_c, alpha, words),
        "nnt": number_needed_to_treat(rd, float(rd_low), float(rd_high)),
    }


def _cox_frame(times: pd.DataFrame, arms: list[str]) -> pd.DataFrame:
    """Rows of the two arms with a 0/1 ``treated`` column (1 = ``arms[0]``)."""
    rows = times[times["arm"].isin(arms)]
    return pd.DataFrame(
        {
            "day": rows["day"].astype(float).to_numpy(),
            "event": rows["event"].astype(int).to_numpy(),
            "treated": (rows["arm"] == arms[0]).astype(int).to_numpy(),
        }
    )


def km_time_transform(day: np.ndarray, event: np.ndarray) -> np.ndarray:
    """g(t) = 1 - S(t-), S the Kaplan-Meier curve of both arms together, at each row's time:
    R's cox.zph(transform = "km") (survival 3.x: survfitKM, then findInterval(left.open = TRUE))."""
    times = np.unique(day)
    at_risk = np.array([(day >= t).sum() for t in times], dtype=float)
    deaths = np.array([((day == t) & event).sum() for t in times], dtype=float)
    surv = np.cumprod(1 - deaths / at_risk)
    before = np.concatenate([[1.0], surv])[np.searchsorted(times, day, side="left")]
    return 1 - before


def ph_test_km(day: np.ndarray, event: np.ndarray, x: np.ndarray, beta: float) -> dict[str, Any]:
    """Score test of proportional hazards for one covariate, as R's ``cox.zph`` (survival 3.x).

    Written by hand because lifelines' ``proportional_hazard_test`` is the older approximation
    and numbers tied times in data order. R (src/zph1.c) adds x g(t) to the model and computes
    the score test of its coefficient at (beta_hat, 0): with U = sum over events of
    g(t) (x - xbar(t)) and the 2x2 information I of (x, x g), T = U^2 / (I_gg - I_xg^2 / I_xx),
    chi-squared with 1 df. Ties by Efron's approximation, g centred on its mean over events.
    """
    event = event.astype(bool)
    g = km_time_transform(day, event)
    g = g - g[event].mean()
    x = x - x.mean()
    w = np.exp(beta * x)
    u = i_xx = i_xg = i_gg = 0.0
    for t in np.unique(day[event]):
        dead, others = (day == t) & event, (day > t) | ((day == t) & ~event)
        d, gt = int(dead.sum()), float(g[dead][0])
        for k in range(1, d + 1):  # Efron: the deaths enter the sums k/d at a time
            denom = w[others].sum() + k / d * w[dead].sum()
            mean = ((w * x)[others].sum() + k / d * (w * x)[dead].sum()) / denom
            var = ((w * x * x)[others].sum() + k / d * (w * x * x)[dead].sum()) / denom - mean**2
            u -= gt * mean
            i_xx, i_xg, i_gg = i_xx + var, i_xg + gt * var, i_gg + gt * gt * var
        u += gt * x[dead].sum()
    denominator = i_gg - i_xg**2 / i_xx if i_xx > 0 else 0.0
    if not denominator > 1e-12 * max(i_gg, 1e-300):
        return {
            **not_estimable("fewer than two distinct event times: nothing varies with time"),
            "statistic": None,
            "p_value": None,
            "df": 1,
            "time_transform": "km",
        }
    statistic = float(u * u / denominator)
    return {
        "statistic": statistic,
        "p_value": float(chi2.sf(statistic, 1)),
        "df": 1,
        "time_transform": "km",
        "method": "score test of x * g(t), g = 1 - KM(t-) (R survival 3.x cox.zph, transform 'km')",
    }


def cox_hazard_ratio(times: pd.DataFrame, arms: list[str], alpha: float, words: str = "events") -> dict[str, Any]:
    """Hazard ratio treated vs control: Cox model, Efron ties, Wald interval and P (lifelines),
    with the proportional-hazards test of :func:`ph_test_km`.

    With no event in an arm the partial likelihood has no maximum (the estimate runs to 0 or
    infinity): the hazard ratio is then None with the reason.
    """
    frame = _cox_frame(times, arms)
    per_arm = {arm: int(frame.loc[frame["treated"] == (arm == arms[0]), "event"].sum()) for arm in arms}
    empty = [arm for arm, events in per_arm.items() if events == 0]
    reason = None
    if empty:
        reason = (
            f"no {words} in the {' or the '.join(empty)} arm"
            + ("s" if len(empty) > 1 else "")
            + ": the Cox estimate is not finite"
        )
    else:
        try:
            # lifelines' default Newton-Raphson stopping rule (precision 1e-7) can leave the log HR
            # about 1e-6 from the maximum; a tighter rule costs a few steps more.
            cph = CoxPHFitter(alpha=alpha).fit(
                frame, duration_col="day", event_col="event", fit_options={"precision": 1e-12}
            )
        except ConvergenceError:
            reason = "the Cox partial likelihood has no finite maximum (the arms' event times do not overlap)"
    base = {"events": int(frame["event"].sum()), "n": len(frame), "ties": "efron"}
    if reason:
        return {
            **not_estimable(reason),
            "hazard_ratio": None,
            "ci_lower": None,
            "ci_upper": None,
            "p_value": None,
            **base,
            "ph_test": {
                **not_estimable("no hazard ratio to test"),
                "statistic": None,
                "p_value": None,
                "df": 1,
                "time_transform": "km",
            },
        }
    row = cph.summary.loc["treated"]
    low, high = cph.confidence_intervals_.loc["treated"]
    beta = float(row["coef"])
    return {
        "hazard_ratio": math.exp(beta),
        "ci_lower": math.exp(float(low)),
        "ci_upper": math.exp(float(high)),
        "log_hr": beta,
        "se_log_hr": float(row["se(coef)"]),
        "z": float(row["z"]),
        "p_value": float(row["p"]),
        **base,
        "ph_test": ph_test_km(
            frame["day"].to_numpy(), frame["event"].to_numpy(), frame["treated"].to_numpy(float), beta
        ),
    }


def cox_hazard_ratio_statsmodels(times: pd.DataFrame, arms: list[str]) -> dict[str, float]:
    """Log hazard ratio and its standard error from statsmodels' PHReg (Efron ties); a cross-check."""
    frame = _cox_frame(times, arms)
    fit = PHReg(
        frame["day"].to_numpy(),
        frame[["treated"]].to_numpy(dtype=float),
        status=frame["event"].to_numpy(),
        ties="efron",
    ).fit()
    return {"log_hr": float(fit.params[0]), "se_log_hr": float(fit.bse[0])}


def km_rmst_variance(day: np.ndarray, event: np.ndarray, horizon: float) -> tuple[float, float]:
    """Area under the Kaplan-Meier curve from 0 to ``horizon`` and the variance of that area.

    The variance is survRM2's (``rmst1`` in R's survRM2, Uno et al.; Klein and Moeschberger
    2003, section 4.5), a Greenwood-type formula: over the distinct event times t_j <= horizon,
    with d_j events among Y_j at risk and A_j the area under the curve from t_j to the horizon,
    var = sum_j A_j^2 d_j / (Y_j (Y_j - d_j)), a term being 0 when Y_j = d_j (the curve is 0
    after t_j, so A_j is 0 too). Written by hand: lifelines' ``restricted_mean_survival_time``
    returns the variance of min(T, horizon), not of its estimate; the tests check both numbers
    against R.
    """
    day, event = np.asarray(day, dtype=float), np.asarray(event, dtype=bool)
    steps = np.unique(day[event & (day <= horizon)])
    at_risk = (day[:, None] >= steps[None, :]).sum(axis=0).astype(float)
    deaths = ((day[:, None] == steps[None, :]) & event[:, None]).sum(axis=0).astype(float)
    survival = np.cumprod(1 - deaths / at_risk)
    widths_after = np.diff(np.concatenate([steps, [horizon]]))
    area_after = np.cumsum((survival * widths_after)[::-1])[::-1]  # A_j
    area = float(np.concatenate([[1.0], survival]) @ np.diff(np.concatenate([[0.0], steps, [horizon]])))
    survivors = at_risk - deaths
    terms = np.divide(deaths, at_risk * survivors, out=np.zeros_like(deaths), where=survivors > 0)
    return area, float((area_after**2 * terms).sum())


def rmst_difference(times: pd.DataFrame, arms: list[str], horizon: float, alpha: float) -> dict[str, Any]:
    """Restricted mean survival time to ``horizon`` per arm and its difference (treated - control).

    Per arm: lifelines' ``restricted_mean_survival_time`` of a KaplanMeierFitter (Royston and
    Parmar 2013, BMC Med Res Methodol 13:152), with the variance of :func:`km_rmst_variance`.
    Interval of the difference as R's survRM2 ``rmst2`` computes it: difference +- z sqrt(v_t +
    v_c), the arms independent. No resampling, so the limits are the same on every run.
    """
    z = float(ndtri(1 - alpha / 2))
    estimates, variances = {}, {}
    for arm in arms:
        rows = times[times["arm"] == arm]
        day, event = rows["day"].to_numpy(dtype=float), rows["event"].to_numpy(dtype=int)
        kmf = KaplanMeierFitter().fit(day, event)
        estimates[arm] = float(restricted_mean_survival_time(kmf, t=horizon))
        variances[arm] = km_rmst_variance(day, event, horizon)[1]
    difference = estimates[arms[0]] - estimates[arms[1]]
    se = math.sqrt(variances[arms[0]] + variances[arms[1]])
    return {
        "horizon_days": float(horizon),
        "treated": estimates[arms[0]],
        "control": estimates[arms[1]],
        "se_treated": math.sqrt(variances[arms[0]]),
        "se_control": math.sqrt(variances[arms[1]]),
        "difference": difference,
        "se_difference": se,
        "ci_lower": difference - z * se,
        "ci_upper": difference + z * se,
        "method": "asymptotic (R survRM2 rmst2): difference +- z sqrt(v_treated + v_control), "
        "Greenwood-type variance of each Kaplan-Meier area",
    }


def _fisher_p(events_t: int, n_t: int, events_c: int, n_c: int) -> float:
    return float(fisher_exact([[events_t, n_t - events_t], [events_c, n_c - events_c]]).pvalue)


def _first_crossing(p_of_k: Any, k_max: int, crossed: Any) -> int | None:
    """Smallest k in 1..k_max with crossed(p_of_k(k)), by doubling then bisection: Fisher's P
    moves monotonically as one arm's events move away from (or towards) the other's risk, so
    this equals the one-at-a-time search of the definition (the tests check it by brute force)."""
    if k_max < 1:
        return None
    high = 1
    while high < k_max and not crossed(p_of_k(high)):
        high = min(2 * high, k_max)
    if not crossed(p_of_k(high)):
        return None
    low = high // 2  # crossed(p_of_k(low)) is false (or low == 0)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if crossed(p_of_k(mid)) else (mid, high)
    return high


def fragility_index(events_t: int, n_t: int, events_c: int, n_c: int, alpha: float = 0.05) -> dict[str, Any]:
    """Fragility index (Walsh et al. 2014, J Clin Epidemiol 67:622) and quotient (Ahmed et al. 2016),
    or, for a result that is not significant, the reverse fragility index (Khan et al. 2020, JAMA
    Netw Open 3(8):e2012469).

    Written by hand: no well-kept Python library computes it. Significant (Fisher's two-sided P
    < ``alpha``, scipy): in the arm with fewer events (ties: the lower risk, then treated),
    non-events become events one at a time until P >= alpha; the index is the number of
    changes. Not significant: the fragility index is undefined (None, with the reason); the
    reverse index is the fewest outcomes changed in one arm (events taken away from the arm with
    the lower risk, or added to the arm with the higher risk) that bring P below alpha.
    """
    _check_table(events_t, n_t, events_c, n_c)
    p_start = _fisher_p(events_t, n_t, events_c, n_c)
    result: dict[str, Any] = {
        "p_value_start": p_start,
        "alpha": alpha,
        "fragility_index": None,
        "fragility_quotient": None,
        "reverse_fragility_index": None,
    }
    counts = {"treated": (events_t, n_t), "control": (events_c, n_c)}

    def p_after(arm: str, change: int) -> float:
        (et, nt), (ec, nc) = counts["treated"], counts["control"]
        return _fisher_p(et + change, nt, ec, nc) if arm == "treated" else _fisher_p(et, nt, ec + change, nc)

    if p_start < alpha:
        arm = min(counts, key=lambda a: (counts[a][0], counts[a][0] / counts[a][1], a != "treated"))
        events, n = counts[arm]
        index = _first_crossing(lambda k: p_after(arm, k), n - events, lambda p: p >= alpha)
        result.update(modified_arm=arm, direction="non-events made events")
        if index is None:
            result["reason"] = f"P stays below alpha even when every patient of the {arm} arm has the event"
            return result
        result.update(
            fragility_index=index,
            fragility_quotient=index / (n_t + n_c),
            p_value_end=p_after(arm, index),
            events_end=_events_after(counts, arm, index),
        )
        return result
    result["reason"] = (
        f"not significant at alpha = {alpha} (Fisher P = {p_start:.3g}): the fragility index is "
        "undefined; the reverse fragility index is given instead"
    )
    risk = {a: e / n for a, (e, n) in counts.items()}
    low_arm, high_arm = sorted(counts, key=lambda a: (risk[a], a != "treated"))
    options = []
    for arm, sign, room in (
        (low_arm, -1, counts[low_arm][0]),
        (high_arm, 1, counts[high_arm][1] - counts[high_arm][0]),
    ):
        k = _first_crossing(lambda j, arm=arm, sign=sign: p_after(arm, sign * j), room, lambda p: p < alpha)
        if k is not None:
            options.append((k, arm != low_arm, arm, sign))
    if not options:
        result["reverse_reason"] = "no change of outcomes within one arm makes the comparison significant"
        return result
    k, _, arm, sign = min(options)
    result.update(
        reverse_fragility_index=k,
        reverse_modified_arm=arm,
        reverse_direction="events made non-events" if sign < 0 else "non-events made events",
        p_value_end=p_after(arm, sign * k),
        events_end=_events_after(counts, arm, sign * k),
    )
    return result


def _events_after(counts: dict[str, tuple[int, int]], arm: str, change: int) -> dict[str, int]:
    return {a: e + (change if a == arm else 0) for a, (e, _) in counts.items()}


# --- Bayesian reanalysis -----------------------------------------------------------------------


def normal_prior(centre_rr: float, effect_rr: float, probability: float) -> dict[str, float]:
    """Normal prior on log RR from its centre and the probability it puts beyond a stated effect.

    The prior is N(log centre, sd^2) with P(RR beyond ``effect_rr``) = ``probability``, beyond
    meaning below when effect_rr < centre_rr and above otherwise: sd = |log effect - log centre|
    / z(1 - probability). The usual way of stating sceptical and enthusiastic priors
    (Spiegelhalter, Freedman and Parmar 1994, J R Stat Soc A 157:357).
    """
    if effect_rr == centre_rr or not 0 < probability < 0.5:
        raise ValueError("the stated effect must differ from the centre and its probability lie in (0, 0.5)")
    sd = abs(math.log(effect_rr) - math.log(centre_rr)) / float(ndtri(1 - probability))
    return {"mean_log_rr": math.log(centre_rr), "sd_log_rr": sd}


def _quadrature_rule(nodes_per_panel: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre nodes and weights on [0, 1]: 100 equal panels, plus panels
    shrinking geometrically (down to 1e-12) towards both ends, where the integrand of a large
    arm with few or with nearly all events is concentrated."""
    ends = np.geomspace(1e-12, 1e-2, 21)
    breaks = np.unique(np.concatenate([np.linspace(0, 1, 101), ends, 1 - ends]))
    x, w = np.polynomial.legendre.leggauss(nodes_per_panel)
    left, width = breaks[:-1, None], np.diff(breaks)[:, None]
    return (left + (x[None, :] + 1) / 2 * width).ravel(), (w[None, :] / 2 * width).ravel()


def _log_marginal_likelihood(log_rr: np.ndarray, events_t: int, n_t: int, events_c: int, n_c: int) -> np.ndarray:
    """log of the mean, over the control risk p, of the likelihood
    p^e_c (1 - p)^(n_c - e_c) (RR p)^e_t (1 - RR p)^(n_t - e_t), at each log RR.

    The treated risk RR p must be a probability, so given RR the control risk is uniform on its
    allowed range [0, top], top = min(1, 1/RR), with density 1/top (a proper prior for every RR:
    the prior of log RR is then exactly the stated normal). With p = top s the mean is the
    integral over s in [0, 1] of the likelihood at p = top s (the 1/top of the density and the
    top of dp = top ds cancel). The integrand is a polynomial in s, integrated by the composite
    Gauss-Legendre rule of :func:`_quadrature_rule` (exact up to rounding for small arms, and
    resolving the narrow peak of large ones), summed on the log scale to avoid underflow. With
    no patients (all counts 0) it is 0: the joint prior itself.
    """
    s, w = _quadrature_rule()
    log_rr = np.asarray(log_rr, dtype=float)
    top = np.exp(-np.maximum(log_rr, 0.0))[:, None]  # min(1, 1/RR)
    treated_top = np.exp(np.minimum(log_rr, 0.0))[:, None]  # RR top = min(RR, 1)
    # log p = log top + log s and log(RR p) = log RR + log p: only the two log1p terms need the
    # full (log RR, s) table, and each is computed only when its count is not 0.
    log_f = np.broadcast_to(np.log(w)[None, :], (len(log_rr), len(s))).copy()
    if events_c + events_t:
        log_f += (events_c + events_t) * (np.log(top) + np.log(s)[None, :])
    if events_t:
        log_f += events_t * log_rr[:, None]
    if n_c - events_c:
        log_f += (n_c - events_c) * np.log1p(-top * s[None, :])
    if n_t - events_t:
        with np.errstate(divide="ignore"):
            log_f += (n_t - events_t) * np.log1p(-np.minimum(treated_top * s[None, :], 1.0))
    peak = np.max(log_f, axis=1, keepdims=True)
    return np.log(np.exp(log_f - peak).sum(axis=1)) + peak[:, 0]


def _grid_summary(grid: np.ndarray, density: np.ndarray, alpha: float, threshold_rr: float) -> dict[str, Any]:
    """Median, equal-tailed interval and tail probabilities of RR from a density of log RR on a grid."""
    steps = np.diff(grid)
    cdf = np.concatenate([[0.0], np.cumsum((density[1:] + density[:-1]) / 2 * steps)])
    total = cdf[-1]
    cdf, density = cdf / total, density / total

    def quantile(q: float) -> float:
        return math.exp(float(np.interp(q, cdf, grid)))

    def below(log_value: float) -> float:
        return float(np.interp(log_value, grid, cdf))

    return {
        "median": quantile(0.5),
        "ci_lower": quantile(alpha / 2),
        "ci_upper": quantile(1 - alpha / 2),
        "p_rr_below_1": below(0.0),
        "p_rr_below_threshold": below(math.log(threshold_rr)),
        "_density": density,
    }


def bayesian_risk_ratio(
    events_t: int,
    n_t: int,
    events_c: int,
    n_c: int,
    priors: dict[str, dict[str, float]],
    threshold_rr: float,
    alpha: float,
    grid_points: int = 4001,
    figure_points: int = 301,
) -> dict[str, Any]:
    """Posterior of the risk ratio under each named prior, by numerical integration on a grid.

    The model of published Bayesian reanalyses of two-arm mortality trials (e.g. Goligher et
    al. 2018, JAMA 320:2251): deaths ~ Binomial(n_c, p) in the control arm and
    Binomial(n_t, RR p) in the treated arm. The joint prior is exactly the stated one: log RR ~
    N(mean, sd) (:func:`normal_prior`, set from the clinically relevant effect, not from these
    data) and, given RR, p uniform on its allowed range [0, min(1, 1/RR)] (renormalised, see
    :func:`_log_marginal_likelihood`). The posterior of log RR is prior x marginal likelihood on
    ``grid_points`` points, normalised by the trapezoidal rule; no Monte Carlo, so the numbers
    are exact to the grid and the same on every run. Each prior has its own grid, over where its
    posterior density exceeds 1e-12 of its peak (found on a first, coarser grid). Per prior:
    the posterior median and equal-tailed 1 - ``alpha`` interval of RR, P(RR < 1) and P(RR <
    ``threshold_rr``); the same two probabilities under the prior (``prior_p_...``), integrated
    from the joint prior on its own grid over the mean +- 10 sd (they equal the normal cdf; the
    tests check it). ``density``: each posterior density of log RR on a shared grid of
    ``figure_points``.
    """
    _check_table(events_t, n_t, events_c, n_c)
    means = [p["mean_log_rr"] for p in priors.values()]
    sds = [p["sd_log_rr"] for p in priors.values()]
    low, high = min(m - 10 * s for m, s in zip(means, sds)), max(m + 10 * s for m, s in zip(means, sds))

    def log_posterior(grid: np.ndarray, prior: dict[str, float], log_lik: np.ndarray | None = None) -> np.ndarray:
        if log_lik is None:
            log_lik = _log_marginal_likelihood(grid, events_t, n_t, events_c, n_c)
        return log_lik + norm.logpdf(grid, prior["mean_log_rr"], prior["sd_log_rr"])

    # Each prior's posterior on its own grid, so that a narrow posterior gets as many points as a wide one.
    coarse = np.linspace(low, high, 801)
    coarse_lik = _log_marginal_likelihood(coarse, events_t, n_t, events_c, n_c)
    grids = {}
    for name, prior in priors.items():
        values = log_posterior(coarse, prior, coarse_lik)
        where = np.flatnonzero(values > np.max(values) + math.log(1e-12))
        grids[name] = np.linspace(
            coarse[max(where[0] - 1, 0)], coarse[min(where[-1] + 1, len(coarse) - 1)], grid_points
        )
    shown = np.linspace(min(g[0] for g in grids.values()), max(g[-1] for g in grids.values()), figure_points)
    result: dict[str, Any] = {
        "threshold_rr": threshold_rr,
        "grid_points": grid_points,
        "priors": {},
        "density": {"log_rr": [float(v) for v in shown], "posterior": {}},
    }
    for name, grid in grids.items():
        values = log_posterior(grid, priors[name])
        summary = _grid_summary(grid, np.exp(values - np.max(values)), alpha, threshold_rr)
        density = summary.pop("_density")
        prior = _prior_summary(priors[name], alpha, threshold_rr, grid_points)
        result["priors"][name] = {
            "prior": priors[name],
            **summary,
            "prior_p_rr_below_1": prior["p_rr_below_1"],
            "prior_p_rr_below_threshold": prior["p_rr_below_threshold"],
        }
        result["density"]["posterior"][name] = [float(v) for v in np.interp(shown, grid, density, left=0, right=0)]
    return result


def _prior_summary(prior: dict[str, float], alpha: float, threshold_rr: float, grid_points: int) -> dict[str, Any]:
    """Tail probabilities of RR under the joint prior (no data), integrated as the posteriors are:
    the mean over p of a likelihood with no patients (:func:`_log_marginal_likelihood`, 0 for a
    proper prior on p) times the normal density of log RR, on a grid over the mean +- 10 sd."""
    m, sd = prior["mean_log_rr"], prior["sd_log_rr"]
    grid = np.linspace(m - 10 * sd, m + 10 * sd, grid_points)
    log_density = _log_marginal_likelihood(grid, 0, 0, 0, 0) + norm.logpdf(grid, m, sd)
    summary = _grid_summary(grid, np.exp(log_density - np.max(log_density)), alpha, threshold_rr)
    summary.pop("_density")
    return summary


def prior_definitions(settings: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Each named prior of the config (centre RR, a stated effect RR and the prior probability
    beyond it) with its normal distribution on log RR."""
    return {
        name: {**p, **normal_prior(p["centre_rr"], p["effect_rr"], p["probability"])}
        for name, p in settings["priors"].items()
    }


# --- everything together -----------------------------------------------------------------------


def canonical_order(cohort: pd.DataFrame) -> pd.DataFrame:
    """The cohort sorted by patient_id, so that no result depends on the order of its rows."""
    return cohort.sort_values("patient_id", kind="stable").reset_index(drop=True)


def robustness_numbers(
    cohort: pd.DataFrame, arms: list[str], horizon: int, alpha: float, settings: dict[str, Any]
) -> dict[str, Any]:
    """All of the above for death and for ventilation or death, by the horizon.

    Keyed by time-to-event endpoint (``survival``, ``vent_free_survival``); the binary measures
    use that endpoint's event by ``horizon`` (death; ventilation or death). ``settings`` is the
    ``robustness`` block of the config: ``bayes``, with the ``clinically_relevant_rr``, the grid
    size and the named ``priors``.
    """
    cohort = canonical_order(cohort)
    bayes = settings["bayes"]
    priors = prior_definitions(bayes)
    numbers: dict[str, Any] = {
        "settings": {
            "arms": list(arms),
            "horizon_days": horizon,
            "alpha": alpha,
            "bayes": {**bayes, "priors": priors},
        }
    }
    for endpoint, event_name in BINARY_EVENTS.items():
        words = EVENT_WORDS[endpoint]
        times = endpoint_times(cohort, endpoint)
        by_horizon = (times["event"] == 1) & (times["day"] <= horizon)
        (e_t, n_t), (e_c, n_c) = (
            (int(by_horizon[times["arm"] == arm].sum()), int((times["arm"] == arm).sum())) for arm in arms
        )
        risk = risk_measures(e_t, n_t, e_c, n_c, alpha, words)
        rr = risk["risk_ratio"]
        numbers[endpoint] = {
            "event": event_name,
            "risk": risk,
            "fragility": fragility_index(e_t, n_t, e_c, n_c, alpha),
            "e_value": (
                {
                    **e_value(rr["estimate"], rr["ci_lower"], rr["ci_upper"]),
                    **(
                        {"method": "from the risk ratio with 0.5 added to every cell"}
                        if "continuity_correction" in rr
                        else {}
                    ),
                }
                if rr["estimate"] is not None
                else not_estimable(rr["reason"], e_value=None, e_value_ci=None)
            ),
            "bayes": bayesian_risk_ratio(
                e_t, n_t, e_c, n_c, priors, bayes["clinically_relevant_rr"], alpha, bayes["grid_points"]
            ),
            "cox": cox_hazard_ratio(times, arms, alpha, words),
            "rmst": rmst_difference(times, arms, horizon, alpha),
        }
    return numbers
