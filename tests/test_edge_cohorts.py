"""Edge cohorts run through every cohort-dependent computation without error, and every value
that does not exist is None with a reason, never NaN; verification says which claims could not
be estimated and counts them as not matching."""

import json
import tempfile
from pathlib import Path

import pytest

import cohorts
from anakinra_replication.cohort import read_validated, write_validated
from anakinra_replication.proportions import outcome_numbers
from anakinra_replication.relations import outcome_relations
from anakinra_replication.statistic_words import reason_words
from anakinra_replication.survival import survival_numbers
from anakinra_replication.verify import summary, summary_line, verification_rows

ARMS = cohorts.ARMS


def numbers_of(text: str) -> dict:
    """outcomes and relations of a cohort, as numbers.json holds them; the cohort goes through the
    validated copy the workflow's analysis steps read (an all-empty day column must survive it)."""
    with tempfile.TemporaryDirectory() as folder:
        write_validated(cohorts.frame(text), Path(folder) / "validated.csv")
        cohort = read_validated(Path(folder) / "validated.csv")
    return {
        "outcomes": {**outcome_numbers(cohort, ARMS, 0.05), **survival_numbers(cohort, ARMS, 21, 0.05)},
        "relations": outcome_relations(cohort, ARMS, 21),
    }


def nulls_without_reason(node, path="") -> list[str]:
    """Paths of None values whose dictionary gives no reason for them."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None and not (node.get("reason") or node.get(f"{key.split('_')[0]}_reason")):
                found.append(f"{path}/{key}")
            found += nulls_without_reason(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += nulls_without_reason(value, f"{path}/{i}")
    return found


@pytest.fixture(scope="module")
def edge_numbers() -> dict:
    return {name: numbers_of(build()) for name, build in cohorts.VALID.items()}


@pytest.mark.parametrize("name", sorted(cohorts.VALID))
def test_every_value_is_finite_or_null_with_a_reason(edge_numbers, name):
    numbers = edge_numbers[name]
    json.dumps(numbers, allow_nan=False)  # raises on NaN or infinity, as write_json does
    assert nulls_without_reason(numbers) == []


@pytest.mark.parametrize("name", sorted(cohorts.VALID))
def test_verification_runs_and_summary_adds_up(edge_numbers, name, claims):
    rows = verification_rows(claims, edge_numbers[name]["outcomes"], None)
    s = summary(rows)
    c = s["counts"]
    assert sum(c.values()) == len(rows) == len(claims)
    assert s["numeric"] == s["matching"] + len(s["mismatched"])
    assert s["not_estimable"] == [r["claim_id"] for r in rows if r["verdict"] == "not_estimable"]
    for row in rows:
        if row["verdict"] == "not_estimable":
            assert row["reproduced_exact"] == "" and "not estimable: " in row["note"] and row["evidence"] == "derived"


def test_no_events_makes_both_p_values_not_estimable(edge_numbers, claims):
    rows = {r["claim_id"]: r for r in verification_rows(claims, edge_numbers["no_events"]["outcomes"], None)}
    p_values = [c["id"] for c in claims if c["kind"] == "p_value"]
    assert p_values
    for claim_id in p_values:
        assert rows[claim_id]["verdict"] == "not_estimable"
        assert rows[claim_id]["note"].endswith("not estimable: no events in either arm")
    s = summary(list(rows.values()))
    assert set(p_values) <= set(s["mismatched"]) and set(p_values) == set(s["not_estimable"])
    assert f"{len(p_values)} not estimable" in summary_line(s)


def test_survival_past_the_end_of_follow_up_is_not_estimable(edge_numbers, claims):
    outcomes = edge_numbers["censored_arm"]["outcomes"]
    # last death: round(21 * 7 / 8) = 18; last censoring: round(20 * 9 / 10) = 18
    assert outcomes["survival"]["standard"]["reason"] == "followup_ends_before_horizon"
    assert reason_words(outcomes["survival"]["standard"]) == "follow-up in this arm ends on day 18, before day 21"
    rows = verification_rows(claims, outcomes, None)
    standard_survival = [r for r in rows if r["outcome"] == "survival" and r["arm"] == "standard"]
    assert standard_survival and all(r["verdict"] == "not_estimable" for r in standard_survival)


def test_the_reconstruction_has_no_not_estimable_claim(edge_numbers, claims):
    s = summary(verification_rows(claims, edge_numbers["reconstruction"]["outcomes"], None))
    assert s["not_estimable"] == [] and "not estimable" not in summary_line(s)


def test_relations_count_censored_survivors(edge_numbers):
    assert {
        arm: r["censored_before_horizon"] for arm, r in edge_numbers["censored_survivors"]["relations"].items()
    } == {"anakinra": 3, "standard": 2}
    everybody = edge_numbers["everybody_ventilated"]["relations"]
    assert everybody["anakinra"]["ventilated_and_died"] == 3 and everybody["standard"]["vent_free_survivors"] == 0
