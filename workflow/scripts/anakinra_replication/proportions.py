"""Counts and percentages of the binary outcomes at the horizon, with Wilson intervals.

The interval is statsmodels' ``proportion_confint(method="wilson")`` (Wilson 1927), which
keeps its coverage with small arms, unlike the normal approximation. An arm without
patients has no proportion: its values are ``None`` with a ``reason`` code (words:
``statistic_words``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from .outcomes import BINARY_OUTCOMES


def proportion(count: int, n: int, alpha: float) -> dict[str, Any]:
    """Count, n, percentage and Wilson interval (as percentages) of one proportion."""
    if n == 0:
        return {
            "count": count,
            "n": n,
            "percent": None,
            "ci_lower_percent": None,
            "ci_upper_percent": None,
            "reason": "no_patients",
        }
    low, high = proportion_confint(count, n, alpha=alpha, method="wilson")
    # At 0/n and n/n the Wilson bound is exactly 0 or 1; the closed form leaves a rounding error (1 - 1e-16).
    low, high = (0.0 if count == 0 else float(low)), (1.0 if count == n else float(high))
    return {
        "count": count,
        "n": n,
        "percent": 100 * count / n,
        "ci_lower_percent": 100 * low,
        "ci_upper_percent": 100 * high,
    }


def mean_age(rows: pd.DataFrame) -> dict[str, Any]:
    """Mean age of a group of patients, over those whose age is given: ``n`` of ``patients``
    (age may be empty, data dictionary); ``None`` with a reason when nobody's age is known."""
    ages = rows["age_years"].dropna()
    if rows.empty:
        return {"mean": None, "n": 0, "patients": 0, "reason": "no_patients_in_group"}
    if ages.empty:
        return {"mean": None, "n": 0, "patients": len(rows), "reason": "no_ages"}
    return {"mean": float(ages.mean()), "n": len(ages), "patients": len(rows)}


def outcome_numbers(cohort: pd.DataFrame, arms: list[str], alpha: float) -> dict[str, Any]:
    """Per outcome and arm: the proportion of patients; also n per arm and the age summary.

    Keyed as the claims are, ``[outcome][arm][kind]``: ``enrolled`` holds each arm's n and
    ``age_years`` the mean age of each arm and of all patients (``all``).
    """
    by_arm = {arm: cohort[cohort["arm"] == arm] for arm in arms}
    numbers: dict[str, Any] = {"enrolled": {arm: {"n": len(rows)} for arm, rows in by_arm.items()}}
    for outcome in BINARY_OUTCOMES:
        numbers[outcome] = {arm: proportion(int(rows[outcome].sum()), len(rows), alpha) for arm, rows in by_arm.items()}
    groups = {**by_arm, "all": cohort}
    numbers["age_years"] = {group: mean_age(rows) for group, rows in groups.items()}
    return numbers
