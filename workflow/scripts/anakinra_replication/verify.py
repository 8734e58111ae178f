"""Claim-by-claim verification: each reported number beside the recomputed one, with a verdict.

Verdicts
- ``match``: the recomputed value, rounded half up at the printed precision, prints as reported;
- ``match_other_rounding``: it prints as reported only when rounded half to even or truncated;
- ``mismatch``: it prints as reported under none of these rules;
- ``not_estimable``: the data measure it, but on this cohort the statistic does not exist
  (no events for a log-rank test, an arm without patients, follow-up ending before the
  horizon); the note says why. It counts as a numeric claim that does not match, like a
  mismatch: nothing was reproduced, so the run fails and names it;
- ``not_checkable``: a qualitative statement, or nothing in the data measures it.

Evidence: how much a match on this cohort says, one class per row (:func:`evidence`); the
classes' names and definitions are ``labels.EVIDENCE``, and nowhere else.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from .claims import NUMERIC_KINDS, reported_number
from .event_days import days_moved
from .jsonio import InputError
from .rounding import printed
from .statistic_words import missing_words

COLUMNS = [
    "claim_id",
    "outcome",
    "arm",
    "reported",
    "reproduced_exact",
    "reproduced_printed",
    "verdict",
    "evidence",
    "note",
]
# A qualitative claim that the reader checks on every patient when the file has the columns.
READER_CHECKED = {
    "inclusion": "checked by the reader on every patient of this cohort, which has the laboratory columns: "
    "each patient meets the rule"
}
VERDICTS = ("match", "match_other_rounding", "mismatch", "not_estimable", "not_checkable")
NOT_MATCHING = ("mismatch", "not_estimable")


def verdict(reported: str, value: float | None) -> tuple[str, str]:
    """Verdict for a reported string ("13%", "0.009") and the recomputed value; also the value
    as printed half up at the reported precision."""
    if value is None:
        return "not_checkable", ""
    number, decimals = reported_number({"value": reported})
    target = printed(number, decimals)
    half_up = printed(value, decimals)
    if half_up == target:
        return "match", half_up
    if target in (printed(value, decimals, "half_even"), printed(value, decimals, "truncate")):
        return "match_other_rounding", half_up
    return "mismatch", half_up


def measured(claim: dict[str, Any], outcomes: dict[str, Any]) -> bool:
    """Whether the claim is a number that the results measure (else it is a qualitative statement)."""
    return claim["kind"] in NUMERIC_KINDS and claim["outcome"] in outcomes


def why_missing(entry: dict[str, Any], kind: str) -> str:
    """The reason a results entry gives for a missing value of ``kind``."""
    return missing_words(entry, (f"{kind}_reason", "reason")) or f"no {kind} was computed"


def reproduced(claim: dict[str, Any], outcomes: dict[str, Any]) -> tuple[float | None, str]:
    """The recomputed value for a claim, looked up as ``outcomes[outcome][arm][kind]``.

    For an unstated group, each group in the results is tried; the note says which matched.
    A value that is not estimable is ``None``, the note starting "not estimable:" with the reason.
    """
    if not measured(claim, outcomes):
        return None, "qualitative statement: no patient-level column measures it"
    groups, kind = outcomes[claim["outcome"]], claim["kind"]
    if claim["arm"] != "unstated":
        entry = groups[claim["arm"]]
        value = entry.get(kind)
        return value, _on_how_many(entry).lstrip(
            "; "
        ) if value is not None else f"not estimable: {why_missing(entry, kind)}"
    values = {group: numbers.get(kind) for group, numbers in sorted(groups.items())}
    estimable = {g: v for g, v in values.items() if v is not None}
    if not estimable:
        return None, "not estimable: " + "; ".join(f"{g}: {why_missing(groups[g], kind)}" for g in values)
    matching = [g for g, v in estimable.items() if verdict(claim["value"], v)[0] == "match"]
    chosen = matching[0] if matching else "all" if "all" in estimable else next(iter(estimable))
    listed = "; ".join(f"{g} {v:.2f}" if v is not None else f"{g} not estimable" for g, v in values.items())
    return values[chosen], f"group not stated in the source; compared with {chosen} ({listed})" + _on_how_many(
        groups[chosen]
    )


def _on_how_many(entry: dict[str, Any]) -> str:
    """'; on 46 of 47 patients (the others have no value)' when a value stands on fewer patients
    than the group has (a column that may be empty); nothing otherwise."""
    n, patients = entry.get("n"), entry.get("patients")
    if n is None or patients is None or n == patients:
        return ""
    return f"; computed on {n} of {patients} patients (the others have no value)"


def evidence(
    claim: dict[str, Any],
    checkable: bool,
    assumptions: list[dict[str, Any]] | None,
    event_days: dict[str, Any] | None = None,
    checked: bool = False,
) -> str:
    """The claim's evidence class (defined in ``labels.EVIDENCE``); ``assumptions`` are the
    reconstruction's, or None for any other cohort (then every number is ``derived``). A claim
    that an assumption ``imposes`` is ``by_construction``; one that it ``fits`` (a log-rank P) is
    ``fitted`` only if the days of the events its endpoint counts lie away from the even spread
    (``event_days``: the table of :func:`event_days.event_day_table`), else ``assumed_days``. A
    statement is ``checked_by_reader`` when the reader ``checked`` it on every patient, else
    ``not_verifiable``."""
    if not checkable:
        return "checked_by_reader" if checked else "not_verifiable"
    for assumption in assumptions or []:
        if claim["id"] in assumption.get("imposes", []):
            return "by_construction"
        if claim["id"] in assumption.get("fits", []):
            if event_days is None:
                raise ValueError(f"the evidence of {claim['id']} depends on the cohort's event days")
            return "fitted" if days_moved(event_days, claim["outcome"]) else "assumed_days"
    return "derived"


def verification_rows(
    claims: list[dict[str, Any]],
    outcomes: dict[str, Any],
    assumptions: list[dict[str, Any]] | None,
    event_days: dict[str, Any] | None = None,
    read: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """One row per claim, in the order of claims.yaml; ``event_days`` as for :func:`evidence`
    (needed with the reconstruction's assumptions only); ``read``: the input report, which says
    whether the reader checked the inclusion rule (its note then says so)."""
    rows = []
    for claim in claims:
        value, note = reproduced(claim, outcomes)
        checked = claim["outcome"] in READER_CHECKED and bool((read or {}).get(f"{claim['outcome']}_checked"))
        if checked:
            note = READER_CHECKED[claim["outcome"]]
        numeric = measured(claim, outcomes)
        if claim["kind"] == "percent" and value is not None:
            note = note or ("Kaplan-Meier estimate at the horizon" if "survival" in claim["outcome"] else "")
        if claim["kind"] == "p_value":
            note = "two-sided log-rank test (the source does not name the test)" + (f"; {note}" if note else "")
        label, shown = ("not_estimable", "") if numeric and value is None else verdict(claim["value"], value)
        if label == "match_other_rounding":
            note = (note + "; " if note else "") + "prints as reported only under half-even rounding or truncation"
        rows.append(
            {
                "claim_id": claim["id"],
                "outcome": claim["outcome"],
                "arm": claim["arm"],
                "reported": claim["value"],
                "reproduced_exact": "" if value is None else repr(value),
                "reproduced_printed": shown + ("%" if shown and claim["kind"] == "percent" else ""),
                "verdict": label,
                "evidence": evidence(claim, numeric, assumptions, event_days, checked),
                "note": note,
            }
        )
    return rows


def checked_by_reader(row: dict[str, Any]) -> bool:
    """Whether a statement's row says that the reader checked it on every patient."""
    return row["evidence"] == "checked_by_reader"


def write_rows(rows: list[dict[str, Any]], path: str | Path) -> None:
    """Write the verification table as CSV (UTF-8, LF)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_rows(path: str | Path) -> list[dict[str, str]]:
    """Read a verification table written by :func:`write_rows`."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of verdicts; numeric claims are those with a verdict other than not_checkable.

    ``mismatched`` lists the numeric claims that do not match: verdict mismatch or not_estimable
    (the gate fails on them); ``not_estimable`` lists the latter alone. Of the statements
    (not_checkable), ``reader_checked`` counts those the reader checked on every patient and
    ``unchecked`` the others, the ones the statements table lists."""
    counts = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    numeric = len(rows) - counts["not_checkable"]
    reader_checked = sum(checked_by_reader(r) for r in rows)
    return {
        "counts": counts,
        "numeric": numeric,
        "unchecked": counts["not_checkable"] - reader_checked,
        "reader_checked": reader_checked,
        "matching": counts["match"] + counts["match_other_rounding"],
        "mismatched": [r["claim_id"] for r in rows if r["verdict"] in NOT_MATCHING],
        "not_estimable": [r["claim_id"] for r in rows if r["verdict"] == "not_estimable"],
    }


def summary_line(s: dict[str, Any]) -> str:
    """'N of M numeric claims match (...)', the sentence printed after a run."""
    c = s["counts"]
    return (
        f"{s['matching']} of {s['numeric']} numeric claims match ({c['match']} match, "
        f"{c['match_other_rounding']} only under another rounding, {c['mismatch']} mismatch"
        f"{_not_estimable_words(c['not_estimable'])}); "
        f"{s['unchecked']} statement{'s' * (s['unchecked'] != 1)} not checkable"
        + (f", {s['reader_checked']} checked by the reader on every patient." if s["reader_checked"] else ".")
    )


def gate(verifications: dict[str, str], documents: dict[str, str]) -> None:
    """Raise one :class:`InputError` line per cohort whose claims mismatch, naming the claims and
    the document that shows them; the caller exits non-zero. ``verifications`` and ``documents``
    map each cohort's name to its verification.csv and rendered HTML."""
    failures = []
    for name, path in verifications.items():
        s = summary(read_rows(path))
        if s["mismatched"]:
            failures.append(
                f"verification failed for cohort {name}: {summary_line(s)} Mismatched claims: "
                f"{', '.join(s['mismatched'])} (see {documents[name]} and {path})"
            )
    if failures:
        raise InputError("\n".join(failures))


def _not_estimable_words(count: int) -> str:
    """', k not estimable' when some claims are; nothing otherwise (the shipped cohort's line stays as it was)."""
    return f", {count} not estimable" if count else ""
