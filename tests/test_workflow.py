"""End to end: the whole workflow in a temporary copy of the repository, on the small test
configuration (.test/config/config.yaml: few Monte Carlo draws, small bootstrap).

One run (conftest's ``two_cohort_run``) builds the shipped cohort and a user's cohort with no
deaths in the anakinra arm, whose claims mismatch: its document is rendered, then the run fails.
It comes after a run that built the shared results, and recomputes none of them. Then, each in
its own copy of the repository as that run left it (workflow_runs.FOLLOW_UPS, read with conftest's
``follow_up``): the cheap outputs built again (same bytes), the shipped cohort alone (exit 0) and
broken cohorts (nothing stale is left). The production settings run in CI through `make`.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from anakinra_replication.terminal import verdict_lines
from workflow_runs import (
    BAD_COHORTS,
    CHEAP_OUTPUTS,
    HAVE_QUARTO,
    OUTSIDE,
    RECONSTRUCTION_WORDS,
    SHIPPED,
    needs_quarto,
)

pytestmark = pytest.mark.e2e

EXCEPTION_TEXT = ("Traceback", "RuleException", "CalledProcessError", "WorkflowError", "Error in rule")


@pytest.fixture(scope="module")
def run(shipped_run) -> Path:
    """The copy in which the shipped cohort was run (conftest), for the runs of other cohorts."""
    return shipped_run


@pytest.fixture(scope="module")
def mismatch(two_cohort_run) -> tuple[Path, subprocess.CompletedProcess]:
    """The same copy, and the output of the run that also built the cohort without deaths on anakinra."""
    return two_cohort_run


def verification(folder: Path) -> list[dict[str, str]]:
    with open(folder / "verification.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def visible_text(html: Path) -> str:
    """The text of a rendered page, tags and runs of white space removed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", "", html.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def test_the_shipped_cohort_alone_exits_zero_and_says_so(follow_up):
    _, result = follow_up("shipped_cohort_alone")  # run again on its own: nothing to rebuild, every claim matches
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Verification of cohort reconstruction: 25 of 25 numeric claims match" in result.stdout + result.stderr


def test_every_numeric_claim_matches(run):
    rows = verification(run / SHIPPED)
    numeric = [r for r in rows if r["verdict"] != "not_checkable"]
    assert len(numeric) == 25
    assert {r["verdict"] for r in numeric} <= {"match", "match_other_rounding"}
    assert (run / SHIPPED / "verification_summary.txt").read_text().startswith("25 of 25 numeric claims match")


def test_shipped_cohort_is_recognised_by_content_and_labelled_so(run):
    numbers = json.loads((run / SHIPPED / "numbers.json").read_text(encoding="utf-8"))
    assert numbers["cohort"]["is_reconstruction"] is True
    assert {r["evidence"] for r in verification(run / SHIPPED)} >= {"by_construction", "fitted", "derived"}


def test_outputs_are_in_their_folders(run):
    for path in ["numbers.json", "verification.csv", "robustness.json", "tables/outcomes.md"]:
        assert (run / SHIPPED / path).stat().st_size > 0, path
    for path in ["claims.json", "identifiability.json"]:
        assert (run / "results/published" / path).stat().st_size > 0, path
    assert (run / SHIPPED / "logs/validate_cohort.log").exists()
    assert (run / "results/published/logs/death_day_chunk_0.log").exists()
    assert sorted(p.name for p in (run / "results").iterdir()) == ["published", "reconstruction", "zero_deaths"]
    assert not (run / "manuscript/_generated").exists()


def test_cheap_outputs_are_byte_identical_when_built_again(run, follow_up):
    # The cheap outputs, removed from a copy of the repository and made again by another run.
    again, result = follow_up("cheap_outputs_built_again")
    assert result.returncode == 0, result.stderr[-3000:]
    assert {path: (again / path).read_bytes() for path in CHEAP_OUTPUTS} == {
        path: (run / path).read_bytes() for path in CHEAP_OUTPUTS
    }


