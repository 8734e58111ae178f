"""A user's cohort reads as the user's (R14): on a cohort that is not the shipped reconstruction,
no heading, table, caption or manifest entry of its document speaks of the reconstruction, its
assumptions, evenly spread days or days moved; the event-day table shows the cohort's own days;
the count of statements that cannot be checked is the same everywhere; what the file records
after the horizon is said per arm.

Built in-process (tests/pipeline.py) from a 31-vs-18 cohort with the laboratory columns (so that
the reader checks the inclusion rule) and from the reconstruction; the Snakemake side (which
outputs a user's cohort gets, and what its record hashes) is read from a dry run's DAG in
tests/test_outputs.py, and the rendered documents end to end in tests/test_workflow.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import cohorts
from conftest import ROOT
from pipeline import numbers_and_rows
from workflow_runs import RECONSTRUCTION_WORDS

TABLES = ("outcomes", "verification", "statements", "evidence", "tested", "event_days")
# The input report's account of what a file records after the horizon (the reader writes it; the
# contract: per arm, distinct patients, deaths, ventilations and follow-ups after the horizon).
CENSORED_AT_HORIZON = {
    "anakinra": {"patients": 3, "death": 1, "mech_vent": 1, "followup": 2},
    "standard": {"patients": 1, "death": 0, "mech_vent": 0, "followup": 1},
}
NONE_AFTER = {arm: {"patients": 0, "death": 0, "mech_vent": 0, "followup": 0} for arm in CENSORED_AT_HORIZON}


def with_read(numbers: dict, censored: dict, dates: bool) -> dict:
    """numbers.json whose input report has the horizon's account (``censored_at_horizon``, ``dates``)."""
    read = {**numbers["cohort"]["read"], "censored_at_horizon": censored, "dates": dates}
    return {**numbers, "cohort": {**numbers["cohort"], "read": read}}


@pytest.fixture(scope="module")
def built(tmp_path_factory, config, claims) -> dict:
    """numbers.json and verification rows of the 31-vs-18 cohort with laboratory columns (a user's)
    and of the reconstruction, each with an input report that accounts for the horizon."""
    folder = tmp_path_factory.mktemp("user_document")
    texts = {"user": cohorts.with_labs(cohorts.larger()), "reconstruction": cohorts.reconstruction()}
    out = {}
    for name, text in texts.items():
        numbers, rows, _ = numbers_and_rows(cohorts.write(folder / f"{name}.csv", text), config, claims)
        out[name] = (with_read(numbers, NONE_AFTER, dates=False), rows)
    assert out["user"][0]["cohort"]["is_reconstruction"] is False
    assert out["reconstruction"][0]["cohort"]["is_reconstruction"] is True
    return out


@pytest.fixture(scope="module")
def sources() -> dict:
    return yaml.safe_load((ROOT / "data/reported/claims.yaml").read_text(encoding="utf-8"))["sources"]


@pytest.fixture(scope="module")
def tables(built, claims, sources, tmp_path_factory) -> dict[str, dict[str, str]]:
    """The Markdown of every table the rule ``tables`` writes, per cohort, as it writes them."""
    from anakinra_replication.tables import write_tables

    out = {}
    for name, (numbers, rows) in built.items():
        folder = tmp_path_factory.mktemp(f"tables_{name}")
        paths = {table: folder / f"{table}.md" for table in TABLES} | {"outcomes_csv": folder / "outcomes.csv"}
        write_tables(numbers, rows, claims, sources, paths)
        out[name] = {table: paths[table].read_text(encoding="utf-8") for table in TABLES}
    return out


