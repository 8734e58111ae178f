"""Each rendered HTML document (the shipped cohort's and a user's) in a real browser (Playwright
driving Chromium), at a phone's and a desktop's width: the page never scrolls sideways, every image
loads, every cross-reference and shortcode resolved, the console stays clean, and every figure and
table links to the script and rule that made it (a permalink at commit and line when a repository
is known), in readable links. As the document is shared (R12): one h1, alt text on every image,
figures that open full size and whose smallest text is at least 11 CSS px as displayed, contents
and PDF link reachable on a phone, every verdict, reported and recomputed value on screen, and
hashes that copy as the exact output of sha256sum. As WCAG 2.1 AA asks (R16): no violation that
axe-core finds, every link and control reached and worked from the keyboard, no table wider than
its box, and no figure drawn larger than 1.25 times its natural size.

The document is ``ANAKINRA_HTML`` if set, else each one rendered by the shared end-to-end run
(conftest's ``shipped_run``); the browser is ``CHROMIUM`` (default: chromium on PATH, then
/usr/bin/chromium), axe-core is ``AXE_CORE`` (default: .tools/axe, installed by make test-e2e).
Without Playwright, a browser or the document, the tests skip and say why. Playwright cannot
download its own browser here, so it launches the system's Chromium through ``executable_path``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest

from workflow_runs import rendered

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


DOCUMENTS = [(cohort, name) for cohort in ("reconstruction", "zero_deaths") for name in ("index", "supplement")]


@pytest.fixture(scope="module", params=DOCUMENTS, ids=[f"{c}-{n}" for c, n in DOCUMENTS])
def html(request) -> Path:
    """Each rendered document of the two-cohort run: the report and the supplement of the shipped
    cohort and of a user's (one place to point the tests elsewhere)."""
    return rendered(request, "ANAKINRA_HTML", f"{request.param[1]}.html", cohort=request.param[0])


def only_in(page, name: str) -> None:
    """Skip, saying why, unless the page is the document ``name`` ("index": the report, or "supplement")."""
    if page.document != name:
        pytest.skip(f"what this test reads is in the {'report' if name == 'index' else 'supplement'}")


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
    view.document = html.stem
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
    assert len(floats) >= 4
    missing = [label for label, links in floats if len(links) != 2]
    assert missing == [], f"without a link to script and rule: {missing}"
    scripts = {links[0].split("#")[0].rsplit("/", 1)[-1] for _, links in floats}
    assert all(name.endswith(".py") for name in scripts)


def test_other_formats_offer_the_pdf_only(page):
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.quarto-alternate-formats a')).map(a => a.textContent.trim())"
    ) == ["PDF"]


def test_the_verification_rows_reveal_claim_id_and_source(page):
    only_in(page, "supplement")
    rows = page.evaluate("""Array.from(document.querySelectorAll('#tbl-verification tbody tr')).map(r =>
        [r.querySelector('span[id^="claim-"]')?.title || '', r.cells[r.cells.length - 1].innerText])""")
    assert rows and all(title and source for title, source in rows)
    shown = page.evaluate("document.querySelector('#tbl-verification tbody').innerText")
    assert "_" not in shown, "an identifier is shown instead of words"


# --- R12: the document as it is shared (phone, links, hashes) ------------------------------------

PERMALINK = re.compile(r"^https://[^ ]+/blob/[0-9a-f]{40}/[^ #]+#L\d+$")
PHONE = 400


