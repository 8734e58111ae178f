"""Sentences that were false on a user's cohort (R9) stay true: on a 31-vs-18 cohort whose claims
mismatch (tests/cohorts.py ``larger``, with the laboratory columns) and on the reconstruction.
Built in-process (tests/pipeline.py), as the rules chain them; the rendered document of a user's
cohort is checked end to end in test_workflow.py."""

from pathlib import Path

import matplotlib
import pytest

import cohorts
from pipeline import numbers_and_rows

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory, config, claims) -> dict:
    """numbers and verification rows of the 31-vs-18 cohort (with labs) and of the reconstruction."""
    folder = tmp_path_factory.mktemp("sentences")
    texts = {"larger": cohorts.with_labs(cohorts.larger()), "reconstruction": cohorts.reconstruction()}
    out = {}
    for name, text in texts.items():
        numbers, rows, _ = numbers_and_rows(cohorts.write(folder / f"{name}.csv", text), config, claims)
        out[name] = (numbers, rows)
    return out


def test_the_robustness_section_does_not_call_mismatched_numbers_consistent(built, claims):
    from anakinra_replication.manuscript import verification_metadata

    larger = verification_metadata(built["larger"][1], claims)
    assert "consistent" not in larger["robustness_opening"]
    assert "are not reproduced" in larger["robustness_opening"]
    shipped = verification_metadata(built["reconstruction"][1], claims)
    assert shipped["robustness_opening"] == "The verification shows that the reported numbers are consistent"
    source = (ROOT / "manuscript/supplement.qmd").read_text(encoding="utf-8")
    assert "The verification shows that the reported numbers are consistent" not in source
    assert "{{< meta verification.robustness_opening >}}" in source


def test_what_came_after_gives_the_early_studys_published_sizes(built, claims):
    text = (ROOT / "manuscript/what_came_after.qmd").read_text(encoding="utf-8")
    early = text[text.index("The early study enrolled") :][:200]
    assert "reported.enrolled_anakinra_n" in early and "reported.enrolled_standard_n" in early
    assert "numbers.n." not in early  # the cohort's own sizes (31 and 18) are not the study's


def test_the_inclusion_rule_is_checked_when_the_file_has_the_laboratory_columns(built, claims):
    from anakinra_replication.manuscript import statements_sentence
    from anakinra_replication.tables import statements_table

    numbers, rows = built["larger"]
    assert numbers["cohort"]["read"]["inclusion_checked"] is True
    (row,) = [r for r in rows if r["outcome"] == "inclusion"]
    assert row["note"].startswith("checked by the reader on every patient")
    sources = {c["source"]: c["source"] for c in claims}
    table = statements_table(rows, claims, sources)
    assert "claim-inclusion_hyperinflammation" not in table and "inclusion rule was checked by the reader" in table
    sentence = statements_sentence(rows)
    assert "inclusion rule was checked by the reader" in sentence and "inclusion rule," not in sentence
    # without the columns it is one of the statements that cannot be checked
    shipped = statements_sentence(built["reconstruction"][1])
    assert "inclusion rule" in shipped and "checked by the reader" not in shipped


def test_figure_3_draws_mismatched_outcomes_at_the_edge_with_their_distance(built, claims):
    import matplotlib.pyplot as plt

    from anakinra_replication.figures import printing_margin_figure, printing_margins

    _, rows = built["larger"]
    far = [m for m in printing_margins(rows, claims) if abs(m["distance"]) > 1]
    assert far  # the 31-vs-18 cohort has values far from the printed ones
    fig = printing_margin_figure(rows, claims)
    ax = fig.axes[0]
    shown = {t.get_text() for t in ax.texts}
    assert {f"{m['distance']:+.3g}" for m in far} <= shown
    assert min(t.get_fontsize() for t in ax.texts) >= 9  # as every text of a figure (test_figures.py)
    points = [line.get_xdata()[0] for line in ax.lines if len(line.get_xdata()) == 1]
    assert all(-1 <= x <= 1 for x in points)  # every point inside the axis: no row left empty
    plt.close(fig)


def test_relations_in_neither_arm_read_as_a_negation(built):
    from anakinra_replication.manuscript import relations_sentences

    numbers, _ = built["larger"]
    arms = numbers["settings"]["arms"]
    numbers = {
        **numbers,
        "relations": {a: {**numbers["relations"][a], "improved_equals_vent_free_survivors": False} for a in arms},
    }
    sentence = relations_sentences(numbers, arms)["observed_improved"]
    assert sentence == "in neither arm are the improved patients exactly the ventilation-free survivors"
    assert not any(s.endswith("in neither arm") for s in relations_sentences(numbers, arms).values())


def test_the_certificate_says_the_workflow_ran_on_the_build_date_and_dates_the_commit_apart():
    from anakinra_replication.certificate import certificate_text

    record = {
        "source": {"repository": None, "commit": "abc", "dirty": False, "commit_date": "2020-05-12T00:00:00Z"},
        "build_date": "2026-01-01T00:00:00Z",
        "build_date_fixed": False,
        "outputs": [],
    }
    cohort = {"path": "patients.csv", "reconstructed": False, "sha256": "0" * 64}
    text = certificate_text(record, cohort, "codecheck.yml", None)
    assert "ran in a local copy of the package on 2026-01-01T00:00:00Z, at commit abc (committed on 2020-05-12" in text
    assert "2020-05-12" not in text.replace("committed on 2020-05-12", "")  # the commit's date is never the build's
    fixed = certificate_text({**record, "build_date_fixed": True}, cohort, "codecheck.yml", None)
    assert "build date fixed at 2026-01-01T00:00:00Z by SOURCE_DATE_EPOCH (not the day it ran)" in fixed


def test_a_users_cohort_is_named_by_file_name_in_numbers(tmp_path, config, claims):
    (tmp_path / "private folder").mkdir()
    path = cohorts.write(tmp_path / "private folder" / "site.csv", cohorts.larger())
    numbers, _, _ = numbers_and_rows(path.resolve(), config, claims)
    assert numbers["cohort"]["path"] == "site.csv" and numbers["inputs"]["cohort"]["path"] == "site.csv"
    assert str(tmp_path) not in str(numbers)
