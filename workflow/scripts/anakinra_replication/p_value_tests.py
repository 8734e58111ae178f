"""Which test gives the reported P? Each candidate test, its P (or range) and whether it prints
as reported.

Tests on the 2x2 table of events at the horizon (scipy.stats): Pearson chi-square with and
without Yates' continuity correction, Fisher's exact test, Barnard's and Boschloo's exact
tests (all two-sided). Time-to-event tests depend on the unreported event days, so they are
given as the range over the layouts: the log-rank and Cox score tests over every death-day
layout (mortality) or the Monte Carlo draws (ventilation-free survival), the Cox
likelihood-ratio test over a sample of them.
"""
from __future__ import annotations

import math
from typing import Any

from scipy import stats

from .implied import layout_counts
from .rounding import printed


def two_by_two_p_values(events: tuple[int, int], n: tuple[int, int]) -> dict[str, float]:
    """Two-sided P of the classical tests of a 2x2 table (rows: arms; columns: event, none)."""
    table = [[events[0], n[0] - events[0]], [events[1], n[1] - events[1]]]
    return {
        "pearson_chi2": float(stats.chi2_contingency(table, correction=False).pvalue),
        "pearson_chi2_yates": float(stats.chi2_contingency(table, correction=True).pvalue),
        "fisher_exact": float(stats.fisher_exact(table).pvalue),
        "barnard_exact": float(stats.barnard_exact(table).pvalue),
        "boschloo_exact": float(stats.boschloo_exact(table).pvalue),
    }


LABELS = {
    "pearson_chi2": "Pearson chi-square", "pearson_chi2_yates": "Pearson chi-square, Yates-corrected",
    "fisher_exact": "Fisher exact", "barnard_exact": "Barnard exact", "boschloo_exact": "Boschloo exact",
    "logrank": "Log-rank", "cox_score": "Cox score (Breslow ties)", "cox_lr": "Cox likelihood ratio (Breslow ties)",
}


def test_rows(endpoint: str, reported: str, events: tuple[int, int], n: tuple[int, int],
              ranges: dict[str, dict[str, Any]], over: dict[str, str]) -> list[dict[str, Any]]:
    """Rows of the test table for one endpoint. ``ranges`` holds, per time-to-event test, p_min,
    p_max and the fraction of layouts printing as reported; ``over`` says over what."""
    decimals = len(reported.split(".")[1])
    rows = []
    for test, p in two_by_two_p_values(events, n).items():
        rows.append({"endpoint": endpoint, "test": test, "label": LABELS[test], "reported": reported,
                     "p_min": p, "p_max": p, "fraction_printing_as_reported": float(printed(p, decimals) == reported),
                     "over": "the 2x2 table at the horizon"})
    for test, r in ranges.items():
        rows.append({"endpoint": endpoint, "test": test, "label": LABELS[test], "reported": reported,
                     "p_min": r["p_min"], "p_max": r["p_max"], "fraction_printing_as_reported": r["fraction"],
                     "over": over[test]})
    return rows


def identifiability_results(space: dict[str, Any], joint: dict[str, Any], implied: dict[str, Any],
                            claims: list[dict[str, Any]], arms: list[str], horizon: int) -> dict[str, Any]:
    """The death-day enumeration, the joint Monte Carlo and the test table, in one document."""
    c = layout_counts(implied, claims, arms)
    n, deaths = c["n"], c["deaths"]
    vf_events = tuple(d + v for d, v in zip(c["deaths"], c["vents"]))  # disjoint, as implied
    everywhere = f"all {space['layouts']:,} death-day layouts"
    drawn = f"{joint['kept']:,} joint layouts drawn"
    rows = test_rows("survival", c["death_p"], deaths, n,
                     {"logrank": space["logrank"], "cox_score": space["cox_score"], "cox_lr": joint["death_cox_lr"]},
                     {"logrank": everywhere, "cox_score": everywhere,
                      "cox_lr": f"{joint['death_cox_lr']['sample']:,} death-day layouts drawn"})
    rows += test_rows("vent_free_survival", c["vent_free_p"], vf_events, n,
                      {"logrank": joint["logrank"], "cox_score": joint["cox_score"], "cox_lr": joint["cox_lr"]},
                      {"logrank": drawn, "cox_score": drawn, "cox_lr": f"{joint['cox_lr']['sample']:,} of them"})
    return {"death_days": space, "vent_free": joint, "tests": rows,
            "counts": {"n": list(n), "deaths": list(deaths), "vent_free_events": list(vf_events),
                       "joint_layouts": space["layouts"] * math.prod(math.comb(horizon + v - 1, v) for v in c["vents"])}}
