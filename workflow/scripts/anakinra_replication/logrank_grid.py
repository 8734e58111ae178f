"""Log-rank statistic for many event-day layouts at once (numpy).

lifelines' ``logrank_test`` handles one data set per call (about 10 ms here); searching event
days means scoring thousands of layouts, so this module scores a whole array of them in one
vectorised pass. It covers the layout of this study only: every patient is followed to the
horizon or to the event, so a layout is just the number of events on each day in each arm.
Agreement with lifelines is a test (tests/test_logrank_grid.py).
"""
from __future__ import annotations

import numpy as np
from scipy.stats import chi2 as chi2_distribution


def logrank_chi2(events_a: np.ndarray, events_b: np.ndarray, n_a: int, n_b: int) -> np.ndarray:
    """Log-rank chi-square (Mantel-Haenszel form, hypergeometric variance) per layout.

    ``events_a`` and ``events_b`` have shape (layouts, days): events per day, day 1 first.
    Patients without an event are censored after the last day.
    """
    events_a = np.asarray(events_a, dtype=float)
    events_b = np.asarray(events_b, dtype=float)
    at_risk_a = n_a - np.cumsum(events_a, axis=-1) + events_a
    at_risk_b = n_b - np.cumsum(events_b, axis=-1) + events_b
    total, events = at_risk_a + at_risk_b, events_a + events_b
    expected_a = events * at_risk_a / total
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = np.where(total > 1, events * at_risk_a * at_risk_b * (total - events)
                            / (total * total * (total - 1)), 0.0)
    return (events_a - expected_a).sum(axis=-1) ** 2 / variance.sum(axis=-1)


def chi2_p_value(chi2: np.ndarray) -> np.ndarray:
    """Two-sided P: upper tail of the chi-square distribution with one degree of freedom."""
    return chi2_distribution.sf(chi2, df=1)


def days_to_counts(days: np.ndarray, horizon_days: int) -> np.ndarray:
    """Event days (layouts, events) -> events per day (layouts, horizon_days)."""
    days = np.asarray(days, dtype=int)
    counts = np.zeros(days.shape[:-1] + (horizon_days,), dtype=int)
    rows = np.repeat(np.arange(days.shape[0]), days.shape[1]) if days.ndim == 2 else None
    if days.ndim == 2:
        np.add.at(counts, (rows, days.ravel() - 1), 1)
    else:
        np.add.at(counts, days - 1, 1)
    return counts
