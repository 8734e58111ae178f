"""Ventilation-free survival over the joint space of death and ventilation days (Monte Carlo).

Adding ventilation days to the death days gives about 10^15 joint layouts, too many to list.
Draws are made uniformly over layouts (each multiset of days counts once): a death layout is
drawn and kept only if its log-rank P prints as reported (rejection, so kept layouts are
uniform among those), then ventilation days are drawn for the ventilated survivors, and the
ventilation-free log-rank P is scored. Numba, seeded; one stream per Snakemake job.

Along the way, on the first ``cox_sample`` draws, the Cox likelihood-ratio test (Breslow ties)
is computed by Newton's method: on raw death layouts (for mortality) and on kept joint layouts
(for ventilation-free survival). statsmodels' PHReg is the reference in the tests.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from .event_space import chi2_bounds, p_value


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
def _draw(seed, draws, max_tries, cox_sample, n, deaths, vents, horizon, death_bounds, vf_bounds, bin_width,
          hist, tallies, extremes):
    """Kept draws: tallies = [tried, kept, vf_lr_hits, vf_cs_hits, vf_lr_sample_hits, death_lr_sample_hits];
    extremes = min, max of: vf log-rank, vf Cox score, vf Cox LR, death Cox LR (raw draws),
    death log HR, death RMST difference, vf log HR, vf RMST difference (kept draws)."""
    np.random.seed(seed)
    last_bin = hist.shape[0] - 1
    da = np.zeros(horizon, dtype=np.int64)
    db = np.zeros(horizon, dtype=np.int64)
    chosen = np.zeros(max(deaths.max(), vents.max()), dtype=np.int64)
    while tallies[1] < draws and tallies[0] < max_tries:
        da[:] = 0
        db[:] = 0
        random_multiset(deaths[0], horizon, da, chosen)
        random_multiset(deaths[1], horizon, db, chosen)
        tallies[0] += 1
        if tallies[0] <= cox_sample:
            lr = cox_lr_chi2(da, db, n[0], n[1])
            extremes[6] = min(extremes[6], lr)
            extremes[7] = max(extremes[7], lr)
            if death_bounds[0] < lr <= death_bounds[1]:
                tallies[5] += 1
        x, v, w = logrank_terms(da, db, n[0], n[1])
        if not (death_bounds[0] < x * x / v <= death_bounds[1]):
            continue
        tallies[1] += 1
        rmst = restricted_mean_difference(da, db, n[0], n[1])
        extremes[10] = min(extremes[10], rmst)
        extremes[11] = max(extremes[11], rmst)
        if tallies[1] <= cox_sample:
            log_hr = cox_fit(da, db, n[0], n[1])[1]
            extremes[8] = min(extremes[8], log_hr)
            extremes[9] = max(extremes[9], log_hr)
        random_multiset(vents[0], horizon, da, chosen)
        random_multiset(vents[1], horizon, db, chosen)
        x, v, w = logrank_terms(da, db, n[0], n[1])
        lr, cs = x * x / v, x * x / w
        b = int(lr / bin_width)
        hist[b if b < last_bin else last_bin] += 1
        if vf_bounds[0] < lr <= vf_bounds[1]:
            tallies[2] += 1
        if vf_bounds[0] < cs <= vf_bounds[1]:
            tallies[3] += 1
        extremes[0] = min(extremes[0], lr)
        extremes[1] = max(extremes[1], lr)
        extremes[2] = min(extremes[2], cs)
        extremes[3] = max(extremes[3], cs)
        rmst = restricted_mean_difference(da, db, n[0], n[1])
        extremes[14] = min(extremes[14], rmst)
        extremes[15] = max(extremes[15], rmst)
        if tallies[1] <= cox_sample:
            clr, log_hr = cox_fit(da, db, n[0], n[1])
            extremes[4] = min(extremes[4], clr)
            extremes[5] = max(extremes[5], clr)
            extremes[12] = min(extremes[12], log_hr)
            extremes[13] = max(extremes[13], log_hr)
            if vf_bounds[0] < clr <= vf_bounds[1]:
                tallies[4] += 1


def draw_stream(seed: int, draws: int, cox_sample: int, n: tuple[int, int], deaths: tuple[int, int],
                vents: tuple[int, int], horizon: int, death_p: str, vent_free_p: str,
                bin_width: float, bins: int) -> dict[str, Any]:
    """One seeded stream of ``draws`` kept joint layouts; see :func:`merge_streams`."""
    hist = np.zeros(bins, dtype=np.int64)
    tallies = np.zeros(6, dtype=np.int64)
    extremes = np.array([np.inf, -np.inf] * 8)
    max_tries = 1000 * draws  # rejection stops here: the reported P would be all but unattainable
    _draw(seed, draws, max_tries, cox_sample, np.array(n), np.array(deaths), np.array(vents), horizon,
          np.array(chi2_bounds(death_p)), np.array(chi2_bounds(vent_free_p)), bin_width, hist, tallies, extremes)
    if tallies[1] < draws:
        raise RuntimeError(f"only {tallies[1]} of {tallies[0]} death-day layouts drawn give P printing as "
                           f"{death_p}; {draws} were wanted")
    names = ["tried", "kept", "vf_logrank_hits", "vf_cox_score_hits", "vf_cox_lr_hits", "death_cox_lr_hits"]
    return {**dict(zip(names, map(int, tallies))), "extremes": extremes.tolist(), "histogram": hist.tolist(),
            "cox_sample": min(cox_sample, draws)}


def merge_streams(streams: list[dict[str, Any]], alpha: float) -> dict[str, Any]:
    """Gather the streams: the fraction of kept joint layouts whose ventilation-free P prints as
    reported, with a Wilson interval (statsmodels), and the ranges seen."""
    from statsmodels.stats.proportion import proportion_confint

    total = lambda key: sum(s[key] for s in streams)  # noqa: E731 - sum of one tally over streams
    kept, hits, sample = total("kept"), total("vf_logrank_hits"), total("cox_sample")
    low, high = proportion_confint(hits, kept, alpha=alpha, method="wilson")
    ext = np.array([s["extremes"] for s in streams])
    p_range = lambda col: {"p_min": p_value(ext[:, col + 1].max()), "p_max": p_value(ext[:, col].min())}  # noqa: E731
    return {
        "tried": total("tried"), "kept": kept, "acceptance": kept / total("tried"),
        "logrank": {"printing_as_reported": hits, "fraction": hits / kept,
                    "fraction_ci": [float(low), float(high)], **p_range(0)},
        "cox_score": {"printing_as_reported": total("vf_cox_score_hits"), "fraction": total("vf_cox_score_hits") / kept,
                      **p_range(2)},
        "cox_lr": {"sample": sample, "printing_as_reported": total("vf_cox_lr_hits"),
                   "fraction": total("vf_cox_lr_hits") / sample, **p_range(4)},
        "death_cox_lr": {"sample": sample, "printing_as_reported": total("death_cox_lr_hits"),
                         "fraction": total("death_cox_lr_hits") / sample, **p_range(6)},
        "histogram": {"counts": [sum(c) for c in zip(*(s["histogram"] for s in streams))]},
        # Over death layouts reproducing the mortality P (and, for vent-free, the joint draws):
        "effect_ranges": {
            "survival": {"hazard_ratio": [float(np.exp(ext[:, 8].min())), float(np.exp(ext[:, 9].max()))],
                         "rmst_difference": [float(ext[:, 10].min()), float(ext[:, 11].max())]},
            "vent_free_survival": {"hazard_ratio": [float(np.exp(ext[:, 12].min())), float(np.exp(ext[:, 13].max()))],
                                   "rmst_difference": [float(ext[:, 14].min()), float(ext[:, 15].max())]},
        },
    }
