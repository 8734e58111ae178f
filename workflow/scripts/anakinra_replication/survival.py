"""Kaplan-Meier estimates and log-rank tests of the two time-to-event endpoints (lifelines).

- Overall survival: the event is death (death_day); others are censored at followup_days.
- Mechanical-ventilation-free survival: the event is ventilation or death, whichever comes
  first; others are censored at followup_days.

A statistic that the data cannot give is ``None`` with a code of the reason beside it (its
words are in ``statistic_words``), as R's survival package gives ``NA``: ``reason`` when the
estimate itself is missing (an arm without patients, follow-up ending before the horizon, a
log-rank test without events or with zero variance), ``ci_reason`` when only the interval is
(survival 0 or 1, where the log(-log) interval is undefined), with the fields the words need
(``arm``, ``last_followup_day``, ``horizon_days``). The stored curve keeps lifelines' band,
which collapses onto the estimate there.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test

from .outcomes import ENDPOINTS


def endpoint_times(cohort: pd.DataFrame, endpoint: str) -> pd.DataFrame:
    """Per patient: ``day`` (event or censoring day) and ``event`` (1 = event) of an endpoint."""
    if endpoint == "survival":
        event = cohort["died"] == 1
        day = cohort["death_day"].where(event, cohort["followup_days"])
    elif endpoint == "vent_free_survival":
        event = (cohort["died"] == 1) | (cohort["mech_vent"] == 1)
        first = pd.concat([cohort["death_day"], cohort["mech_vent_day"]], axis=1).min(axis=1)
        day = first.where(event, cohort["followup_days"])
    else:
        raise ValueError(f"unknown endpoint {endpoint!r}; expected one of {ENDPOINTS}")
    return pd.DataFrame({"arm": cohort["arm"], "day": day.astype(int), "event": event.astype(int)})


def kaplan_meier(times: pd.DataFrame, horizon_days: int, alpha: float) -> dict[str, Any]:
    """Kaplan-Meier survival at the horizon with its confidence interval, and the whole curve.

    lifelines' KaplanMeierFitter: product-limit estimate, Greenwood variance, interval on the
    log(-log) scale (Kalbfleisch and Prentice 2002), as R's survfit(conf.type = "log-log").
    Not estimable at the horizon, as in R's summary.survfit (extend = FALSE), when follow-up ends
    before it with survival above 0.
    """
    if times.empty:
        return {
            **_missing(("survival", "percent", "ci_lower", "ci_upper"), "no_patients"),
            "events": 0,
            "n": 0,
            "curve": [],
        }
    kmf = KaplanMeierFitter(alpha=alpha).fit(times["day"], times["event"])
    band = kmf.confidence_interval_survival_function_
    lower, upper = band.columns
    table = kmf.event_table
    curve = [
        {
            "day": int(day),
            "survival": float(kmf.survival_function_.loc[day].iloc[0]),
            "ci_lower": float(band.loc[day, lower]),
            "ci_upper": float(band.loc[day, upper]),
            "at_risk": int(table.loc[day, "at_risk"]),
            "events": int(table.loc[day, "observed"]),
            "censored": int(table.loc[day, "censored"]),
        }
        for day in kmf.survival_function_.index
    ]
    counts = {"events": int(times["event"].sum()), "n": len(times), "curve": curve}
    at_horizon = [point for point in curve if point["day"] <= horizon_days][-1]
    last_day = int(times["day"].max())
    if last_day < horizon_days and at_horizon["survival"] > 0:
        missing = _missing(("survival", "percent", "ci_lower", "ci_upper"), "followup_ends_before_horizon")
        return {**missing, "last_followup_day": last_day, "horizon_days": horizon_days, **counts}
    estimate = {"survival": at_horizon["survival"], "percent": 100 * at_horizon["survival"]}
    if at_horizon["survival"] in (0.0, 1.0):
        why = "no_event_by_horizon" if at_horizon["survival"] == 1 else "all_events_by_horizon"
        return {
            **estimate,
            "ci_lower": None,
            "ci_upper": None,
            "ci_reason": why,
            "horizon_days": horizon_days,
            **counts,
        }
    return {**estimate, "ci_lower": at_horizon["ci_lower"], "ci_upper": at_horizon["ci_upper"], **counts}


def logrank(times: pd.DataFrame, arms: list[str]) -> dict[str, Any]:
    """Two-sided log-rank test between the two arms (lifelines' logrank_test).

    Not estimable (``None`` with a reason) when an arm has no patients, when no event occurs, or
    when the test's variance is zero; lifelines then returns P = 1 while R's survdiff gives NA
    or stops, and a P of 1 would read as evidence of no difference.
    """
    a, b = (times[times["arm"] == arm] for arm in arms)
    empty = [arm for arm, rows in zip(arms, (a, b)) if rows.empty]
    if empty:
        return {**_missing(("chi2", "p_value"), "no_patients_in_arm"), "arm": empty[0], "df": 1}
    why = "no_events" if times["event"].sum() == 0 else "zero_variance" if logrank_variance(times, arms) == 0 else None
    if why:
        return {**_missing(("chi2", "p_value"), why), "df": 1}
    result = logrank_test(a["day"], b["day"], a["event"], b["event"])
    return {"chi2": float(result.test_statistic), "p_value": float(result.p_value), "df": 1}


def logrank_variance(times: pd.DataFrame, arms: list[str]) -> float:
    """Variance of the log-rank statistic's observed-minus-expected (hypergeometric, Mantel 1966).

    Written out only to tell whether the test exists (variance above 0); lifelines does not
    expose it. Sum over event days of d (n1 / n) (1 - n1 / n) (n - d) / (n - 1).
    """
    day, event, first = times["day"].to_numpy(), times["event"].to_numpy() == 1, (times["arm"] == arms[0]).to_numpy()
    total = 0.0
    for t in np.unique(day[event]):
        at_risk = day >= t
        n, n1, d = at_risk.sum(), (at_risk & first).sum(), (event & (day == t)).sum()
        if n > 1:
            total += d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1)
    return float(total)


def _missing(keys: tuple[str, ...], reason: str) -> dict[str, Any]:
    """The given statistics as not estimable, with the code of the reason."""
    return {**{key: None for key in keys}, "reason": reason}


def survival_numbers(cohort: pd.DataFrame, arms: list[str], horizon_days: int, alpha: float) -> dict[str, Any]:
    """Kaplan-Meier per arm and log-rank between arms, for both endpoints.

    Keyed as the claims are: ``[endpoint][arm]`` holds the estimate, ``[endpoint]["both"]``
    the test comparing the arms.
    """
    numbers: dict[str, Any] = {}
    for endpoint in ENDPOINTS:
        times = endpoint_times(cohort, endpoint)
        numbers[endpoint] = {arm: kaplan_meier(times[times["arm"] == arm], horizon_days, alpha) for arm in arms}
        numbers[endpoint]["both"] = logrank(times, arms)
    return numbers
