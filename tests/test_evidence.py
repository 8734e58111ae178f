"""What a match tests, apart from what was imposed (R15): every evidence class has one definition,
written once (labels.EVIDENCE) and used everywhere; the assumptions table names, for each
assumption of the reconstruction, the claims whose match depends on it, computed from what the
assumption fixes and what each claim reads (checked here by changing a cohort and seeing which
recomputed numbers move); and the document's metadata and its table of the items not imposed keep
the imposed numbers apart from the tested ones, on the reconstruction and on a user's cohort.

Built in-process (tests/pipeline.py), as the rules chain them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import cohorts
from pipeline import numbers_and_rows
from workflow_runs import RECONSTRUCTION_WORDS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workflow/scripts/anakinra_replication"


@pytest.fixture(scope="module")
def built(tmp_path_factory, config, claims) -> dict:
    """numbers and verification rows of the reconstruction, of a 31-vs-18 cohort with the
    laboratory columns (its claims mismatch; the reader checks the inclusion rule) and of a cohort
    without deaths on anakinra."""
    folder = tmp_path_factory.mktemp("evidence")
    texts = {
        "reconstruction": cohorts.reconstruction(),
        "larger": cohorts.with_labs(cohorts.larger()),
        "zero_deaths": cohorts.zero_deaths_one_arm(),
    }
    return {
        name: numbers_and_rows(cohorts.write(folder / f"{name}.csv", text), config, claims)[:2]
        for name, text in texts.items()
    }


# --- one definition per class, written once ------------------------------------------------------


def test_every_class_the_verification_gives_has_one_name_and_one_definition(built):
    from anakinra_replication.labels import EVIDENCE, EVIDENCE_DEFINITIONS, EVIDENCE_NAMES
    from anakinra_replication.verify import evidence

    given = {r["evidence"] for _, rows in built.values() for r in rows}
    assumptions = [{"imposes": ["a"]}, {"fits": ["p"]}]
    days = {"death": {"moved": 0}, "mech_vent": {"moved": 2}}
    given |= {
        evidence({"id": "a", "outcome": "died"}, True, assumptions, days),
        evidence({"id": "p", "outcome": "survival"}, True, assumptions, days),
        evidence({"id": "p", "outcome": "vent_free_survival"}, True, assumptions, days),
    }
    assert given == set(EVIDENCE) == set(EVIDENCE_NAMES) == set(EVIDENCE_DEFINITIONS)
    assert len(set(EVIDENCE_DEFINITIONS.values())) == len(EVIDENCE)


def test_no_definition_says_reconstruction_words_where_a_users_cohort_shows_it(built):
    from anakinra_replication.labels import EVIDENCE_DEFINITIONS, EVIDENCE_NAMES

    shown_to_users = {r["evidence"] for name, (_, rows) in built.items() if name != "reconstruction" for r in rows}
    assert shown_to_users == {"derived", "not_verifiable", "checked_by_reader"}
    for code in shown_to_users:
        assert not RECONSTRUCTION_WORDS.search(EVIDENCE_NAMES[code] + " " + EVIDENCE_DEFINITIONS[code]), code


# A class named as a term (emphasised, as code or in curly quotes) and followed by what it means;
# in Python, a class as a key whose value is a string or a tuple of strings.
NAMES = (
    r"by[ _]construction|derived|from[ _]assumed[ _]days|assumed_days|fitted|not[ _]verifiable"
    r"|checked[ _]by[ _](?:the[ _])?reader"
)
TERM = re.compile(
    rf"(?:\*\*?|`+|“)(?:{NAMES})(?:\*\*?|`+|”)(?:\s*\(days moved\))?\s*"
    r"(?::\s+[(\w]|\((?!days moved)\w|—|–|\bmeans\b)"
    rf"|[\"'](?:{NAMES})[\"']:\s*\(?\s*f?[\"']",
    re.I,
)
# What earlier texts said a class means (R15 found two of them contradicting each other).
OLD_DEFINITIONS = [
    "without being imposed",
    "by arithmetic from",
    "made to satisfy",
    "no column of the data can check",
    "days were moved until",
    "follows from the data",
]


def definition_problems(text: str) -> list[str]:
    """The places where ``text`` defines an evidence class in its own words: a class named as a
    term and followed by what it means, an earlier definition, or eight words in a row of one of
    the definitions of labels.EVIDENCE (a copy that could drift)."""
    from anakinra_replication.labels import EVIDENCE_DEFINITIONS

    flat = re.sub(r"\s+", " ", text)
    found = [flat[max(0, m.start() - 20) : m.end() + 40] for m in TERM.finditer(flat)]
    found += [phrase for phrase in OLD_DEFINITIONS if phrase in flat]
    for definition in EVIDENCE_DEFINITIONS.values():
        words = definition.split()
        found += [" ".join(words[k : k + 8]) for k in range(len(words) - 7) if " ".join(words[k : k + 8]) in flat]
    return found


def readme_definitions() -> str:
    """The README's list of the evidence classes (between its `evidence` item and the next paragraph)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("- `evidence`: how much a match is worth")
    return text[start : text.index("\n\n", start)]


