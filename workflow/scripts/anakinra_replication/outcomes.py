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
}
