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
        "p_histograms": {
            key: p_histogram(part["histogram"]["counts"], space["histogram"]["bin_width_chi2"])
            for key, part in (("death_days", space), ("vent_free", joint))
        },
        "counts": {
            "n": list(n),
            "deaths": list(deaths),
            "vent_free_events": list(vf_events),
            "joint_layouts": space["layouts"] * math.prod(math.comb(horizon + v - 1, v) for v in c["vents"]),
        },
    }


def p_histogram(counts: list[int], bin_width: float) -> dict[str, list[float]]:
    """A histogram of chi-square statistics (1 df) as one of P: the bins that hold layouts, each
    bin's share of all layouts, and its edges as P values (``p_edges[i]`` > ``p_edges[i + 1]``;
    the last bin, open-ended, is drawn to its nominal edge)."""
    from scipy.stats import chi2

    used = [k for k, c in enumerate(counts) if c]
    lo, hi = used[0], used[-1] + 1
    total = sum(counts)
    return {
        "share": [c / total for c in counts[lo:hi]],
        "p_edges": [float(chi2.sf(k * bin_width, 1)) for k in range(lo, hi + 1)],
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
