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
"""

from __future__ import annotations

import math
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
    offset = 0
    for i in range(m[0] + 1):
        for j in range(m[1] + 1):
            prefix = partial_sums(weak_compositions(i, split), weak_compositions(j, split), n[0], n[1])
            suffix = partial_sums(
                weak_compositions(m[0] - i, horizon - split),
                weak_compositions(m[1] - j, horizon - split),
                n[0] - i,
                n[1] - j,
            )
            start = (chunk - offset) % chunks
            score_pairs(*prefix, *suffix, start, chunks, bounds, 1e-9, bin_width, hist, tallies, extremes)
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
        },
        "cox_score": {
            "printing_as_reported": cox_hits,
            "fraction": cox_hits / total,
            "p_min": p_value(cs_max),
            "p_max": p_value(cs_min),
        },
        "borderline": sum(p["borderline"] for p in parts),
        "histogram": {
            "bin_width_chi2": bin_width,
            "counts": [sum(c) for c in zip(*(p["logrank_chi2_histogram"] for p in parts))],
        },
    }
