"""Bayesian reanalysis of the risk ratio: normal priors on log RR and grid posteriors.

The grid posterior and its quadrature are written out here: short formulas no well-kept Python
library provides; scipy gives the normal distribution and numpy the Gauss-Legendre nodes. Nothing
is drawn at random, so every number is the same on every run.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import ndtri
from scipy.stats import norm

from .effect_measures import check_table


def normal_prior(centre_rr: float, effect_rr: float, probability: float) -> dict[str, float]:
    """Normal prior on log RR from its centre and the probability it puts beyond a stated effect.

    The prior is N(log centre, sd^2) with P(RR beyond ``effect_rr``) = ``probability``, beyond
    meaning below when effect_rr < centre_rr and above otherwise: sd = |log effect - log centre|
    / z(1 - probability). The usual way of stating sceptical and enthusiastic priors
    (Spiegelhalter, Freedman and Parmar 1994, J R Stat Soc A 157:357).
    """
    if effect_rr == centre_rr or not 0 < probability < 0.5:
        raise ValueError("the stated effect must differ from the centre and its probability lie in (0, 0.5)")
    sd = abs(math.log(effect_rr) - math.log(centre_rr)) / float(ndtri(1 - probability))
    return {"mean_log_rr": math.log(centre_rr), "sd_log_rr": sd}


def _quadrature_rule(nodes_per_panel: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre nodes and weights on [0, 1]: 100 equal panels, plus panels
    shrinking geometrically (down to 1e-12) towards both ends, where the integrand of a large
    arm with few or with nearly all events is concentrated."""
    ends = np.geomspace(1e-12, 1e-2, 21)
    breaks = np.unique(np.concatenate([np.linspace(0, 1, 101), ends, 1 - ends]))
    x, w = np.polynomial.legendre.leggauss(nodes_per_panel)
    left, width = breaks[:-1, None], np.diff(breaks)[:, None]
    return (left + (x[None, :] + 1) / 2 * width).ravel(), (w[None, :] / 2 * width).ravel()


def _log_marginal_likelihood(log_rr: np.ndarray, events_t: int, n_t: int, events_c: int, n_c: int) -> np.ndarray:
    """log of the mean, over the control risk p, of the likelihood
    p^e_c (1 - p)^(n_c - e_c) (RR p)^e_t (1 - RR p)^(n_t - e_t), at each log RR.

    The treated risk RR p must be a probability, so given RR the control risk is uniform on its
    allowed range [0, top], top = min(1, 1/RR), with density 1/top (a proper prior for every RR:
    the prior of log RR is then exactly the stated normal). With p = top s the mean is the
    integral over s in [0, 1] of the likelihood at p = top s (the 1/top of the density and the
    top of dp = top ds cancel). The integrand is a polynomial in s, integrated by the composite
    Gauss-Legendre rule of :func:`_quadrature_rule` (exact up to rounding for small arms, and
    resolving the narrow peak of large ones), summed on the log scale to avoid underflow. With
    no patients (all counts 0) it is 0: the joint prior itself.
    """
    s, w = _quadrature_rule()
    log_rr = np.asarray(log_rr, dtype=float)
    top = np.exp(-np.maximum(log_rr, 0.0))[:, None]  # min(1, 1/RR)
    treated_top = np.exp(np.minimum(log_rr, 0.0))[:, None]  # RR top = min(RR, 1)
    # log p = log top + log s and log(RR p) = log RR + log p: only the two log1p terms need the
    # full (log RR, s) table, and each is computed only when its count is not 0.
    log_f = np.broadcast_to(np.log(w)[None, :], (len(log_rr), len(s))).copy()
    if events_c + events_t:
        log_f += (events_c + events_t) * (np.log(top) + np.log(s)[None, :])
    if events_t:
        log_f += events_t * log_rr[:, None]
    if n_c - events_c:
        log_f += (n_c - events_c) * np.log1p(-top * s[None, :])
    if n_t - events_t:
        with np.errstate(divide="ignore"):
            log_f += (n_t - events_t) * np.log1p(-np.minimum(treated_top * s[None, :], 1.0))
    peak = np.max(log_f, axis=1, keepdims=True)
    return np.log(np.exp(log_f - peak).sum(axis=1)) + peak[:, 0]


