"""The PDFs' text (the report's, then the supplement's), as pdftotext (poppler-utils) extracts
it: no claim id and no raw boolean (true/false) reaches the reader; every hash equals sha256sum of
its file, the title is not hyphenated, one minus sign is used, and each quoted passage is printed
once. The document is ``ANAKINRA_PDF`` if set, else the one rendered by the shared end-to-end run
of the shipped cohort (with its supplement); without pdftotext or Quarto the tests skip and say
why.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import CLAIMS
from workflow_runs import rendered

RAW_BOOLEAN = re.compile(r"\b(?:true|false|True|False)\b")


pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pdf_path(request) -> Path:
    """The rendered PDF."""
    return rendered(request, "ANAKINRA_PDF", "index.pdf")


@pytest.fixture(scope="module")
def pdf_text(pdf_path) -> str:
    """The text of the rendered PDF and of the supplement beside it (when there is one), in turn."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found (apt-get install poppler-utils)")
    paths = [pdf_path] + [p for p in [pdf_path.with_name("supplement.pdf")] if p != pdf_path and p.exists()]
    return "\f".join(
        subprocess.run(["pdftotext", "-enc", "UTF-8", str(p), "-"], capture_output=True, text=True, check=True).stdout
        for p in paths
    )


def claim_ids() -> list[str]:
    return [c["id"] for c in yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))["claims"]]


def test_the_pdf_has_text(pdf_text):
    assert len(pdf_text) > 5000


def test_no_claim_id_in_the_pdf(pdf_text):
    found = [i for i in claim_ids() if re.search(rf"\b{re.escape(i)}\b", pdf_text)]
    assert found == []


def test_no_raw_boolean_in_the_pdf(pdf_text):
    found = [pdf_text[max(0, m.start() - 40) : m.end() + 20].replace("\n", " ") for m in RAW_BOOLEAN.finditer(pdf_text)]
    assert found == []


def test_the_checks_catch_what_they_look_for():
    assert RAW_BOOLEAN.search("(anakinra: true; standard: true)")
    assert not RAW_BOOLEAN.search("trueness, untrue")
    assert "died_anakinra_percent" in claim_ids()


def test_no_reference_is_called_ahead_of_print(pdf_text):
    """Every article cited is published; Chicago's style would call one without a volume "ahead of
    print" (manuscript/chicago-author-date.csl drops that label)."""
    assert "ahead of print" not in " ".join(pdf_text.split()).lower()


# --- R12: the PDF as it is printed and copied from -------------------------------------------------

HASH = re.compile(r"\b[0-9a-f]{64}\b")
MINUS_BEFORE_DIGIT = re.compile(r"(?:^|(?<=[\s(\[;,/]))([-\u2212])\d", re.MULTILINE)


def sha256_of_files(*folders: Path) -> set[str]:
    """The SHA-256 of every file under ``folders``."""
    return {
        hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_hashes_extracted_from_the_pdf_equal_sha256sum(pdf_text, pdf_path):
    """Every 64-digit hash pdftotext extracts is the SHA-256 of a file of the build (no character
    inserted to break it), and every file of the certificate's manifest made before the document
    is there."""
    cohort_dir = pdf_path.parent.parent
    root = cohort_dir.parent.parent
    assert "\u200b" not in pdf_text and "\u00ad" not in pdf_text
    found = set(HASH.findall(pdf_text))
    known = sha256_of_files(cohort_dir, root / "data", root / "config", root / "results/published")
    assert found - known == set()
    manifest = yaml.safe_load((cohort_dir / "codecheck.yml").read_text(encoding="utf-8"))["manifest"]
    listed = {m["anakinra:sha256"] for m in manifest if not m["file"].startswith("manuscript/")}
    listed -= {hashlib.sha256((cohort_dir / "provenance.json").read_bytes()).hexdigest()}
    assert listed - found == set()


def test_the_title_is_not_hyphenated(pdf_text):
    first_page = pdf_text.split("\f")[0]
    title = first_page[: first_page.index("The anakinra-replication contributors")]
    assert not re.search(r"[A-Za-z]-\n[a-z]", title), title
    assert "Cavalli et al." in title


def test_one_minus_sign(pdf_text):
    kinds = {m.group(1) for m in MINUS_BEFORE_DIGIT.finditer(pdf_text)}
    assert len(kinds) <= 1, [pdf_text[m.start() - 20 : m.end() + 10] for m in MINUS_BEFORE_DIGIT.finditer(pdf_text)][:6]


def test_footnote_markers_do_not_touch_numbers_and_each_quote_appears_once(pdf_text):
    """A note marker after "paragraph 7" would extract as "paragraph 716": every paragraph number
    in the text is one that claims.yaml cites."""
    flat = " ".join(pdf_text.split())
    claims = yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))["claims"]
    cited = {n for c in claims for n in re.findall(r"paragraph (\d+)", c.get("location", ""))}
    assert cited and set(re.findall(r"paragraph (\d+)", flat)) <= cited
    quotes = {c["quote"] for c in claims if c.get("quote")}
    counts = {q: flat.count(" ".join(q.split())) for q in quotes}
    assert {q: n for q, n in counts.items() if n != 1} == {}


def test_the_pdf_checks_catch_what_they_look_for():
    assert {m.group(1) for m in MINUS_BEFORE_DIGIT.finditer("−33.4 (-57.4 to −7.3)")} == {"-", "\u2212"}
    assert not MINUS_BEFORE_DIGIT.search("COVID-19, 2026-12-02")
