"""The report and its supplement as a reviewer reads them (R15), on the documents of the shipped
cohort and of a user's mismatching cohort (the two-cohort end-to-end run): the report is short
(at most 10 A4 pages, 30 phone screens), its first phone screen shows the title and the bottom
line, the two documents link to each other and share the declared outputs between them, no long
sentence is said twice, the groups are compared without words of what anakinra does, and the
later evidence is plainly post hoc. Without Quarto, a browser or pdftotext the tests skip and say
why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from anakinra_replication.outputs import load_outputs
from conftest import CLAIMS
from test_browser import BROWSER_ARGS, chromium
from workflow_runs import HAVE_QUARTO

pytestmark = pytest.mark.e2e

COHORTS = ("reconstruction", "zero_deaths")
PHONE = {"width": 400, "height": 860}
LONG = 12  # words: a sentence this long is said once in a document


@pytest.fixture(scope="module", params=COHORTS)
def folder(request) -> Path:
    """A cohort's manuscript folder: index.html/.pdf (the report) and supplement.html/.pdf."""
    if not HAVE_QUARTO:
        pytest.skip("Quarto is not on PATH: the manuscript is not rendered")
    return request.getfixturevalue("shipped_run") / "results" / request.param / "manuscript"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    if chromium() is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium(), args=BROWSER_ARGS)
        yield instance
        instance.close()


