"""Time-to-event comparisons of two arms: Cox hazard ratio, proportional-hazards test, RMST.

- Hazard ratio: lifelines (statsmodels as a cross-check). The proportional-hazards test is
  R's ``cox.zph`` (survival 3.x, transform "km"), written out here; lifelines' version differs.
- Restricted mean survival time: lifelines; the interval of the difference is the asymptotic
  one of R's survRM2 (``rmst2``), its variance written out here (no Python library has it).

Each function takes a frame of ``arm``, ``day`` and ``event`` (``survival.endpoint_times``) and
returns plain data; what cannot be estimated is ``None`` beside a ``reason`` code, and a method
is a code (``method``); their words are in ``statistic_words``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.exceptions import ConvergenceError
from lifelines.utils import restricted_mean_survival_time
from scipy.special import ndtri
from scipy.stats import chi2
from statsmodels.duration.hazard_regression import PHReg

from .effect_measures import not_estimable


def _cox_frame(times: pd.DataFrame, arms: list[str]) -> pd.DataFrame:
    """Rows of the two arms with a 0/1 ``treated`` column (1 = ``arms[0]``)."""
    rows = times[times["arm"].isin(arms)]
    return pd.DataFrame(
        {
            "day": rows["day"].astype(float).to_numpy(),
            "event": rows["event"].astype(int).to_numpy(),
            "treated": (rows["arm"] == arms[0]).astype(int).to_numpy(),
        }
    )


def km_time_transform(day: np.ndarray, event: np.ndarray) -> np.ndarray:
    """g(t) = 1 - S(t-), S the Kaplan-Meier curve of both arms together, at each row's time:
    R's cox.zph(transform = "km") (survival 3.x: survfitKM, then findInterval(left.open = TRUE))."""
    times = np.unique(day)
    at_risk = np.array([(day >= t).sum() for t in times], dtype=float)
    deaths = np.array([((day == t) & event).sum() for t in times], dtype=float)
    surv = np.cumprod(1 - deaths / at_risk)
    before = np.concatenate([[1.0], surv])[np.searchsorted(times, day, side="left")]
    return 1 - before


def ph_test_km(day: np.ndarray, event: np.ndarray, x: np.ndarray, beta: float) -> dict[str, Any]:
    """Score test of proportional hazards for one covariate, as R's ``cox.zph`` (survival 3.x).

    Written by hand because lifelines' ``proportional_hazard_test`` is the older approximation
    and numbers tied times in data order. R (src/zph1.c) adds x g(t) to the model and computes
    the score test of its coefficient at (beta_hat, 0): with U = sum over events of
    g(t) (x - xbar(t)) and the 2x2 information I of (x, x g), T = U^2 / (I_gg - I_xg^2 / I_xx),
    chi-squared with 1 df. Ties by Efron's approximation, g centred on its mean over events.
    """
    event = event.astype(bool)
    g = km_time_transform(day, event)
    g = g - g[event].mean()
    x = x - x.mean()
    w = np.exp(beta * x)
    u = i_xx = i_xg = i_gg = 0.0
    for t in np.unique(day[event]):
        dead, others = (day == t) & event, (day > t) | ((day == t) & ~event)
        d, gt = int(dead.sum()), float(g[dead][0])
        for k in range(1, d + 1):  # Efron: the deaths enter the sums k/d at a time
            denom = w[others].sum() + k / d * w[dead].sum()
            mean = ((w * x)[others].sum() + k / d * (w * x)[dead].sum()) / denom
            var = ((w * x * x)[others].sum() + k / d * (w * x * x)[dead].sum()) / denom - mean**2
            u -= gt * mean
            i_xx, i_xg, i_gg = i_xx + var, i_xg + gt * var, i_gg + gt * gt * var
        u += gt * x[dead].sum()
    denominator = i_gg - i_xg**2 / i_xx if i_xx > 0 else 0.0
    if not denominator > 1e-12 * max(i_gg, 1e-300):
        return {
            **not_estimable("one_event_time"),
            "statistic": None,
            "p_value": None,
            "df": 1,
            "time_transform": "km",
        }
    statistic = float(u * u / denominator)
    return {
        "statistic": statistic,
        "p_value": float(chi2.sf(statistic, 1)),
        "df": 1,
        "time_transform": "km",
        "method": "cox_zph_km",
    }


def cox_hazard_ratio(times: pd.DataFrame, arms: list[str], alpha: float, event: str = "event") -> dict[str, Any]:
    """Hazard ratio treated vs control: Cox model, Efron ties, Wald interval and P (lifelines),
    with the proportional-hazards test of :func:`ph_test_km`.

    With no event in an arm the partial likelihood has no maximum (the estimate runs to 0 or
    infinity): the hazard ratio is then None, reason ``no_events_in_arm`` with the ``event`` code
    and ``arms_without_events``; when lifelines finds no maximum, reason ``no_finite_maximum``.
    """
    frame = _cox_frame(times, arms)
    base = {"events": int(frame["event"].sum()), "n": len(frame), "ties": "efron"}
    empty = [arm for arm in arms if frame.loc[frame["treated"] == (arm == arms[0]), "event"].sum() == 0]
    if empty:
        return _cox_not_estimable(base, "no_events_in_arm", event=event, arms_without_events=empty)
    try:
        # lifelines' default Newton-Raphson stopping rule (precision 1e-7) can leave the log HR
        # about 1e-6 from the maximum; a tighter rule costs a few steps more.
        cph = CoxPHFitter(alpha=alpha).fit(
            frame, duration_col="day", event_col="event", fit_options={"precision": 1e-12}
        )
    except ConvergenceError:
        return _cox_not_estimable(base, "no_finite_maximum")
    row = cph.summary.loc["treated"]
    low, high = cph.confidence_intervals_.loc["treated"]
    beta = float(row["coef"])
    return {
        "hazard_ratio": math.exp(beta),
        "ci_lower": math.exp(float(low)),
        "ci_upper": math.exp(float(high)),
        "log_hr": beta,
        "se_log_hr": float(row["se(coef)"]),
        "z": float(row["z"]),
        "p_value": float(row["p"]),
        **base,
        "ph_test": ph_test_km(
            frame["day"].to_numpy(), frame["event"].to_numpy(), frame["treated"].to_numpy(float), beta
        ),
    }


