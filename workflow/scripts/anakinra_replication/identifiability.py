"""results/identifiability.json: what the published numbers allow, in one document.

The death-day enumeration (event_space), the joint Monte Carlo (joint_space), the table of
candidate tests (p_value_tests) and what the death counts alone fix about the hazard ratio, all
computed from the published numbers alone.
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
        "hazard_ratio_by_counts": hazard_ratio_by_counts(deaths, n),
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


def hazard_ratio_by_counts(deaths: tuple[int, int], n: tuple[int, int]) -> dict[str, Any]:
    """Bounds, from the counts alone, on the treated arm's expected deaths in any layout of death
    days (every survivor followed to the horizon), and the sign of the hazard ratio they fix.

    The log-rank expected count of the treated arm is E = sum over death days of d_j n_t(j) / n(j).
    At every death day at least n_t - e_t treated patients and at most n_c control patients are at
    risk, and at most n_t treated and at least n_c - e_c control ones, so E lies between
    D (n_t - e_t) / (n_t - e_t + n_c) and D n_t / (n_t + n_c - e_c), D = e_t + e_c the deaths. The
    Cox hazard ratio with Breslow ties is below 1 exactly when the score at 0, observed minus
    expected (e_t - E), is below 0: so when e_t lies below the lower bound, it is below 1 in every
    layout whatever the days (``sign``: ``below_one``), and above 1 in every layout when e_t lies
    above the upper bound (``above_one``); otherwise the counts leave the sign open (None).
    """
    (e_t, e_c), (n_t, n_c) = deaths, n
    total = e_t + e_c
    low = total * (n_t - e_t) / (n_t - e_t + n_c) if n_t - e_t + n_c else 0.0
    high = total * n_t / (n_t + n_c - e_c) if n_t + n_c - e_c else float(total)
    sign = "below_one" if e_t < low else "above_one" if e_t > high else None
    return {
        "observed_treated": e_t,
        "deaths": total,
        "treated_at_risk_min": n_t - e_t,
        "control_at_risk_max": n_c,
        "expected_treated_min": low,
        "expected_treated_max": high,
        "sign": sign,
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
