"""Provenance and certificate: commit, its date and dirty flag from git (none outside a checkout), the
build date of the run (unless SOURCE_DATE_EPOCH fixes it), never the commit's, permalinks at the commit and line
when a repository is known (else relative links whose text names path, line and commit), and a
codecheck.yml with the fields of CODECHECK's specification 1.0 and hashes that hashlib confirms
(its MUST rules: tests/test_certificate.py)."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import socket
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
        monte_carlo={"seed": 7, "streams": 2, "draws_per_stream": 10, "cox_sample": 5},
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


# --- what a reviewer expects: licence, contributors, seed, time taken, machine, every tool's version ---

ROOT = Path(__file__).resolve().parents[1]
VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")


def test_licence_contributors_and_version_come_from_citation_cff(tmp_path):
    from anakinra_replication.provenance import citation_facts

    (tmp_path / "CITATION.cff").write_text(
        "cff-version: 1.2.0\nversion: 2.0\nlicense: [MIT, Apache-2.0]\nauthors:\n"
        "  - given-names: Ada\n    family-names: Lovelace\n"
        "  - given-names: Ludwig\n    name-particle: van\n    family-names: Beethoven\n    name-suffix: Jr.\n"
        "  - name: A Research Group\n  - {}\n"
    )
    assert citation_facts(tmp_path / "CITATION.cff") == {
        "licence": "MIT OR Apache-2.0",
        "contributors": ["Ada Lovelace", "Ludwig van Beethoven, Jr.", "A Research Group"],
        "version": "2.0",
    }
    (tmp_path / "CITATION.cff").write_text("cff-version: 1.2.0\n")
    assert citation_facts(tmp_path / "CITATION.cff") == {"licence": None, "contributors": [], "version": None}
    shipped = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    facts = citation_facts(ROOT / "CITATION.cff")
    assert facts["licence"] == shipped["license"] and facts["contributors"] == [a["name"] for a in shipped["authors"]]


def test_the_seed_is_the_configs_and_stream_k_is_seeded_with_seed_plus_k(config):
    from anakinra_replication.provenance import monte_carlo_seeds
    from anakinra_replication.provenance_words import seed_words

    mc = config["identifiability"]["monte_carlo"]
    seeds = monte_carlo_seeds(mc)
    assert seeds["seed"] == mc["seed"] and seeds["streams"] == mc["streams"]
    assert seeds["stream_seeds"] == [mc["seed"] + k for k in range(mc["streams"])]
    three = monte_carlo_seeds({"seed": 10, "streams": 3, "draws_per_stream": 1000})
    assert seed_words(three) == "10; 3 streams, stream k seeded with 10 + k (10, 11 and 12), 1,000 kept draws each"
    assert seed_words(None) == "no Monte Carlo in this run"


def test_the_machine_is_described_by_cores_os_architecture_and_python_and_names_no_host_or_user():
    import getpass

    from anakinra_replication.provenance import machine
    from anakinra_replication.provenance_words import machine_words

    facts = machine()
    assert set(facts) == {"logical_cores", "os", "os_release", "distribution", "architecture", "python"}
    assert facts["logical_cores"] == os.cpu_count() and facts["os"] == platform.system()
    assert facts["os_release"] == platform.release() and facts["architecture"] == platform.machine()
    assert facts["python"] == f"{platform.python_implementation()} {platform.python_version()}"
    words = machine_words(facts)
    assert words.startswith(f"{os.cpu_count()} logical core") and f"{platform.system()} {platform.release()}" in words
    said = json.dumps(facts)
    for private in (socket.gethostname(), getpass.getuser()):
        if len(private) >= 4 and private not in platform.release() + str(facts["distribution"]):
            assert private not in said, private
    assert machine_words({**facts, "logical_cores": 1, "distribution": None}).startswith("1 logical core;")


def write_benchmark(path: Path, *seconds: float) -> str:
    """A Snakemake benchmark file (TSV) with one row per repetition."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"{s}\t0:00:00\t1.0\t1.0\t1.0\t1.0\t0.0\t0.0\t1.0\t0.5\n" for s in seconds)
    path.write_text("s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n" + rows)
    return str(path)


