"""Numba kernels over event layouts, shared by the enumeration, the Monte Carlo and the reconstruction.

A layout is given as events per day for each arm (arrays of length H, day 1 first); everyone
without an event is followed to day H. The per-layout kernels (log-rank terms, Cox fit, RMST
difference, uniform multiset draw) are used by ``event_space``, ``joint_space`` and
``reconstruct``; the loops (:func:`pair_terms` and :func:`score_pairs`, :func:`draw_joint`) are
the hot paths of ``event_space`` and ``joint_space``. No library scores billions of layouts a
second, hence hand-written kernels; the tests check each against lifelines or statsmodels.

Tallies and ranges live in plain arrays (numba needs them) whose rows are named by the IntEnums
below, so that nothing is stored or read back by a bare index.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numba import njit

LOW, HIGH = 0, 1  # columns of a range row (min, max) and of a chi-square interval (low, high]


class PairTally(IntEnum):
    """Counters of :func:`score_pairs`. A "hit" is a layout whose P (of the test named) prints as
    reported; among the hits of each test, the layouts whose RMST difference (treated minus
    control) is below zero or exactly zero, and those whose log-rank numerator sum(O_a - E_a),
    the Cox score at beta = 0 (Breslow ties), is at least zero: the hazard ratio is then not
    below 1, since the partial likelihood is concave in beta."""

    PAIRS = 0
    LOGRANK_HITS = 1
    COX_SCORE_HITS = 2
    BORDERLINE = 3
    LOGRANK_RMST_BELOW_ZERO = 4
    LOGRANK_RMST_ZERO = 5
    LOGRANK_HR_NOT_BELOW_ONE = 6
    COX_SCORE_RMST_BELOW_ZERO = 7
    COX_SCORE_RMST_ZERO = 8
    COX_SCORE_HR_NOT_BELOW_ONE = 9


class PairStatistic(IntEnum):
    """Statistics whose range :func:`score_pairs` records (rows of its ``extremes``). The RMST
    rows hold the difference times n_a * n_b (a whole number, so exact in a float), over the hits
    of the test named."""

    LOGRANK_CHI2 = 0
    COX_SCORE_CHI2 = 1
    LOGRANK_RMST_SCALED = 2
    COX_SCORE_RMST_SCALED = 3


class JointTally(IntEnum):
    """Counters of :func:`draw_joint`; the lower-case names are the keys of a stream's JSON."""

    TRIED = 0  # death layouts drawn
    KEPT = 1  # of them, with the mortality log-rank P printing as reported
    VF_LOGRANK_HITS = 2  # kept joint layouts whose ventilation-free log-rank P prints as reported
    VF_COX_SCORE_HITS = 3  # ... whose ventilation-free Cox score P does
    VF_COX_LR_HITS = 4  # ... whose ventilation-free Cox likelihood-ratio P does (first cox_sample kept)
    DEATH_COX_LR_HITS = 5  # raw death layouts whose Cox likelihood-ratio P does (first cox_sample tried)


class JointStatistic(IntEnum):
    """Statistics whose range (min, max) :func:`draw_joint` records: rows of its ``extremes``,
    keys (lower case) of a stream's ``extremes`` in JSON."""

    VF_LOGRANK_CHI2 = 0  # kept joint layouts
    VF_COX_SCORE_CHI2 = 1  # kept joint layouts
    VF_COX_LR_CHI2 = 2  # first cox_sample kept joint layouts
    DEATH_COX_LR_CHI2 = 3  # first cox_sample raw death layouts
    DEATH_LOG_HR = 4  # first cox_sample kept death layouts
    DEATH_RMST_DIFFERENCE = 5  # kept death layouts
    VF_LOG_HR = 6  # first cox_sample kept joint layouts
    VF_RMST_DIFFERENCE = 7  # kept joint layouts