def _cox_not_estimable(base: dict[str, Any], reason: str, **fields: Any) -> dict[str, Any]:
    """A Cox result without a hazard ratio (reason code and its fields), and so without a PH test."""
    ph_test = {**not_estimable("no_hazard_ratio"), "statistic": None, "p_value": None, "df": 1, "time_transform": "km"}
    return {
        **not_estimable(reason, **fields),
        "hazard_ratio": None,
        "ci_lower": None,
        "ci_upper": None,
        "p_value": None,
        **base,
        "ph_test": ph_test,
    }


def cox_hazard_ratio_statsmodels(times: pd.DataFrame, arms: list[str]) -> dict[str, float]:
    """Log hazard ratio and its standard error from statsmodels' PHReg (Efron ties); a cross-check."""
    frame = _cox_frame(times, arms)
    fit = PHReg(
        frame["day"].to_numpy(),
        frame[["treated"]].to_numpy(dtype=float),
        status=frame["event"].to_numpy(),
        ties="efron",
    ).fit()
    return {"log_hr": float(fit.params[0]), "se_log_hr": float(fit.bse[0])}


def km_rmst_variance(day: np.ndarray, event: np.ndarray, horizon: float) -> tuple[float, float]:
    """Area under the Kaplan-Meier curve from 0 to ``horizon`` and the variance of that area.

    The variance is survRM2's (``rmst1`` in R's survRM2, Uno et al.; Klein and Moeschberger
    2003, section 4.5), a Greenwood-type formula: over the distinct event times t_j <= horizon,
    with d_j events among Y_j at risk and A_j the area under the curve from t_j to the horizon,
    var = sum_j A_j^2 d_j / (Y_j (Y_j - d_j)), a term being 0 when Y_j = d_j (the curve is 0
    after t_j, so A_j is 0 too). Written by hand: lifelines' ``restricted_mean_survival_time``
    returns the variance of min(T, horizon), not of its estimate; the tests check both numbers
    against R.
    """
    day, event = np.asarray(day, dtype=float), np.asarray(event, dtype=bool)
    steps = np.unique(day[event & (day <= horizon)])
    at_risk = (day[:, None] >= steps[None, :]).sum(axis=0).astype(float)
    deaths = ((day[:, None] == steps[None, :]) & event[:, None]).sum(axis=0).astype(float)
    survival = np.cumprod(1 - deaths / at_risk)
    widths_after = np.diff(np.concatenate([steps, [horizon]]))
    area_after = np.cumsum((survival * widths_after)[::-1])[::-1]  # A_j
    area = float(np.concatenate([[1.0], survival]) @ np.diff(np.concatenate([[0.0], steps, [horizon]])))
    survivors = at_risk - deaths
    terms = np.divide(deaths, at_risk * survivors, out=np.zeros_like(deaths), where=survivors > 0)
    return area, float((area_after**2 * terms).sum())


def rmst_difference(times: pd.DataFrame, arms: list[str], horizon: float, alpha: float) -> dict[str, Any]:
    """Restricted mean survival time to ``horizon`` per arm and its difference (treated - control).

    Per arm: lifelines' ``restricted_mean_survival_time`` of a KaplanMeierFitter (Royston and
    Parmar 2013, BMC Med Res Methodol 13:152), with the variance of :func:`km_rmst_variance`.
    Interval of the difference as R's survRM2 ``rmst2`` computes it: difference +- z sqrt(v_t +
    v_c), the arms independent. No resampling, so the limits are the same on every run.
    """
    z = float(ndtri(1 - alpha / 2))
    estimates, variances = {}, {}
    for arm in arms:
        rows = times[times["arm"] == arm]
        day, event = rows["day"].to_numpy(dtype=float), rows["event"].to_numpy(dtype=int)
        kmf = KaplanMeierFitter().fit(day, event)
        estimates[arm] = float(restricted_mean_survival_time(kmf, t=horizon))
        variances[arm] = km_rmst_variance(day, event, horizon)[1]
    difference = estimates[arms[0]] - estimates[arms[1]]
    se = math.sqrt(variances[arms[0]] + variances[arms[1]])
    return {
        "horizon_days": float(horizon),
        "treated": estimates[arms[0]],
        "control": estimates[arms[1]],
        "se_treated": math.sqrt(variances[arms[0]]),
        "se_control": math.sqrt(variances[arms[1]]),
        "difference": difference,
        "se_difference": se,
        "ci_lower": difference - z * se,
        "ci_upper": difference + z * se,
        "method": "survrm2_asymptotic",
    }