def on_a_phone(browser, html: Path):
    """The document opened at a phone's size."""
    page = browser.new_page(viewport=PHONE)
    page.goto(html.resolve().as_uri())
    page.wait_for_load_state("load")
    return page


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found (apt-get install poppler-utils)")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def prose(page) -> str:
    """The sentences of a document as a reader meets them: paragraphs, list items, definitions and
    captions (a caption's line saying which script made it left out), not table cells."""
    return page.evaluate("""Array.from(document.querySelectorAll('main p, main li, main dd, main figcaption'))
        .filter(e => !e.closest('table, .provenance') && !e.querySelector('p, li'))
        .map(e => { const c = e.cloneNode(true); c.querySelectorAll('.provenance').forEach(x => x.remove());
                    return c.innerText; }).join('\\n')""")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, white space folded."""
    flat = re.sub(r"\s+", " ", text)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(@])", flat) if s.strip()]


def repeated(text: str) -> list[str]:
    """Sentences of at least LONG words that occur more than once."""
    seen: dict[str, int] = {}
    for s in sentences(text):
        if len(s.split()) >= LONG:
            seen[s] = seen.get(s, 0) + 1
    return [s for s, n in seen.items() if n > 1]


def claims() -> dict[str, str]:
    return {c["id"]: c["value"] for c in yaml.safe_load(CLAIMS.read_text(encoding="utf-8"))["claims"]}


def test_the_report_is_at_most_ten_pages_and_thirty_phone_screens(folder, browser):
    info = subprocess.run(["pdfinfo", str(folder / "index.pdf")], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) <= 10
    page = on_a_phone(browser, folder / "index.html")
    height = page.evaluate("document.scrollingElement.scrollHeight")
    assert height <= 30 * PHONE["height"], f"{height / PHONE['height']:.1f} screens"
    page.close()


def test_the_first_phone_screen_shows_the_title_and_the_bottom_line(folder, browser):
    """The title takes at most a third of the screen; below it, on the same screen: what was
    checked (the reported numbers, from a news report and the abstract), what a match shows, the
    headline result as reported and what the later randomised trials found."""
    page = on_a_phone(browser, folder / "index.html")
    title = page.evaluate("document.querySelector('h1.title').getBoundingClientRect().height")
    assert title <= PHONE["height"] / 3
    first = page.evaluate(
        """(h) => { const range = document.createRange(); let out = '';
            const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walk.nextNode()) {
                const n = walk.currentNode; range.selectNodeContents(n);
                const r = range.getBoundingClientRect();
                if (r.height && r.top < h && r.bottom > 0) out += n.textContent + ' ';
            }
            return out.replace(/\\s+/g, ' ').replace(/\u2019/g, "'"); }""",
        PHONE["height"],
    )
    page.close()
    reported = claims()
    for words in (
        "news report",
        "abstract",
        "a match shows",
        f"{reported['survival_anakinra_percent']} in the anakinra group",
        f"{reported['survival_standard_percent']} in the standard group",
        "Randomised trials published later",
    ):
        assert words in first, words
    if folder.parent.name == "reconstruction":
        assert "consistency check" in first and "not the study's" in first
    else:
        assert "supplied by the user" in first


def test_a_reconstruction_is_called_a_consistency_check_not_a_replication_from_patient_data(folder):
    text = pdf_text(folder / "index.pdf")
    head = " ".join(text[: text.index("1 What was checked")].split())
    if folder.parent.name == "reconstruction":
        assert "consistency check" in head
    assert "replication from patient" not in head and "rebuilds every number" not in head


def test_the_report_and_the_supplement_link_to_each_other(folder):
    report = (folder / "index.html").read_text(encoding="utf-8")
    supplement = (folder / "supplement.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="supplement\.html', report) and re.search(r'<a href="index\.html', supplement)
    # in print, each PDF links to the other PDF beside it (manuscript/other_document.lua)
    assert b"supplement.pdf" in (folder / "index.pdf").read_bytes()
    assert b"index.pdf" in (folder / "supplement.pdf").read_bytes()


def test_every_declared_output_is_in_exactly_one_document_the_declared_one(folder):
    shown = {
        name: set(
            re.findall(
                r'<div id="((?:fig|tbl)-[\w-]+)" class="quarto-float',
                (folder / f"{name}.html").read_text(encoding="utf-8"),
            )
        )
        for name in ("index", "supplement")
    }
    is_reconstruction = folder.parent.name == "reconstruction"
    for item in load_outputs():
        if not item.built_for(is_reconstruction):
            continue
        home, other = ("index", "supplement") if item.document == "report" else ("supplement", "index")
        assert item.label in shown[home] and item.label not in shown[other], (item.label, item.document)


def test_no_sentence_of_twelve_words_is_said_twice(folder, browser):
    for name in ("index", "supplement"):
        page = on_a_phone(browser, folder / f"{name}.html")
        text = prose(page)
        page.close()
        assert len(sentences(text)) > 20
        assert repeated(text) == [], name
    report = re.sub(r"Made by .*?\((?:commit|no commit)[^)]*\)\.", " ", pdf_text(folder / "index.pdf"), flags=re.S)
    assert repeated(report) == []


EFFECT_WORDS = re.compile(
    r"(lower|higher|fewer|more|less) [\w\s-]{0,30}\bwith anakinra\b|\banakinra (reduces|lowers|improves|prevents|saves)"
    r"|\bbenefit of anakinra\b|\bdays alive with anakinra\b|\bwithout anakinra\b",
    re.I,
)


def test_the_groups_are_compared_not_the_drug(folder, browser):
    """Questions and answers speak of the anakinra group and the standard group; no number needed to
    treat is given (the document says why): in the HTML and in the PDF of both documents."""
    for name in ("index", "supplement"):
        page = on_a_phone(browser, folder / f"{name}.html")
        html = page.evaluate("document.querySelector('main').innerText")
        page.close()
        for where, text in ((f"{name}.html", html), (f"{name}.pdf", pdf_text(folder / f"{name}.pdf"))):
            text = re.sub(r"\s+", " ", text)
            # the authors' own words are quoted as printed in the verification table
            for quote in ("90% with anakinra vs. 56% without", "72% with anakinra vs. 50% without"):
                text = text.replace(quote, "")
            assert [m.group(0) for m in EFFECT_WORDS.finditer(text)] == [], where
            assert "NNT" not in text
            assert text.lower().count("number needed to treat") == text.count("No number needed to treat is given")


def test_the_later_evidence_is_plainly_post_hoc(folder, browser):
    """In the report, as printed and on screen: post hoc, and why the primary comparison is the
    one; no E-value of a ratio of risk ratios; the search never described as the project's tools."""
    page = on_a_phone(browser, folder / "index.html")
    html = page.evaluate("document.querySelector('main').innerText")
    page.close()
    supplement = " ".join(pdf_text(folder / "supplement.pdf").split())
    for report in (" ".join(html.split()), " ".join(pdf_text(folder / "index.pdf").split())):
        section = report[report.rindex("What came after") :]  # the heading, after the contents
        assert "post hoc" in section and "primary comparison was named" in section
        assert "E-value" not in section.replace("no E-value is given", "")
        for word in ("search tool", "FACTS", "stored page"):
            assert word not in report and word not in supplement, word


def test_the_checks_catch_what_they_look_for():
    text = "A sentence that is long enough to count as a long sentence here. " * 2 + "Short one. Short one."
    assert repeated(text) == ["A sentence that is long enough to count as a long sentence here."]
    assert EFFECT_WORDS.search("Is 21-day mortality lower with anakinra?")
    assert EFFECT_WORDS.search("more days alive with anakinra")
    assert not EFFECT_WORDS.search("lower in the anakinra group than in the standard group")