def test_the_readme_lists_each_class_with_the_one_definition():
    from anakinra_replication.labels import EVIDENCE

    listed = re.sub(r"\s+", " ", readme_definitions())
    for code, (name, definition) in EVIDENCE.items():
        shown = "" if name == code.replace("_", " ") else f" (“{name}” in the document)"
        assert f"- **{code}**{shown}: {definition}." in listed, code


def test_no_other_text_of_the_package_defines_an_evidence_class():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").replace(readme_definitions(), "")
    texts = {"README.md": readme, "CONTRIBUTING.md": (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")}
    places = [
        *PACKAGE.glob("*.py"),
        *(ROOT / "workflow/scripts").glob("*.py"),
        *(ROOT / "workflow/rules").glob("*.smk"),
        *(ROOT / "workflow/report").glob("*"),
        ROOT / "workflow/outputs.yaml",
        ROOT / "config/config.yaml",
        ROOT / "Snakefile",
    ]
    texts |= {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in places if p.name != "labels.py"}
    found = {where: problems for where, text in texts.items() if (problems := definition_problems(text))}
    assert found == {}


def test_the_manuscript_defines_no_evidence_class_in_its_own_words():
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "manuscript").glob("*.qmd")))
    assert definition_problems(source) == []


def test_the_check_catches_a_class_defined_in_other_words():
    for text in [
        "*derived* (it follows from the data without being imposed)",
        "**by_construction**: the reconstruction was made to satisfy it",
        '"derived": "the number follows by arithmetic from numbers that were built in"',
        "- ``assumed_days``: a log-rank P computed on event days that the rule gave",
        "*fitted* (event days were moved until the P printed as reported)",
        "*not verifiable* for a statement that no column of the data can check",
        "the cohort was built to give this number, so a match tests the code",  # a copy of a definition
    ]:
        assert definition_problems(text), text
    for text in [
        "every match is labelled `derived`",
        '"derived": derived_numbers(entry)',
        "Everything else is derived: the rule's outputs",
        "19 by construction, 4 derived, 1 from assumed days and 1 fitted (days moved)",
        'return "fitted" if moved else "assumed_days"',
    ]:
        assert definition_problems(text) == [], text


# --- which claims' match each assumption holds up, computed -------------------------------------


def dependents(config, claims) -> dict[str, set[str]]:
    """Per assumption of the reconstruction, the ids of the claims whose match depends on it."""
    from anakinra_replication.aspects import dependent_claims

    return {a["id"]: {c["id"] for c in dependent_claims(a, claims)} for a in config["reconstruction"]["assumptions"]}


def test_each_claim_depends_on_the_assumptions_that_set_what_it_reads(config, claims):
    depends = dependents(config, claims)
    km = {f"{e}_{arm}_percent" for e in ("survival", "vent_free_survival") for arm in ("anakinra", "standard")}
    p_values = {"survival_p_value", "vent_free_survival_p_value"}
    # Kaplan-Meier percentages and log-rank P values: no censoring before the horizon
    assert km | p_values == depends["complete_followup"]
    # the log-rank P values, and only they, on the rule that placed the event days
    assert depends["event_days_evenly_spread"] == p_values
    # ventilation-free survival on deaths and ventilations being different people
    assert depends["ventilated_survived"] == {c for c in km | p_values if c.startswith("vent_free")}
    assert depends["age_at_mean"] == {"age_mean"}
    # no number reads which patients improved or had bacteraemia
    assert depends["improved_are_ventilation_free_survivors"] == depends["bacteremia_spread"] == set()
    # the counts hold up every count and percentage, and the survival numbers computed from them
    assert (
        km | p_values | {"enrolled_anakinra_n", "died_standard_percent", "bacteremia_anakinra_count"}
        <= depends["arm_sizes_and_counts"]
    )
    assert "age_mean" not in depends["arm_sizes_and_counts"]