def _grid_summary(grid: np.ndarray, density: np.ndarray, alpha: float, threshold_rr: float) -> dict[str, Any]:
    """Median, equal-tailed interval and tail probabilities of RR from a density of log RR on a grid."""
    steps = np.diff(grid)
    cdf = np.concatenate([[0.0], np.cumsum((density[1:] + density[:-1]) / 2 * steps)])
    total = cdf[-1]
    cdf, density = cdf / total, density / total

    def quantile(q: float) -> float:
        return math.exp(float(np.interp(q, cdf, grid)))

    def below(log_value: float) -> float:
        return float(np.interp(log_value, grid, cdf))

    return {
        "median": quantile(0.5),
        "ci_lower": quantile(alpha / 2),
        "ci_upper": quantile(1 - alpha / 2),
        "p_rr_below_1": below(0.0),
        "p_rr_below_threshold": below(math.log(threshold_rr)),
        "_density": density,
    }


def bayesian_risk_ratio(
    events_t: int,
    n_t: int,
    events_c: int,
    n_c: int,
    priors: dict[str, dict[str, float]],
    threshold_rr: float,
    alpha: float,
    grid_points: int = 4001,
    figure_points: int = 301,
) -> dict[str, Any]:
    """Posterior of the risk ratio under each named prior, by numerical integration on a grid.

    The model of published Bayesian reanalyses of two-arm mortality trials (e.g. Goligher et
    al. 2018, JAMA 320:2251): deaths ~ Binomial(n_c, p) in the control arm and
    Binomial(n_t, RR p) in the treated arm. The joint prior is exactly the stated one: log RR ~
    N(mean, sd) (:func:`normal_prior`, set from the clinically relevant effect, not from these
    data) and, given RR, p uniform on its allowed range [0, min(1, 1/RR)] (renormalised, see
    :func:`_log_marginal_likelihood`). The posterior of log RR is prior x marginal likelihood on
    ``grid_points`` points, normalised by the trapezoidal rule; no Monte Carlo, so the numbers
    are exact to the grid and the same on every run. Each prior has its own grid, over where its
    posterior density exceeds 1e-12 of its peak (found on a first, coarser grid). Per prior:
    the posterior median and equal-tailed 1 - ``alpha`` interval of RR, P(RR < 1) and P(RR <
    ``threshold_rr``); the same two probabilities under the prior (``prior_p_...``), integrated
    from the joint prior on its own grid over the mean +- 10 sd (they equal the normal cdf; the
    tests check it). ``density``: each posterior density of log RR on a shared grid of
    ``figure_points``.
    """
    check_table(events_t, n_t, events_c, n_c)
    means = [p["mean_log_rr"] for p in priors.values()]
    sds = [p["sd_log_rr"] for p in priors.values()]
    low, high = min(m - 10 * s for m, s in zip(means, sds)), max(m + 10 * s for m, s in zip(means, sds))

    def log_posterior(grid: np.ndarray, prior: dict[str, float], log_lik: np.ndarray | None = None) -> np.ndarray:
        if log_lik is None:
            log_lik = _log_marginal_likelihood(grid, events_t, n_t, events_c, n_c)
        return log_lik + norm.logpdf(grid, prior["mean_log_rr"], prior["sd_log_rr"])

    # Each prior's posterior on its own grid, so that a narrow posterior gets as many points as a wide one.
    coarse = np.linspace(low, high, 801)
    coarse_lik = _log_marginal_likelihood(coarse, events_t, n_t, events_c, n_c)
    grids = {}
    for name, prior in priors.items():
        values = log_posterior(coarse, prior, coarse_lik)
        where = np.flatnonzero(values > np.max(values) + math.log(1e-12))
        grids[name] = np.linspace(
            coarse[max(where[0] - 1, 0)], coarse[min(where[-1] + 1, len(coarse) - 1)], grid_points
        )
    shown = np.linspace(min(g[0] for g in grids.values()), max(g[-1] for g in grids.values()), figure_points)
    result: dict[str, Any] = {
        "threshold_rr": threshold_rr,
        "grid_points": grid_points,
        "priors": {},
        "density": {"log_rr": [float(v) for v in shown], "posterior": {}},
    }
    for name, grid in grids.items():
        values = log_posterior(grid, priors[name])
        summary = _grid_summary(grid, np.exp(values - np.max(values)), alpha, threshold_rr)
        density = summary.pop("_density")
        prior = _prior_summary(priors[name], alpha, threshold_rr, grid_points)
        result["priors"][name] = {
            "prior": priors[name],
            **summary,
            "prior_p_rr_below_1": prior["p_rr_below_1"],
            "prior_p_rr_below_threshold": prior["p_rr_below_threshold"],
        }
        result["density"]["posterior"][name] = [float(v) for v in np.interp(shown, grid, density, left=0, right=0)]
    return result


