"""codecheck.yml against CODECHECK's own validation, and the command that checks a build against it.

``must_rule_violations`` re-implements, one assertion for one assertion, the MUST rules of
``validate_codecheck_yml()`` of the codecheck R package: R/configuration.R (lines 393-489) at
commit ef69ad8cb0afb8e3852536e44611b33a73e14483 of https://github.com/codecheckers/codecheck,
whose DOI check is rorcid's ``check_dois`` (R/check_dois.R at commit
0f149f94877e2bcde89fcc72eaf5ff7e6fb8d8e0 of https://github.com/ropensci-archive/rorcid). The one
rule it leaves out needs the network: that each ``repository`` URL answers without an HTTP error
(here: that it is an https URL). Two rules of the specification 2.0 (rules-2.0.yml of
codecheckers/register: CC-CFG-002 explicit document, CC-CFG-006 manifest paths relative to the
file) are checked beside them.

With the codechecker's fields given in the config, the file passes every rule; without them it
fails the first (no certificate identifier) and says plainly that it is not a certificate.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
import yaml

from conftest import ROOT

# rorcid R/check_dois.R: doi_pattern, matched with perl = TRUE (a DOI anywhere in the string).
DOI_PATTERN = re.compile(r"\b(10[.][0-9]{4,}(?:[.][0-9]+)*/(?:(?![\"&\'<>])\S)+)\b")
# codecheck R/configuration.R: the certificate identifier, the paper's URL and an ORCID.
CERTIFICATE_PATTERN = re.compile(r"^\d{4}-\d{3}$")
URL_PATTERN = re.compile(r"^https?://")
ORCID_PATTERN = re.compile(r"^(\d{4}\-\d{4}\-\d{4}\-\d{3}(\d|X))$")
GIVEN = {
    "certificate": "2026-001",
    "report": "https://doi.org/10.5281/zenodo.1234567",
    "codechecker": [{"name": "Ada Checker", "ORCID": "0000-0002-1825-0097"}],
}


def must_rule_violations(cfg: dict) -> list[str]:
    """Every MUST rule of validate_codecheck_yml() that ``cfg`` breaks (the R function stops at
    the first; this lists them all), in the R function's order."""
    broken = []
    if not CERTIFICATE_PATTERN.search(str(cfg.get("certificate") or "")):
        broken.append(f"The certificate identifier '{cfg.get('certificate') or ''}' is missing or invalid")
    if "manifest" not in cfg:
        broken.append("codecheck.yml must have a root-level node 'manifest'")
    broken += [f"manifest item without 'file': {m}" for m in cfg.get("manifest") or [] if "file" not in m]
    paper = cfg.get("paper") or {}
    broken += ["All authors must have a 'name'." for a in paper.get("authors") or [] if "name" not in a]
    broken += ["All codecheckers must have a 'name'." for c in cfg.get("codechecker") or [] if "name" not in c]
    if not DOI_PATTERN.search(str(cfg.get("report") or "")):
        broken.append(f"{cfg.get('report')} is not a valid DOI")
    if not URL_PATTERN.search(str(paper.get("reference") or "")):
        broken.append(f"{paper.get('reference')} is not a valid URL")
    for who, people in (("author", paper.get("authors") or []), ("checker", cfg.get("codechecker") or [])):
        broken += [
            f"the {who}'s ORCID '{p['ORCID']}' is not well-formed"
            for p in people
            if "ORCID" in p and not ORCID_PATTERN.search(str(p["ORCID"]))
        ]
    repositories = cfg.get("repository") or []
    for url in [repositories] if isinstance(repositories, str) else repositories:
        if not str(url).startswith("https://"):
            broken.append(f"{url} - not an https URL")  # the R function GETs it; no network here
    return broken


def spec_2_violations(text: str, cfg: dict) -> list[str]:
    """CC-CFG-002 (the explicit document marker) and CC-CFG-006 (manifest paths relative to the
    file, none leaving its folder) of the specification 2.0."""
    broken = [] if text.startswith("---\n") else ["CC-CFG-002: no explicit document marker ---"]
    for item in cfg.get("manifest") or []:
        path = PurePosixPath(item["file"])
        if path.is_absolute() or ".." in path.parts:
            broken.append(f"CC-CFG-006: {item['file']} leaves the certificate's folder")
    return broken