def visible_on_a_users_cohort(source: str) -> str:
    """The manuscript's Markdown as a user's cohort shows it: code blocks, and divs and spans
    visible only on the reconstruction (``when-meta="cohort.is_reconstruction"``), left out."""
    only_reconstruction = 'when-meta="cohort.is_reconstruction"'
    source = re.sub(r"\[[^\]]*\]\{\.content-visible " + only_reconstruction + r"\}", "", source)
    kept, hidden, code = [], [], False
    for line in source.splitlines():
        if line.startswith("```"):
            code = not code
            continue
        opening = re.match(r"^:{3,}\s*\{(.*)\}\s*$", line)
        if not code and opening:
            hidden.append(only_reconstruction in opening.group(1) and "content-visible" in opening.group(1))
        elif not code and re.fullmatch(r":{3,}\s*", line):
            hidden.pop()
        elif not code and not any(hidden):
            kept.append(line)
    return "\n".join(kept)


def test_no_heading_a_users_cohort_shows_speaks_of_the_reconstruction(built, claims):
    from anakinra_replication.manuscript import cohort_metadata

    source = "\n".join(qmd.read_text(encoding="utf-8") for qmd in sorted((ROOT / "manuscript").glob("*.qmd")))
    shown = visible_on_a_users_cohort(source)
    headings = [line for line in shown.splitlines() if line.startswith("#")]
    assert "# The cohort {#sec-data}" in headings and len(headings) > 10
    assert [h for h in headings if RECONSTRUCTION_WORDS.search(h)] == []
    # the title says what the document is for this cohort; on a user's, not a consistency check of a reconstruction
    titles = [line for line in source.splitlines() if line.startswith("title:")]
    title = cohort_metadata(built["user"][0], claims, "user")["title"]
    assert all("{{< meta cohort.title >}}" in t for t in titles) and not RECONSTRUCTION_WORDS.search(title)
    assert "user's cohort" in title and "consistency check" not in title
    # an output true of the reconstruction alone is included where only the reconstruction shows it
    # (the render gives a user's cohort an empty stand-in of its file)
    from anakinra_replication.outputs import load_outputs

    alone = [item for item in load_outputs() if not item.built_for(is_reconstruction=False)]
    assert alone and all(item.include in source and item.include not in shown for item in alone)


def test_no_table_or_caption_of_a_users_cohort_speaks_of_the_reconstruction(tables):
    for name, text in tables["user"].items():
        found = sorted({m.group(0) for m in RECONSTRUCTION_WORDS.finditer(text)})
        assert found == [], f"table {name} of a user's cohort says {found}"
    # on the reconstruction, the same builders do speak of it
    assert "Evenly spread days" in tables["reconstruction"]["event_days"]
    assert "by construction" in tables["reconstruction"]["evidence"]


def test_no_declared_caption_comment_or_report_caption_of_a_users_outputs_speaks_of_the_reconstruction():
    from anakinra_replication.outputs import load_outputs

    outputs = load_outputs()
    for item in outputs:
        if not item.built_for(is_reconstruction=False):
            continue
        words = [item.caption, item.comment, item.alt or "", (item.report or {}).get("caption", "")]
        found = [w for w in words if RECONSTRUCTION_WORDS.search(w)]
        assert found == [], f"{item.kind} {item.name}: {found}"
    # what is true of the reconstruction alone is declared so, and not built for a user's cohort
    assumptions = next(item for item in outputs if item.name == "assumptions")
    assert assumptions.scope == "reconstruction" and not assumptions.built_for(is_reconstruction=False)


def test_the_assumptions_table_is_refused_for_a_users_cohort(built, config, claims):
    from anakinra_replication.jsonio import InputError
    from anakinra_replication.tables import assumptions_table

    assumptions = config["reconstruction"]["assumptions"]
    numbers, rows = built["reconstruction"]
    assert "Assumptions of the reconstructed cohort" in assumptions_table(assumptions, claims, rows, numbers["cohort"])
    with pytest.raises(InputError, match=r"^table error: .*user\.csv is not it"):
        assumptions_table(assumptions, claims, built["user"][1], built["user"][0]["cohort"])


