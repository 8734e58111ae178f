"""Consistency relations between outcomes, observed in the patient-level cohort.

They mirror the relations that the reported numbers imply (module ``implied``): on the real
data they test the report; on the reconstruction some hold by construction (see the
assumptions in config/config.yaml).
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def censored_before_horizon(rows: pd.DataFrame, horizon_days: int) -> int:
    """Survivors whose follow-up ends before the horizon: censored, not assumed event-free."""
    return int(((rows["died"] != 1) & (rows["followup_days"] < horizon_days)).sum())


def outcome_relations(cohort: pd.DataFrame, arms: list[str], horizon_days: int) -> dict[str, Any]:
    """Per arm: overlaps between ventilation, death and improvement, censoring before the horizon,
    and the days of death and of the start of ventilation in order (for the table of event days)."""
    result: dict[str, Any] = {}
    for arm in arms:
        rows = cohort[cohort["arm"] == arm]
        died, vent, improved = rows["died"] == 1, rows["mech_vent"] == 1, rows["resp_improved"] == 1
        vent_free_survivor = ~died & ~vent
        result[arm] = {
            "ventilated_and_died": int((died & vent).sum()),
            "vent_free_events": int((died | vent).sum()),
            "ventilations_plus_deaths": int(died.sum() + vent.sum()),
            "vent_free_survivors": int(vent_free_survivor.sum()),
            "improved_equals_vent_free_survivors": bool((improved == vent_free_survivor).all()),
            "censored_before_horizon": censored_before_horizon(rows, horizon_days),
            "death_days": sorted(int(d) for d in rows.loc[died, "death_day"]),
            "mech_vent_days": sorted(int(d) for d in rows.loc[vent, "mech_vent_day"]),
        }
    return result
