"""Every PDF the end-to-end run writes, as a journal would print it (R16): no word printed over
another, no private-use character (an icon font's glyph read as a stray letter), every caption
whole and on the page of its figure or table, no table row split across pages, and no page but
the last more than 40% empty.

The documents are those of the two-cohort run (the shipped cohort and a user's cohort), each PDF
beside its HTML twin, from which the captions and table rows are read (the same source, the same
words). ``ANAKINRA_PDF`` points the tests at one PDF instead (its .html beside it). Without
pdftotext or Quarto the tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import pdf_layout
from pdf_layout import PRIVATE_USE, squash

pytestmark = pytest.mark.e2e

COHORTS = ("reconstruction", "zero_deaths")
MARGIN_PT = 2 / 2.54 * 72  # the page margin of manuscript/_quarto.yml (2 cm)
MOST_BLANK = 0.40


def documents(request: pytest.FixtureRequest, cohort: str) -> list[Path]:
    """The PDFs of one cohort's rendered documents (or ANAKINRA_PDF)."""
    if os.environ.get("ANAKINRA_PDF"):
        return [Path(os.environ["ANAKINRA_PDF"])]
    if shutil.which("quarto") is None:
        pytest.skip("Quarto is not on PATH: the manuscript is not rendered")
    folder = request.getfixturevalue("shipped_run") / "results" / cohort / "manuscript"
    found = sorted(folder.glob("*.pdf"))
    assert found, f"no PDF in {folder}"
    return found


@pytest.fixture(scope="module", params=COHORTS)
def printed(request) -> list[tuple[Path, list[pdf_layout.Page], list[dict]]]:
    """For each PDF of a cohort: its path, its pages (words and boxes) and the floats of its HTML twin."""
    if shutil.which("pdftotext") is None or shutil.which("pdfimages") is None:
        pytest.skip("pdftotext/pdfimages not found (apt-get install poppler-utils)")
    return [
        (pdf, pdf_layout.pages(pdf), pdf_layout.floats_of(pdf.with_suffix(".html")))
        for pdf in documents(request, request.param)
    ]


def test_no_word_is_printed_over_another(printed):
    for pdf, pages, _ in printed:
        found = {page.number: pdf_layout.overlapping_words(page)[:3] for page in pages}
        assert {n: pairs for n, pairs in found.items() if pairs} == {}, pdf.name


def test_no_private_use_character(printed):
    for pdf, pages, _ in printed:
        found = {p.number: sorted({hex(ord(c)) for w in p.words for c in PRIVATE_USE.findall(w.text)}) for p in pages}
        assert {n: chars for n, chars in found.items() if chars} == {}, pdf.name


def caption_page(caption: str, squashed: list[str]) -> int | None:
    """The page on which a caption starts (its first 60 characters, spaces left out), or None."""
    start = squash(caption)[:60]
    return next((k + 1 for k, text in enumerate(squashed) if start in text), None)


def test_every_caption_is_printed_whole(printed):
    for pdf, pages, floats in printed:
        text = "".join(p.squashed() for p in pages)
        assert floats, f"{pdf.name}: no figure or table found in its HTML twin"
        cut = [f["id"] for f in floats if squash(f["caption"]) not in text]
        assert cut == [], f"{pdf.name}: captions not printed whole: {cut}"


def row_pages(row: list[str], squashed: list[str]) -> list[int]:
    """The pages that hold every word of a table row. Words, not whole cells: a reader of the PDF
    text may interleave the lines of neighbouring cells, but a word (a digest broken inside its
    cell included) reads whole on the page that prints it."""
    words = [squash(word) for cell in row for word in cell.split()]
    return [k + 1 for k, text in enumerate(squashed) if all(word in text for word in words)]


def test_no_table_row_is_split_across_pages(printed):
    for pdf, pages, floats in printed:
        squashed = [p.squashed() for p in pages]
        split = [(f["id"], row[0][:40]) for f in floats for row in f["rows"] if not row_pages(row, squashed)]
        assert split == [], f"{pdf.name}: rows not printed whole on one page: {split}"


def test_every_caption_is_on_the_page_of_its_figure_or_table(printed):
    for pdf, pages, floats in printed:
        squashed = [p.squashed() for p in pages]
        images = iter(pdf_layout.image_pages(pdf))
        apart = []
        for f in floats:
            where = caption_page(f["caption"], squashed)
            if f["id"].startswith("fig-"):
                body = {next(images)}
            else:  # a table's caption stands above it: the table's first row must be on its page
                body = set(row_pages(f["rows"][0], squashed)) if f["rows"] else {where}
            if where not in body:
                apart.append((f["id"], where, sorted(body)))
        assert apart == [], f"{pdf.name}: caption page and figure/table page differ: {apart}"


@pytest.mark.xfail(
    strict=True,
    reason="R16 line 1 not met yet: a figure that does not fit the rest of a page moves to the next and leaves "
    "the rest blank; letting figures float (placement: auto) fills the gap but makes Typst 0.15 stop with an "
    "internal error ('expected link ancestor in logical tree') on some documents, so the figures do not float",
)
def test_no_page_but_the_last_is_mostly_blank(printed):
    for pdf, _, _ in printed:
        blank = pdf_layout.blank_fractions(pdf, MARGIN_PT)[:-1]
        assert {k + 1: round(b, 2) for k, b in enumerate(blank) if b > MOST_BLANK} == {}, pdf.name


def test_the_layout_checks_catch_what_they_look_for():
    """Each check on a made-up page: two words on one spot overlap, a glyph of an icon font is
    private use, a row wrapped inside a page is whole and one broken over two pages is not."""
    page = pdf_layout.Page(
        1,
        100,
        100,
        (
            pdf_layout.Word(1, 10, 10, 30, 20, "Figure", 1),
            pdf_layout.Word(1, 12, 12, 28, 22, "22", 2),
            pdf_layout.Word(1, 31, 10, 50, 20, "7:", 1),
        ),
    )
    assert pdf_layout.overlapping_words(page) == [("Figure", "22")]
    assert PRIVATE_USE.findall("\uf071 Warning") == ["\uf071"]
    assert row_pages(["Eur J Med Res", "2023 (pooled)"], ["2023(pooled)EurJMedRes"]) == [1]
    assert row_pages(["Eur J Med Res", "2023 (pooled)"], ["EurJMed", "EurJMedRes2023(pooled)"]) == [2]
    assert row_pages(["Eur J Med Res", "2023 (pooled)"], ["EurJMed", "2023(pooled)"]) == []
    assert squash("\u221233.4 ( 57.4)") == "-33.4(57.4)"