def empty_ranges(statistics: type[IntEnum]) -> np.ndarray:
    """One (min, max) row per statistic, (inf, -inf) until a value is seen."""
    ranges = np.empty((len(statistics), 2))
    ranges[:, LOW], ranges[:, HIGH] = np.inf, -np.inf
    return ranges


@njit(cache=True)
def widen(ranges, statistic, value):
    """Stretch the (min, max) row ``statistic`` of ``ranges`` to include ``value``."""
    ranges[statistic, LOW] = min(ranges[statistic, LOW], value)
    ranges[statistic, HIGH] = max(ranges[statistic, HIGH], value)


@njit(cache=True)
def within(value, interval):
    """``value`` in the half-open interval (low, high]: a chi-square whose P prints as reported."""
    return interval[LOW] < value <= interval[HIGH]


@njit(cache=True)
def random_multiset(m, horizon, out, chosen):
    """Add to ``out`` (events per day) a uniformly drawn multiset of m days out of 1..horizon:
    a uniform m-subset of 0..horizon+m-2 (Floyd's algorithm), read as stars and bars.
    ``chosen`` is scratch space of length >= m."""
    size = horizon + m - 1
    k = 0
    for j in range(size - m, size):
        t = np.random.randint(0, j + 1)
        present = False
        for q in range(k):
            if chosen[q] == t:
                present = True
        value = j if present else t
        q = k
        while q > 0 and chosen[q - 1] > value:  # insertion keeps chosen[:k] sorted
            chosen[q] = chosen[q - 1]
            q -= 1
        chosen[q] = value
        k += 1
    for q in range(m):
        out[chosen[q] - q] += 1


@njit(cache=True)
def logrank_terms(events_a, events_b, n_a, n_b):
    """x = sum(O_a - E_a), hypergeometric variance V and binomial variance W of a layout."""
    ra, rb = float(n_a), float(n_b)
    x = v = w = 0.0
    for day in range(events_a.shape[0]):
        da, db = float(events_a[day]), float(events_b[day])
        d, n = da + db, ra + rb
        if d > 0:
            x += da - d * ra / n
            if n > 1:
                v += d * ra * rb * (n - d) / (n * n * (n - 1))
            w += d * ra * rb / (n * n)
        ra -= da
        rb -= db
    return x, v, w


@njit(cache=True)
def pair_terms(events_a, events_b, n_a, n_b):
    """:func:`logrank_terms` of every pair (row of ``events_a``, row of ``events_b``), A rows
    outer: three arrays x, V, W of length Ka * Kb (the partial sums of ``event_space``)."""
    kb = events_b.shape[0]
    size = events_a.shape[0] * kb
    x, v, w = np.empty(size), np.empty(size), np.empty(size)
    for p in range(events_a.shape[0]):
        for q in range(kb):
            x[p * kb + q], v[p * kb + q], w[p * kb + q] = logrank_terms(events_a[p], events_b[q], n_a, n_b)
    return x, v, w


@njit(cache=True)
def cox_lr_chi2(events_a, events_b, n_a, n_b):
    """Likelihood-ratio chi-square of a two-arm Cox model, Breslow ties (see :func:`cox_fit`)."""
    return cox_fit(events_a, events_b, n_a, n_b)[0]


@njit(cache=True)
def restricted_mean_difference(events_a, events_b, n_a, n_b):
    """Restricted mean survival time to the last day, arm a minus arm b, with no censoring
    before it: the mean of min(event day, horizon) per arm."""
    horizon = events_a.shape[0]
    area = np.zeros(2)
    for k, (events, n) in enumerate(((events_a, n_a), (events_b, n_b))):
        total, dead = 0.0, 0
        for day in range(horizon):
            total += events[day] * (day + 1)
            dead += events[day]
        area[k] = (total + (n - dead) * horizon) / n
    return area[0] - area[1]


