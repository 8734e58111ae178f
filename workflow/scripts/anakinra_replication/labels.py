"""Words for readers: arm, outcome and claim names as tables and figures print them.

Identifiers (``died_anakinra_percent``, ``standard``) stay in the results files; what a reader
sees is built here, once, so that a table and a figure never name the same thing differently.
"""

from __future__ import annotations

import re
from typing import Any

from .outcomes import LABELS

ARM_NAMES = {
    "anakinra": "Anakinra",
    "standard": "Standard treatment",
    "both": "Between arms",
    "unstated": "Group not stated",
    "all": "All patients",
}
OUTCOME_NAMES = {
    **LABELS,
    "enrolled": "Patients enrolled",
    "age_years": "Age (years)",
    "inflammatory_relapse": "Inflammatory relapse",
    "cause_of_death": "Causes of death",
    "inclusion": "Inclusion rule",
    "design": "Study design",
}
KIND_NAMES = {
    "n": "number",
    "count": "number",
    "percent": "percentage",
    "p_value": "P value",
    "mean": "mean",
    "qualitative": "statement",
}
VERDICT_NAMES = {
    "match": "match",
    "match_other_rounding": "match (other rounding)",
    "mismatch": "mismatch",
    "not_estimable": "not estimable",
    "not_checkable": "not checkable",
}
# The evidence classes of verify.evidence, each with its name and its one definition. Every text
# that names what a class means (tables, the document's metadata, the README) takes it from here
# (tests/test_evidence.py fails on a definition written anywhere else). Each definition is true on
# the shipped reconstruction and on a user's cohort alike.
EVIDENCE = {
    "by_construction": (
        "by construction",
        "the cohort was built to give this number, so a match tests the code that built it, not the report",
    ),
    "derived": (
        "derived",
        "recomputed from a cohort that was not made to give this number: a match shows that it follows from "
        "what else the cohort holds, be that other reported numbers it was built from or patients' records",
    ),
    "assumed_days": (
        "from assumed days",
        "a log-rank P recomputed on event days placed by a stated rule, none of them shifted: a match shows "
        "that the rule's days give it, not that the study's days did",
    ),
    "fitted": (
        "fitted (days moved)",
        "a log-rank P for which event days were shifted away from the rule's days until it printed as "
        "reported: a match shows only that some days give it",
    ),
    "not_verifiable": (
        "not verifiable",
        "a statement, not a number, that no column of this cohort can check: it is listed, not tested",
    ),
    "checked_by_reader": (
        "checked by the reader",
        "a statement that the columns of this cohort can check, and that the reader checked patient by "
        "patient: every patient meets it",
    ),
}
EVIDENCE_NAMES = {code: name for code, (name, _) in EVIDENCE.items()}
EVIDENCE_DEFINITIONS = {code: definition for code, (_, definition) in EVIDENCE.items()}
# The classes whose matches were not built in: what a match on the cohort tests.
IMPOSED = ("by_construction",)


# Reported numbers grouped in a sentence ("the number and percentage of deaths and bacteraemia").
OUTCOME_NOUNS = {
    "enrolled": "patients enrolled",
    "resp_improved": "respiratory improvement",
    "mech_vent": "mechanical ventilation",
    "died": "deaths",
    "bacteremia": "bacteraemia",
    "age_years": "age",
    "survival": "survival",
    "vent_free_survival": "ventilation-free survival",
}
GROUP_KIND_WORDS = {"n": "number", "count": "number", "percent": "percentage", "p_value": "log-rank P", "mean": "mean"}
# What a patient of a yes/no column did, for the aspects of a cohort (anakinra_replication.aspects).
OUTCOME_VERBS = {
    "resp_improved": "improved",
    "mech_vent": "were ventilated",
    "died": "died",
    "bacteremia": "had bacteraemia",
}
EVENT_DAY_WORDS = {"death": "the days of death", "mech_vent": "the days ventilation started"}


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' ('' for none)."""
    return "" if not items else items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def claims_in_words(claims: list[dict[str, Any]]) -> str:
    """Numeric claims in one phrase, grouped by outcome and kind, in the order given: "the number of
    patients enrolled; the number and percentage of deaths and bacteraemia; the mean age" (the arms
    are not named: a claim of each arm is meant)."""
    kinds: dict[str, list[str]] = {}
    for claim in claims:
        word = GROUP_KIND_WORDS.get(claim["kind"], words(claim["kind"]).lower())
        kinds.setdefault(claim["outcome"], [])
        if word not in kinds[claim["outcome"]]:
            kinds[claim["outcome"]].append(word)
    groups: dict[tuple[str, ...], list[str]] = {}
    for outcome, said in kinds.items():
        groups.setdefault(tuple(said), []).append(OUTCOME_NOUNS.get(outcome, outcome_name(outcome).lower()))
    return "; ".join(
        f"the mean {and_list(nouns)}" if said == ("mean",) else f"the {and_list(list(said))} of {and_list(nouns)}"
        for said, nouns in groups.items()
    )


def aspect_words(aspect: str) -> str:
    """An aspect of a cohort (anakinra_replication.aspects) in words: "which patients improved"."""
    kind, _, rest = aspect.partition("_")
    if aspect == "arm_sizes":
        return "how many patients each arm has"
    if aspect == "followup":
        return "how long each survivor was followed"
    if kind == "count":
        return f"how many patients {OUTCOME_VERBS[rest]}"
    if kind == "who":
        return f"which patients {OUTCOME_VERBS[rest]}"
    if kind == "overlap":
        both = sorted((c for c in OUTCOME_VERBS if c in rest), key=rest.index)
        return f"how many patients both {and_list([OUTCOME_VERBS[c] for c in both])}"
    if kind == "days":
        return EVENT_DAY_WORDS[rest]
    if kind == "values":
        return f"every patient's {OUTCOME_NOUNS.get(rest, words(rest).lower())}"
    raise ValueError(f"no words for the aspect {aspect!r}")


