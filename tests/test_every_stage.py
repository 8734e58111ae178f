"""Every stage after the analysis, on every kind of cohort: tables, figures, the later-evidence
comparison and the manuscript's metadata are built in-process, as the rules chain them, for each
cohort of tests/cohorts.py (edge cases included), and none crashes or prints a raw value.

The shared results (identifiability, the register of later evidence) come from the end-to-end
run of conftest, so this module is marked e2e; the rendering of such a cohort is covered there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot
import pytest
import yaml

from cohorts import VALID, write
from pipeline import numbers_and_rows, robustness

matplotlib.use("Agg")
pytestmark = pytest.mark.e2e

RAW = re.compile(r"\b(?:None|nan|NaN|inf|True|False)\b")


@pytest.fixture(scope="module")
def published(published_run) -> dict:
    """The shared results of the end-to-end run (its first stage)."""
    folder = published_run / "results/published"
    return {
        name: json.loads((folder / path).read_text(encoding="utf-8"))
        for name, path in (("ident", "identifiability.json"), ("register", "later_evidence/register.json"))
    }


def build(name: str, tmp_path: Path, config: dict, claims: list, published: dict) -> dict:
    """Everything a cohort's document is made of, from its CSV file, as the rules make it."""
    from anakinra_replication import figures
    from anakinra_replication.later_evidence import comparison
    from anakinra_replication.later_evidence_text import later_evidence_metadata
    from anakinra_replication.manuscript import manuscript_metadata
    from anakinra_replication.tables import assumptions_table, robustness_table, write_tables

    path = write(tmp_path / f"{name}.csv", VALID[name]())
    numbers, rows, cohort = numbers_and_rows(path, config, claims)
    robust = robustness(cohort, config)
    tables = ("outcomes", "verification", "statements", "evidence", "tested", "event_days")
    out = {key: tmp_path / f"{key}.md" for key in tables}
    out["outcomes_csv"] = tmp_path / "outcomes.csv"
    sources = yaml.safe_load(Path(config["claims"]).read_text(encoding="utf-8"))["sources"]
    write_tables(numbers, rows, claims, sources, out)
    if numbers["cohort"]["is_reconstruction"]:  # its own rule, for the reconstruction alone
        out["assumptions"] = tmp_path / "assumptions.md"
        assumptions = config["reconstruction"]["assumptions"]
        out["assumptions"].write_text(assumptions_table(assumptions, claims, rows, numbers["cohort"]))
    compared = comparison(published["register"], robust, config["alpha"])
    drawn = figures.cohort_figures(
        numbers, rows, claims, robust, published["register"], compared, config["arms"], config["horizon_days"]
    )
    for draw in drawn.values():  # laid out, every text parsed and measured, as saving would (saving: test_figures)
        fig = draw()
        fig.draw_without_rendering()
        matplotlib.pyplot.close(fig)
    text = {key: path.read_text(encoding="utf-8") for key, path in out.items()}
    text["robustness"] = robustness_table(robust, published["ident"])
    metadata = {
        **manuscript_metadata(numbers, rows, claims, name, published["ident"], robust, config["robustness"]["bayes"]),
        **later_evidence_metadata(published["register"], compared),
    }
    return {
        "numbers": numbers,
        "rows": rows,
        "robust": robust,
        "tables": text,
        "metadata": metadata,
        "comparison": compared,
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory, config, claims, published) -> dict:
    """Each cohort built once, shared by the tests below."""
    import os

    os.chdir(Path(__file__).resolve().parents[1])  # config paths are relative to the repository
    return {name: build(name, tmp_path_factory.mktemp(name), config, claims, published) for name in VALID}


