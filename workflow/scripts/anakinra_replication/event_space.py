"""Every death-day layout the reported counts allow, each scored by the log-rank test.

The space: ``m_a`` deaths among ``n_a`` patients and ``m_b`` among ``n_b``, each on a day
1..H, everyone else followed to day H. Counted as multisets of days (each layout once):
C(H + m_a - 1, m_a) x C(H + m_b - 1, m_b) layouts; 1,771 x 888,030 = 1,572,701,130 here.

Method (meet in the middle). Split follow-up after day ``split``: a layout is a prefix (days
1..split) and a suffix (the other days). The log-rank numerator sum(O - E) and its variance
are sums of daily terms, and the suffix's terms depend on the prefix only through how many
deaths it used in each arm (the numbers still at risk). So, for each such state, the partial
sums of all prefixes and of all suffixes are computed once, and each of the 1.6e9 (prefix,
suffix) pairs costs two additions, two divisions and a few comparisons (both loops in numba).
No library scores billions of layouts, hence this module; tests check it against lifelines.

Two statistics share the numerator x = sum(O_a - E_a):
- log-rank (Mantel-Haenszel) chi-square x^2 / V, V the hypergeometric variance;
- Cox score test (Breslow ties) chi-square x^2 / W, W the binomial variance sum d r_a r_b / N^2.

Over the layouts whose P prints as reported (for each test), two effect measures, exactly:
- the restricted mean survival time to the horizon, arm a minus arm b. With everyone followed to
  the horizon, an arm's Kaplan-Meier RMST is the mean of min(death day, horizon) over its
  patients, so n_a * n_b times the difference is the whole number
  n_b * S_a - n_a * S_b + H * ((n_a - m_a) * n_b - (n_b - m_b) * n_a), S the sums of the death
  days; it splits into a prefix and a suffix part like x (:func:`rmst_sums`), and its range,
  sign and zeros are counted without rounding;
- the side of the Cox hazard ratio (Breslow ties): x is the partial likelihood's score at
  beta = 0 and the likelihood is concave, so the fitted HR is below 1 exactly when x < 0.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np
from scipy.stats import chi2 as chi2_distribution

from .layout_kernels import HIGH, LOW, PairStatistic, PairTally, empty_ranges, pair_terms, score_pairs
from .rounding import printing_interval


def days_to_counts(days: np.ndarray, horizon_days: int) -> np.ndarray:
    """Event days (..., events) -> events per day (..., horizon_days); day 1 is column 0."""
    days = np.asarray(days, dtype=int)
    flat = days.reshape(-1, days.shape[-1])
    counts = np.zeros((len(flat), horizon_days), dtype=np.int64)
    np.add.at(counts, (np.arange(len(flat))[:, None], flat - 1), 1)
    return counts.reshape(days.shape[:-1] + (horizon_days,))


def weak_compositions(total: int, parts: int) -> np.ndarray:
    """All ways to put ``total`` events on ``parts`` days, one row each (events per day)."""
    rows = []
    for bars in combinations(range(total + parts - 1), parts - 1):
        edges = (-1,) + bars + (total + parts - 1,)
        rows.append([edges[k + 1] - edges[k] - 1 for k in range(parts)])
    return np.array(rows, dtype=np.int64).reshape(-1, parts)


def partial_sums(events_a: np.ndarray, events_b: np.ndarray, at_risk_a: int, at_risk_b: int) -> tuple[np.ndarray, ...]:
    """Sums over consecutive days of the daily terms, for every pair of event rows.

    ``events_a`` (Ka, days) and ``events_b`` (Kb, days) hold events per day; the arms start
    the first day with ``at_risk_a`` and ``at_risk_b`` patients. Returns x, V and W, each of
    length Ka * Kb (row-major: A rows outer), pair by pair as ``layout_kernels.logrank_terms`` sums them.
    """
    return pair_terms(
        np.ascontiguousarray(events_a, dtype=np.int64),
        np.ascontiguousarray(events_b, dtype=np.int64),
        at_risk_a,
        at_risk_b,
    )


def rmst_sums(
    events_a: np.ndarray, events_b: np.ndarray, first_day: int, n_a: int, n_b: int, constant: int = 0
) -> np.ndarray:
    """n_b * S_a - n_a * S_b + ``constant`` for every pair of event rows (A rows outer, as
    :func:`partial_sums`), S the sum of the event days; ``first_day`` is the day of column 0.
    Whole numbers (int64): the prefix's and the suffix's add up to n_a * n_b times the RMST
    difference when the prefix carries the constant of the module docstring."""
    days = np.arange(first_day, first_day + np.shape(events_a)[1], dtype=np.int64)
    sum_a = np.asarray(events_a, dtype=np.int64) @ days
    sum_b = np.asarray(events_b, dtype=np.int64) @ days
    return np.ascontiguousarray((n_b * sum_a[:, None] - n_a * sum_b[None, :] + constant).ravel())


def rmst_constant(n: tuple[int, int], m: tuple[int, int], horizon: int) -> int:
    """The survivors' share of n_a * n_b times the RMST difference (module docstring)."""
    return horizon * ((n[0] - m[0]) * n[1] - (n[1] - m[1]) * n[0])


