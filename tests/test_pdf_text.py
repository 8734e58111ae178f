"""The PDF's text, as pdftotext (poppler-utils) extracts it: no claim id and no raw boolean
(true/false) reaches the reader. The document is ``ANAKINRA_PDF`` if set, else the one rendered by
the shared end-to-end run of the shipped cohort; without pdftotext or Quarto the tests skip and say why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import CLAIMS
from workflow_runs import HAVE_QUARTO

RAW_BOOLEAN = re.compile(r"\b(?:true|false|True|False)\b")


pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pdf_text(request) -> str:
    """The text of the rendered PDF."""
    if os.environ.get("ANAKINRA_PDF"):
        path = Path(os.environ["ANAKINRA_PDF"])
    elif HAVE_QUARTO:
        path = request.getfixturevalue("shipped_run") / "results/reconstruction/manuscript/index.pdf"
    else:
        pytest.skip("Quarto is not on PATH: the manuscript is not rendered")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found (apt-get install poppler-utils)")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


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