def _prior_summary(prior: dict[str, float], alpha: float, threshold_rr: float, grid_points: int) -> dict[str, Any]:
    """Tail probabilities of RR under the joint prior (no data), integrated as the posteriors are:
    the mean over p of a likelihood with no patients (:func:`_log_marginal_likelihood`, 0 for a
    proper prior on p) times the normal density of log RR, on a grid over the mean +- 10 sd."""
    m, sd = prior["mean_log_rr"], prior["sd_log_rr"]
    grid = np.linspace(m - 10 * sd, m + 10 * sd, grid_points)
    log_density = _log_marginal_likelihood(grid, 0, 0, 0, 0) + norm.logpdf(grid, m, sd)
    summary = _grid_summary(grid, np.exp(log_density - np.max(log_density)), alpha, threshold_rr)
    summary.pop("_density")
    return summary


PRIOR_NUMBERS = ("centre_rr", "effect_rr", "probability")


def threshold_role(prior: dict[str, float], threshold_rr: float) -> str | None:
    """How a prior is tied to the clinically relevant risk ratio: its stated effect is it
    (``effect``), it is centred on it (``centre``) or on its mirror image 1/threshold
    (``mirrored_centre``); None when neither number is."""
    if math.isclose(prior["effect_rr"], threshold_rr):
        return "effect"
    if math.isclose(prior["centre_rr"], threshold_rr):
        return "centre"
    if math.isclose(prior["centre_rr"], 1 / threshold_rr):
        return "mirrored_centre"
    return None


def prior_definitions(settings: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each named prior of the config (centre RR, a stated effect RR and the prior probability
    beyond it; its reason, words for the reader, stays in the config) with its normal distribution
    on log RR and how it is tied to the clinically relevant risk ratio (:func:`threshold_role`)."""
    threshold = settings["clinically_relevant_rr"]
    out: dict[str, dict[str, Any]] = {}
    for name, p in settings["priors"].items():
        numbers = {k: p[k] for k in PRIOR_NUMBERS}
        out[name] = {
            **numbers,
            **normal_prior(p["centre_rr"], p["effect_rr"], p["probability"]),
            "threshold_role": threshold_role(numbers, threshold),
        }
    return out


def prior_weights(priors: dict[str, dict[str, Any]], risk_ratio: dict[str, Any], patients: int) -> dict[str, Any]:
    """Each prior's weight beside the data's, on the scale of log RR.

    The data's information about log RR is about 1 / SE^2, SE the standard error of the log risk
    ratio (Katz, from ``risk_ratio``'s ``se_log``; on the corrected table when a zero cell was
    corrected); a normal prior's is 1 / SD^2. ``prior_to_data`` = SE^2 / SD^2 is the prior's
    information in units of the data's: above 1 the prior outweighs the data. ``patient_equivalents``
    = ``patients`` x ``prior_to_data``: how many patients in the same proportions and with the same
    risks as this cohort would carry the prior's information (the variance of log RR falls as
    1 / patients). Without a standard error (no risk ratio) both are None, with the risk ratio's
    reason and fields under ``data``.
    """
    se = risk_ratio.get("se_log")
    data: dict[str, Any] = {"se_log_rr": se, "patients": patients, "method": "katz_log"}
    if se is None:
        data.update({k: risk_ratio[k] for k in ("reason", "event") if k in risk_ratio})
    if "continuity_correction" in risk_ratio:
        data["continuity_correction"] = risk_ratio["continuity_correction"]
    weights = {}
    for name, prior in priors.items():
        ratio = None if se is None else se**2 / prior["sd_log_rr"] ** 2
        weights[name] = {
            "prior_to_data": ratio,
            "patient_equivalents": None if ratio is None else patients * ratio,
        }
    return {"data": data, "priors": weights}