@njit(cache=True)
def cox_fit(events_a, events_b, n_a, n_b):
    """Two-arm Cox model, Breslow ties, by Newton's method: (likelihood-ratio chi-square, log HR).

    Partial log-likelihood l(b) = sum_t [d_a,t b - d_t log(r_a,t e^b + r_b,t)].
    """
    beta = 0.0
    for _ in range(100):
        ra, rb = float(n_a), float(n_b)
        score = info = 0.0
        for day in range(events_a.shape[0]):
            da, db = float(events_a[day]), float(events_b[day])
            d = da + db
            if d > 0:
                wa = ra * np.exp(beta)
                score += da - d * wa / (wa + rb)
                info += d * wa * rb / ((wa + rb) * (wa + rb))
            ra -= da
            rb -= db
        step = score / info
        beta += step
        if abs(step) < 1e-12:
            break
    loglik = np.zeros(2)
    for k in range(2):
        b = beta if k == 0 else 0.0
        ra, rb = float(n_a), float(n_b)
        for day in range(events_a.shape[0]):
            da, db = float(events_a[day]), float(events_b[day])
            d = da + db
            if d > 0:
                loglik[k] += da * b - d * np.log(ra * np.exp(b) + rb)
            ra -= da
            rb -= db
    return 2.0 * (loglik[0] - loglik[1]), beta


@njit(cache=True)
def _tally_hit(tallies, extremes, x, rmst_scaled, below, zero, not_below_one, statistic):
    """Count one hit's RMST sign and hazard-ratio side, and widen its RMST range."""
    if rmst_scaled < 0:
        tallies[below] += 1
    elif rmst_scaled == 0:
        tallies[zero] += 1
    if x >= 0.0:
        tallies[not_below_one] += 1
    widen(extremes, statistic, float(rmst_scaled))


@njit(cache=True)
def score_pairs(px, pv, pw, pr, sx, sv, sw, sr, start, step, bounds, tolerance, bin_width, hist_lr, tallies, extremes):
    """Score every (prefix, suffix) pair for prefixes start, start + step, ... (``event_space``).

    ``px``, ``pv``, ``pw`` (prefixes) and ``sx``, ``sv``, ``sw`` (suffixes) are the partial
    log-rank sums; ``pr`` and ``sr`` the integer parts of the scaled RMST difference (see
    ``event_space.rmst_sums``), which add up to it. ``bounds`` is the chi-square interval
    (low, high] that prints as reported; ``tallies`` (rows :class:`PairTally`) and ``extremes``
    (rows :class:`PairStatistic`) accumulate; ``hist_lr`` counts log-rank chi-squares in bins of
    ``bin_width``.
    """
    last_bin = hist_lr.shape[0] - 1
    for p in range(start, px.shape[0], step):
        x1, v1, w1, r1 = px[p], pv[p], pw[p], pr[p]
        for s in range(sx.shape[0]):
            x = x1 + sx[s]
            lr = x * x / (v1 + sv[s])
            cs = x * x / (w1 + sw[s])
            b = int(lr / bin_width)
            hist_lr[b if b < last_bin else last_bin] += 1
            if within(lr, bounds):
                tallies[PairTally.LOGRANK_HITS] += 1
                _tally_hit(
                    tallies,
                    extremes,
                    x,
                    r1 + sr[s],
                    PairTally.LOGRANK_RMST_BELOW_ZERO,
                    PairTally.LOGRANK_RMST_ZERO,
                    PairTally.LOGRANK_HR_NOT_BELOW_ONE,
                    PairStatistic.LOGRANK_RMST_SCALED,
                )
            if within(cs, bounds):
                tallies[PairTally.COX_SCORE_HITS] += 1
                _tally_hit(
                    tallies,
                    extremes,
                    x,
                    r1 + sr[s],
                    PairTally.COX_SCORE_RMST_BELOW_ZERO,
                    PairTally.COX_SCORE_RMST_ZERO,
                    PairTally.COX_SCORE_HR_NOT_BELOW_ONE,
                    PairStatistic.COX_SCORE_RMST_SCALED,
                )
            if abs(lr - bounds[LOW]) < tolerance or abs(lr - bounds[HIGH]) < tolerance:
                tallies[PairTally.BORDERLINE] += 1
            widen(extremes, PairStatistic.LOGRANK_CHI2, lr)
            widen(extremes, PairStatistic.COX_SCORE_CHI2, cs)
        tallies[PairTally.PAIRS] += sx.shape[0]


