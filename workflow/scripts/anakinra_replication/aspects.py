"""The aspects of a cohort a claim reads and an assumption of the reconstruction fixes, and so which
claims' match each assumption holds up: computed, not typed.

A cohort is described by *aspects*: what a recomputed number can read from it (how many patients
each arm has, how many died, on which days, how long survivors were followed, ...). Each reported
number reads some aspects (:func:`aspects_read`, from its outcome and kind); each assumption of
the reconstruction declares, under ``fixes`` in config/config.yaml, the aspects it sets. A claim's
match depends on an assumption exactly when the claim reads an aspect the assumption fixes
(:func:`dependent_claims`). A Kaplan-Meier percentage at the horizon reads the event days only
through censoring (with nobody censored before the horizon it is one minus the share of patients
with an event, whatever the days), so it reads ``followup`` and not the days; a log-rank P reads both.
"""

from __future__ import annotations

from typing import Any

from .claims import NUMERIC_KINDS
from .event_days import ENDPOINT_EVENTS, EVENTS
from .jsonio import InputError
from .outcomes import BINARY_OUTCOMES, ENDPOINTS

# Numeric columns of which a claim reports a mean.
MEAN_COLUMNS = ("age_years",)


def _overlap(columns: tuple[str, ...]) -> str:
    """The aspect 'how many patients have all of these outcomes at once'."""
    return "overlap_" + "_".join(columns)


def _endpoint_columns(endpoint: str) -> tuple[str, ...]:
    """The yes/no columns of the events a time-to-event endpoint counts."""
    return tuple(EVENTS[event][0] for event in ENDPOINT_EVENTS[endpoint])


def all_aspects() -> list[str]:
    """Every aspect a claim can read or an assumption fix, in a stable order."""
    composite = [_overlap(_endpoint_columns(e)) for e in ENDPOINTS if len(ENDPOINT_EVENTS[e]) > 1]
    return [
        "arm_sizes",
        *(f"count_{c}" for c in BINARY_OUTCOMES),
        *composite,
        *(f"who_{c}" for c in BINARY_OUTCOMES),
        *(f"days_{event}" for event in EVENTS),
        "followup",
        *(f"values_{c}" for c in MEAN_COLUMNS),
    ]


def aspects_read(claim: dict[str, Any]) -> frozenset[str]:
    """The aspects of a cohort the claim's recomputed value reads; none for a statement, or for a
    number no result measures (verify calls both not checkable)."""
    outcome, kind = claim["outcome"], claim["kind"]
    if kind not in NUMERIC_KINDS:
        return frozenset()
    if outcome == "enrolled":
        return frozenset({"arm_sizes"})
    if outcome in BINARY_OUTCOMES:
        return frozenset({f"count_{outcome}"} | ({"arm_sizes"} if kind == "percent" else set()))
    if outcome in ENDPOINTS:
        columns = _endpoint_columns(outcome)
        read = {"arm_sizes", "followup", *(f"count_{c}" for c in columns)}
        read |= {_overlap(columns)} if len(columns) > 1 else set()
        read |= {f"days_{event}" for event in ENDPOINT_EVENTS[outcome]} if kind == "p_value" else set()
        return frozenset(read)
    if kind == "mean" and outcome in MEAN_COLUMNS:
        return frozenset({f"values_{outcome}"})
    return frozenset()


def check_fixes(assumptions: list[dict[str, Any]], claims: list[dict[str, Any]]) -> None:
    """Raise one :class:`InputError` listing every assumption that fixes an unknown aspect, or that
    imposes or fits a claim reading nothing it fixes (it could not make that claim true)."""
    known, by_id, problems = set(all_aspects()), {c["id"]: c for c in claims}, []
    for a in assumptions:
        where = f"config error: config/config.yaml, reconstruction/assumptions/{a['id']}"
        unknown = [x for x in a.get("fixes", []) if x not in known]
        if unknown:
            known_words = ", ".join(all_aspects())
            problems.append(f"{where}/fixes: {', '.join(unknown)} is not an aspect; use one of {known_words}")
        for listed in ("imposes", "fits"):
            for claim_id in a.get(listed, []):
                if claim_id not in by_id:
                    problems.append(f"{where}/{listed}: {claim_id} is not the id of a claim in claims.yaml")
                elif not aspects_read(by_id[claim_id]) & set(a.get("fixes", [])):
                    problems.append(
                        f"{where}/{listed}: {claim_id} reads {', '.join(sorted(aspects_read(by_id[claim_id])))}, "
                        "none of which the assumption fixes; add what it sets to its fixes"
                    )
    if problems:
        raise InputError("\n".join(problems))


def dependent_claims(assumption: dict[str, Any], claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims whose match depends on ``assumption``: those reading an aspect it fixes, in the
    order of claims.yaml."""
    fixed = set(assumption.get("fixes", []))
    return [c for c in claims if aspects_read(c) & fixed]