def words(name: str) -> str:
    """An identifier as words, for names this module does not list ("vent_free" -> "Vent free")."""
    return name.replace("_", " ").capitalize()


def arm_name(arm: str) -> str:
    """The arm as a reader names it ("standard" -> "Standard treatment")."""
    return ARM_NAMES.get(arm, words(arm))


def outcome_name(outcome: str) -> str:
    """The outcome as a reader names it ("died" -> "Died")."""
    return OUTCOME_NAMES.get(outcome, words(outcome))


def claim_label(claim: dict[str, Any]) -> str:
    """A claim in words: outcome, arm and kind ("Died, standard treatment: percentage")."""
    kind = KIND_NAMES.get(claim["kind"], words(claim["kind"]))
    return f"{outcome_name(claim['outcome'])}, {arm_name(claim['arm']).lower()}: {kind}"


def short_reference(reference: str) -> str:
    """First author's surname and year of a reference string ("Brooks M. ... 2020 ..." -> "Brooks 2020")."""
    surname = re.match(r"\s*([^\s,.]+)", reference)
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", reference)
    return " ".join(part.group(1) for part in (surname, year) if part) or reference


SHORT_OUTCOME_NAMES = {
    "resp_improved": "Respiratory improvement",
    "survival": "Survival",
    "vent_free_survival": "Ventilation-free survival",
    "age_years": "Age",
}
SHORT_KIND_NAMES = {"percent": "%", "p_value": "log-rank P", "mean": "mean", "n": "n", "count": "n"}


def short_claim_label(claim: dict[str, Any]) -> str:
    """A claim's outcome and kind in few words, for a figure's axis ("Survival, log-rank P")."""
    outcome = SHORT_OUTCOME_NAMES.get(claim["outcome"], outcome_name(claim["outcome"]))
    return f"{outcome}, {SHORT_KIND_NAMES.get(claim['kind'], words(claim['kind']))}"


# The candidate tests of a reported P (results keep the codes of p_value_tests), what each P is
# taken over, why a P is missing and how a two-sided P is formed, as the test table prints them.
TEST_NAMES = {
    "pearson_chi2": "Pearson chi-square",
    "pearson_chi2_yates": "Pearson chi-square, Yates-corrected",
    "fisher_exact": "Fisher exact",
    "fisher_mid_p": "Fisher exact, mid-P",
    "barnard_exact": "Barnard exact (pooled score statistic)",
    "boschloo_exact": "Boschloo exact",
    "logrank": "Log-rank",
    "cox_score": "Cox score (Breslow ties)",
    "cox_lr": "Cox likelihood ratio (Breslow ties)",
}
TEST_OVER = {
    "table_at_horizon": "the 2x2 table at the horizon",
    "every_death_day_layout": "all {layouts:,} death-day layouts",
    "death_day_layouts_drawn": "{layouts:,} death-day layouts drawn",
    "joint_layouts_drawn": "{layouts:,} joint layouts drawn",
    "joint_layouts_sampled": "{layouts:,} of them",
}
P_REASONS = {
    "no_events": "no patient had the event: the chi-square is undefined",
    "all_events": "every patient had the event: the chi-square is undefined",
    "too_many_tables": "not computed: more than {max_tables:,} tables to score",
}
TWO_SIDED = {
    "doubled_one_sided": "twice the smaller one-sided P (scipy)",
    "probability_ordering": "the tables less probable than the observed one, and half of those as probable",
}


def test_over(row: dict[str, Any]) -> str:
    """What a row of the test table is computed over ("all 1,234 death-day layouts")."""
    return TEST_OVER[row["over"]].format(**row)


def p_reason(row: dict[str, Any]) -> str:
    """Why a test gives no P, from the row's reason code and its fields."""
    return P_REASONS[row["reason"]].format(**row)


def censored_at_horizon_words(censored: dict[str, dict[str, int]], horizon_days: int) -> str:
    """Per arm, how many patients had an event or follow-up recorded after the horizon, censored
    there as an analysis at that day does, and why (the input report's ``censored_at_horizon``):
    "3 patients in the anakinra arm (1 death after day 21, ...) and 1 patient in the standard
    treatment arm (...)", or "" when there are none. The document, the terminal and the reader's
    log all say it in these words."""
    day = horizon_days
    plural = lambda k, one, many: f"{k} {one if k == 1 else many}"  # noqa: E731
    reasons = {
        "death": lambda k: (
            f"{plural(k, 'death', 'deaths')} after day {day}, counted as "
            f"{'a survivor' if k == 1 else 'survivors'} followed to day {day}"
        ),
        "mech_vent": lambda k: (
            f"{plural(k, 'ventilation', 'ventilations')} started after day {day}, counted as not ventilated by then"
        ),
        "followup": lambda k: f"{plural(k, 'survivor', 'survivors')} followed beyond day {day}, cut at day {day}",
    }
    per_arm = [
        f"{plural(c['patients'], 'patient', 'patients')} in the {arm_name(arm).lower()} arm ("
        + "; ".join(words(c[key]) for key, words in reasons.items() if c[key])
        + ")"
        for arm, c in censored.items()
        if c["patients"]
    ]
    return per_arm[0] if len(per_arm) == 1 else ", ".join(per_arm[:-1]) + " and " + per_arm[-1] if per_arm else ""