def test_every_imposed_or_fitted_claim_depends_on_its_assumption_and_every_read_is_fixed(config, claims):
    from anakinra_replication.aspects import all_aspects, aspects_read, check_fixes

    assumptions = config["reconstruction"]["assumptions"]
    check_fixes(assumptions, claims)
    depends = dependents(config, claims)
    for a in assumptions:
        assert set(a.get("imposes", [])) | set(a.get("fits", [])) <= depends[a["id"]], a["id"]
    fixed = {x for a in assumptions for x in a["fixes"]}
    assert fixed <= set(all_aspects())
    for claim in claims:
        assert aspects_read(claim) <= fixed, claim["id"]  # nothing a claim reads is left to chance
        assert bool(aspects_read(claim)) is (claim["kind"] != "qualitative"), claim["id"]


def test_a_wrong_declaration_is_named_with_its_place_and_fix(config, claims):
    from anakinra_replication.aspects import check_fixes
    from anakinra_replication.jsonio import InputError

    assumptions = [
        {"id": "ages", "fixes": ["values_age"], "imposes": ["age_mean"]},
        {"id": "days", "fixes": ["days_death"], "fits": ["died_anakinra_count", "no_such_claim"]},
    ]
    with pytest.raises(InputError) as raised:
        check_fixes(assumptions, claims)
    lines = str(raised.value).splitlines()
    assert lines[0].startswith("config error: config/config.yaml, reconstruction/assumptions/ages/fixes: values_age")
    assert "reconstruction/assumptions/ages/imposes: age_mean reads values_age_years" in lines[1]
    assert "assumptions/days/fits: died_anakinra_count reads count_died, none of which" in lines[2]
    assert "assumptions/days/fits: no_such_claim is not the id of a claim" in lines[3]


def _set(rows: list[dict[str, str]], patient: str, **cells: str) -> None:
    (row,) = [r for r in rows if r["patient_id"] == patient]
    row.update(cells)


def _death_day_shift(rows):
    _set(rows, "A01", death_day="6", followup_days="6")


def _vent_day_shift(rows):
    _set(rows, "A04", mech_vent_day="5")


def _censored_survivors(rows):
    _set(rows, "A29", followup_days="10")
    _set(rows, "S16", followup_days="10")


def _ventilated_deaths(rows):
    for dead, ventilated in (("A01", "A04"), ("S01", "S08")):
        _set(rows, dead, mech_vent="1", mech_vent_day="2")
        _set(rows, ventilated, mech_vent="0", mech_vent_day="")


def _bacteraemia_moved(rows):
    _set(rows, "A04", bacteremia="0")
    _set(rows, "A05", bacteremia="1")


def _improvement_moved(rows):
    _set(rows, "A09", resp_improved="0")
    _set(rows, "A04", resp_improved="1")


def _older(rows):
    for row in rows:
        row["age_years"] = "70"


def _one_more_death(rows):
    _set(rows, "A29", died="1", death_day="20", followup_days="20", resp_improved="0")