def test_the_time_taken_is_the_sum_of_the_benchmark_files_and_none_for_a_fixed_build_date(tmp_path):
    from anakinra_replication.provenance import run_time
    from anakinra_replication.provenance_words import duration_words, run_words

    files = [write_benchmark(tmp_path / "a.tsv", 700.25), write_benchmark(tmp_path / "b.tsv", 100.5, 11.5)]
    run = run_time(files, fixed=False)
    assert run == {"seconds": 812.25, "jobs": 2, "why_not": None}
    assert run_words(run).startswith("13 min 32 s (812 s): the wall-clock times of the 2 jobs behind these outputs")
    assert "jobs without a benchmark file are not counted" in run_words(run)
    assert run_time(files, fixed=True) == {"seconds": None, "jobs": 2, "why_not": "SOURCE_DATE_EPOCH is set"}
    assert run_words(run_time(files, fixed=True)) == "not recorded (SOURCE_DATE_EPOCH is set)"
    assert run_time([], fixed=False)["why_not"] == "no job was timed"
    assert [duration_words(s) for s in (0.4, 45, 60, 3725)] == ["0 s", "45 s", "1 min 0 s", "1 h 2 min 5 s"]


FAKE_QUARTO = """#!/bin/sh
# A stand-in for Quarto: like Quarto, it hands Typst's output on through stderr.
case "$1 $2" in
  "--version "*) echo 1.99.0 ;;
  "typst --version") [ -n "$FAIL" ] && exit 3; echo "typst {said}" >&2 ;;
  "typst compile") [ -n "$NO_PROBE" ] && exit 1
    printf '%%PDF-1.7 <xmp:CreatorTool>Typst {signed}</xmp:CreatorTool>' > "$4" ;;
  "pandoc --version") printf 'pandoc 3.1.2\\nFeatures: +server\\n' ;;
  *) exit 2 ;;
esac
"""


def fake_quarto(folder: Path, said: str, signed: str) -> None:
    """A fake ``quarto`` in ``folder``, whose Typst says ``said`` to --version and signs PDFs ``signed``."""
    folder.mkdir(exist_ok=True)
    (folder / "quarto").write_text(FAKE_QUARTO.format(said=said, signed=signed))
    (folder / "quarto").chmod(0o755)


def test_typsts_version_is_read_through_quarto_on_path_from_stderr_and_from_the_pdf_it_signs(tmp_path, monkeypatch):
    from anakinra_replication.provenance import tool_versions

    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    fake_quarto(tmp_path / "bin", said="0.42.1", signed="0.42.1")
    tools = tool_versions()
    assert tools["Quarto"] == "1.99.0" and tools["Pandoc (run by Quarto)"] == "3.1.2"
    assert tools["Typst (run by Quarto)"] == "0.42.1"  # printed on stderr, as Quarto does
    fake_quarto(tmp_path / "bin", said="0.42.1", signed="0.42.0")  # a wrapper that reports its own version
    assert (
        tool_versions()["Typst (run by Quarto)"]
        == "0.42.0 (as it signs its PDFs; `quarto typst --version` says 0.42.1)"
    )
    monkeypatch.setenv("NO_PROBE", "1")
    assert tool_versions()["Typst (run by Quarto)"] == "0.42.1"
    monkeypatch.setenv("FAIL", "1")
    assert tool_versions()["Typst (run by Quarto)"] == "not recorded (quarto typst --version exited with status 3)"
    assert tool_versions("no-such-quarto")["Typst (run by Quarto)"] == "not recorded (no-such-quarto not found)"


def real_quarto() -> str | None:
    """The Quarto on PATH, else the one this checkout bundles in .tools/quarto."""
    bundled = ROOT / ".tools/quarto/bin/quarto"
    return shutil.which("quarto") or (str(bundled) if bundled.is_file() else None)


@pytest.mark.skipif(real_quarto() is None, reason="no Quarto on PATH")
def test_with_the_real_quarto_every_tools_version_is_a_real_version():
    from anakinra_replication.provenance import tool_versions, typst_compiler_version, version_in

    quarto = real_quarto()
    tools = tool_versions(quarto)
    for name in ("Quarto", "Typst (run by Quarto)", "Pandoc (run by Quarto)"):
        assert not tools[name].startswith("not recorded"), (name, tools[name])
        assert VERSION.match(version_in(tools[name])), (name, tools[name])
    assert version_in(tools["Typst (run by Quarto)"]) == typst_compiler_version(quarto)