def p_value(chi2: float) -> float:
    """Two-sided P of a one-degree-of-freedom chi-square statistic."""
    return float(chi2_distribution.sf(chi2, 1))


def chi2_bounds(reported_p: str) -> tuple[float, float]:
    """Chi-square interval (low, high] whose one-df P prints as ``reported_p`` (half up)."""
    p_low, p_high = printing_interval(reported_p)
    return float(chi2_distribution.isf(p_high, 1)), float(chi2_distribution.isf(p_low, 1))


def space_size(m_a: int, m_b: int, horizon: int) -> int:
    """Number of layouts: multisets of m_a and of m_b days out of ``horizon``."""
    return math.comb(horizon + m_a - 1, m_a) * math.comb(horizon + m_b - 1, m_b)


def enumerate_chunk(
    n: tuple[int, int],
    m: tuple[int, int],
    horizon: int,
    split: int,
    reported_p: str,
    chunk: int,
    chunks: int,
    bin_width: float,
    bins: int,
) -> dict[str, Any]:
    """Score the share ``chunk`` (0-based, of ``chunks``) of all layouts; see :func:`merge_chunks`."""
    bounds = np.array(chi2_bounds(reported_p))
    hist = np.zeros(bins, dtype=np.int64)
    tallies = np.zeros(len(PairTally), dtype=np.int64)
    extremes = empty_ranges(PairStatistic)
    constant = rmst_constant(n, m, horizon)
    offset = 0
    for i in range(m[0] + 1):
        for j in range(m[1] + 1):
            rows_a, rows_b = weak_compositions(i, split), weak_compositions(j, split)
            prefix = partial_sums(rows_a, rows_b, n[0], n[1])
            prefix_rmst = rmst_sums(rows_a, rows_b, 1, n[0], n[1], constant)
            rows_a, rows_b = weak_compositions(m[0] - i, horizon - split), weak_compositions(m[1] - j, horizon - split)
            suffix = partial_sums(rows_a, rows_b, n[0] - i, n[1] - j)
            suffix_rmst = rmst_sums(rows_a, rows_b, split + 1, n[0], n[1])
            start = (chunk - offset) % chunks
            score_pairs(
                *prefix,
                prefix_rmst,
                *suffix,
                suffix_rmst,
                start,
                chunks,
                bounds,
                1e-9,
                bin_width,
                hist,
                tallies,
                extremes,
            )
            offset += len(prefix[0])
    lr, cs = extremes[PairStatistic.LOGRANK_CHI2], extremes[PairStatistic.COX_SCORE_CHI2]
    return {
        "pairs": int(tallies[PairTally.PAIRS]),
        "logrank_hits": int(tallies[PairTally.LOGRANK_HITS]),
        "cox_score_hits": int(tallies[PairTally.COX_SCORE_HITS]),
        "borderline": int(tallies[PairTally.BORDERLINE]),
        "logrank_chi2_min": float(lr[LOW]),
        "logrank_chi2_max": float(lr[HIGH]),
        "cox_score_chi2_min": float(cs[LOW]),
        "cox_score_chi2_max": float(cs[HIGH]),
        "logrank_chi2_histogram": hist.tolist(),
        "rmst_scale": n[0] * n[1],
        "logrank_effects": hit_effects(tallies, extremes, "LOGRANK"),
        "cox_score_effects": hit_effects(tallies, extremes, "COX_SCORE"),
    }


