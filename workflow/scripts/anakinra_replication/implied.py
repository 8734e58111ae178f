"""What the reported numbers imply on their own, before any patient-level data.

Percentages of n patients pin down whole numbers of patients; from those follow relations
between outcomes (for example, whether ventilated patients and deaths can overlap). These are
findings about the report, computed from claims.yaml alone; the reconstruction builds on them.
"""

from __future__ import annotations

from typing import Any

from .claims import claim_index, reported_number
from .rounding import whole_counts_printing_as


def implied_counts(claims: list[dict[str, Any]], arms: list[str]) -> dict[str, dict[str, Any]]:
    """Per arm: n, the reported counts, and the whole numbers of survivors that each reported
    survival percentage allows, plus the relations between outcomes that follow."""
    index = claim_index(claims)
    result: dict[str, dict[str, Any]] = {}
    for arm in arms:
        n = int(index[("enrolled", arm, "n")]["value"])
        count = {o: int(c["value"]) for (o, a, k), c in index.items() if a == arm and k == "count"}
        survivors = {
            endpoint: whole_counts_printing_as(*reported_number(index[(endpoint, arm, "percent")]), n)
            for endpoint in ("survival", "vent_free_survival")
        }
        vf_events = [n - k for k in survivors["vent_free_survival"]]
        vent_plus_deaths = count["mech_vent"] + count["died"]
        result[arm] = {
            "n": n,
            "counts": count,
            "survivors_allowed": survivors["survival"],
            "vent_free_survivors_allowed": survivors["vent_free_survival"],
            "survival_is_one_minus_deaths": survivors["survival"] == [n - count["died"]],
            "vent_free_events_allowed": vf_events,
            "ventilations_plus_deaths": vent_plus_deaths,
            # Events of the combined endpoint = ventilations + deaths - patients with both.
            "ventilated_and_died_allowed": [vent_plus_deaths - e for e in vf_events],
            "improved_equals_vent_free_survivors": survivors["vent_free_survival"] == [count["resp_improved"]],
        }
    return result


def layout_counts(implied: dict[str, dict[str, Any]], claims: list[dict[str, Any]], arms: list[str]) -> dict[str, Any]:
    """What a layout of event days must hold, per arm (treated first): patients, deaths,
    ventilations (among survivors, as the counts imply), and the reported log-rank P values."""
    return {
        "n": tuple(implied[arm]["n"] for arm in arms),
        "deaths": tuple(implied[arm]["counts"]["died"] for arm in arms),
        "vents": tuple(implied[arm]["counts"]["mech_vent"] for arm in arms),
        "death_p": next(c["value"] for c in claims if (c["outcome"], c["kind"]) == ("survival", "p_value")),
        "vent_free_p": next(
            c["value"] for c in claims if (c["outcome"], c["kind"]) == ("vent_free_survival", "p_value")
        ),
    }
