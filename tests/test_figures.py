"""Figures that read on the page and at a glance: in every declared figure (workflow/outputs.yaml),
drawn from the shipped cohort and from a cohort with no deaths on anakinra (mismatches, statistics
that cannot be estimated), every text at least MIN_POINTS (11 pt) as drawn, at least 8 pt as the
PDF prints it and 11 CSS px on a phone; no two texts overlap and no legend covers data; every
text has 4.5:1 contrast on what lies behind it, and every pair of colours that carries meaning
stays apart with each kind of colour blindness; no identifier is printed; legends and arm names
in words; the reconstruction's Kaplan-Meier curves marked as such inside the image, and the
rounding-margin figure checked against margins worked out by hand. The layout checks read
matplotlib's own layout (tests/figure_checks.py) and are shown to fail on the faults they name."""

from __future__ import annotations

import ast
import math
import re
from fractions import Fraction
from pathlib import Path

import pytest
from matplotlib.text import Text
from PIL import Image

from conftest import COHORT, ROOT
from pipeline import numbers_and_rows

PAGE_COLUMN_INCHES = (210 - 2 * 20) / 25.4  # A4 less the 2 cm margins of manuscript/_quarto.yml
PAGE_TEXT_INCHES = (297 - 2 * 20) / 25.4  # the page's height less its margins
PACKAGE = ROOT / "workflow/scripts/anakinra_replication"
PDF_MIN_POINTS = 8  # smallest figure text as printed in the PDF (R16)
PHONE_MIN_PX = 11  # smallest figure text on a 400 px phone, in CSS px (R16)
MIN_CONTRAST = 4.5  # WCAG 2.1 AA, text
# CIEDE2000 between two colours that carry meaning, in normal vision and in each dichromacy: about
# six just-noticeable differences; seaborn's two oranges, which the review found hard to tell
# apart, are 9 apart for a deuteranope.
MIN_COLOUR_DIFFERENCE = 15
# A caption in the PDF (Typst, 10 pt, in the 6.7 in column): about 110 characters a line (100
# counted), lines 0.18 in apart (0.19 counted), 0.15 in between figure and caption; a {{< meta >}}
# value counted as 60 characters, "Figure N: " and the provenance line as 60 more.
CAPTION_CHARACTERS_PER_LINE, CAPTION_LINE_INCHES, CAPTION_GAP_INCHES = 100, 0.19, 0.15


@pytest.fixture(scope="module")
def results(config, claims):
    """numbers.json, the verification rows and the validated cohort of the shipped cohort, made by the package."""
    return numbers_and_rows(COHORT, config, claims)


def bell(centre: int, spread: float, low: int, high: int) -> list[int]:
    """Counts of chi-square bins shaped as a bell, empty outside [low, high)."""
    return [round(1000 * math.exp(-(((k - centre) / spread) ** 2))) if low <= k < high else 0 for k in range(high)]


def identifiability_stub() -> dict:
    """Histograms of P and the reported P values, as p_value_space_figure reads them (made from
    chi-square counts by identifiability.p_histogram), spanning less than a decade of P each as
    the real ones do (P from about 0.003 to 0.025, and 0.06 to 0.25)."""
    from anakinra_replication.identifiability import p_histogram

    return {
        "p_histograms": {
            "death_days": p_histogram(bell(690, 70, 500, 880), 0.01),
            "vent_free": p_histogram(bell(210, 45, 130, 350), 0.01),
        },
        "tests": [
            {"endpoint": "survival", "reported": "0.009"},
            {"endpoint": "vent_free_survival", "reported": "0.15"},
        ],
    }


# The figures of the published numbers only, each drawn from a stand-in of what its rule reads.
PUBLISHED_FIGURES = {"p_value_space": lambda f: f.p_value_space_figure(identifiability_stub())}


def declared_figures() -> list[str]:
    """The names of every figure of the document (workflow/outputs.yaml)."""
    from anakinra_replication.outputs import load_outputs

    return [item.name for item in load_outputs() if item.kind == "figure"]


def declared_captions() -> dict[str, str]:
    """Each declared figure's caption."""
    from anakinra_replication.outputs import load_outputs

    return {item.name: item.caption for item in load_outputs() if item.kind == "figure"}