class _Page(HTMLParser):
    """Collects what the HTML checks need: image sources, links, ids, external resources."""

    def __init__(self) -> None:
        super().__init__()
        self.images, self.anchors, self.ids, self.external = [], [], set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "img":
            self.images.append(a.get("src", ""))
        if tag == "a" and (a.get("href") or "").startswith("#") and len(a["href"]) > 1:
            self.anchors.append(a["href"][1:])
        if tag in ("script", "img", "iframe") and re.match(r"https?:", a.get("src") or ""):
            self.external.append(a["src"])
        if tag == "link" and re.match(r"https?:", a.get("href") or ""):
            self.external.append(a["href"])


@needs_quarto
def test_html_is_self_contained_and_cross_references_resolve(run):
    """The report and the supplement: each self-contained, each cross-reference resolved in it."""
    ids = {}
    for name in ("index", "supplement"):
        html = (run / SHIPPED / f"manuscript/{name}.html").read_text(encoding="utf-8")
        page = _Page()
        page.feed(html)
        assert len(page.images) >= 3 and all(src.startswith("data:image/") for src in page.images)
        assert page.external == []
        assert [a for a in page.anchors if a not in page.ids] == []
        assert not re.search(r"\?@(fig|tbl|sec)-", html), "an unresolved cross-reference"
        assert (run / SHIPPED / f"manuscript/{name}.pdf").read_bytes()[:4] == b"%PDF"
        ids[name] = page.ids
    assert "fig-km-survival" in ids["index"] and "tbl-verification" in ids["supplement"]


@needs_quarto
def test_manuscript_numbers_agree_with_results_files(run):
    metadata = {}
    for name in ("metadata.yml", "later_evidence.yml", "provenance.yml"):
        metadata |= yaml.safe_load((run / SHIPPED / "manuscript" / name).read_text(encoding="utf-8"))
    sources = "".join(qmd.read_text(encoding="utf-8") for qmd in (run / "manuscript").glob("*.qmd"))
    for key in re.findall(r"\{\{<\s*meta\s+([\w.]+)\s*>\}\}", sources):
        node = metadata
        for part in key.split("."):
            assert part in node, f"{{{{< meta {key} >}}}} has no value in metadata.yml"
            node = node[part]
    documents = [run / SHIPPED / f"manuscript/{name}.html" for name in ("index", "supplement")]
    text = "\n".join(visible_text(d) for d in documents)
    assert "25 of 25 numeric claims match" in text
    assert "this package rebuilt from the reported numbers" in text
    assert "supplied by the user" not in text
    ident = json.loads((run / "results/published/identifiability.json").read_text(encoding="utf-8"))
    html = documents[1].read_text(encoding="utf-8")  # the supplement lists every claim
    for row in verification(run / SHIPPED):  # every numeric claim has its row, anchored by its id
        if row["verdict"] != "not_checkable":
            assert f'id="claim-{row["claim_id"]}"' in html, row["claim_id"]
    space, joint = ident["death_days"], ident["vent_free"]
    assert space["layouts"] == 1_572_701_130
    for count in [space["layouts"], space["logrank"]["printing_as_reported"], joint["kept"], joint["tried"]]:
        assert f"{count:,}" in text, count


def test_a_mismatch_gets_its_document_and_then_fails(mismatch):
    repo, result = mismatch
    out = result.stdout + result.stderr
    assert result.returncode != 0
    rows = {r["claim_id"]: r for r in verification(repo / "results/zero_deaths")}
    wrong = [r for r in rows.values() if r["verdict"] in ("mismatch", "not_estimable")]
    assert rows["died_anakinra_count"]["verdict"] == "mismatch" and len(wrong) >= 3
    listed = out.split("Mismatched claims:")[-1]
    assert all(r["claim_id"] in listed for r in wrong)
    assert "results/zero_deaths/manuscript/index.html" in out
    assert "verification failed for cohort reconstruction" not in out
    assert "Cohort reconstruction: every numeric claim matches" in out
    assert {r["evidence"] for r in rows.values()} <= {"derived", "not_verifiable"}
    lines, word = verdict_lines(result.returncode, out, ["reconstruction", "zero_deaths"], repo / "results")
    assert word == "mismatch" and "Died, anakinra: number" in "\n".join(lines)
    assert not any(e in "\n".join(lines) for e in EXCEPTION_TEXT)
    if HAVE_QUARTO:
        text = visible_text(repo / "results/zero_deaths/manuscript/index.html") + visible_text(
            repo / "results/zero_deaths/manuscript/supplement.html"
        )
        assert "The verification shows that the reported numbers are consistent" not in text
        assert f"{25 - len(wrong)} of 25 numeric claims match" in text
        assert f"{len(wrong)} numeric claims do not match" in text
        assert "reported 3, recomputed 0" in text
        assert "supplied by the user" in text and "reconstructed cohort shipped with this package" not in text
        assert (repo / "results/zero_deaths/manuscript/index.pdf").read_bytes()[:4] == b"%PDF"


