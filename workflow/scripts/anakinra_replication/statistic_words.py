"""The English of the statistics' codes: why a statistic is missing, and how it was computed.

The statistics modules (``proportions``, ``survival``, ``effect_measures``, ``time_to_event``,
``fragility``, ``bayes``, ``robustness``) return machine codes, as lifelines and statsmodels
return typed results: ``reason`` (or ``ci_reason``, ``reverse_reason``) when a statistic cannot
be estimated, beside the fields its words need (``event``, ``arm``, ``horizon_days``, ...), and
``method`` for how a statistic was computed. This module holds the one sentence of each code and
formats it with the result's fields; tables, questions, the manuscript metadata and the
verification notes call it. It computes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What the adverse event of a comparison is called in a sentence (codes: outcomes' binary events).
EVENT_WORDS = {"died": "deaths", "died_or_ventilated": "ventilations or deaths", "event": "events"}

# Why a statistic is missing: code -> template, formatted with the result's fields (and those of _fields).
REASONS: dict[str, str] = {
    # proportions
    "no_patients": "no patients in this arm",
    "no_patients_in_group": "no patients in this group",
    "no_ages": "no patient of this group has an age",
    # survival: Kaplan-Meier and log-rank
    "followup_ends_before_horizon": "follow-up in this arm ends on day {last_followup_day}, before day {horizon_days}",
    "no_event_by_horizon": "the log(-log) interval is undefined when survival is 1 (no event by day {horizon_days})",
    "all_events_by_horizon": (
        "the log(-log) interval is undefined when survival is 0 (every patient had the event by day {horizon_days})"
    ),
    "no_patients_in_arm": "no patients in arm {arm}",
    "no_events": "no events in either arm",
    "zero_variance": (
        "the test's variance is zero (at every event time one arm has nobody at risk, "
        "or everybody at risk has the event)"
    ),
    # effect measures
    "equal_risks": "the risks are equal: no number of patients treated changes one outcome",
    "no_events_either_arm": "no {event_words} in either arm",
    "all_events_both_arms": "every patient of both arms had the event ({event_words})",
    "zero_cell_unbounded": "a zero cell: the conditional estimate or a limit of its interval is 0 or infinite",
    # time to event: Cox model and its proportional-hazards test
    "no_events_in_arm": "no {event_words} in the {arms_without_events_words}: the Cox estimate is not finite",
    "no_finite_maximum": "the Cox partial likelihood has no finite maximum (the arms' event times do not overlap)",
    "no_hazard_ratio": "no hazard ratio to test",
    "one_event_time": "fewer than two distinct event times: nothing varies with time",
    # fragility
    "significant_whatever_changes": (
        "P stays below alpha even when every patient of the {modified_arm} arm has the event"
    ),
    "not_significant": (
        "not significant at alpha = {alpha} (Fisher P = {p_value_start:.3g}): the fragility index is "
        "undefined; the reverse fragility index is given instead"
    ),
    "no_change_significant": "no change of outcomes within one arm makes the comparison significant",
}

# How a statistic was computed: code -> words (the functions' docstrings give the references).
METHODS: dict[str, str] = {
    "newcombe_hybrid_score": "Newcombe hybrid score (method 10)",
    "katz_log": "log (Katz)",
    "exact_conditional": "exact conditional",
    "cox_zph_km": "score test of x * g(t), g = 1 - KM(t-) (R survival 3.x cox.zph, transform 'km')",
    "survrm2_asymptotic": (
        "asymptotic (R survRM2 rmst2): difference +- z sqrt(v_treated + v_control), "
        "Greenwood-type variance of each Kaplan-Meier area"
    ),
}
CONTINUITY_WORDS = "{continuity_correction} added to every cell (a zero cell)"


def _fields(result: Mapping[str, Any]) -> dict[str, Any]:
    """The result's fields, and the words made from them (``event_words``, ``arms_without_events_words``)."""
    fields = dict(result)
    if "event" in result:
        fields["event_words"] = EVENT_WORDS[result["event"]]
    if "arms_without_events" in result:
        arms = result["arms_without_events"]
        fields["arms_without_events_words"] = " or the ".join(arms) + (" arms" if len(arms) > 1 else " arm")
    return fields


def reason_words(result: Mapping[str, Any], key: str = "reason") -> str:
    """Why a statistic is missing, in words: the template of ``result[key]`` filled with its fields."""
    return REASONS[result[key]].format_map(_fields(result))


def missing_words(result: Mapping[str, Any], keys: tuple[str, ...] = ("reason", "ci_reason")) -> str:
    """The words of the first of ``keys`` the result gives a reason under, or "" if it gives none."""
    key = next((k for k in keys if result.get(k)), None)
    return reason_words(result, key) if key else ""


def method_words(result: Mapping[str, Any]) -> str:
    """How a statistic was computed, in words, with the continuity correction when one was added."""
    words = METHODS[result["method"]]
    if "continuity_correction" in result:
        words += ", " + CONTINUITY_WORDS.format_map(result)
    return words
