"""The reconstructed cohort: patient-level rows consistent with every reported aggregate.

The study's patient data are not public. This module builds, deterministically, one cohort
that reproduces the reported counts, percentages, survival percentages and log-rank P values,
from claims.yaml and the assumptions listed (with reasons) in config/config.yaml:

1. counts per arm come from the claims (module ``implied`` checks they fit together);
2. ventilated patients survived, and the improved patients are the ventilation-free survivors
   (both implied by the reported numbers, see ``implied``);
3. event days start evenly spread over follow-up and move by the smallest total number of days
   that makes the log-rank P print as reported (``search_event_days``);
4. bacteraemia is spread evenly through each arm's list, and every age is the reported mean.

It is one of very many cohorts consistent with the report; it is not the study's data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import chi2 as chi2_distribution

from .claims import claim_index, reported_number
from .event_days import evenly_spread_days
from .event_space import days_to_counts
from .implied import implied_counts
from .layout_kernels import logrank_terms
from .rounding import printed


class ReconstructionError(RuntimeError):
    """The claims and assumptions cannot be satisfied together."""


def l1_sphere(dims: int, radius: int) -> np.ndarray:
    """All integer vectors of length ``dims`` whose absolute values sum to ``radius``."""
    if dims == 1:
        return np.array([[radius], [-radius]] if radius else [[0]])
    parts = []
    for first in range(-radius, radius + 1):
        rest = l1_sphere(dims - 1, radius - abs(first))
        parts.append(np.hstack([np.full((len(rest), 1), first), rest]))
    return np.vstack(parts)


def search_event_days(
    fixed: dict[str, list[int]],
    moving: dict[str, int],
    n: dict[str, int],
    arms: list[str],
    horizon_days: int,
    target: str,
    max_shift: int,
) -> dict[str, Any]:
    """Event days whose log-rank P prints as ``target``, as close as possible to an even spread.

    ``fixed`` holds event days that do not move (per arm), ``moving`` the number of events per
    arm whose days are searched. Candidates are taken shell by shell of total shift from the
    evenly spread days; in the first shell with a hit, the P nearest the printed value wins
    (then the lexicographically smallest days). Raises if no shell up to ``max_shift`` has one.
    """
    reference = np.array(sum((evenly_spread_days(moving[arm], horizon_days) for arm in arms), []))
    split = moving[arms[0]]
    decimals = len(target.split(".")[1])
    for shift in range(max_shift + 1):
        days = reference + l1_sphere(len(reference), shift)
        a, b = days[:, :split], days[:, split:]
        valid = ((days >= 1) & (days <= horizon_days)).all(axis=1)
        valid &= (np.diff(a, axis=1) >= 0).all(axis=1) & (np.diff(b, axis=1) >= 0).all(axis=1)
        days, a, b = days[valid], a[valid], b[valid]
        if not len(days):
            continue
        counts = [
            days_to_counts(np.hstack([x, np.tile(fixed[arm], (len(x), 1))]).astype(int), horizon_days)
            for arm, x in zip(arms, (a, b))
        ]
        terms = [logrank_terms(ca, cb, n[arms[0]], n[arms[1]]) for ca, cb in zip(*counts)]
        p = chi2_distribution.sf([x * x / v for x, v, _ in terms], 1)
        hits = [i for i in range(len(p)) if printed(p[i], decimals) == target]
        if hits:
            best = min(hits, key=lambda i: (abs(p[i] - float(target)), tuple(days[i])))
            return {
                "days": {arms[0]: a[best].tolist(), arms[1]: b[best].tolist()},
                "p_value": float(p[best]),
                "total_shift": shift,
            }
    raise ReconstructionError(f"no event days within a total shift of {max_shift} days give P printing as {target}")


def reconstruct_cohort(
    claims: list[dict[str, Any]], arms: list[str], horizon_days: int, max_shift: int
) -> pd.DataFrame:
    """Build the reconstructed cohort (one row per patient, columns as in the cohort schema)."""
    counts = implied_counts(claims, arms)
    for arm in arms:
        c = counts[arm]
        if c["ventilated_and_died_allowed"] != [0] or not c["improved_equals_vent_free_survivors"]:
            raise ReconstructionError(f"arm {arm}: the reported counts do not allow disjoint ventilation and death")
    index = claim_index(claims)
    n = {arm: counts[arm]["n"] for arm in arms}
    deaths = search_event_days(
        {arm: [] for arm in arms},
        {arm: counts[arm]["counts"]["died"] for arm in arms},
        n,
        arms,
        horizon_days,
        index[("survival", "both", "p_value")]["value"],
        max_shift,
    )
    vents = search_event_days(
        deaths["days"],
        {arm: counts[arm]["counts"]["mech_vent"] for arm in arms},
        n,
        arms,
        horizon_days,
        index[("vent_free_survival", "both", "p_value")]["value"],
        max_shift,
    )
    age = int(reported_number(index[("age_years", "unstated", "mean")])[0])
    rows = []
    for arm in arms:
        patients = [{"died": 1, "death_day": d} for d in deaths["days"][arm]] + [
            {"mech_vent": 1, "mech_vent_day": d} for d in vents["days"][arm]
        ]
        patients += [{"resp_improved": 1} for _ in range(n[arm] - len(patients))]
        bacteremia = evenly_spread_positions(counts[arm]["counts"]["bacteremia"], n[arm])
        for i, patient in enumerate(patients):
            rows.append(
                {
                    "patient_id": f"{arm[0].upper()}{i + 1:02d}",
                    "arm": arm,
                    "age_years": age,
                    "died": patient.get("died", 0),
                    "death_day": patient.get("death_day"),
                    "mech_vent": patient.get("mech_vent", 0),
                    "mech_vent_day": patient.get("mech_vent_day"),
                    "resp_improved": patient.get("resp_improved", 0),
                    "bacteremia": int(i in bacteremia),
                    "followup_days": patient.get("death_day", horizon_days),
                }
            )
    cohort = pd.DataFrame(rows).astype({"death_day": "Int64", "mech_vent_day": "Int64"})
    if cohort["patient_id"].duplicated().any():
        raise ReconstructionError("arm names share a first letter, so patient ids collide")
    return cohort


def evenly_spread_positions(k: int, n: int) -> set[int]:
    """k positions spread evenly over 0..n-1: the j-th at floor((j + 1/2) n / k)."""
    return {int((j + 0.5) * n / k) for j in range(k)}
