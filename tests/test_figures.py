"""Figures that read on the page: in every declared figure (workflow/outputs.yaml), every text at
least MIN_POINTS (11 pt) at the size the PDF prints it and no identifier; legends in words, arm
names in words, the reconstruction's Kaplan-Meier curves marked as such inside the image, and the
rounding-margin figure checked against margins worked out by hand."""

from __future__ import annotations

import ast
from fractions import Fraction
from pathlib import Path

import pytest
from matplotlib.text import Text
from PIL import Image

from conftest import COHORT, ROOT
from pipeline import numbers_and_rows

PAGE_COLUMN_INCHES = (210 - 2 * 20) / 25.4  # A4 less the 2 cm margins of manuscript/_quarto.yml
PACKAGE = ROOT / "workflow/scripts/anakinra_replication"


@pytest.fixture(scope="module")
def results(config, claims):
    """numbers.json, the verification rows and the validated cohort of the shipped cohort, made by the package."""
    return numbers_and_rows(COHORT, config, claims)


def identifiability_stub() -> dict:
    """Histograms of P and the reported P values, as p_value_space_figure reads them (made from
    chi-square counts by identifiability.p_histogram)."""
    from anakinra_replication.identifiability import p_histogram

    histogram = p_histogram([0] * 200 + [k % 7 + 1 for k in range(600)] + [0] * 200, 0.01)
    return {
        "p_histograms": {"death_days": histogram, "vent_free": histogram},
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


@pytest.fixture(scope="module")
def figures(results, config, claims):
    """Every declared figure, drawn as its rule draws it: a cohort's figures by figures.cohort_figures
    from the shipped cohort's results (robustness and later evidence made by the package), the
    others from stand-ins (PUBLISHED_FIGURES)."""
    from anakinra_replication import figures as f
    from anakinra_replication.claims import load_register
    from anakinra_replication.later_evidence import comparison, register_checks
    from pipeline import robustness

    numbers, rows, cohort = results
    arms, horizon = config["arms"], config["horizon_days"]
    robust = robustness(cohort, config)
    register = register_checks(
        load_register(ROOT / "data/context/later_evidence.yaml", ROOT / "workflow/schemas/later_evidence.schema.yaml")
    )
    drawers = f.cohort_figures(
        numbers, rows, claims, robust, register, comparison(register, robust, config["alpha"]), arms, horizon
    )
    drawn = {name: draw() for name, draw in drawers.items()}
    return drawn | {name: draw(f) for name, draw in PUBLISHED_FIGURES.items()}


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


# Skipped: functions owned by the robustness analysis, and the ticks of a ratio axis (0.05 there is a ratio).
@pytest.mark.parametrize(
    "module, skip",
    [
        ("figures.py", {"posterior_figure", "_ratio_axis"}),
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