# A change of the reconstruction, the aspects it touches, and claims it must move (at least).
CHANGES: dict[str, tuple[Callable, set[str], set[str]]] = {
    "death_day": (_death_day_shift, {"days_death"}, {"survival_p_value", "vent_free_survival_p_value"}),
    "vent_day": (_vent_day_shift, {"days_mech_vent"}, {"vent_free_survival_p_value"}),
    "censored": (
        _censored_survivors,
        {"followup"},
        {f"{e}_{arm}_percent" for e in ("survival", "vent_free_survival") for arm in ("anakinra", "standard")},
    ),
    "overlap": (
        _ventilated_deaths,
        {"overlap_died_mech_vent", "who_mech_vent", "days_mech_vent"},
        {"vent_free_survival_anakinra_percent", "vent_free_survival_standard_percent"},
    ),
    "bacteraemia": (_bacteraemia_moved, {"who_bacteremia"}, set()),
    "improvement": (_improvement_moved, {"who_resp_improved"}, set()),
    "ages": (_older, {"values_age_years"}, {"age_mean"}),
    "death": (
        _one_more_death,
        {"count_died", "who_died", "days_death", "count_resp_improved", "who_resp_improved"},
        {"died_anakinra_count", "survival_anakinra_percent", "resp_improved_anakinra_count"},
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_claim_moves_only_when_what_it_reads_changes(change, config, claims, built, tmp_path):
    """Changing what an aspect of the reconstruction holds moves the recomputed value of claims
    that read it and of no other: so a claim depends on every assumption fixing what it reads,
    and an assumption that nothing reads holds up no match."""
    from anakinra_replication.aspects import aspects_read

    edit, touched, moved_at_least = CHANGES[change]
    rows = cohorts.rows_of(cohorts.reconstruction())
    edit(rows)
    _, changed_rows, _ = numbers_and_rows(
        cohorts.write(tmp_path / "changed.csv", cohorts.csv_text(rows)), config, claims
    )
    before = {r["claim_id"]: r["reproduced_exact"] for r in built["reconstruction"][1]}
    moved = {r["claim_id"] for r in changed_rows if r["reproduced_exact"] != before[r["claim_id"]]}
    readers = {c["id"] for c in claims if aspects_read(c) & touched}
    assert moved_at_least <= moved <= readers, (moved - readers, moved_at_least - moved)


def test_the_assumptions_table_names_the_claims_depending_on_each_assumption(config, claims, built):
    from anakinra_replication.aspects import dependent_claims
    from anakinra_replication.labels import EVIDENCE_NAMES, claims_in_words
    from anakinra_replication.tables import assumptions_table

    numbers, rows = built["reconstruction"]
    assumptions = config["reconstruction"]["assumptions"]
    table = assumptions_table(assumptions, claims, rows, numbers["cohort"])
    assert "| Reported numbers whose match depends on it |" in table.splitlines()[0]
    evidence = {r["claim_id"]: r["evidence"] for r in rows}
    for a in assumptions:
        line = next(x for x in table.splitlines() if f"{{#assumption-{a['id']}}}" in x)
        cell = line.rstrip(" |").split(" | ")[-1]
        depending = dependent_claims(a, claims)
        if depending:
            assert cell.startswith(claims_in_words(depending) + ": "), a["id"]
            for e in {evidence[c["id"]] for c in depending}:
                k = sum(evidence[c["id"]] == e for c in depending)
                assert f"{k} {EVIDENCE_NAMES[e]}" in cell, (a["id"], e)
        else:
            assert cell.startswith("none: no reported number depends on "), a["id"]
        assert "satisf" not in line
    # the four derived matches rest on the assumptions that make them hold
    follow = next(x for x in table.splitlines() if "{#assumption-complete_followup}" in x)
    assert "4 derived" in follow and "survival" in follow
    assert "the mean age: 1 by construction" in table


def test_the_assumptions_table_refuses_a_wrong_declaration(config, claims, built):
    from anakinra_replication.jsonio import InputError
    from anakinra_replication.tables import assumptions_table

    numbers, rows = built["reconstruction"]
    wrong = [
        {**a, "fixes": ["who_bacteremia"]} if a["id"] == "age_at_mean" else a
        for a in config["reconstruction"]["assumptions"]
    ]
    with pytest.raises(InputError, match=r"assumptions/age_at_mean/imposes: age_mean reads values_age_years"):
        assumptions_table(wrong, claims, rows, numbers["cohort"])


# --- the imposed numbers apart from the tested ones ----------------------------------------------


def test_the_headline_does_not_count_imposed_numbers_as_tested(built, claims):
    from anakinra_replication.manuscript import tested_metadata

    for name, (numbers, rows) in built.items():
        numeric = [r for r in rows if r["verdict"] != "not_checkable"]
        imposed = [r for r in numeric if r["evidence"] == "by_construction"]
        tested = [r for r in numeric if r["evidence"] != "by_construction"]
        matching = [r for r in tested if r["verdict"] in ("match", "match_other_rounding")]
        m = tested_metadata(rows, claims)
        assert (m["tested"], m["tested_matching"], m["imposed"]) == (
            str(len(tested)),
            str(len(matching)),
            str(len(imposed)),
        )
        which = "reported numbers not imposed on the cohort" if imposed else "reported numbers"
        assert m["tested_headline"].startswith(f"{len(matching)} of the {len(tested)} {which} match"), name
        assert len(tested) + len(imposed) == len(numeric)
        if not numbers["cohort"]["is_reconstruction"]:
            assert not imposed and m["imposed_line"].startswith("Nothing was imposed on this cohort")
            for text in (m["tested_headline"], m["imposed_line"]):
                assert not RECONSTRUCTION_WORDS.search(text), (name, text)
    shipped = tested_metadata(built["reconstruction"][1], claims)
    assert shipped["tested_headline"] == (
        "6 of the 6 reported numbers not imposed on the cohort match: 4 derived, 1 from assumed days and 1 fitted"
        " (days moved)"
    )
    assert shipped["imposed_line"] == (
        "19 further numbers were imposed by construction (the number of patients enrolled; the number and "
        "percentage of respiratory improvement, mechanical ventilation, deaths and bacteraemia; the mean age): "
        "they match because the cohort was built to give them."
    )
    assert (
        tested_metadata(built["larger"][1], claims)["tested_headline"]
        == "5 of the 25 reported numbers match, all derived"
    )


def test_the_metadata_carries_the_keys_the_report_reads(built, claims):
    from anakinra_replication.labels import EVIDENCE_DEFINITIONS, EVIDENCE_NAMES
    from anakinra_replication.manuscript import evidence_metadata

    for name, (_, rows) in built.items():
        e = evidence_metadata(rows)
        assert e["defined"] == EVIDENCE_DEFINITIONS and e["names"] == EVIDENCE_NAMES
        present = {r["evidence"] for r in rows}
        terms = re.findall(r"^\*([^*]+)\*\n: (.+)\.$", e["glossary"], re.M)
        assert terms == [(EVIDENCE_NAMES[c], EVIDENCE_DEFINITIONS[c]) for c in EVIDENCE_NAMES if c in present], name


def test_the_tested_table_lists_every_item_not_imposed_with_its_verdict(built, claims):
    from anakinra_replication.labels import EVIDENCE_NAMES, VERDICT_NAMES, claim_label
    from anakinra_replication.tables import tested_table

    by_id = {c["id"]: c for c in claims}
    for name, (numbers, rows) in built.items():
        table = tested_table(rows, claims)
        lines = [x for x in table.splitlines() if x.startswith("| ") and not x.startswith("| Item")]
        kept = [r for r in rows if r["evidence"] != "by_construction"]
        assert len(lines) == len(kept), name
        for line, r in zip(lines, kept):
            cells = line.strip("| ").split(" | ")
            assert cells[0] == claim_label(by_id[r["claim_id"]]) and cells[1] == r["reported"]
            assert cells[4] == EVIDENCE_NAMES[r["evidence"]]
            verdict = "every patient meets it" if r["evidence"] == "checked_by_reader" else VERDICT_NAMES[r["verdict"]]
            assert cells[3] == verdict
        assert "{#tbl-tested" in table
        if not numbers["cohort"]["is_reconstruction"]:
            assert not RECONSTRUCTION_WORDS.search(table), name
    shipped = tested_table(built["reconstruction"][1], claims)
    assert "by construction" not in shipped and "Patients enrolled" not in shipped
    assert "| 0.15 | 0.15 | match | fitted (days moved) |" in shipped


def test_the_evidence_table_gives_each_class_its_one_definition(built):
    from anakinra_replication.labels import EVIDENCE_DEFINITIONS, EVIDENCE_NAMES
    from anakinra_replication.tables import evidence_table

    for name, (_, rows) in built.items():
        table = evidence_table(rows)
        for code in {r["evidence"] for r in rows}:
            assert f"| {EVIDENCE_NAMES[code]} | " in table and f" | {EVIDENCE_DEFINITIONS[code]} |" in table, (
                name,
                code,
            )


def test_the_table_of_items_tested_is_declared_for_every_cohort_and_the_report():
    from anakinra_replication.outputs import load_outputs

    (item,) = [o for o in load_outputs() if o.name == "tested"]
    assert (item.kind, item.scope, item.rule, item.label, item.document) == (
        "table",
        "cohort",
        "tables",
        "tbl-tested",
        "report",
    )
    assert not RECONSTRUCTION_WORDS.search(item.caption)


def test_the_bottom_line_names_the_classes_without_defining_them(built):
    from anakinra_replication.manuscript import _built_in_sentence

    numbers, rows = built["reconstruction"]
    assert _built_in_sentence(rows, numbers) == (
        "Of these matches, 19 numbers were built into the cohort when it was made; 6 were not: 4 derived, "
        "1 from assumed days and 1 fitted (days moved), 5 days in all (@tbl-event-days)."
    )
    assert definition_problems(_built_in_sentence(rows, numbers)) == []