def cohort_drawings(cohort_path: Path, config: dict, claims: list[dict]) -> dict:
    """Every figure of a cohort, drawn as the rule draws it from the cohort's results (robustness
    and later evidence made by the package), plus the figures of the published numbers."""
    from anakinra_replication import figures as f
    from anakinra_replication.claims import load_register
    from anakinra_replication.later_evidence import comparison, register_checks
    from pipeline import robustness

    numbers, rows, cohort = numbers_and_rows(cohort_path, config, claims)
    robust = robustness(cohort, config)
    register = register_checks(
        load_register(ROOT / "data/context/later_evidence.yaml", ROOT / "workflow/schemas/later_evidence.schema.yaml")
    )
    drawers = f.cohort_figures(
        numbers,
        rows,
        claims,
        robust,
        register,
        comparison(register, robust, config["alpha"]),
        config["arms"],
        config["horizon_days"],
    )
    drawn = {name: draw() for name, draw in drawers.items()}
    return drawn | {name: draw(f) for name, draw in PUBLISHED_FIGURES.items()}


@pytest.fixture(scope="module")
def figures(config, claims):
    """Every declared figure of the shipped cohort (and of the published numbers, from stand-ins)."""
    return cohort_drawings(COHORT, config, claims)


@pytest.fixture(scope="module")
def edge_figures(config, claims, tmp_path_factory):
    """Every declared figure of a cohort with no deaths on anakinra: claims that mismatch (the
    rounding-margin figure's arrowheads), ratios that cannot be estimated."""
    from cohorts import write, zero_deaths_one_arm

    path = write(tmp_path_factory.mktemp("edge") / "zero_deaths.csv", zero_deaths_one_arm())
    return cohort_drawings(path, config, claims)


COHORTS = ["shipped", "no deaths on anakinra"]


@pytest.fixture(params=COHORTS)
def drawings(request):
    """The figures of one of the two cohorts."""
    return request.getfixturevalue("figures" if request.param == COHORTS[0] else "edge_figures")


def test_every_declared_figure_is_drawn_here(figures):
    assert sorted(figures) == sorted(declared_figures())


def texts(fig) -> list[Text]:
    """Every visible, non-empty text of a figure."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("name", declared_figures())
def test_every_text_is_legible_at_print_size(figures, name, tmp_path):
    from anakinra_replication.figure_style import DPI, MIN_POINTS, save

    fig = figures[name]
    smallest = min(t.get_fontsize() for t in texts(fig))
    save(fig, tmp_path / "f.png", tmp_path / "f.svg")
    width = Image.open(tmp_path / "f.png").size[0] / DPI
    shown = smallest * min(1.0, PAGE_COLUMN_INCHES / width)
    assert width <= PAGE_COLUMN_INCHES, f"{name} is {width:.2f} in wide; the column is {PAGE_COLUMN_INCHES:.2f} in"
    assert shown >= MIN_POINTS, f"{name}: smallest text {shown:.1f} pt at print size"


def saved_inches(fig) -> tuple[float, float]:
    """Width and height (inches) of the figure as saved (its tight box and the margin that
    figure_style.save adds; the 300 dpi PNG differs by a few hundredths of an inch), which is the
    size the PDF prints it at unless it is wider than the column or taller than the page."""
    from anakinra_replication.figure_style import PAD_INCHES
    from figure_checks import draw

    box = fig.get_tightbbox(draw(fig))
    return box.width + 2 * PAD_INCHES, box.height + 2 * PAD_INCHES


def caption_inches(caption: str) -> float:
    """The height of a figure's caption in the PDF, counted generously (see CAPTION_*)."""
    characters = len(re.sub(r"\{\{<\s*meta [^>]*>\}\}", "x" * 60, caption)) + 60
    return math.ceil(characters / CAPTION_CHARACTERS_PER_LINE) * CAPTION_LINE_INCHES + CAPTION_GAP_INCHES


PHONE_COLUMN_PX = 349  # the document's column on a 400 px phone (tests/test_browser.py measures it)


@pytest.mark.parametrize("name", declared_figures())
def test_text_reads_in_the_pdf_and_on_a_phone(drawings, name):
    """At least 8 pt as the PDF prints the figure (shrunk only to fit the column or the page),
    with its caption on the same page; at least 11 CSS px where a phone shows it 349 px wide."""
    fig = drawings[name]
    smallest = min(t.get_fontsize() for t in texts(fig))
    width, height = saved_inches(fig)
    scale = min(1.0, PAGE_COLUMN_INCHES / width, PAGE_TEXT_INCHES / height)
    assert smallest * scale >= PDF_MIN_POINTS, f"{name}: smallest text {smallest * scale:.1f} pt in the PDF"
    caption = caption_inches(declared_captions()[name])
    assert height * scale + caption <= PAGE_TEXT_INCHES, (
        f"{name}: {height * scale:.2f} in high with a caption of about {caption:.2f} in: more than a page"
        f" ({PAGE_TEXT_INCHES:.2f} in), so the PDF cuts the caption"
    )
    shown = smallest * PHONE_COLUMN_PX / (width * 72)
    assert shown >= PHONE_MIN_PX, f"{name}: smallest text {shown:.1f} CSS px on a phone"


