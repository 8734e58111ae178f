"""Results hold codes; the words for them live in presentation modules. Each code a results file
may hold (the enums of its schema) has words, each words entry is a code in use, and the
statistics produce only codes their schema lists, on the edge tables too (no events, every
patient with the event, arms too large for the exact unconditional tests)."""

from __future__ import annotations

import copy

import jsonschema
import pytest
import yaml

from anakinra_replication import labels, later_evidence_text
from anakinra_replication.claims import load_register
from anakinra_replication.later_evidence import comparison, early_risk_ratio, register_checks
from anakinra_replication.p_value_tests import MAX_EXACT_TABLES
from anakinra_replication.p_value_tests import test_rows as table_rows
from conftest import ROOT

SCHEMAS = ROOT / "workflow/schemas"
REGISTER = ROOT / "data/context/later_evidence.yaml"


def schema(name: str) -> dict:
    return yaml.safe_load((SCHEMAS / name).read_text(encoding="utf-8"))


def enum(node: dict) -> set:
    """The non-null codes of an enum."""
    return {code for code in node["enum"] if code is not None}


def row_schema() -> dict:
    ident = schema("identifiability.schema.yaml")
    return {"$defs": ident["$defs"], **ident["properties"]["tests"]}


@pytest.mark.parametrize(
    "words, field",
    [
        (labels.TEST_NAMES, "test"),
        (labels.TEST_OVER, "over"),
        (labels.P_REASONS, "reason"),
        (labels.TWO_SIDED, "two_sided"),
    ],
)
def test_every_code_of_the_test_table_has_words(words, field):
    assert set(words) == enum(row_schema()["items"]["properties"][field])


def test_every_reason_of_the_early_estimate_has_words():
    early = schema("later_evidence_comparison.schema.yaml")["properties"]["early"]["properties"]["reason"]
    assert set(later_evidence_text.EARLY_REASONS) == enum(early)


@pytest.mark.parametrize(
    "events, n, reasons",
    [
        ((3, 7), (29, 16), set()),
        ((0, 0), (29, 16), {"no_events"}),
        ((29, 16), (29, 16), {"all_events"}),
        ((10, 12), (600, 600), {"too_many_tables"}),
    ],
)
def test_test_rows_hold_only_codes_of_the_schema(events, n, reasons):
    assert (n[0] + 1) * (n[1] + 1) > MAX_EXACT_TABLES or "too_many_tables" not in reasons
    ranges = {"logrank": {"p_min": 0.01, "p_max": 0.2, "fraction": 0.1}}
    rows = table_rows("survival", "0.009", events, n, ranges, {"logrank": ("every_death_day_layout", 1234)})
    jsonschema.validate(rows, row_schema())
    assert {r["reason"] for r in rows if "reason" in r} == reasons
    shown = {r["test"]: labels.test_over(r) for r in rows}
    assert shown["logrank"] == "all 1,234 death-day layouts"
    assert shown["fisher_exact"] == "the 2x2 table at the horizon"
    for r in (r for r in rows if "reason" in r):
        assert labels.p_reason(r) in {
            "no patient had the event: the chi-square is undefined",
            "every patient had the event: the chi-square is undefined",
            f"not computed: more than {MAX_EXACT_TABLES:,} tables to score",
        }


@pytest.fixture(scope="module")
def checked() -> dict:
    return register_checks(load_register(REGISTER, SCHEMAS / "later_evidence.schema.yaml"))


def test_checks_hold_codes_and_the_interval_check_prints_its_limits(checked):
    rd = next(e for e in checked["estimates"] if any(c["check"] == "rd_interval_from_counts" for c in e["checks"]))
    check = next(c for c in rd["checks"] if c["check"] == "rd_interval_from_counts")
    assert check["printed"] == [rd["interval"]["lower"], rd["interval"]["upper"]]
    assert set(check["intervals"]) == {"wald", "agresti-caffo", "newcomb", "score"}
    assert later_evidence_text.shown_printed(check) == f"{rd['interval']['lower']} to {rd['interval']['upper']}"
    broken = copy.deepcopy(checked)
    entry = next(e for e in broken["estimates"] if e["id"] == rd["id"])
    entry["interval"]["lower"] = "-60"  # no standard interval gives this limit
    rechecked = register_checks(broken)
    bad = [b for b in rechecked["summary"]["inconsistent"] if b["check"] == "rd_interval_from_counts"]
    assert [later_evidence_text.shown_recomputed(b) for b in bad] == ["none"]
    upper = rd["interval"]["upper"]
    assert f"{rd['id']}, rd interval from counts (printed -60 to {upper}, recomputed none)" in (
        later_evidence_text.check_sentence(rechecked)
    )


@pytest.mark.parametrize(
    "robust, words",
    [
        ({}, later_evidence_text.EARLY_REASONS["no_risk_ratio"]),
        (
            {"survival": {"risk": {"risk_ratio": {"estimate": 0.0, "ci_lower": 0.0, "ci_upper": 0.5}}}},
            later_evidence_text.EARLY_REASONS["risk_ratio_not_estimable"],
        ),
        (
            {
                "survival": {
                    "risk": {"risk_ratio": {"estimate": None, "reason": "no_events_either_arm", "event": "died"}}
                }
            },
            "no deaths in either arm",
        ),
    ],
)
def test_an_unavailable_early_estimate_is_said_in_words(checked, robust, words):
    early = early_risk_ratio(robust)
    assert early["reason"] in later_evidence_text.EARLY_REASONS
    assert later_evidence_text.early_reason(early) == words
    sentences = later_evidence_text.comparison_sentences(checked, comparison(checked, robust, 0.05))
    assert sentences["early"] == f"On this cohort the early risk ratio of death cannot be compared: {words}."
