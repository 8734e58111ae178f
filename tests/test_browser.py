"""The rendered HTML in a real browser (Playwright driving Chromium), at a phone's and a
desktop's width: the page never scrolls sideways, every image loads, every cross-reference and
shortcode resolved, the console stays clean, and every figure and table links to the script and
rule that made it.

The document is ``ANAKINRA_HTML`` if set, else the one rendered by the shared end-to-end run of
the shipped cohort (conftest's ``shipped_run``); the browser is
``CHROMIUM`` (default: chromium on PATH, then /usr/bin/chromium). Without Playwright, a browser or
the document, the tests skip and say why. Playwright cannot download its own browser here, so it
launches the system's Chromium through ``executable_path``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from workflow_runs import HAVE_QUARTO

WIDTHS = (400, 1280)
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def html(request) -> Path:
    """The rendered document (one place to point the tests elsewhere)."""
    if os.environ.get("ANAKINRA_HTML"):
        return Path(os.environ["ANAKINRA_HTML"])
    if not HAVE_QUARTO:
        pytest.skip("Quarto is not on PATH: the manuscript is not rendered")
    return request.getfixturevalue("shipped_run") / "results/reconstruction/manuscript/index.html"


def chromium() -> str | None:
    """Path of a Chromium binary, or None."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium, shared by the tests of this module."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def page(request, browser, html):
    """The document loaded at one viewport width, with the console errors it raised."""
    view = browser.new_page(viewport={"width": request.param, "height": 900})
    errors: list[str] = []
    view.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    view.on("pageerror", lambda error: errors.append(str(error)))
    view.goto(html.resolve().as_uri())
    view.wait_for_load_state("load")
    view.console_errors = errors
    yield view
    view.close()


def test_the_page_never_scrolls_sideways(page):
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page is {width} px wide in a {inner} px window"


def test_every_image_loads(page):
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))"
    )
    assert page.evaluate("document.images.length") > 0
    assert broken == []


def test_every_cross_reference_and_shortcode_resolved(page):
    text = page.evaluate("document.body.innerText")
    for unresolved in ("??", "?@", "?meta:", "{{<"):
        assert unresolved not in text, f"{unresolved!r} in: ...{text[max(0, text.find(unresolved) - 80) :][:160]}..."


def test_the_console_stays_clean(page):
    assert page.console_errors == []


def test_every_figure_and_table_links_to_its_script_and_rule(page):
    floats = page.evaluate("""
        Array.from(document.querySelectorAll('div.quarto-float[id^="fig-"], div.quarto-float[id^="tbl-"]'))
            .map(f => [f.id, Array.from(f.querySelectorAll('figcaption .provenance a[href]'))
                                  .map(a => a.getAttribute('href'))])""")
    assert len(floats) >= 10
    missing = [label for label, links in floats if len(links) != 2]
    assert missing == [], f"without a link to script and rule: {missing}"
    scripts = {links[0].rsplit("/", 1)[-1] for _, links in floats}
    assert all(name.endswith(".py") for name in scripts)


def test_other_formats_offer_the_pdf_only(page):
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.quarto-alternate-formats a')).map(a => a.textContent.trim())"
    ) == ["PDF"]


def test_the_verification_rows_reveal_claim_id_and_source(page):
    rows = page.evaluate("""Array.from(document.querySelectorAll('#tbl-verification tbody tr')).map(r =>
        [r.querySelector('span[id^="claim-"]')?.title || '', r.cells[r.cells.length - 1].innerText])""")
    assert rows and all(title and source for title, source in rows)
    shown = page.evaluate("document.querySelector('#tbl-verification tbody').innerText")
    assert "_" not in shown, "an identifier is shown instead of words"