def test_the_rules_catch_what_the_r_package_tests_catch():
    """The fixtures of the R package's own tests (inst/tinytest/test_codecheck_yml.R), in brief."""
    valid = {
        "certificate": "2020-999",
        "manifest": [{"file": "Figure2.png"}],
        "paper": {"authors": [{"name": "A", "ORCID": "0000-0002-3716-8013"}], "reference": "http://pdfs.x/y.pdf"},
        "codechecker": [{"name": "S", "ORCID": "0000-0001-8607-8025"}],
        "report": "https://doi.org/10.5281/zenodo.FIXME",  # passes the R rule (a placeholder, as in their fixture)
    }
    assert must_rule_violations(valid) == []
    for change, message in [
        ({"certificate": "20XX-000"}, "'20XX-000' is missing or invalid"),
        ({"certificate": "2025-99"}, "'2025-99' is missing or invalid"),
        ({"report": "https://not_a_doi.com/1234"}, "not a valid DOI"),
        ({"codechecker": [{"name": "C", "ORCID": "0000-abcd-0000-000X"}]}, "checker's ORCID '0000-abcd-0000-000X'"),
        ({"codechecker": [{"ORCID": "0000-0001-8607-8025"}]}, "codecheckers must have a 'name'"),
        ({"paper": {"authors": [{"name": "A", "ORCID": "https://orcid.org/0000-0002-3716-8013"}]}}, "author's ORCID"),
        ({"paper": {"authors": [{"ORCID": "0000-0002-3716-8013"}], "reference": "https://x"}}, "must have a 'name'"),
        ({"paper": {"authors": [], "reference": "manuscript/index.html"}}, "is not a valid URL"),
    ]:
        assert any(message in m for m in must_rule_violations({**valid, **change})), change
    assert "root-level node 'manifest'" in must_rule_violations({k: v for k, v in valid.items() if k != "manifest"})[0]


@pytest.fixture()
def bundle(tmp_path, monkeypatch):
    """A cohort's results folder with a shared result beside it, and a provenance record of both."""
    monkeypatch.chdir(tmp_path)
    for path, content in {
        "results/label/numbers.json": "{}\n",
        "results/label/figures/km.png": "png",
        "results/published/claims.json": "[]\n",
        "results/label/manuscript/index.html": "<html></html>",
    }.items():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(content)
    outputs = ["results/published/claims.json", "results/label/numbers.json", "results/label/figures/km.png"]
    record = {
        "source": {
            "commit": "c" * 40,
            "dirty": False,
            "repository": "https://github.com/o/r",
            "commit_date": "2020-05-12T00:00:00Z",
        },
        "build_date": "2026-01-01T00:00:00Z",
        "build_date_fixed": False,
        "outputs": [
            {"path": p, "comment": "x", "sha256": hashlib.sha256(Path(p).read_bytes()).hexdigest()} for p in outputs
        ],
    }
    return record


def write(record: dict, given: dict | None) -> tuple[str, dict]:
    """codecheck.yml for ``record`` (the shared result copied into the bundle), as text and loaded."""
    from anakinra_replication.certificate import codecheck, copy_shared, write_codecheck

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cohort = {"path": "data/cohort/patients.csv", "reconstructed": True, "sha256": "0" * 64}
    location = "results/label/codecheck.yml"
    copy_shared([o["path"] for o in record["outputs"]], Path("results/label"), "results/published")
    documents = {"results/label/manuscript/index.html": "the document"}
    content = codecheck(record, citation, cohort, documents, location, given, "results/published", {})
    write_codecheck(content, location)
    text = Path(location).read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def test_with_the_codecheckers_fields_the_file_passes_every_must_rule(bundle):
    text, cfg = write(bundle, GIVEN)
    assert must_rule_violations(cfg) == []
    assert spec_2_violations(text, cfg) == []
    assert cfg["certificate"] == "2026-001" and cfg["report"] == GIVEN["report"]
    assert cfg["codechecker"] == GIVEN["codechecker"]
    assert cfg["paper"]["reference"] == "https://doi.org/10.1016/S2665-9913(20)30127-2"  # the article checked
    assert cfg["paper"]["authors"][0] == {"name": "G. Cavalli"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", cfg["check_time"])
    assert {m["file"] for m in cfg["manifest"]} == {
        "published/claims.json",
        "numbers.json",
        "figures/km.png",
        "manuscript/index.html",
    }
    extra = {k for item in cfg["manifest"] for k in item} - {"file", "comment"}
    assert extra == {"anakinra:sha256"}  # this package's own field, namespaced
    assert all(k.startswith("anakinra:") for k in set(cfg) - set(yaml.safe_load(SPEC_KEYS)))


SPEC_KEYS = "[version, certificate, paper, manifest, codechecker, report, summary, repository, check_time]"


def test_without_them_it_says_it_is_not_a_certificate(bundle):
    text, cfg = write(bundle, None)
    assert must_rule_violations(cfg)[0] == "The certificate identifier '' is missing or invalid"
    assert cfg["anakinra:status"].startswith("NOT A CODECHECK CERTIFICATE")
    assert cfg["summary"].startswith("NOT A CODECHECK CERTIFICATE")
    assert spec_2_violations(text, cfg) == []  # no manifest path leaves the folder, certificate or not


def test_the_verify_command_names_each_changed_file(bundle):
    from anakinra_replication.certificate import changed_files

    write(bundle, None)

    def run() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "anakinra_replication.verify_certificate", "results/label/codecheck.yml"]
        environment = {**os.environ, "PYTHONPATH": str(ROOT / "workflow/scripts")}
        return subprocess.run(command, capture_output=True, text=True, env=environment)

    assert run().returncode == 0 and changed_files("results/label/codecheck.yml") == ([], 4)
    Path("results/label/numbers.json").write_text('{"changed": 1}\n')
    Path("results/label/published/claims.json").unlink()
    result = run()
    assert result.returncode == 1
    assert "changed: numbers.json" in result.stderr and "missing: published/claims.json" in result.stderr
    assert "figures/km.png" not in result.stderr and "Traceback" not in result.stderr
