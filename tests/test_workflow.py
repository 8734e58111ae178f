"""End to end: the whole workflow in a temporary copy of the repository.

One full run (with rendering when Quarto is on PATH) is shared by the tests of this module;
the failure cases run in copies of their own with only the steps they need.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.e2e

SNAKEMAKE = Path(sys.executable).with_name("snakemake")
HAVE_QUARTO = shutil.which("quarto") is not None
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", ".tools", ".snakemake", "results", "_generated",
                                     "_manuscript", ".quarto", "__pycache__", ".pytest_cache")
VERIFIED = ["results/verification_summary.txt", "results/tables/outcomes.csv"]


def copy_repo(tmp: Path) -> Path:
    """A copy of the working tree without generated files."""
    target = tmp / "repo"
    shutil.copytree(ROOT, target, ignore=COPY_IGNORE)
    return target


def snakemake(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """Run Snakemake in ``repo``; output is captured for the assertions."""
    return subprocess.run([str(SNAKEMAKE), "--cores", "2", *args], cwd=repo, capture_output=True, text=True)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    """One complete run of the default target (without rendering if Quarto is absent)."""
    repo = copy_repo(tmp_path_factory.mktemp("e2e"))
    targets = [] if HAVE_QUARTO else VERIFIED + ["results/figures/km_survival.png", "results/tables/verification.md"]
    result = snakemake(repo, *targets)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return repo


def verification(repo: Path) -> list[dict[str, str]]:
    with open(repo / "results/verification.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_numeric_claim_matches(run):
    rows = verification(run)
    numeric = [r for r in rows if r["verdict"] != "not_checkable"]
    assert len(numeric) == 25
    assert {r["verdict"] for r in numeric} <= {"match", "match_other_rounding"}
    assert (run / "results/verification_summary.txt").read_text().startswith("25 of 25 numeric claims match")


def test_outputs_are_there(run):
    for path in ["results/numbers.json", "results/verification.csv", "results/tables/outcomes.md"]:
        assert (run / path).stat().st_size > 0, path
    for name in ["km_survival", "km_vent_free_survival", "outcomes"]:
        for ext in ["png", "svg"]:
            if HAVE_QUARTO or name == "km_survival":
                assert (run / f"results/figures/{name}.{ext}").stat().st_size > 0
    for log in ["validate_cohort", "survival_analysis", "verify_claims"]:
        assert (run / f"results/logs/{log}.log").exists()


def test_outputs_are_byte_identical_when_rebuilt(run, tmp_path):
    paths = ["results/numbers.json", "results/verification.csv", "results/figures/km_survival.png",
             "results/figures/km_survival.svg", "results/tables/verification.md"]
    if HAVE_QUARTO:
        paths += ["results/manuscript/index.html", "results/manuscript/index.pdf"]
    before = {p: (run / p).read_bytes() for p in paths}
    result = snakemake(run, "--forcerun", "validate_cohort", "validate_claims", *paths)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {p: (run / p).read_bytes() for p in paths} == before


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


@pytest.mark.skipif(not HAVE_QUARTO, reason="Quarto is not on PATH: the manuscript is not rendered")
def test_html_is_self_contained_and_cross_references_resolve(run):
    html = (run / "results/manuscript/index.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    assert len(page.images) >= 3 and all(src.startswith("data:image/") for src in page.images)
    assert page.external == []
    assert [a for a in page.anchors if a not in page.ids] == []
    assert not re.search(r"\?@(fig|tbl|sec)-", html), "an unresolved cross-reference"
    assert "tbl-verification" in page.ids and "fig-km-survival" in page.ids
    assert (run / "results/manuscript/index.pdf").read_bytes()[:4] == b"%PDF"


@pytest.mark.skipif(not HAVE_QUARTO, reason="Quarto is not on PATH: the manuscript is not rendered")
def test_manuscript_numbers_agree_with_results_files(run):
    metadata = {}
    for generated in ("metadata.yml", "provenance.yml"):  # the files _quarto.yml lists in metadata-files
        metadata.update(yaml.safe_load((run / "manuscript/_generated" / generated).read_text(encoding="utf-8")))
    for key in re.findall(r"\{\{<\s*meta\s+([\w.]+)\s*>\}\}", (run / "manuscript/index.qmd").read_text()):
        node = metadata
        for part in key.split("."):
            assert part in node, f"{{{{< meta {key} >}}}} has no value in metadata.yml"
            node = node[part]
    rows = verification(run)
    numeric = [r for r in rows if r["verdict"] != "not_checkable"]
    matching = [r for r in numeric if r["verdict"] in ("match", "match_other_rounding")]
    text = re.sub(r"<[^>]+>", "", (run / "results/manuscript/index.html").read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", text)
    assert f"{len(matching)} of {len(numeric)} numeric claims match" in text
    for r in numeric:  # every reproduced claim has its row (anchored by its id) in the verification table
        assert 'id="claim-' + r['claim_id'] + '"' in (run / "results/manuscript/index.html").read_text(encoding="utf-8")
    ident = json.loads((run / "results/identifiability.json").read_text(encoding="utf-8"))
    space, joint = ident["death_days"], ident["vent_free"]
    assert space["layouts"] == 1_572_701_130
    for count in [space["layouts"], space["logrank"]["printing_as_reported"], joint["kept"], joint["tried"]]:
        assert f"{count:,}" in text, count
    assert f"{100 * space['logrank']['fraction']:.1f}%" in text
    assert f"{100 * joint['logrank']['fraction']:.1f}%" in text


def test_changing_one_patient_outcome_fails_naming_the_claims(tmp_path):
    repo = copy_repo(tmp_path)
    cohort = (repo / "data/cohort/patients.csv").read_text(encoding="utf-8").splitlines()
    # A09 is an improved survivor of the anakinra arm; make it a death on day 20.
    cohort = [line.replace("A09,anakinra,62,0,,0,,1,0,21", "A09,anakinra,62,1,20,0,,0,0,20") for line in cohort]
    (repo / "changed.csv").write_text("\n".join(cohort) + "\n", encoding="utf-8")
    result = snakemake(repo, "--config", "cohort=changed.csv", "--", *VERIFIED)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "verification failed" in out
    for claim in ["died_anakinra_count", "died_anakinra_percent", "resp_improved_anakinra_count",
                  "survival_anakinra_percent", "survival_p_value"]:
        assert claim in out.split("Mismatched claims:")[-1], claim
    assert not (repo / "results/verification_summary.txt").exists()


@pytest.mark.parametrize("case, edit, message", [
    ("unknown arm", lambda b: b.replace(b"S03,standard", b"S03,placebo"),
     "row 32 (line 33, patient_id S03), column arm: value 'placebo' is not one of anakinra, standard"),
    ("not UTF-8", lambda b: b.replace(b"S03,", "S0\u00e9,".encode("latin-1")),
     "line 33: text is not UTF-8"),
])
def test_bad_cohort_stops_the_run_with_one_message_and_no_outputs(tmp_path, case, edit, message):
    repo = copy_repo(tmp_path)
    (repo / "bad.csv").write_bytes(edit((repo / "data/cohort/patients.csv").read_bytes()))
    result = snakemake(repo, "--config", "cohort=bad.csv", "--", *VERIFIED)
    assert result.returncode != 0
    assert f"cohort error: bad.csv, {message}" in result.stderr + result.stdout
    produced = [p for p in (repo / "results").rglob("*") if p.is_file() and "logs" not in p.parts]
    assert [p for p in produced if p.name != "claims.json" and "analysis" not in p.parts] == []


def test_malformed_config_is_reported(tmp_path):
    repo = copy_repo(tmp_path)
    config = (repo / "config/config.yaml").read_text(encoding="utf-8").replace("horizon_days: 21", "horizon_days: soon")
    (repo / "config/config.yaml").write_text(config, encoding="utf-8")
    result = snakemake(repo, "--dry-run")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Error validating config file" in out and "'soon' is not of type 'integer'" in out
