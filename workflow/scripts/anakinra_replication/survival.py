"""Kaplan-Meier estimates and log-rank tests of the two time-to-event endpoints (lifelines).

- Overall survival: the event is death (death_day); others are censored at followup_days.
- Mechanical-ventilation-free survival: the event is ventilation or death, whichever comes
  first; others are censored at followup_days.
"""
from __future__ import annotations

from typing import Any

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
    """
    kmf = KaplanMeierFitter(alpha=alpha).fit(times["day"], times["event"])
    band = kmf.confidence_interval_survival_function_
    lower, upper = band.columns
    table = kmf.event_table
    curve = [
        {"day": int(day), "survival": float(kmf.survival_function_.loc[day].iloc[0]),
         "ci_lower": float(band.loc[day, lower]), "ci_upper": float(band.loc[day, upper]),
         "at_risk": int(table.loc[day, "at_risk"]), "events": int(table.loc[day, "observed"]),
         "censored": int(table.loc[day, "censored"])}
        for day in kmf.survival_function_.index
    ]
    at_horizon = [point for point in curve if point["day"] <= horizon_days][-1]
    return {
        "survival": at_horizon["survival"],
        "percent": 100 * at_horizon["survival"],
        "ci_lower": at_horizon["ci_lower"],
        "ci_upper": at_horizon["ci_upper"],
        "events": int(times["event"].sum()),
        "n": len(times),
        "curve": curve,
    }


def logrank(times: pd.DataFrame, arms: list[str]) -> dict[str, float]:
    """Two-sided log-rank test between the two arms (lifelines' logrank_test)."""
    a, b = (times[times["arm"] == arm] for arm in arms)
    result = logrank_test(a["day"], b["day"], a["event"], b["event"])
    return {"chi2": float(result.test_statistic), "p_value": float(result.p_value), "df": 1}


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
