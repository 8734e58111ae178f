"""The event days of a cohort beside the even spread the reconstruction starts from.

Event days were not reported. The reconstruction places the k-th of m events of an arm on day
round(H k / (m + 1)) and moves them only as far as the reported log-rank P requires. This module
shows, for any cohort, the days it holds beside that even spread and how far each lies from it,
so that a reader can redo the method by hand and tell a P value that followed from the rule
unchanged from one that needed days moved. Standard library only: the verification step imports it.
"""

from __future__ import annotations

from typing import Any

from .rounding import printed

# Event -> the cohort's yes/no column and day column.
EVENTS = {"death": ("died", "death_day"), "mech_vent": ("mech_vent", "mech_vent_day")}
# Time-to-event endpoint -> the events whose days it depends on.
ENDPOINT_EVENTS = {"survival": ("death",), "vent_free_survival": ("death", "mech_vent")}


def evenly_spread_days(m: int, horizon_days: int) -> list[int]:
    """Days of m events spread evenly over follow-up: the k-th on round(H k / (m + 1)), halves up."""
    return [int(printed(horizon_days * k / (m + 1), 0)) for k in range(1, m + 1)]


def event_day_table(relations: dict[str, Any], arms: list[str], horizon_days: int) -> dict[str, Any]:
    """Per event and arm: the cohort's days in order, the evenly spread days for as many events,
    and how many days each lies from its even-spread day (rank by rank); ``moved`` per event is
    the total over both arms. ``relations`` is numbers.json's block of that name (per arm, the
    sorted days of each event)."""
    table: dict[str, Any] = {}
    for event, (_, day_column) in EVENTS.items():
        per_arm = {}
        for arm in arms:
            days = relations[arm][f"{day_column}s"]
            even = evenly_spread_days(len(days), horizon_days)
            per_arm[arm] = {"days": days, "even_spread": even, "moved": [abs(d - e) for d, e in zip(days, even)]}
        table[event] = {"arms": per_arm, "moved": sum(sum(x["moved"]) for x in per_arm.values())}
    return table


def days_moved(table: dict[str, Any], endpoint: str) -> int:
    """Total days moved, over both arms, among the events a time-to-event endpoint depends on."""
    return sum(table[event]["moved"] for event in ENDPOINT_EVENTS[endpoint])
