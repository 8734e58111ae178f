"""What a printed page shows, read from the PDF the way a reader's eye would: the boxes of the
words (``pdftotext -bbox-layout``), the pages that hold each image (``pdfimages -list``) and the
ink of each page (``pdftoppm``). The PDF tests (tests/test_pdf_layout.py) ask of these whether
words overprint, captions are cut or stranded, table rows are split and pages are left blank.

Only poppler-utils and Pillow are used; nothing here knows how the PDF was made.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

XHTML = "{http://www.w3.org/1999/xhtml}"
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


@dataclass(frozen=True)
class Word:
    """One word as printed: its page (1-based), box in points (origin top left) and text."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    block: int  # the text block it belongs to, numbered through the document


@dataclass(frozen=True)
class Page:
    """A page's size in points and its words."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]

    def squashed(self) -> str:
        """The page's text with every space removed, block by block: a word that a narrow table
        cell broke over two lines (a file path, a digest) reads whole again."""
        return squash(" ".join(w.text for w in self.words))


def squash(text: str) -> str:
    """Text without white space or soft marks, in one Unicode form, for comparing across layouts."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").replace("\u200b", "").replace("\u2212", "-")
    return re.sub(r"\s+", "", text)


def pages(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` with its words, as pdftotext lays them out."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    out, block = [], 0
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        words = []
        for b in page.iter(f"{XHTML}block"):
            block += 1
            for w in b.iter(f"{XHTML}word"):
                box = [float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
                words.append(Word(number, *box, w.text or "", block))
        out.append(Page(number, float(page.get("width")), float(page.get("height")), tuple(words)))
    return out


def overlapping_words(page: Page, tolerance: float = 0.15) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap by more than ``tolerance`` of the smaller box's height
    and width: text printed over text. (Neighbouring words of one line touch at most.)"""
    found = []
    words = sorted(page.words, key=lambda w: w.y0)
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if b.y0 >= a.y1:
                break
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            small_w = min(a.x1 - a.x0, b.x1 - b.x0)
            small_h = min(a.y1 - a.y0, b.y1 - b.y0)
            if dx > tolerance * small_w and dy > tolerance * small_h:
                found.append((a.text, b.text))
    return found


def image_pages(pdf: Path) -> list[int]:
    """The page of each image, in document order (soft masks left out)."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    return [int(row[0]) for row in rows if row[2] == "image"]


def blank_fractions(pdf: Path, margin_pt: float, dpi: int = 40) -> list[float]:
    """For each page, the share of the text area's height left empty below its last ink: the
    area between the top and bottom margins (``margin_pt``), so that the page number in the
    footer does not count as content."""
    from PIL import Image

    out = []
    count = len(pages_count_probe(pdf))
    for number in range(1, count + 1):
        png = subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(number), "-l", str(number), str(pdf)],
            capture_output=True,
            check=True,
        ).stdout
        image = Image.open(io.BytesIO(png)).convert("L")
        width, height = image.size
        top, bottom = round(margin_pt * dpi / 72), height - round(margin_pt * dpi / 72)
        ink = image.crop((0, top, width, bottom)).point(lambda v: 255 if v < 200 else 0).getbbox()
        last = ink[3] if ink else 0  # the lowest inked row of the text area, counted from its top
        out.append(1 - last / (bottom - top))
    return out


def pages_count_probe(pdf: Path) -> list[str]:
    """One entry per page (pdfinfo's page count)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return ["page"] * int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Floats(HTMLParser):
    """The figures and tables of a Quarto HTML document: for each float, its caption's text and
    the text of each table row, cell by cell (scripts, styles and footnote markers left out: the
    PDF prints a marker otherwise)."""

    def __init__(self) -> None:
        super().__init__()
        self.floats: list[dict] = []
        self._open: list[tuple[str, bool]] = []  # each open element and whether its text is skipped
        self._caption: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        a = {k: v or "" for k, v in attrs}
        skipped = tag in ("script", "style") or (tag == "a" and "footnote-ref" in a.get("class", ""))
        self._open.append((tag, skipped))
        if tag == "div" and "quarto-float" in a.get("class", "") and re.match(r"(fig|tbl)-", a.get("id", "")):
            self.floats.append({"id": a["id"], "caption": "", "rows": []})
        elif self.floats and tag == "figcaption":
            self._caption = []
        elif self.floats and tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not any(t == tag for t, _ in self._open):
            return
        while self._open and self._open.pop()[0] != tag:
            pass
        if tag == "figcaption" and self._caption is not None:
            self.floats[-1]["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.floats[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if any(skipped for _, skipped in self._open):
            return
        for part in (self._caption, self._cell):
            if part is not None:
                part.append(data)


def floats_of(html: Path) -> list[dict]:
    """The figures and tables of the HTML twin of a PDF (same source, same words): id, caption
    and rows."""
    parser = _Floats()
    parser.feed(html.read_text(encoding="utf-8"))
    return parser.floats