def text_of(html: str) -> str:
    """The words of an HTML fragment, tags and runs of white space removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def read_as_titles_tables_and_captions(html: str) -> dict[str, str]:
    """What a reader takes in at a glance, by where it is: every heading and box title, and every
    figure and table (caption and cells) by its label."""
    html = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "", html)
    parts = {
        f"heading {k}": text_of(h) for k, (_, h) in enumerate(re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.S))
    }
    titles = re.findall(r'class="callout-title-container[^"]*">(.*?)</div>', html, re.S)
    parts |= {f"box title {k}": text_of(title) for k, title in enumerate(titles)}
    for label in re.findall(r'<div id="((?:tbl|fig)-[a-z0-9-]+)" class="quarto-float', html):
        start = html.index(f'<div id="{label}"')
        parts[label] = text_of(html[start : html.index("</figure>", start)])
    return parts


@needs_quarto
def test_a_users_document_speaks_of_the_users_cohort_only(mismatch):
    # No heading, table, caption or manifest entry speaks of the reconstruction, its assumptions,
    # evenly spread days or days moved; the event days are the cohort's; the statements counted as
    # unchecked are those the table lists; the build date is the run's, the commit's apart.
    repo, _ = mismatch
    folder = repo / "results/zero_deaths"
    documents = [folder / f"manuscript/{name}.html" for name in ("index", "supplement")]  # the report, the supplement
    html = "\n".join(d.read_text(encoding="utf-8") for d in documents)
    parts = {
        k: v for d in documents for k, v in read_as_titles_tables_and_captions(d.read_text(encoding="utf-8")).items()
    }
    assert "tbl-event-days" in parts and "tbl-assumptions" not in parts and len(parts) > 20
    # The robustness table's rows are worded in questions.py (R15): test_the_robustness_table_of_a_users_cohort.
    said = {where: RECONSTRUCTION_WORDS.findall(text) for where, text in parts.items() if where != "tbl-robustness"}
    assert {where: words for where, words in said.items() if words} == {}
    assert any(text.endswith("The cohort") for where, text in parts.items() if where.startswith("heading"))
    numbers = json.loads((folder / "numbers.json").read_text(encoding="utf-8"))
    for arm in ("anakinra", "standard"):
        days = numbers["relations"][arm]["death_days"]
        assert f"Death {arm.capitalize()}" in parts["tbl-event-days"].replace(" treatment", "")
        assert f"{len(days)} {', '.join(map(str, days)) or 'none'}" in parts["tbl-event-days"], arm
    for item in yaml.safe_load((folder / "codecheck.yml").read_text(encoding="utf-8"))["manifest"]:
        assert not RECONSTRUCTION_WORDS.search(item["file"] + " " + item["comment"]), item
    assert not (folder / "tables/assumptions.md").exists()
    # statements: as many said to be unchecked as the table lists and the evidence table counts
    statements = html[html.index('<div id="tbl-statements"') :].split("</table>")[0].split("<tbody>")[1]
    listed = statements.count("<tr")
    text = "\n".join(visible_text(d) for d in documents)
    assert f"{listed} statements cannot be checked against patient-level data" in text
    assert re.search(rf"not verifiable {listed} – –", parts["tbl-evidence"])
    # the build date: when the record was written (this run), not the commit's date
    record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    built = datetime.strptime(record["build_date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    assert record["build_date_fixed"] is False and abs(built - (folder / "provenance.json").stat().st_mtime) < 600
    assert f"Build date {record['build_date']} (the date of this run)" in text
    assert (
        record["source"]["commit_date"] is None or f"{record['source']['commit_date']} (the date of the commit" in text
    )
    if shutil.which("pdftotext"):
        pdf = "\n".join(
            subprocess.run(
                ["pdftotext", str(d.with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True
            ).stdout
            for d in documents
        )
        flat = re.sub(r"\s+", " ", pdf)
        for phrase in (
            "evenly spread",
            "days moved",
            "Days moved",
            "Assumptions of the reconstructed",
            "and the reconstruction",
        ):
            assert phrase not in flat, phrase
        assert f"{listed} statements cannot be checked" in flat and "The cohort" in flat


@needs_quarto
def test_the_robustness_table_of_a_users_cohort_does_not_speak_of_the_reconstruction(mismatch):
    repo, _ = mismatch
    html = (repo / "results/zero_deaths/manuscript/supplement.html").read_text(encoding="utf-8")
    assert RECONSTRUCTION_WORDS.findall(read_as_titles_tables_and_captions(html)["tbl-robustness"]) == []


def test_cohorts_run_after_the_shared_results_recompute_none_of_them(mismatch):
    # The two-cohort run came after the run that built results/published/ (conftest).
    _, result = mismatch
    jobs = set(re.findall(r"^(?:local)?rule (\w+):", result.stdout + result.stderr, re.M))
    assert {"validate_cohort", "robustness"} | ({"render_manuscript"} if HAVE_QUARTO else set()) <= jobs
    assert jobs.isdisjoint(
        {
            "death_day_chunk",
            "death_day_space",
            "joint_stream",
            "joint_space",
            "identifiability",
            "validate_claims",
            "implied_counts",
            "later_evidence_register",
        }
    )


@pytest.mark.parametrize("name", list(BAD_COHORTS))
def test_bad_cohort_stops_the_run_with_one_message_and_leaves_nothing_stale(run, follow_up, name):
    # A run of a broken cohort, in a copy of the repository as the two-cohort run left it.
    repo, result = follow_up(f"bad_cohort_{name}")
    file, _, message = BAD_COHORTS[name]
    out = result.stdout + result.stderr
    earlier = (run / "results" / name / ("manuscript/index.html" if HAVE_QUARTO else "numbers.json")).exists()
    assert earlier is (name == "zero_deaths")  # the earlier run's document of this cohort name
    assert result.returncode != 0
    assert f"cohort error: {file}, {message}" in out
    assert "Traceback" not in out
    lines, word = verdict_lines(result.returncode, out, [name], Path("/nonexistent"))
    assert word == "input error" and any(f"cohort error: {file}, {message}" in line for line in lines)
    assert not any(e in "\n".join(lines) for e in EXCEPTION_TEXT)
    assert "verification failed" not in out  # the earlier run's mismatches are not reported again
    left = [p.relative_to(repo) for p in (repo / "results" / name).rglob("*") if p.is_file()]
    assert left and all(p.parts[2] in ("logs", "benchmarks") for p in left), left
    assert (
        repo / SHIPPED / "manuscript/index.html"
    ).exists() or not HAVE_QUARTO  # another cohort's failure leaves it alone


def test_a_sites_workbook_with_a_mapping_gives_a_document_that_names_no_folder(follow_up):
    # A site's own workbook (own headers, labels, Y/N) with a mapping, given by its absolute path in
    # a folder outside the package; and the same cohort as a plain CSV (the 31-vs-18 cohort).
    repo, workbook = follow_up("own_workbook")
    plain_repo, plain = follow_up("own_plain")
    folder = repo.parent / OUTSIDE
    out = workbook.stdout + workbook.stderr
    assert workbook.returncode != 0 and plain.returncode != 0  # 31 vs 18: claims mismatch
    results = repo / "results/own_workbook"
    plain_csv = plain_repo / "results/own_plain/verification.csv"
    assert (results / "verification.csv").read_bytes() == plain_csv.read_bytes()
    lines, word = verdict_lines(workbook.returncode, out, ["own_workbook"], repo / "results")
    assert word == "mismatch" and not any(e in "\n".join(lines) for e in EXCEPTION_TEXT)
    leaked = [
        p.relative_to(repo)
        for p in results.rglob("*")
        if p.is_file()
        and p.suffix in (".json", ".yml", ".yaml", ".csv", ".md", ".html", ".log", ".txt", ".typ")
        and str(folder) in p.read_text(encoding="utf-8", errors="replace")
    ]
    assert leaked == []
    settings = (repo / "results/published/config.json").read_text(encoding="utf-8")
    assert str(folder) not in settings and "mapping" not in json.loads(settings)  # no user's path in shared results
    # the shared results (built before, read by every cohort) record neither the file nor the mapping
    shared = [
        p.relative_to(repo)
        for p in (repo / "results/published").rglob("*")
        if p.is_file()
        and p.suffix in (".json", ".yml", ".yaml", ".csv", ".md", ".log", ".txt")
        and any(s in p.read_text(encoding="utf-8", errors="replace") for s in (OUTSIDE, "site export", "site.mapping"))
    ]
    assert shared == []
    numbers = json.loads((results / "numbers.json").read_text(encoding="utf-8"))
    assert (
        numbers["cohort"]["path"] == "site export.xlsx" and numbers["inputs"]["mapping"]["path"] == "site.mapping.yaml"
    )
    assert numbers["cohort"]["read"]["format"] == "Excel workbook (.xlsx)"
    if HAVE_QUARTO:
        text = visible_text(results / "manuscript/index.html") + visible_text(results / "manuscript/supplement.html")
        assert "site.mapping.yaml" in text and numbers["inputs"]["mapping"]["sha256"][:12] in text
        assert "The verification shows that the reported numbers are consistent" not in text
        assert "enrolled 29 treated and 16 control patients" in text


@needs_quarto
@pytest.mark.parametrize("cohort", ["reconstruction", "zero_deaths"])
def test_the_provenance_a_reviewer_expects_is_in_both_documents_and_no_instruction_to_a_developer(mismatch, cohort):
    # Done-when 8 of R15: licence and contributors (CITATION.cff), the Monte Carlo seed, the run's
    # date, time taken and machine, every tool's version, Typst's the one that signed the PDF.
    import os

    repo = mismatch[0]
    folder = repo / "results" / cohort
    record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    settings = json.loads((repo / "results/published/config.json").read_text(encoding="utf-8"))
    mc = settings["identifiability"]["monte_carlo"]
    assert record["package"]["licence"] == citation["license"]
    assert record["package"]["contributors"] == [a["name"] for a in citation["authors"]]
    assert record["monte_carlo"]["stream_seeds"] == [mc["seed"] + k for k in range(mc["streams"])]
    assert (
        record["run"]["seconds"] > 0
        and record["run"]["jobs"] >= 5
        and record["machine"]["logical_cores"] == os.cpu_count()
    )
    signed = re.search(rb"<xmp:CreatorTool>Typst (\d+\.\d+(?:\.\d+)?)<", (folder / "manuscript/index.pdf").read_bytes())
    assert signed and record["tools"]["Typst (run by Quarto)"].split(" ")[0] == signed.group(1).decode()
    # the report says it in a sentence; the supplement's provenance table row by row
    report = visible_text(folder / "manuscript/index.html")
    assert f"released under the {citation['license']} licence by {citation['authors'][0]['name']}" in report
    assert f"seeded with {mc['seed']}" in report and f"Typst {signed.group(1).decode()}" in report
    text = visible_text(folder / "manuscript/supplement.html")
    assert f"Licence {citation['license']}" in text and f"Contributors {citation['authors'][0]['name']}" in text
    assert f"Monte Carlo seed {mc['seed']}; {mc['streams']} stream" in text
    assert re.search(r"Time taken (\d+ h )?(\d+ min )?\d+ s \(\d[\d,]* s\)", text)
    assert f"Machine {os.cpu_count()} logical core" in text
    for tool in ("Python", "Snakemake", "Quarto", "Typst (run by Quarto)", "Pandoc (run by Quarto)"):
        assert re.search(rf"{re.escape(tool)} \d+\.\d+", text), tool
    readers = [report, text]
    if shutil.which("pdftotext"):
        pdf = subprocess.run(
            ["pdftotext", str(folder / "manuscript/supplement.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        readers.append(pdf)
        readers.append(
            subprocess.run(
                ["pdftotext", str(folder / "manuscript/index.pdf"), "-"], capture_output=True, text=True, check=True
            ).stdout
        )
        for fact in ("Licence", "Contributors", "Monte Carlo seed", "Time taken", "Machine", "Typst (run by Quarto)"):
            assert fact in pdf, fact
        assert str(mc["seed"]) in pdf and signed.group(1).decode() in pdf
    for said in readers:
        assert not re.search(r"config/config\.yaml|set `?repository|repository-code", said)
