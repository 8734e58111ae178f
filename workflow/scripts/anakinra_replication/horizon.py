"""Events and follow-up after the horizon, censored at the horizon as an analysis at a fixed day does.

The analysis looks at the first ``horizon_days`` days (config/config.yaml). A site's file may go on
longer (a death on day 26, a follow-up call on day 28, "died" meaning "ever died"): on reading,
what happens after the horizon is cut at the horizon, so the validated cohort holds days
1..horizon only and the analyses downstream need not know:

- a death after the horizon: a survivor followed to the horizon (died 0, no death day);
- ventilation started after the horizon: not ventilated by the horizon (mech_vent 0, no day);
- a survivor's last follow-up after the horizon: followed to the horizon.

Each is counted per arm (``censored_at_horizon`` of the input report). Contradictions (a death
after the end of follow-up, a day given for an event that did not happen) are checked before, on
the user's own days (module ``cohort``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where it is used
    import pandas as pd


def censor_at_horizon(
    cohort: pd.DataFrame, arms: list[str], horizon_days: int
) -> tuple[pd.DataFrame, dict[str, dict[str, int]]]:
    """The cohort with everything after ``horizon_days`` censored at it, and per arm the number of
    patients censored (``patients``: distinct patients; ``death``, ``mech_vent``, ``followup``:
    deaths, ventilations and survivors' follow-ups after the horizon)."""
    import pandas as pd

    died, vent = cohort["died"] == 1, cohort["mech_vent"] == 1
    late = {
        "death": (died & (cohort["death_day"] > horizon_days)).fillna(False).astype(bool),
        "mech_vent": (vent & (cohort["mech_vent_day"] > horizon_days)).fillna(False).astype(bool),
        "followup": (~died & (cohort["followup_days"] > horizon_days)).fillna(False).astype(bool),
    }
    out = cohort.copy()
    out.loc[late["death"], "died"] = 0
    out.loc[late["death"], "death_day"] = pd.NA
    out.loc[late["mech_vent"], "mech_vent"] = 0
    out.loc[late["mech_vent"], "mech_vent_day"] = pd.NA
    out.loc[late["death"] | late["followup"], "followup_days"] = horizon_days
    anything = late["death"] | late["mech_vent"] | late["followup"]
    counts = {}
    for arm in arms:
        rows = cohort["arm"] == arm
        counts[arm] = {"patients": int((anything & rows).sum())} | {
            reason: int((mask & rows).sum()) for reason, mask in late.items()
        }
    return out, counts