@pytest.mark.parametrize("name", declared_figures())
def test_no_two_texts_overlap(drawings, name):
    from figure_checks import drawn_texts, overlapping_texts

    fig = drawings[name]
    assert overlapping_texts(drawn_texts(fig), fig.dpi) == []


@pytest.mark.parametrize("name", declared_figures())
def test_no_legend_covers_data(drawings, name):
    from figure_checks import legends_over_data

    assert legends_over_data(drawings[name]) == []


@pytest.mark.parametrize("name", declared_figures())
def test_every_text_has_aa_contrast(drawings, name):
    from figure_checks import drawn_texts, low_contrast_texts

    fig = drawings[name]
    assert low_contrast_texts(fig, drawn_texts(fig), MIN_CONTRAST) == []


@pytest.mark.parametrize("name", declared_figures())
def test_colours_that_carry_meaning_stay_apart_in_colour_blindness(drawings, name):
    from figure_checks import confusable_colours, draw, meaning_colours

    fig = drawings[name]
    draw(fig)
    assert len(meaning_colours(fig)) >= 2
    assert confusable_colours(fig, MIN_COLOUR_DIFFERENCE) == []


def test_colour_arithmetic_matches_published_values():
    """CIEDE2000 on the test pairs of Sharma, Wu and Dalal (2005); WCAG contrast of known colours:
    #767676 is the lightest grey with 4.5:1 on white, and the orange #de8f05 of the review 2.6:1."""
    import numpy as np

    from colour_vision import ciede2000, contrast_ratio, smallest_difference

    sharma = [
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
        ((50, 2.5, 0), (50, 0, -2.5), 4.3065),
    ]
    for a, b, expected in sharma:
        assert ciede2000(np.array(a), np.array(b)) == pytest.approx(expected, abs=1e-4)
    hex_rgb = lambda h: tuple(int(h[i : i + 2], 16) / 255 for i in (1, 3, 5))  # noqa: E731
    assert contrast_ratio(hex_rgb("#767676"), (1, 1, 1)) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio(hex_rgb("#de8f05"), (1, 1, 1)) == pytest.approx(2.61, abs=0.01)
    assert contrast_ratio((0, 0, 0), (1, 1, 1)) == pytest.approx(21)
    # the two oranges of the review, and red against green, run together for a deuteranope
    assert smallest_difference(hex_rgb("#de8f05"), hex_rgb("#d55e00")) < (MIN_COLOUR_DIFFERENCE, "")
    assert smallest_difference(hex_rgb("#d62728"), hex_rgb("#2ca02c"))[1] in {"protanopia", "deuteranopia"}


