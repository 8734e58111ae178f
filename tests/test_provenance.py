"""Provenance and certificate: commit, its date and dirty flag from git (none outside a checkout), the
build date of the run (unless SOURCE_DATE_EPOCH fixes it), never the commit's, permalinks at the commit and line
when a repository is known (else relative links whose text names path, line and commit), and a
codecheck.yml with the fields of CODECHECK's specification 1.0 and hashes that hashlib confirms
(its MUST rules: tests/test_certificate.py)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

GIT = shutil.which("git")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={
            "GIT_COMMITTER_DATE": "2020-05-12T00:00:00Z",
            "PATH": "/usr/bin:/bin",
            "GIT_AUTHOR_DATE": "2020-05-12T00:00:00Z",
        },
    )


def test_the_build_date_is_the_runs_unless_source_date_epoch_fixes_it_and_the_commits_date_is_apart():
    from anakinra_replication.provenance import build_date, commit_date

    assert build_date("0", 1589241600) == "1970-01-01T00:00:00Z"  # SOURCE_DATE_EPOCH wins
    assert build_date(None, 1589241600.7) == "2020-05-12T00:00:00Z"  # the run's time
    assert build_date("", 1589241600) == "2020-05-12T00:00:00Z"
    assert commit_date(1589241600) == "2020-05-12T00:00:00Z" and commit_date(None) is None


@pytest.mark.skipif(GIT is None, reason="git not installed")
def test_a_records_build_date_is_the_time_it_was_written_not_the_commits(tmp_path, monkeypatch):
    import time

    from anakinra_replication.provenance import provenance_record
    from anakinra_replication.tables import provenance_table

    monkeypatch.chdir(tmp_path)
    Path("CITATION.cff").write_text("cff-version: 1.2.0\n")
    Path("out.txt").write_text("x")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "a")  # dated 2020-05-12
    before = time.time()
    record = provenance_record(".", "CITATION.cff", {"out.txt": "x"}, {}, "index.html", environ={})
    today = {time.strftime("%Y-%m-%d", time.gmtime(moment)) for moment in (before, time.time())}
    assert record["source"]["commit_date"] == "2020-05-12T00:00:00Z"
    assert record["build_date"][:10] in today and record["build_date_fixed"] is False
    numbers = {"inputs": {}, "software": {}}
    table = provenance_table(numbers, record)
    assert f"| Build | Build date | {record['build_date']} (the date of this run) |" in table
    assert "| Source | Commit date | 2020-05-12T00:00:00Z (the date of the commit, not of this run) |" in table
    fixed = provenance_record(
        ".", "CITATION.cff", {"out.txt": "x"}, {}, "index.html", environ={"SOURCE_DATE_EPOCH": "0"}
    )
    assert fixed["build_date"] == "1970-01-01T00:00:00Z" and fixed["build_date_fixed"] is True
    assert "1970-01-01T00:00:00Z (fixed by SOURCE_DATE_EPOCH, not the day it ran)" in provenance_table(numbers, fixed)


def test_outside_a_checkout_nothing_is_claimed(tmp_path):
    from anakinra_replication.provenance import git_state

    assert git_state(tmp_path) == {"commit": None, "dirty": None, "commit_time": None}


@pytest.mark.skipif(GIT is None, reason="git not installed")
def test_commit_and_uncommitted_changes(tmp_path):
    from anakinra_replication.provenance import git_state

    (tmp_path / "a.txt").write_text("a")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "a.txt")
    git(tmp_path, "commit", "-q", "-m", "a")
    state = git_state(tmp_path)
    assert len(state["commit"]) == 40 and state["dirty"] is False and state["commit_time"] == 1589241600
    (tmp_path / "a.txt").write_text("b")
    assert git_state(tmp_path)["dirty"] is True


@pytest.mark.skipif(GIT is None, reason="git not installed")
def test_editing_the_readme_or_tests_changes_no_build_input(tmp_path):
    # The document says whether the files it is built from had uncommitted changes: an edit of the
    # README or a new test is not one, an edit of a rule is.
    from anakinra_replication.provenance import NOT_READ_BY_THE_BUILD, git_state

    for path in ("README.md", "tests/test_a.py", "workflow/rules/a.smk"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("a")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "a")
    clean = git_state(tmp_path, NOT_READ_BY_THE_BUILD)
    (tmp_path / "README.md").write_text("b")
    (tmp_path / "tests/test_b.py").write_text("new")
    assert git_state(tmp_path, NOT_READ_BY_THE_BUILD) == clean and clean["dirty"] is False
    assert git_state(tmp_path)["dirty"] is True
    (tmp_path / "workflow/rules/a.smk").write_text("b")
    assert git_state(tmp_path, NOT_READ_BY_THE_BUILD)["dirty"] is True


def test_links_point_at_the_commit_or_are_relative():
    from anakinra_replication.provenance import source_link

    at_commit = {"repository": "https://github.com/o/r", "commit": "c" * 40}
    assert (
        source_link("workflow/rules/figures.smk", 9, at_commit, "results/manuscript")
        == f"https://github.com/o/r/blob/{'c' * 40}/workflow/rules/figures.smk#L9"
    )
    assert (
        source_link("workflow/scripts/km_figure.py", None, {"repository": None, "commit": None}, "results/manuscript")
        == "../../workflow/scripts/km_figure.py"
    )


MADE = {"rule": "figures", "line": 12, "script": "workflow/scripts/draw_figures.py", "script_line": 9}
MADE["rules_file"] = "workflow/rules/figures.smk"


def test_made_by_links_are_permalinks_at_commit_and_line_when_the_repository_is_known():
    import re

    from anakinra_replication.provenance import made_by_link

    source = {"repository": "https://github.com/o/r", "commit": "c" * 40}
    hrefs = re.findall(r"\]\(([^)]+)\)", made_by_link(MADE, source, "results/x/manuscript"))
    assert hrefs == [
        f"https://github.com/o/r/blob/{'c' * 40}/workflow/scripts/draw_figures.py#L9",
        f"https://github.com/o/r/blob/{'c' * 40}/workflow/rules/figures.smk#L12",
    ]


def test_without_a_repository_the_link_text_names_path_line_and_commit():
    from anakinra_replication.provenance import made_by_link

    link = made_by_link(MADE, {"repository": None, "commit": "a" * 40}, "results/x/manuscript")
    assert "`workflow/scripts/draw_figures.py` line 9" in link and "`workflow/rules/figures.smk` line 12" in link
    assert "commit aaaaaaaaaaaa" in link and "no repository named" in link
    assert "(../../../workflow/rules/figures.smk)" in link  # still a link inside the checkout


def test_the_scripts_main_line_is_found(tmp_path):
    from anakinra_replication.provenance import main_line

    (tmp_path / "s.py").write_text('"""Doc."""\n\nimport x\n\n\ndef main(sm):\n    pass\n')
    (tmp_path / "t.py").write_text("print(1)\n")
    assert main_line(tmp_path / "s.py") == 6 and main_line(tmp_path / "t.py") == 1


def test_the_configured_repository_wins_over_citation_cff(tmp_path):
    from anakinra_replication.provenance import repository_url

    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\nrepository-code: https://github.com/o/r/\n")
    assert repository_url(tmp_path / "CITATION.cff", "https://example.org/x/") == "https://example.org/x"


def test_repository_comes_from_citation_cff(tmp_path):
    from anakinra_replication.provenance import repository_url

    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\nrepository-code: https://github.com/o/r/\n")
    assert repository_url(tmp_path / "CITATION.cff") == "https://github.com/o/r"
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\n")
    assert repository_url(tmp_path / "CITATION.cff") is None


@pytest.fixture()
def record(tmp_path, monkeypatch):
    """A provenance record of two outputs in a folder that is not a git checkout."""
    from anakinra_replication.jsonio import write_json
    from anakinra_replication.provenance import provenance_record

    monkeypatch.chdir(tmp_path)
    Path("results/figures").mkdir(parents=True)
    Path("results/numbers.json").write_text("{}\n")
    Path("results/figures/km.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\ntitle: A replication\nauthors:\n  - name: Someone\n")
    made = {
        "fig-km": {
            "rule": "km_figure",
            "script": "workflow/scripts/km_figure.py",
            "rules_file": "workflow/rules/figures.smk",
            "line": 9,
            "script_line": 4,
        }
    }
    result = provenance_record(
        ".",
        "CITATION.cff",
        {"results/numbers.json": "numbers", "results/figures/km.png": "figure"},
        made,
        "results/manuscript/index.html",
        environ={"SOURCE_DATE_EPOCH": "0"},
    )
    write_json(result, tmp_path / "provenance.json", schema="provenance.schema.yaml")
    return result


def test_record_hashes_and_links(record):
    assert record["outputs"][1]["sha256"] == hashlib.sha256(b"\x89PNG fake").hexdigest()
    assert record["build_date"] == "1970-01-01T00:00:00Z"
    assert record["made_by"]["fig-km"]["link"] == (
        "[Made by [`workflow/scripts/km_figure.py` line 4](../../workflow/scripts/km_figure.py), rule `km_figure` "
        "at [`workflow/rules/figures.smk` line 9](../../workflow/rules/figures.smk) "
        "(no commit recorded; no repository named).]{.provenance}"
    )


def test_codecheck_yml_has_the_specification_fields(record, tmp_path):
    from anakinra_replication.certificate import codecheck, write_codecheck

    Path("results/manuscript").mkdir()
    Path("results/manuscript/index.html").write_text("<html></html>")
    cohort = {"path": "data/cohort/patients.csv", "reconstructed": True, "sha256": "0" * 64}
    content = codecheck(
        record, CITATION, cohort, {"results/manuscript/index.html": "the document"}, "results/codecheck.yml"
    )
    write_codecheck(content, "results/codecheck.yml")
    text = Path("results/codecheck.yml").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    loaded = yaml.safe_load(text)
    assert loaded["version"] == "https://codecheck.org.uk/spec/config/1.0/"
    assert {"paper", "manifest", "summary", "check_time"} <= set(loaded)
    assert loaded["paper"] == {
        "title": "An article",
        "authors": [{"name": "A. Author"}],
        "reference": "https://doi.org/10.1000/xyz",
    }
    files = {m["file"]: m for m in loaded["manifest"]}
    assert set(files) == {"numbers.json", "figures/km.png", "manuscript/index.html"}  # relative to codecheck.yml
    for name, entry in files.items():
        digest = hashlib.sha256(Path("results", name).read_bytes()).hexdigest()
        assert entry["comment"] and entry["anakinra:sha256"] == digest
    assert "NOT A CODECHECK CERTIFICATE" in loaded["summary"] and "reconstruction" in loaded["summary"]
    assert loaded["anakinra:status"].startswith("NOT A CODECHECK CERTIFICATE")
    assert not {"certificate", "report", "codechecker", "repository"} & set(loaded)  # none given; none known


CITATION = {
    "title": "A replication",
    "authors": [{"name": "Someone"}],
    "references": [
        {
            "type": "article",
            "title": "An  article",
            "authors": [{"given-names": "A.", "family-names": "Author"}],
            "doi": "10.1000/xyz",
        }
    ],
}