def contrast(foreground: list[float], background: list[float]) -> float:
    """WCAG 2.1 contrast ratio of two sRGB colours (0-255 each)."""

    def luminance(rgb: list[float]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_made_by_links_are_permalinks_or_name_path_line_and_commit(page):
    links = page.evaluate(
        "Array.from(document.querySelectorAll('.provenance a[href]')).map(a => [a.getAttribute('href'), a.innerText])"
    )
    assert links
    if any(href.startswith("http") for href, _ in links):  # a repository is known
        assert [href for href, _ in links if not PERMALINK.match(href)] == []
    else:
        spans = page.evaluate("Array.from(document.querySelectorAll('.provenance')).map(s => s.innerText)")
        assert all(re.search(r"line \d+.*line \d+.*(commit [0-9a-f]{12}|no commit recorded)", s) for s in spans)


def test_provenance_links_are_readable(page):
    """At least 13 CSS px and 4.5:1 against the background behind them (WCAG 2.1 AA)."""
    styles = page.evaluate("""Array.from(document.querySelectorAll('.provenance a')).map(a => {
        let e = a, bg = 'rgba(0, 0, 0, 0)';
        while (e && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
            bg = getComputedStyle(e).backgroundColor; e = e.parentElement;
        }
        const s = getComputedStyle(a);
        return [s.color, bg === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : bg, parseFloat(s.fontSize)];
    })""")
    rgb = lambda text: [float(v) for v in re.findall(r"[\d.]+", text)]  # noqa: E731
    assert styles
    assert min(size for _, _, size in styles) >= 13
    assert min(contrast(rgb(fg), rgb(bg)) for fg, bg, _ in styles) >= 4.5


def test_one_h1_and_alt_text_on_every_image(page):
    assert page.evaluate("document.querySelectorAll('h1').length") == 1
    alts = page.evaluate("Array.from(document.images).map(i => (i.getAttribute('alt') || '').trim())")
    assert alts and all(len(alt.split()) >= 8 for alt in alts), alts


def test_every_figure_opens_full_size(page):
    """Each figure links to its own embedded image (it opens offline), shown full size on a click."""
    figures = page.evaluate("""Array.from(document.querySelectorAll('div.quarto-float[id^="fig-"] img')).map(i =>
        [i.closest('a') ? i.closest('a').getAttribute('href').slice(0, 15) : '', i.closest('a')?.className || ''])""")
    assert len(figures) >= 3
    assert all(href.startswith("data:image/png") and "lightbox" in cls for href, cls in figures), figures
    page.locator("div.quarto-float[id^='fig-'] a.lightbox").first.click()
    opened = page.locator(".glightbox-container .gslide.current img")
    opened.wait_for(state="visible", timeout=5000)
    assert opened.get_attribute("src").startswith("data:image/png")
    page.keyboard.press("Escape")
    page.locator(".glightbox-container").wait_for(state="detached", timeout=5000)


def test_the_contents_and_the_pdf_are_reachable(page):
    if page.viewport_size["width"] >= 768:
        assert page.locator("#TOC").is_visible() and page.locator("#TOC .quarto-alternate-formats a").is_visible()
        return
    box = page.locator("details.phone-contents")
    assert box.is_visible()
    box.locator("summary").click()
    assert box.locator("a[href='#sec-verification']").is_visible()
    assert box.locator(".phone-formats a", has_text="PDF").is_visible()
    box.locator("summary").click()


def test_verdicts_reported_and_recomputed_values_are_on_screen(page):
    """Every cell of a verdict, reported or recomputed column lies inside the window, with no
    sideways scrolling (of the page or of the table's box)."""
    cells = page.evaluate("""(() => {
        const out = [];
        document.querySelectorAll('main table').forEach(t => {
            const heads = Array.from(t.querySelectorAll('thead th')).map(th => th.innerText.trim().toLowerCase());
            t.querySelectorAll('tbody tr').forEach(tr => Array.from(tr.cells).forEach((td, k) => {
                if (/verdict|reported|reproduced|recomputed/.test(heads[k] || '')) {
                    const r = td.getBoundingClientRect();
                    out.push([t.closest('[id]')?.id || '', heads[k], r.left, r.right]);
                }
            }));
        });
        return out;
    })()""")
    width = page.evaluate("window.innerWidth")
    assert len(cells) > (50 if page.document == "supplement" else 5)
    outside = [(table, head) for table, head, left, right in cells if left < 0 or right > width + 0.5]
    assert outside == [], f"{len(outside)} cells outside the {width} px window, e.g. {outside[:3]}"


def test_every_figure_text_is_at_least_11_css_px(page):
    """Each PNG records its smallest font size (points, figures.SMALLEST_TEXT_KEY); shown at the
    image's displayed width, that text must be at least 11 CSS px."""
    from PIL import Image

    from anakinra_replication.figure_style import SMALLEST_TEXT_KEY

    shown = page.evaluate("""Array.from(document.querySelectorAll('div.quarto-float[id^="fig-"] img')).map(i =>
        [i.closest('div.quarto-float').id, i.getBoundingClientRect().width, i.src])""")
    assert len(shown) >= 3
    small = {}
    for label, width, src in shown:
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        inches = image.size[0] / image.info["dpi"][0]
        px = float(image.info[SMALLEST_TEXT_KEY]) * width / (inches * 72)
        if px < 11:
            small[label] = round(px, 1)
    assert small == {}, f"smallest text in CSS px at {page.viewport_size['width']} px: {small}"


def test_hashes_copy_whole_and_equal_sha256sum(page, html):
    only_in(page, "supplement")
    """Every SHA-256 of the manifest and of the inputs, selected and copied as a reader would,
    is exactly the 64 characters of sha256sum of the file it names."""
    cohort_dir, root = html.parent.parent, html.parent.parent.parent.parent
    rows = page.evaluate("""['#tbl-manifest', '#tbl-provenance'].flatMap(id =>
        Array.from(document.querySelectorAll(id + ' tbody tr')).filter(r => r.querySelector('code.sha256')).map(r => {
            const code = r.querySelector('code.sha256');
            const range = document.createRange(); range.selectNodeContents(code);
            const selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
            return [id, r.cells[r.cells.length - 2].innerText.trim(), selection.toString()];
        }))""")
    assert len([r for r in rows if r[0] == "#tbl-manifest"]) >= 30
    for table, path, copied in rows:
        base = cohort_dir if table == "#tbl-manifest" else root
        assert copied == hashlib.sha256((base / path).read_bytes()).hexdigest(), (table, path)


# --- R16: WCAG 2.1 AA, the keyboard, tables that fit and figures at their natural size -----------

AXE = Path(
    os.environ.get("AXE_CORE", Path(__file__).resolve().parents[1] / ".tools/axe/node_modules/axe-core/axe.min.js")
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FOCUSABLE = "a[href], summary, button, [tabindex='0'], [role='button']"


def test_axe_core_finds_no_wcag_violation(page):
    """axe-core (npm; `make test-e2e` installs it into .tools/axe) with the WCAG 2.1 A and AA rules."""
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE} (make test-e2e installs it; or set AXE_CORE)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
            .map(v => [v.id, v.impact, v.nodes.slice(0, 3).map(n => n.target.join(' '))])""",
        WCAG_TAGS,
    )
    assert violations == []


VISIBLE = """e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    const closed = e.closest('details:not([open])') && e.tagName !== 'SUMMARY';
    const folded = e.closest('[hidden], .collapse:not(.show)') || closed;
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !folded;
}"""


def test_every_interactive_element_is_reached_from_the_keyboard(page):
    """Tabbing through the page from the top reaches every visible link, summary and button (the
    glossary's header, the contents box, the figures' full-size links included). A citation's
    pop-up adds stops of its own, hence twice as many presses as elements."""
    count = page.evaluate(
        f"""(selector) => {{
            const shown = Array.from(document.querySelectorAll(selector)).filter({VISIBLE});
            shown.forEach((e, k) => {{ e.dataset.focusKey = String(k); }});
            return shown.length;
        }}""",
        FOCUSABLE,
    )
    assert count > 20
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    reached = set()
    for _ in range(2 * count + 40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement ? document.activeElement.dataset.focusKey || '' : ''"))
    missing = page.evaluate(
        """(keys) => Array.from(document.querySelectorAll('[data-focus-key]'))
            .filter(e => !keys.includes(e.dataset.focusKey)).map(e => e.outerHTML.slice(0, 100))""",
        sorted(reached),
    )
    assert missing == []


def test_the_glossary_and_the_contents_open_from_the_keyboard(page):
    """Enter opens the glossary (a collapsed callout whose header is a button) and Space closes
    it; on a phone, Enter on the contents box's summary shows the links to the sections."""
    only_in(page, "index")
    header = page.locator(".callout-header[data-bs-toggle='collapse']", has_text="Terms used")
    contents = page.locator(header.get_attribute("data-bs-target"))
    header.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "button"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(s) => document.querySelector(s).classList.contains('show')", arg=header.get_attribute("data-bs-target")
    )
    assert header.get_attribute("aria-expanded") == "true"
    page.wait_for_function(
        "(s) => !document.querySelector(s).classList.contains('collapsing')", arg=header.get_attribute("data-bs-target")
    )
    page.keyboard.press(" ")
    contents.first.wait_for(state="hidden", timeout=5000)
    if page.viewport_size["width"] < 768:
        box = page.locator("details.phone-contents")
        box.locator("summary").focus()
        page.keyboard.press("Enter")
        assert box.locator("a[href='#sec-verification']").is_visible()
        page.keyboard.press("Enter")


def test_no_table_is_wider_than_its_box(page):
    """At a desktop's width every table fits its column (nothing cut or scrolled); on a phone each
    row is stacked, and fits as well. (A cross-reference's pop-up preview is left out.)"""
    wide = page.evaluate("""Array.from(document.querySelectorAll('.quarto-float-tbl > div[aria-describedby]'))
        .filter(b => !b.closest('[data-tippy-root]') && b.scrollWidth > b.clientWidth + 1)
        .map(b => [b.closest('[id]').id, b.clientWidth, b.scrollWidth])""")
    assert wide == []


def test_no_figure_is_drawn_larger_than_1_25_times_its_natural_size(page):
    """Natural size: the PNG's pixels at its own resolution (Pillow reads the pHYs chunk), at 96
    CSS px to the inch."""
    from PIL import Image

    shown = page.evaluate("""Array.from(document.querySelectorAll('div.quarto-float[id^="fig-"] img')).map(i =>
        [i.closest('div.quarto-float').id, i.getBoundingClientRect().width, i.src])""")
    assert shown
    large = {}
    for label, width, src in shown:
        image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
        natural = image.size[0] / image.info["dpi"][0] * 96
        if width > 1.25 * natural:
            large[label] = round(width / natural, 2)
    assert large == {}