def leaves(node, path=""):
    """Every string in a nested structure, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, f"{path}.{key}")
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from leaves(value, f"{path}[{k}]")
    elif isinstance(node, str):
        yield path, node


@pytest.mark.parametrize("name", list(VALID))
def test_every_stage_builds_and_prints_no_raw_value(built, name):
    b = built[name]
    raw = [(where, text) for where, text in leaves(b["metadata"]) if RAW.search(text) and "software" not in where]
    assert raw == []
    for table, text in b["tables"].items():
        assert not RAW.search(text), (table, RAW.findall(text))


@pytest.mark.parametrize("name", ["reconstruction", "larger", "zero_deaths_one_arm"])
def test_generated_statements_agree_with_the_numbers_beside_them(built, claims, name):
    b = built[name]
    m, numbers, robust = b["metadata"], b["numbers"], b["robust"]
    arms = numbers["settings"]["arms"]
    # Which cohort, and its sizes beside the published ones.
    reconstructed = numbers["cohort"]["is_reconstruction"]
    assert m["cohort"]["is_reconstruction"] is reconstructed and (name == "reconstruction") is reconstructed
    sizes = [numbers["outcomes"]["enrolled"][arm]["n"] for arm in arms]
    assert f"this cohort has {sizes[0]} and {sizes[1]}" in m["cohort"]["sizes"]
    assert "The publication reported 29 and 16 patients" in m["cohort"]["sizes"]
    # The verification headline and the list of mismatches.
    wrong = [r for r in b["rows"] if r["verdict"] in ("mismatch", "not_estimable")]
    numeric = [r for r in b["rows"] if r["verdict"] != "not_checkable"]
    assert m["verification"]["headline"].startswith(
        f"{len(numeric) - len(wrong)} of {len(numeric)} numeric claims match"
    )
    assert m["verification"]["has_mismatch"] is bool(wrong)
    for r in wrong:
        assert f"reported {r['reported']}, recomputed" in m["verification"]["mismatch_sentence"]
    split = "by construction" in m["verification"]["headline"]
    assert split is reconstructed
    # What a match tests, apart from what was imposed: the headline counts only the numbers not
    # imposed; one line counts the imposed ones (none on a user's cohort, and it says so).
    imposed = [r for r in numeric if r["evidence"] == "by_construction"]
    tested = [r for r in numeric if r["evidence"] != "by_construction"]
    held = sum(r["verdict"] in ("match", "match_other_rounding") for r in tested)
    assert m["verification"]["tested_headline"].startswith(f"{held} of the {len(tested)} reported numbers")
    assert m["verification"]["imposed"] == str(len(imposed)) and bool(imposed) is reconstructed
    assert m["verification"]["imposed_line"].startswith(
        f"{len(imposed)} further numbers were imposed by construction" if imposed else "Nothing was imposed"
    )
    assert ("*by construction*\n:" in m["evidence"]["glossary"]) is reconstructed
    # The bottom line: what was checked, what a match shows and the verdict, on the reconstruction
    # (a consistency check: the numbers not built in apart from the imposed ones, the shares of
    # layouts) and on any other cohort (how many numbers the data reproduce, and which not); never
    # a bare count in bold.
    bottom = m["bottom_line"]
    counted = (
        f"Of the {len(tested)} reported numbers that were not built into the cohort"
        if reconstructed
        else f"{len(numeric) - len(wrong)} of the {len(numeric)}"
    )
    assert counted in bottom["verdict"]
    assert "**" not in bottom["checked"] + bottom["meaning"] + bottom["verdict"]
    assert ("consistency check" in bottom["checked"]) is reconstructed
    assert ("consistent with one another" in bottom["meaning"]) is reconstructed
    assert ("supplied by the user" in bottom["checked"]) is not reconstructed
    assert ("were not available" in bottom["not_shown"]) is reconstructed
    assert ("% give a log-rank P" in bottom["allow"]) is reconstructed
    assert "whether anakinra works" in bottom["not_shown"]
    for r in wrong[:4]:
        assert f"reported {r['reported']}, recomputed" in bottom["verdict"]
    assert ("do not:" in bottom["verdict"] or "does not:" in bottom["verdict"]) is bool(wrong)
    # Each robustness answer agrees with its interval.
    answers = {a["id"]: a for a in robust["answers"]}
    rr = robust["survival"]["risk"]["risk_ratio"]
    if rr["estimate"] is not None:
        excludes = rr["ci_upper"] < 1 or rr["ci_lower"] > 1
        assert answers["mortality_lower"]["holds"] is (rr["ci_upper"] < 1)
        assert ("not shown" in answers["mortality_lower"]["answer"]) is (not excludes)
    # The later evidence: the primary sentence follows the computed boolean; the sensitivity
    # sentence counts by report.
    summary, sentences = b["comparison"]["summary"], m["later_evidence"]["sentences"]
    if b["comparison"]["early"]["available"]:
        verb = "excludes" if summary["primary_later_excludes_early"] else "does not exclude"
        overlap = "overlaps" if summary["primary_intervals_overlap"] else "does not overlap"
        assert f"Its interval {verb} the early point estimate and {overlap} the early interval" in sentences["primary"]
        for g in summary["sensitivity_by_report"]:
            n = len(g["estimates"])
            assert (
                f"excludes the early point estimate in {g['later_excludes_early']} of {n} and overlaps the early "
                f"interval in {g['intervals_overlap']} of {n}"
            ) in sentences["sensitivity"]
    else:
        assert sentences["sensitivity"] == "" and "cannot be compared" in sentences["early"]