def hit_effects(tallies: np.ndarray, extremes: np.ndarray, test: str) -> dict[str, int | None]:
    """A chunk's effect tallies over the hits of one test (``test`` names the rows: LOGRANK or
    COX_SCORE): the scaled RMST range (None without hits) and the counts of :class:`PairTally`."""
    seen = extremes[PairStatistic[f"{test}_RMST_SCALED"]]
    no_hits = tallies[PairTally[f"{test}_HITS"]] == 0
    return {
        "rmst_scaled_min": None if no_hits else int(seen[LOW]),
        "rmst_scaled_max": None if no_hits else int(seen[HIGH]),
        "rmst_below_zero": int(tallies[PairTally[f"{test}_RMST_BELOW_ZERO"]]),
        "rmst_zero": int(tallies[PairTally[f"{test}_RMST_ZERO"]]),
        "hr_not_below_one": int(tallies[PairTally[f"{test}_HR_NOT_BELOW_ONE"]]),
    }


def merge_effects(parts: list[dict[str, Any]], test: str, hits: int) -> dict[str, Any]:
    """The effect measures over all layouts whose P of ``test`` prints as reported, from the
    chunks' tallies: exact range of the RMST difference (as a float and as a fraction), the
    layouts with a difference below zero and equal to zero, and those with the hazard ratio not
    below 1, each with its share of those layouts. Ranges are None when no layout prints so."""
    scales = {p["rmst_scale"] for p in parts}
    if len(scales) != 1:
        raise RuntimeError(f"chunks disagree on the arm sizes (n_a * n_b: {sorted(scales)})")
    scale = scales.pop()
    effects = [p[f"{test}_effects"] for p in parts]
    lows = [e["rmst_scaled_min"] for e in effects if e["rmst_scaled_min"] is not None]
    highs = [e["rmst_scaled_max"] for e in effects if e["rmst_scaled_max"] is not None]
    low, high = (Fraction(min(lows), scale), Fraction(max(highs), scale)) if lows else (None, None)
    count = lambda key: sum(e[key] for e in effects)  # noqa: E731 - one tally summed over chunks
    share = lambda k: k / hits if hits else None  # noqa: E731
    below, zero, hr_up = count("rmst_below_zero"), count("rmst_zero"), count("hr_not_below_one")
    return {
        "layouts": hits,
        "rmst_difference_min": None if low is None else float(low),
        "rmst_difference_max": None if high is None else float(high),
        "rmst_difference_min_fraction": None if low is None else str(low),
        "rmst_difference_max_fraction": None if high is None else str(high),
        "rmst_below_zero": below,
        "rmst_zero": zero,
        "share_rmst_below_zero": share(below),
        "share_rmst_above_zero": share(hits - below - zero),
        "hr_not_below_one": hr_up,
        "share_hr_below_one": share(hits - hr_up),
    }


def merge_chunks(
    parts: list[dict[str, Any]], m: tuple[int, int], horizon: int, reported_p: str, bin_width: float
) -> dict[str, Any]:
    """Gather chunk results: sums and extremes do not depend on how the space was split."""
    total = sum(p["pairs"] for p in parts)
    expected = space_size(*m, horizon)
    if total != expected:
        raise RuntimeError(f"chunks scored {total} layouts, the space has {expected}")
    hits = sum(p["logrank_hits"] for p in parts)
    cox_hits = sum(p["cox_score_hits"] for p in parts)
    lr_min, lr_max = min(p["logrank_chi2_min"] for p in parts), max(p["logrank_chi2_max"] for p in parts)
    cs_min, cs_max = min(p["cox_score_chi2_min"] for p in parts), max(p["cox_score_chi2_max"] for p in parts)
    return {
        "layouts": total,
        "reported_p": reported_p,
        "layouts_per_arm": [math.comb(horizon + k - 1, k) for k in m],
        "logrank": {
            "printing_as_reported": hits,
            "fraction": hits / total,
            "p_min": p_value(lr_max),
            "p_max": p_value(lr_min),
            "chi2_min": lr_min,
            "chi2_max": lr_max,
            "effects": merge_effects(parts, "logrank", hits),
        },
        "cox_score": {
            "printing_as_reported": cox_hits,
            "fraction": cox_hits / total,
            "p_min": p_value(cs_max),
            "p_max": p_value(cs_min),
            "effects": merge_effects(parts, "cox_score", cox_hits),
        },
        "borderline": sum(p["borderline"] for p in parts),
        "histogram": {
            "bin_width_chi2": bin_width,
            "counts": [sum(c) for c in zip(*(p["logrank_chi2_histogram"] for p in parts))],
        },
    }