def test_the_checks_find_the_faults_the_review_found():
    """Each check fails on a figure with the fault it names: log tick labels run together (fixed
    1-2-5 ticks with two decimals; matplotlib's own labels on a short log axis), a legend on a
    curve and on a shaded band, orange text on white, two oranges."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, ScalarFormatter

    from figure_checks import confusable_colours, drawn_texts, legends_over_data, low_contrast_texts, overlapping_texts

    fig, ax = plt.subplots(figsize=(2.6, 2), layout="constrained")  # the forest plot's axis, 2.2 in
    ax.plot([0.02, 2], [0, 1])
    ax.set(xscale="log", xlim=(0.015, 2.5))
    ax.xaxis.set_major_locator(FixedLocator([0.02, 0.05, 0.1, 0.2, 0.5, 1, 2]))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.tick_params(labelsize=11)
    assert ("0.05", "0.10") in overlapping_texts(drawn_texts(fig), fig.dpi)
    plt.close(fig)

    histogram = identifiability_stub()["p_histograms"]["death_days"]  # P from 0.003 to 0.025
    with plt.rc_context({"xtick.labelsize": 11, "ytick.labelsize": 11, "axes.labelsize": 11}):
        fig, ax = plt.subplots(figsize=(4.4, 2.7), layout="constrained")
        ax.stairs(histogram["share"], histogram["p_edges"], fill=True)
        ax.set(xscale="log", xlabel="Log-rank P (log scale)", ylabel="Share of layouts")
        assert ("$\\mathdefault{4\\times10^{-3}}$", "$\\mathdefault{6\\times10^{-3}}$") in overlapping_texts(
            drawn_texts(fig), fig.dpi
        )
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(4.4, 3))
    ax.plot([0, 1], [0, 1], label="a curve through the middle")
    ax.fill_between([0, 1], 0.6, 1.0, alpha=0.2, label="a band along the top")
    ax.legend(loc="center")
    covered = legends_over_data(fig)
    assert any("Line2D" in artist for _, artist in covered)
    ax.legend(loc="upper left")
    assert any("Collection" in artist for _, artist in legends_over_data(fig))
    ax.text(0.1, 0.2, "orange words", color="#de8f05")
    assert ("orange words", 2.61) in low_contrast_texts(fig, drawn_texts(fig), MIN_CONTRAST)
    plt.close(fig)

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color="#de8f05")
    ax.plot([0, 1], [1, 0], color="#d55e00")
    assert [pair[:2] for pair in confusable_colours(fig, MIN_COLOUR_DIFFERENCE)] == [("#d55e00", "#de8f05")]
    plt.close(fig)


@pytest.mark.parametrize("name", declared_figures())
def test_no_identifier_is_printed_in_a_figure(figures, name):
    shown = [t.get_text() for t in texts(figures[name])]
    assert [s for s in shown if "_" in s or s.strip() in {"arm", "source", "prior", "anakinra", "standard"}] == []


def test_arms_are_named_in_words(figures):
    shown = " ".join(t.get_text() for t in texts(figures["km_survival"]))
    assert "Anakinra (n = 29)" in shown and "Standard treatment (n = 16)" in shown


def test_only_the_reconstruction_says_its_event_days_are_assumed(figures, results, config):
    from anakinra_replication.figures import km_figure

    numbers, _, _ = results
    other = km_figure(numbers, "vent_free_survival", config["arms"], config["horizon_days"], reconstructed=False)
    assert any("event days are assumed" in t.get_text() for t in texts(figures["km_survival"]))
    assert not any("assumed" in t.get_text() for t in texts(other))


def test_printing_margins_match_hand_computed_values(results, claims):
    """Margins from the definition, with exact fractions: (count / n * 100 - printed) in points."""
    from anakinra_replication.figures import printing_margins

    _, rows, _ = results
    margins = {m["claim"]["id"]: m["distance"] for m in printing_margins(rows, claims)}
    by_hand = {
        "resp_improved_anakinra_percent": Fraction(2100, 29) - 72,  # 72.41% printed 72%
        "bacteremia_standard_percent": Fraction(200, 16) - 13,  # 12.5% printed 13%: on the edge
        "died_standard_percent": Fraction(700, 16) - 44,  # 43.75% printed 44%
        "age_mean": Fraction(0),
    }
    for claim_id, expected in by_hand.items():
        assert margins[claim_id] == pytest.approx(float(expected), abs=1e-9), claim_id
    assert all(-0.5 <= d < 0.5 for d in margins.values())
    assert not any(k.endswith("_count") or k.endswith("_n") for k in margins)


def literals(path: Path, skip: set[str]) -> list[object]:
    """String and number constants of a module, outside the functions named in ``skip``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    kept = [node for node in tree.body if not (isinstance(node, ast.FunctionDef) and node.name in skip)]
    return [n.value for node in kept for n in ast.walk(node) if isinstance(n, ast.Constant)]


# Skipped: functions owned by the robustness analysis (log-axis ticks, where 0.05 is a ratio, are in figure_style).
@pytest.mark.parametrize(
    "module, skip",
    [
        ("figures.py", {"posterior_figure"}),
        ("tables.py", {"robustness_rows", "robustness_table", "p_value_tests_table"}),
    ],
)
def test_horizon_confidence_and_alpha_come_from_settings(module, skip):
    found = [
        v
        for v in literals(PACKAGE / module, skip)
        if (isinstance(v, str) and any(s in v for s in ("21", "95%", "0.05")))
        or (isinstance(v, (int, float)) and not isinstance(v, bool) and v in (21, 95, 0.05, 0.95))
    ]
    assert found == []
