"""results/identifiability.json: what the published numbers allow, in one document.

The death-day enumeration (event_space), the joint Monte Carlo (joint_space) and the table of
candidate tests (p_value_tests), all computed from the published numbers alone.
"""

from __future__ import annotations

import math
from typing import Any

from .implied import layout_counts
from .p_value_tests import test_rows, which_test


def identifiability_results(
    space: dict[str, Any],
    joint: dict[str, Any],
    implied: dict[str, Any],
    claims: list[dict[str, Any]],
    arms: list[str],
    horizon: int,
    alpha: float,
) -> dict[str, Any]:
    """The death-day enumeration, the joint Monte Carlo and the test table, in one document."""
    c = layout_counts(implied, claims, arms)
    n, deaths = c["n"], c["deaths"]
    vf_events = tuple(d + v for d, v in zip(c["deaths"], c["vents"]))  # disjoint, as implied
    everywhere, drawn = ("every_death_day_layout", space["layouts"]), ("joint_layouts_drawn", joint["kept"])
    rows = test_rows(
        "survival",
        c["death_p"],
        deaths,
        n,
        {"logrank": space["logrank"], "cox_score": space["cox_score"], "cox_lr": joint["death_cox_lr"]},
        {
            "logrank": everywhere,
            "cox_score": everywhere,
            "cox_lr": ("death_day_layouts_drawn", joint["death_cox_lr"]["sample"]),
        },
    )
    rows += test_rows(
        "vent_free_survival",
        c["vent_free_p"],
        vf_events,
        n,
        {"logrank": joint["logrank"], "cox_score": joint["cox_score"], "cox_lr": joint["cox_lr"]},
        {"logrank": drawn, "cox_score": drawn, "cox_lr": ("joint_layouts_sampled", joint["cox_lr"]["sample"])},
    )
    return {
        "death_days": space,
        "vent_free": joint,
        "tests": rows,
        "which_test": which_test(rows),
        "sampling_check": sampling_check(space, joint, alpha),
        "counts": {
            "n": list(n),
            "deaths": list(deaths),
            "vent_free_events": list(vf_events),
            "joint_layouts": space["layouts"] * math.prod(math.comb(horizon + v - 1, v) for v in c["vents"]),
        },
    }


def sampling_check(space: dict[str, Any], joint: dict[str, Any], alpha: float) -> dict[str, Any]:
    """A check of the joint Monte Carlo against the enumeration: the share of drawn death-day
    layouts whose mortality P prints as reported estimates the share the enumeration counts
    exactly; ``agrees`` says whether the exact share lies in the estimate's Wilson interval."""
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(joint["kept"], joint["tried"], alpha=alpha, method="wilson")
    exact = space["logrank"]["fraction"]
    return {
        "acceptance": joint["acceptance"],
        "acceptance_ci": [float(low), float(high)],
        "enumerated": exact,
        "agrees": bool(low <= exact <= high),
    }