def test_the_provenance_table_has_a_row_for_each_fact_and_no_instruction_to_a_developer(record):
    from anakinra_replication.tables import provenance_table

    record = {
        **record,
        "run": {"seconds": 812.25, "jobs": 13, "why_not": None},
        "machine": {
            "logical_cores": 2,
            "os": "Linux",
            "os_release": "6.1.0",
            "distribution": "Debian GNU/Linux 12 (bookworm)",
            "architecture": "x86_64",
            "python": "CPython 3.11.7",
        },
        "tools": {**record["tools"], "Typst (run by Quarto)": "0.15.1"},
    }
    numbers = {"inputs": {}, "software": {"numpy": "2.0.0", "snakemake": "9.0.0"}}
    table = provenance_table(numbers, record)
    assert "| Citation | Licence | none named in CITATION.cff |" in table  # the fixture's CITATION.cff
    assert "| Citation | Contributors | Someone |" in table
    assert (
        "| Build | Monte Carlo seed | 7; 2 streams, stream k seeded with 7 + k (7 and 8), 10 kept draws each |" in table
    )
    assert "| Build | Time taken | 13 min 32 s (812 s): the wall-clock times of the 13 jobs" in table
    assert (
        "| Build | Machine | 2 logical cores; Linux 6.1.0 (Debian GNU/Linux 12 (bookworm)); x86_64; CPython 3.11.7 |"
        in table
    )
    assert "| Tool | Typst (run by Quarto) | 0.15.1 |" in table and "| Tool | Pandoc (run by Quarto) |" in table
    assert "| Package | numpy | 2.0.0 |" in table and "| Package | snakemake |" not in table  # a tool's row once
    assert "| Source | Repository | none named;" in table
    assert not re.search(r"config\.yaml|\bset `|\bedit\b|\badd\b", table, re.I)


def test_the_manuscripts_metadata_names_licence_contributors_seed_time_machine_and_tools(record):
    from anakinra_replication.provenance import link_metadata

    record = {**record, "run": {"seconds": 812.25, "jobs": 13, "why_not": None}}
    meta = link_metadata(record)["provenance"]
    assert meta["licence"] == "none named in CITATION.cff" and meta["contributors"] == "Someone"
    assert (meta["seed"], meta["streams"], meta["stream_seeds"]) == ("7", "2", "7 and 8")
    assert (meta["run_seconds"], meta["run_time"], meta["run_jobs"]) == ("812", "13 min 32 s", "13")
    assert meta["cores"] == str(os.cpu_count()) and meta["machine"].startswith(f"{os.cpu_count()} logical core")
    assert set(meta["tools"]) == {"python", "snakemake", "quarto", "typst", "pandoc"}
    assert meta["tools"]["python"] == platform.python_version()
    fixed = link_metadata(record | {"run": {"seconds": None, "jobs": 13, "why_not": "SOURCE_DATE_EPOCH is set"}})
    assert fixed["provenance"]["run_seconds"] == "not recorded"


def test_a_record_without_a_repository_or_licence_still_validates_and_says_what_is_missing(record):
    from anakinra_replication.jsonio import check_contract

    check_contract(record, "provenance.schema.yaml")
    assert record["package"] == {"licence": None, "contributors": ["Someone"], "version": None}
    assert record["monte_carlo"]["stream_seeds"] == [7, 8]
    assert record["run"] == {"seconds": None, "jobs": 0, "why_not": "SOURCE_DATE_EPOCH is set"}


def test_the_timed_jobs_are_those_behind_the_cohorts_hashed_files_and_what_they_are_made_from():
    from types import SimpleNamespace

    from anakinra_replication.provenance import benchmark_files, writes_any

    def rule(name, output, benchmark):
        return SimpleNamespace(name=name, output=output, benchmark=benchmark)

    rules = [
        rule("analysis", ["results/{cohort,a|b}/analysis.json"], "results/{cohort,a|b}/benchmarks/analysis.tsv"),
        rule("chunk", ["results/published/chunk_{chunk}.json"], "results/published/benchmarks/chunk_{chunk}.tsv"),
        rule("render", ["results/{cohort}/index.html"], "results/{cohort}/benchmarks/render.tsv"),
        rule("untimed", ["results/{cohort}/numbers.json"], None),
    ]
    assert writes_any(rules[0], ["results/{cohort}/analysis.json"]) and not writes_any(rules[2], ["x"])
    hashed = ["results/a/analysis.json", "results/a/numbers.json"]
    assert benchmark_files(rules, ["chunk"], hashed, "a", {"chunk": range(2), "stream": range(3)}) == [
        "results/a/benchmarks/analysis.tsv",
        "results/published/benchmarks/chunk_0.tsv",
        "results/published/benchmarks/chunk_1.tsv",
    ]
    assert benchmark_files(rules, [], ["results/b/index.html"], "b", {}) == ["results/b/benchmarks/render.tsv"]
