"""Effect measures of a 2x2 table: risk difference, risk ratio, odds ratio, number needed to treat.

The events are adverse, so a negative risk difference and a risk ratio below 1 favour the
treated arm; every comparison is treated minus or over control. Each function takes counts and
returns a dict of Python floats, ints, strings, booleans and ``None``. A statistic the data
cannot estimate is ``None`` beside a ``reason`` code and the fields its words need; a method is a
code (``method``) with flags (``continuity_correction``). Their words are in ``statistic_words``.
statsmodels and scipy compute; nothing is written by hand but the NNT's reciprocals and the
continuity-corrected Katz interval.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import ndtri
from scipy.stats.contingency import odds_ratio
from statsmodels.stats.proportion import confint_proportions_2indep

CONTINUITY = 0.5  # added to every cell of a 2x2 table with a zero cell (Haldane 1956; Anscombe 1956)


def check_table(events_t: int, n_t: int, events_c: int, n_c: int) -> None:
    """Refuse counts that are not a 2x2 table (a developer error: the cohort reader checks the data)."""
    for events, n in ((events_t, n_t), (events_c, n_c)):
        if n < 1 or not 0 <= events <= n:
            raise ValueError(f"need n >= 1 and events between 0 and n; got {events} of {n}")


def not_estimable(reason: str, **extra: Any) -> dict[str, Any]:
    """The shape of a statistic the data cannot estimate: ``estimate`` None and the reason's code."""
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
    infinity to NNTH = 1/(RD upper limit) (``nntb_limit`` and ``nnth_limit``). Equal risks
    give no number: reason ``equal_risks``.
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
        result["reason"] = "equal_risks"
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


def _both_arms_same(events_t: int, n_t: int, events_c: int, n_c: int) -> str | None:
    """Why a ratio is not estimable at all (no event, or only events, in both arms), else None."""
    if events_t == 0 and events_c == 0:
        return "no_events_either_arm"
    if events_t == n_t and events_c == n_c:
        return "all_events_both_arms"
    return None


def risk_ratio(events_t: int, n_t: int, events_c: int, n_c: int, alpha: float, event: str) -> dict[str, Any]:
    """Risk ratio with the standard (Katz) log interval, exp(log RR +- z sqrt(1/a - 1/n1 + 1/c - 1/n2)),
    and that standard error of log RR (``se_log``).

    statsmodels ``confint_proportions_2indep(compare="ratio", method="log")`` (method
    ``katz_log``). With a zero event count in one arm, 0.5 is added to every cell first (the
    conventional correction, flagged ``continuity_correction``); with no events in either arm the
    ratio is not estimable (reason ``no_events_either_arm``, with the ``event`` code).
    """
    if events_t == events_c == 0:
        return not_estimable("no_events_either_arm", event=event, method="katz_log")
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
        "se_log": se,
        "method": "katz_log",
    }
    if corrected:
        result["continuity_correction"] = CONTINUITY
    return result


def odds_ratios(events_t: int, n_t: int, events_c: int, n_c: int, alpha: float, event: str) -> dict[str, Any]:
    """Sample odds ratio, and the conditional maximum-likelihood estimate with its exact
    conditional interval (Cornfield 1956; as R's fisher.test), scipy ``odds_ratio`` (method
    ``exact_conditional``).

    With a zero cell the sample odds ratio takes 0.5 in every cell (flagged
    ``continuity_correction``); an infinite conditional estimate or limit is None (reason
    ``zero_cell_unbounded``). With no event, or only events, in both arms nothing is estimable.
    """
    why = _both_arms_same(events_t, n_t, events_c, n_c)
    if why:
        return not_estimable(
            why,
            event=event,
            sample=None,
            conditional_mle=None,
            ci_lower=None,
            ci_upper=None,
            method="exact_conditional",
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
        "method": "exact_conditional",
    }
    if corrected:
        result["continuity_correction"] = CONTINUITY
    if None in (result["conditional_mle"], result["ci_lower"], result["ci_upper"]):
        result["reason"] = "zero_cell_unbounded"
        result["ci_lower"] = float(low) if math.isfinite(low) else None
    return result


def risk_measures(
    events_t: int, n_t: int, events_c: int, n_c: int, alpha: float, event: str = "event"
) -> dict[str, Any]:
    """Risks per arm; risk difference, risk ratio, odds ratio and NNT, each with its interval.

    - Risk difference: Newcombe's hybrid score interval (Newcombe 1998, Stat Med 17:873, method
      10), statsmodels ``confint_proportions_2indep(compare="diff", method="newcomb")``.
    - Risk ratio: :func:`risk_ratio`; odds ratio: :func:`odds_ratios`.
    - NNT: :func:`number_needed_to_treat` from the risk difference and its interval.

    ``event`` is the code of the adverse event (``died``, ``died_or_ventilated``, or ``event``),
    carried into a reason so that its words can name it.
    """
    check_table(events_t, n_t, events_c, n_c)
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
            "method": "newcombe_hybrid_score",
        },
        "risk_ratio": risk_ratio(events_t, n_t, events_c, n_c, alpha, event),
        "odds_ratio": odds_ratios(events_t, n_t, events_c, n_c, alpha, event),
        "nnt": number_needed_to_treat(rd, float(rd_low), float(rd_high)),
    }
