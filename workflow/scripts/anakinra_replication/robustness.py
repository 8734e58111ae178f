"""How robust is the reported benefit? Every robustness statistic of both endpoints, together.

The events are adverse (death; ventilation or death), so a negative risk difference and a risk
ratio below 1 favour the treated arm. Every comparison is treated (``arms[0]``) minus or over
control (``arms[1]``). The statistics live in modules by topic, each returning plain data
(JSON-serialisable without NaN or infinity) with codes, never words, for a missing statistic
(``reason``) and a method (``method``); ``statistic_words`` holds their English:

- ``effect_measures``: risk difference, risk ratio, odds ratio, number needed to treat;
- ``time_to_event``: Cox hazard ratio with the proportional-hazards test, RMST;
- ``fragility``: fragility and reverse fragility index;
- ``bayes``: the Bayesian reanalysis of the risk ratio;
- ``e_value``: the E-value (VanderWeele and Ding 2017).

Every result is the same for any order of the cohort's rows: the cohort is sorted by
``patient_id`` first, and nothing is drawn at random.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .bayes import bayesian_risk_ratio, prior_definitions, prior_weights
from .e_value import e_value
from .effect_measures import not_estimable, risk_measures
from .fragility import fragility_index
from .survival import endpoint_times
from .time_to_event import cox_hazard_ratio, rmst_difference

# Binary event of each time-to-event endpoint (the endpoint names are those of outcomes.ENDPOINTS).
BINARY_EVENTS = {"survival": "died", "vent_free_survival": "died_or_ventilated"}


def canonical_order(cohort: pd.DataFrame) -> pd.DataFrame:
    """The cohort sorted by patient_id, so that no result depends on the order of its rows."""
    return cohort.sort_values("patient_id", kind="stable").reset_index(drop=True)


def robustness_numbers(
    cohort: pd.DataFrame, arms: list[str], horizon: int, alpha: float, settings: dict[str, Any]
) -> dict[str, Any]:
    """Every robustness statistic (see the module docstring) for death and for ventilation or death.

    Keyed by time-to-event endpoint (``survival``, ``vent_free_survival``); the binary measures
    use that endpoint's event by ``horizon`` (death; ventilation or death). ``settings`` is the
    ``robustness`` block of the config: ``bayes``, with the ``clinically_relevant_rr``, the grid
    size and the named ``priors``.
    """
    cohort = canonical_order(cohort)
    numeric = ("clinically_relevant_rr", "probable_at", "grid_points")  # the config's words stay there
    bayes = {
        **{k: settings["bayes"][k] for k in numeric},
        "priors": prior_definitions(settings["bayes"]),
    }
    numbers: dict[str, Any] = {
        "settings": {"arms": list(arms), "horizon_days": horizon, "alpha": alpha, "bayes": bayes}
    }
    for endpoint, event in BINARY_EVENTS.items():
        numbers[endpoint] = endpoint_numbers(endpoint_times(cohort, endpoint), arms, horizon, alpha, event, bayes)
    return numbers


def endpoint_numbers(
    times: pd.DataFrame, arms: list[str], horizon: int, alpha: float, event: str, bayes: dict[str, Any]
) -> dict[str, Any]:
    """Every robustness statistic of one endpoint (``times`` from ``survival.endpoint_times``);
    the binary measures count its ``event`` by ``horizon``; ``bayes`` holds the priors, defined."""
    by_horizon = (times["event"] == 1) & (times["day"] <= horizon)
    (e_t, n_t), (e_c, n_c) = (
        (int(by_horizon[times["arm"] == arm].sum()), int((times["arm"] == arm).sum())) for arm in arms
    )
    risk = risk_measures(e_t, n_t, e_c, n_c, alpha, event)
    return {
        "event": event,
        "risk": risk,
        "fragility": fragility_index(e_t, n_t, e_c, n_c, alpha),
        "e_value": risk_ratio_e_value(risk["risk_ratio"]),
        "bayes": bayes_with_weights(
            bayesian_risk_ratio(
                e_t, n_t, e_c, n_c, bayes["priors"], bayes["clinically_relevant_rr"], alpha, bayes["grid_points"]
            ),
            prior_weights(bayes["priors"], risk["risk_ratio"], n_t + n_c),
        ),
        "cox": cox_hazard_ratio(times, arms, alpha, event),
        "rmst": rmst_difference(times, arms, horizon, alpha),
    }


def bayes_with_weights(bayes: dict[str, Any], weights: dict[str, Any]) -> dict[str, Any]:
    """The Bayesian reanalysis with the data's standard error of log RR (``data``) and, per prior,
    its weight beside the data's (``weight``; :func:`anakinra_replication.bayes.prior_weights`)."""
    priors = {name: {**post, "weight": weights["priors"][name]} for name, post in bayes["priors"].items()}
    return {**bayes, "data": weights["data"], "priors": priors}


def risk_ratio_e_value(rr: dict[str, Any]) -> dict[str, Any]:
    """The E-value of a risk ratio result (flagged ``continuity_correction`` when the ratio is
    corrected), or, when the ratio is not estimable, None with the ratio's reason and fields."""
    if rr["estimate"] is None:
        fields = {k: v for k, v in rr.items() if k not in ("estimate", "reason", "method", "ci_lower", "ci_upper")}
        return not_estimable(rr["reason"], **fields, e_value=None, e_value_ci=None)
    flags = {"continuity_correction": rr["continuity_correction"]} if "continuity_correction" in rr else {}
    return {**e_value(rr["estimate"], rr["ci_lower"], rr["ci_upper"]), **flags}