def test_the_event_day_table_shows_the_cohorts_own_days(built, tables):
    numbers, _ = built["user"]
    table = tables["user"]["event_days"]
    header = next(line for line in table.splitlines() if line.startswith("| Event"))
    assert header == "| Event | Arm | Events | Days in the cohort |"
    for arm in numbers["settings"]["arms"]:
        for column in ("death_days", "mech_vent_days"):
            days = numbers["relations"][arm][column]
            assert f"| {len(days)} | {', '.join(map(str, days)) or 'none'} |" in table, (arm, column)
    shipped = tables["reconstruction"]["event_days"]
    assert "| Days in the cohort | Evenly spread days | Days moved, each | Total moved |" in shipped
    assert "the evenly spread days the reconstruction starts from" in shipped


def test_the_count_of_statements_that_cannot_be_checked_is_the_same_everywhere(built, claims, tables):
    from anakinra_replication.manuscript import verification_metadata
    from anakinra_replication.verify import summary, summary_line

    for name, (_, rows) in built.items():
        listed = len(re.findall(r"^\| \[", tables[name]["statements"].split("**Quoted passages.**")[0], re.M))
        not_verifiable = re.search(r"^\| not verifiable \| (\d+) \|", tables[name]["evidence"], re.M)
        said = verification_metadata(rows, claims)["statements"]
        assert listed > 0 and int(not_verifiable.group(1)) == listed, name
        assert said.startswith(f"{listed} statements cannot be checked against patient-level data (@tbl-statements)")
        assert f"; {listed} statements not checkable" in summary_line(summary(rows))
    # the user's cohort has the laboratory columns: the inclusion rule is checked, and said to be
    _, rows = built["user"]
    assert (
        "the inclusion rule was checked by the reader on every patient"
        in verification_metadata(rows, claims)["statements"]
    )
    assert re.search(r"^\| checked by the reader \| 1 \|", tables["user"]["evidence"], re.M)
    assert "checked by the reader" not in tables["reconstruction"]["evidence"]


def test_what_the_file_records_after_the_horizon_is_said_per_arm(built, claims):
    from anakinra_replication.manuscript import cohort_metadata

    numbers, _ = built["user"]
    quiet = cohort_metadata(numbers, claims, "user")["read"]
    assert "after day 21" not in quiet and "day 1 is" not in quiet  # nothing after the horizon, no dates
    said = cohort_metadata(with_read(numbers, CENSORED_AT_HORIZON, dates=True), claims, "user")["read"]
    assert "its days counted from dates (day 1 is the first day of treatment)" in said
    assert (
        "What the file records after day 21 is censored at day 21, as an analysis at that day does: "
        "3 patients in the anakinra arm (1 death after day 21, counted as a survivor followed to day 21; "
        "1 ventilation started after day 21, counted as not ventilated by then; 2 survivors followed beyond "
        "day 21, cut at day 21) and 1 patient in the standard treatment arm (1 survivor followed beyond day 21, "
        "cut at day 21)."
    ) in said
    assert said.startswith(quiet.removesuffix(".").split(": ")[0].split(",")[0])


def test_the_certificate_and_its_manifest_of_a_users_cohort_speak_of_the_users_file(tmp_path, monkeypatch):
    from anakinra_replication.certificate import certificate_text, codecheck

    monkeypatch.chdir(tmp_path)
    Path("results/site/tables").mkdir(parents=True)
    Path("results/site/tables/event_days.md").write_text("| Event |\n")
    record = {
        "source": {"commit": "c" * 40, "dirty": False, "repository": None, "commit_date": "2020-05-12T00:00:00Z"},
        "build_date": "2026-01-01T00:00:00Z",
        "build_date_fixed": False,
        "outputs": [{"path": "results/site/tables/event_days.md", "comment": "Table (MD): x", "sha256": "0" * 64}],
    }
    cohort = {"path": "site.csv", "reconstructed": False, "sha256": "1" * 64}
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    content = codecheck(record, citation, cohort, {}, "results/site/codecheck.yml", None, "results/published", {})
    assert "a cohort supplied by the user" in content["summary"]
    assert not RECONSTRUCTION_WORDS.search(content["summary"] + str(content["manifest"]))
    text = certificate_text(record, cohort, "results/site/codecheck.yml", None)
    assert not RECONSTRUCTION_WORDS.search(text)