@njit(cache=True)
def draw_joint(
    seed,
    draws,
    max_tries,
    cox_sample,
    n,
    deaths,
    vents,
    horizon,
    death_bounds,
    vf_bounds,
    bin_width,
    hist,
    tallies,
    extremes,
):
    """Draw death layouts until ``draws`` are kept (mortality log-rank P prints as reported) or
    ``max_tries`` are tried; add ventilation days to each kept one and score it (``joint_space``).

    ``tallies`` (rows :class:`JointTally`) and ``extremes`` (rows :class:`JointStatistic`)
    accumulate; ``hist`` counts ventilation-free log-rank chi-squares in bins of ``bin_width``.
    """
    np.random.seed(seed)
    last_bin = hist.shape[0] - 1
    da = np.zeros(horizon, dtype=np.int64)
    db = np.zeros(horizon, dtype=np.int64)
    chosen = np.zeros(max(deaths.max(), vents.max()), dtype=np.int64)
    while tallies[JointTally.KEPT] < draws and tallies[JointTally.TRIED] < max_tries:
        da[:] = 0
        db[:] = 0
        random_multiset(deaths[0], horizon, da, chosen)
        random_multiset(deaths[1], horizon, db, chosen)
        tallies[JointTally.TRIED] += 1
        if tallies[JointTally.TRIED] <= cox_sample:
            lr = cox_lr_chi2(da, db, n[0], n[1])
            widen(extremes, JointStatistic.DEATH_COX_LR_CHI2, lr)
            if within(lr, death_bounds):
                tallies[JointTally.DEATH_COX_LR_HITS] += 1
        x, v, w = logrank_terms(da, db, n[0], n[1])
        if not within(x * x / v, death_bounds):
            continue
        tallies[JointTally.KEPT] += 1
        widen(extremes, JointStatistic.DEATH_RMST_DIFFERENCE, restricted_mean_difference(da, db, n[0], n[1]))
        if tallies[JointTally.KEPT] <= cox_sample:
            widen(extremes, JointStatistic.DEATH_LOG_HR, cox_fit(da, db, n[0], n[1])[1])
        random_multiset(vents[0], horizon, da, chosen)
        random_multiset(vents[1], horizon, db, chosen)
        x, v, w = logrank_terms(da, db, n[0], n[1])
        lr, cs = x * x / v, x * x / w
        b = int(lr / bin_width)
        hist[b if b < last_bin else last_bin] += 1
        if within(lr, vf_bounds):
            tallies[JointTally.VF_LOGRANK_HITS] += 1
        if within(cs, vf_bounds):
            tallies[JointTally.VF_COX_SCORE_HITS] += 1
        widen(extremes, JointStatistic.VF_LOGRANK_CHI2, lr)
        widen(extremes, JointStatistic.VF_COX_SCORE_CHI2, cs)
        widen(extremes, JointStatistic.VF_RMST_DIFFERENCE, restricted_mean_difference(da, db, n[0], n[1]))
        if tallies[JointTally.KEPT] <= cox_sample:
            clr, log_hr = cox_fit(da, db, n[0], n[1])
            widen(extremes, JointStatistic.VF_COX_LR_CHI2, clr)
            widen(extremes, JointStatistic.VF_LOG_HR, log_hr)
            if within(clr, vf_bounds):
                tallies[JointTally.VF_COX_LR_HITS] += 1
