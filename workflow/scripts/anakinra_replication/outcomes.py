"""Names of the outcomes, shared by every step (kept import-light on purpose).

Outcome names are the claims' ``outcome`` field and, for binary outcomes, the cohort's column.
"""
from __future__ import annotations

BINARY_OUTCOMES = ("resp_improved", "mech_vent", "died", "bacteremia")
ENDPOINTS = ("survival", "vent_free_survival")  # time-to-event, Kaplan-Meier and log-rank

LABELS = {
    "resp_improved": "CRP reduction and respiratory improvement",
    "mech_vent": "Mechanical ventilation",
    "died": "Died",
    "bacteremia": "Bacteraemia",
    "survival": "Survival (Kaplan-Meier)",
    "vent_free_survival": "Ventilation-free survival (Kaplan-Meier)",
    "enrolled": "Patients",
    "age_years": "Age",
}

ARM_WORDS = {"anakinra": "anakinra arm", "standard": "standard treatment", "both": "between arms",
             "unstated": "group not stated", "all": "all patients"}
KIND_WORDS = {"n": "patients", "count": "patients", "percent": "percentage", "p_value": "P value", "mean": "mean",
              "qualitative": "statement"}


def claim_label(claim: dict[str, str]) -> str:
    """A claim in words, for readers: 'Died, anakinra arm (percentage)'."""
    outcome = LABELS.get(claim["outcome"], claim["outcome"].replace("_", " ").capitalize())
    return f"{outcome}, {ARM_WORDS.get(claim['arm'], claim['arm'])} ({KIND_WORDS.get(claim['kind'], claim['kind'])})"
