"""What came after: the register of later evidence, its checks, and the comparison with the cohort.

References, per test, none produced by this code:
- the ratio of two ratios (Altman and Bland, BMJ 2003;326:219) against two published worked
  examples of that method, read with the search tool (corpus pages): Heart, Table 4, "Worked
  examples using the first study in table 3 (the Adventist study)"
  (heart.bmj.com/highwire/markup/156479/expansion), and Ann Rheum Dis, Table 3, "Comparing
  relative risks in two risk groups", COBRA trial column (ard.bmj.com/highwire/markup/174036/expansion);
  and a hand calculation on the death table of this study (3/29 against 7/16);
- the P from an interval against Altman and Bland's own closed-form approximation (BMJ
  2011;343:d2304, box, read at bmj.com/content/343/bmj.d2304.abstract) and a hand calculation;
- the interval from a P against the worked ratio example of Altman and Bland, BMJ 2011;343:d2090
  (RR 0.30, P = 0.034 gives 0.1 to 0.9; read at vaszar.org, a worked reproduction of the note);
- the register against the facts file of the issue (../shared/source/LATER_EVIDENCE.md), when present.
"""

import copy
import math
import re

import matplotlib.pyplot as plt
import pytest
import yaml

from anakinra_replication.claims import load_register
from anakinra_replication.jsonio import InputError, check_contract
from anakinra_replication.later_evidence import (
    comparison,
    early_risk_ratio,
    interval_from_p,
    judge,
    p_altman_bland,
    p_from_interval,
    ratio_of_ratios,
    register_checks,
    se_from_interval,
    value_range,
)
from anakinra_replication.later_evidence_figure import FONT_PT, forest_rows, later_evidence_figure
from anakinra_replication.later_evidence_text import later_evidence_metadata, register_table
from anakinra_replication.outputs import load_outputs
from anakinra_replication.rounding import printed
from conftest import ROOT
from test_manuscript_source import hand_typed_numbers

REGISTER = ROOT / "data/context/later_evidence.yaml"
SCHEMA = ROOT / "workflow/schemas/later_evidence.schema.yaml"
FACTS = ROOT.parent / "shared/source/LATER_EVIDENCE.md"
SECTION = ROOT / "manuscript/what_came_after.qmd"
Z = 1.959963984540054


@pytest.fixture(scope="module")
def register() -> dict:
    return load_register(REGISTER, SCHEMA)


@pytest.fixture(scope="module")
def checked(register) -> dict:
    return register_checks(register)


def robust_with(estimate, lower, upper, horizon=21) -> dict:
    """The three fields of results/robustness.json the comparison reads."""
    return {
        "settings": {"horizon_days": horizon},
        "survival": {"risk": {"risk_ratio": {"estimate": estimate, "ci_lower": lower, "ci_upper": upper}}},
    }


def katz(a: int, n1: int, c: int, n2: int) -> tuple[float, float, float]:
    """Risk ratio and its log (Katz) interval by hand: exp(log RR -+ z sqrt(1/a - 1/n1 + 1/c - 1/n2))."""
    rr = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return rr, rr * math.exp(-Z * se), rr * math.exp(Z * se)


# --- the register -------------------------------------------------------------------------

EXPECTED_IDS = {
    "s22_mortality_day14",
    "s22_mortality_day28",
    "s22_mortality_day90",
    "e23_mortality_day28",
    "e23_mortality_discharge",
    "e23_ventilation_or_death_day28",
    "e23_mortality_day60",
    "e23_ventilation_or_death_day28_supar",
    "e23_clinical_improvement_day28",
    "r21_mortality",
    "r21_invasive_ventilation",
    "r21_liver_dysfunction",
    "r21_bacteraemia",
    "p21_mortality",
    "p21_invasive_ventilation",
    "savemore_mortality_day28",
    "savemore_clinical_status_day28",
    "remapcap_organ_support_free_days",
    "anaconda_success_day14_rd",
    "anaconda_success_day14_or",
}


def test_register_holds_every_printed_estimate_of_the_facts_file(register):
    """Every estimate of LATER_EVIDENCE.md, and those the stored pages of the same reports print
    (issue R11: the rest of the Eur J Med Res 2023 summary-of-findings table, the adverse events
    of the Rheumatology 2021 abstract, the ventilation interval of Pasin 2021)."""
    assert {e["id"] for e in register["estimates"]} == EXPECTED_IDS
    from_search = {e["id"] for e in register["estimates"] if e.get("numbers_from") == "search"}
    assert from_search == {
        "e23_mortality_day60",
        "e23_ventilation_or_death_day28_supar",
        "e23_clinical_improvement_day28",
        "r21_liver_dysfunction",
        "r21_bacteraemia",
        "p21_invasive_ventilation",
    }


def test_every_printed_number_of_an_entry_is_in_its_quoted_phrase(register):
    for e in register["estimates"]:
        numbers = [e["value"]] + ([e["interval"]["lower"], e["interval"]["upper"]] if e["interval"] else [])
        for text in filter(None, numbers):
            assert text in e["quote"], f"{e['id']}: {text} is not in its quoted phrase"
        if e["p_value"]:
            assert e["p_value"].lstrip("<> ") in e["quote"].replace(" ", "").replace("<", "").replace(">", ""), e["id"]


@pytest.mark.skipif(not FACTS.exists(), reason="the issue's facts file is not beside this clone")
def test_every_registered_value_is_printed_in_the_facts_file(register):
    """Entries read in the facts file carry its numbers; those read with the search tool instead
    (``numbers_from: search``) name the page in ``read_with_search`` (the schema requires it)."""
    facts = FACTS.read_text(encoding="utf-8")
    for e in (e for e in register["estimates"] if e.get("numbers_from", "facts_file") == "facts_file"):
        for text in filter(
            None, [e["value"], e["interval"] and e["interval"]["lower"], e["interval"] and e["interval"]["upper"]]
        ):
            assert text in facts, f"{e['id']}: {text} not in {FACTS.name}"


@pytest.mark.parametrize("field", ["source", "location", "quote"])
def test_schema_rejects_an_entry_without_its_provenance(tmp_path, field):
    document = yaml.safe_load(REGISTER.read_text(encoding="utf-8"))
    del document["estimates"][1][field]
    path = tmp_path / "later_evidence.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=rf"later evidence error: .*estimates/1.*'{field}' is a required property"):
        load_register(path, SCHEMA)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda e: e.update(quote=""), "should be non-empty"),
        (lambda e: e.update(value=None), "value_note"),
        (lambda e: e.update(source="nowhere"), "unknown source 'nowhere'"),
        (lambda e: e.update(value="1,06"), "does not match"),
    ],
)
def test_schema_and_loader_reject_bad_entries(tmp_path, change, message):
    document = yaml.safe_load(REGISTER.read_text(encoding="utf-8"))
    change(document["estimates"][0])
    path = tmp_path / "later_evidence.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_register(path, SCHEMA)


def test_every_cited_source_is_in_the_bibliography(register):
    bib = (ROOT / "manuscript/references.bib").read_text(encoding="utf-8")
    keys = [s["bibtex"] for s in register["sources"].values()] + [w["bibtex"] for w in register["without_estimate"]]
    for key in keys:
        assert re.search(rf"@\w+\{{{key},", bib), f"{key} missing from references.bib"


# --- the pieces, against outside references -----------------------------------------------


def test_se_from_interval_matches_the_heart_worked_example():
    # Heart, Table 4: female RR 2.15 (1.33 to 3.47); "The two equations for SE give the results
    # 0.244228 and 0.245045, which average out to 0.244637" (half-widths of the log interval / 1.96).
    assert se_from_interval(1.33, 3.47) == pytest.approx(0.244637 * 1.96 / Z, abs=1e-6)


def test_ratio_of_ratios_matches_the_heart_worked_example():
    # Women ln RR 0.765468 (SE 0.244637), men 0.746688 (SE 0.324736): "The ln(RRR) is thus
    # 0.01878, and its variance is 0.165301 ... 95% CI for the ln(RRR) (-0.778101 to 0.815661)
    # ... 1.02 (0.46 to 2.26)". They use 1.96; we use the exact quantile, so compare at 4 decimals.
    r = ratio_of_ratios((0.765468, 0.244637), (0.746688, 0.324736))
    assert r["log_ratio"] == pytest.approx(0.01878, abs=1e-6)
    assert r["se_log_ratio"] ** 2 == pytest.approx(0.165301, abs=1e-6)
    assert math.log(r["ci_lower"]) == pytest.approx(-0.778101, abs=1e-4)
    assert math.log(r["ci_upper"]) == pytest.approx(0.815661, abs=1e-4)
    assert [printed(r[k], 2) for k in ("estimate", "ci_lower", "ci_upper")] == ["1.02", "0.46", "2.26"]


def test_ratio_of_ratios_matches_the_ard_worked_example():
    # Ann Rheum Dis, Table 3, COBRA trial: log RR -0.7765 (SE 0.4081) and -0.3567 (SE 0.1692);
    # d = -0.4198, SE(d) = 0.4419, CI(d) -1.2859 to 0.4463, ratio 0.66, CI 0.28 to 1.56.
    r = ratio_of_ratios((-0.7765, 0.4081), (-0.3567, 0.1692))
    assert round(r["log_ratio"], 4) == -0.4198
    # Their SE(d) was computed before rounding the two SEs to 4 decimals: from the rounded ones it is 0.44179.
    assert r["se_log_ratio"] == pytest.approx(0.4419, abs=2e-4)
    assert (round(math.log(r["ci_lower"]), 3), round(math.log(r["ci_upper"]), 3)) == (-1.286, 0.446)
    assert [printed(r[k], 2) for k in ("estimate", "ci_lower", "ci_upper")] == ["0.66", "0.28", "1.56"]


def test_p_from_interval_by_hand_and_against_the_altman_bland_approximation():
    # Shang 2022, day 28: RR 1.06 (0.89 to 1.26). By hand: SE = (ln 1.26 - ln 0.89) / (2 x 1.96)
    # = 0.347646 / 3.919928 = 0.088687; z = ln 1.06 / SE = 0.058269 / 0.088687 = 0.65702;
    # P = 2 (1 - Phi(0.65702)) = 0.5112; the paper prints 0.51.
    p = p_from_interval(1.06, 0.89, 1.26)
    assert p == pytest.approx(0.5112, abs=2e-4)
    z = math.log(1.06) / se_from_interval(0.89, 1.26)
    # Their closed form is an approximation: off by about 0.01 near z = 0.66, far less in the tail.
    assert p_altman_bland(z) == pytest.approx(p, abs=0.015)
    for z in (1.96, 3.0, 4.0):
        assert p_altman_bland(z) == pytest.approx(math.erfc(z / math.sqrt(2)), abs=0.003)


def test_interval_from_p_matches_the_altman_bland_ratio_example():
    # BMJ 2011;343:d2090, ratio example: RR 0.30, P = 0.034 gives a 95% CI of about 0.1 to 0.9.
    low, high = interval_from_p(0.30, 0.034)
    assert (printed(low, 1), printed(high, 1)) == ("0.1", "0.9")
    assert p_from_interval(0.30, low, high) == pytest.approx(0.034, rel=1e-9)  # and back


def test_value_range_finds_the_extremes_over_the_rounding_box():
    # 42/138 prints 0.30, but 42 and 138 are rounded: the ratio ranges over [41.5/138.5, 42.5/137.5].
    low, high = value_range(lambda t, c: t / c, [(41.5, 42.5), (137.5, 138.5)])
    assert (low, high) == (41.5 / 138.5, 42.5 / 137.5)


def test_judge_tells_rounding_from_contradiction():
    # E23 ventilation or death: 42 / 138 = 0.3043 prints 0.30 against the printed 0.31, yet an
    # input rounding to 42 over one rounding to 138 can give 0.3091, which prints 0.31.
    near = judge("0.31", 42 / 138, value_range(lambda t, c: t / c, [(41.5, 42.5), (137.5, 138.5)]))
    assert (near["verdict"], near["within_input_rounding"], near["consistent"]) == ("mismatch", True, True)
    far = judge("1.50", 200 / 100, value_range(lambda t, c: t / c, [(199.5, 200.5), (99.5, 100.5)]))
    assert (far["verdict"], far["within_input_rounding"], far["consistent"]) == ("mismatch", False, False)
    assert judge("< 0.0001", 0.00002)["verdict"] == "match"
    assert judge("< 0.0001", 0.002)["consistent"] is False


# --- the checks of the register -----------------------------------------------------------


def test_every_printed_value_of_the_register_is_consistent(checked):
    s = checked["summary"]
    assert s["checks"] >= 30
    assert s["inconsistent"] == [] and s["consistent"] == s["checks"]
    assert s["without_point_value"] == ["p21_mortality", "p21_invasive_ventilation"]
    check_contract(checked, "later_evidence_register.schema.yaml")


def test_relative_effect_is_recomputed_from_absolute_risks(checked):
    e23 = next(e for e in checked["estimates"] if e["id"] == "e23_mortality_day28")
    by_name = {c["check"]: c for c in e23["checks"]}
    # 223 / 232 = 0.9612 prints 0.96; 148 / 232 = 0.6379 prints 0.64; 336 / 232 = 1.4483 prints 1.45.
    assert [by_name[f"relative_from_absolute_{k}"]["recomputed_printed"] for k in ("value", "lower", "upper")] == [
        "0.96",
        "0.64",
        "1.45",
    ]


def test_a_mistyped_p_is_reported(register):
    broken = copy.deepcopy(register)
    entry = next(e for e in broken["estimates"] if e["id"] == "s22_mortality_day28")
    entry["p_value"] = "0.05"
    bad = register_checks(broken)["summary"]["inconsistent"]
    assert [(b["id"], b["check"], b["recomputed_printed"]) for b in bad] == [
        ("s22_mortality_day28", "p_from_interval", "0.51")
    ]


def test_an_estimate_printed_with_p_only_gets_an_implied_interval(checked):
    # SAVE-MORE HR 0.45, P = 0.045: z = 2.0047, SE = |ln 0.45| / z = 0.39832, 95% CI 0.206 to 0.982.
    implied = next(e for e in checked["estimates"] if e["id"] == "savemore_mortality_day28")["derived"][
        "implied_interval"
    ]
    assert (round(implied["ci_lower"], 3), round(implied["ci_upper"], 3)) == (0.206, 0.982)


def test_register_table_lists_every_estimate(checked):
    table = register_table(checked)
    assert "{#tbl-later-evidence" in table
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert len(rows) - 1 == len(checked["estimates"])  # rows after the header line
    assert "RR 1.06 (95% CI 0.89 to 1.26); P = 0.51" in table


# --- the comparison -----------------------------------------------------------------------


def test_comparison_by_hand_on_the_death_table(checked):
    # Early: 3/29 against 7/16, RR = 48/203 with its Katz interval. Later: Shang day 28, 1.06
    # (0.89 to 1.26). d = ln(48/203) - ln 1.06; SE(d) = sqrt(SE1^2 + SE2^2), SE2 from the interval.
    rr, low, high = katz(3, 29, 7, 16)
    result = comparison(checked, robust_with(rr, low, high), 0.05)
    row = next(r for r in result["comparisons"] if r["id"] == "s22_mortality_day28")
    se1 = math.sqrt(1 / 3 - 1 / 29 + 1 / 7 - 1 / 16)
    se2 = (math.log(1.26) - math.log(0.89)) / (2 * Z)
    d, se = math.log(48 / 203) - math.log(1.06), math.sqrt(se1**2 + se2**2)
    assert row["ratio"]["estimate"] == pytest.approx(math.exp(d))
    assert row["ratio"]["ci_lower"] == pytest.approx(math.exp(d - Z * se))
    assert row["ratio"]["p_value"] == pytest.approx(math.erfc(abs(d / se) / math.sqrt(2)))
    assert "e_value" not in row  # no E-value for a ratio of two risk ratios (issue R15)
    assert row["later_interval_excludes_early"] is True
    assert row["intervals_overlap"] is False  # early upper limit 0.79 below the later lower limit 0.89
    assert (row["time_point_days"], row["days_from_early"]) == (28, 7)
    check_contract(result, "later_evidence_comparison.schema.yaml")


def test_only_pooled_randomised_mortality_on_a_risk_scale_is_compared(checked):
    result = comparison(checked, robust_with(0.5, 0.2, 1.2), 0.05)
    assert {r["id"] for r in result["comparisons"]} == {
        "s22_mortality_day14",
        "s22_mortality_day28",
        "s22_mortality_day90",
        "e23_mortality_day28",
        "e23_mortality_discharge",
        "e23_mortality_day60",
    }
    assert [r["id"] for r in result["comparisons"] if r["role"] == "primary"] == ["e23_mortality_day28"]
    assert result["comparisons"][0]["role"] == "primary"


@pytest.mark.parametrize(
    "robust",
    [
        {},
        {
            "survival": {
                "risk": {
                    "risk_ratio": {
                        "estimate": None,
                        "ci_lower": 0.0,
                        "ci_upper": 0.4,
                        "reason": "no_events_either_arm",
                        "event": "died",
                    }
                }
            }
        },
        robust_with(0.0, 0.0, 0.5),
        robust_with(None, None, None),
    ],
)
def test_an_unusable_early_estimate_is_tolerated_with_a_reason(checked, robust):
    early = early_risk_ratio(robust)
    assert early["available"] is False and early["reason"]
    result = comparison(checked, robust, 0.05)
    check_contract(result, "later_evidence_comparison.schema.yaml")
    assert all(r["ratio"] is None and r["later_interval_excludes_early"] is None for r in result["comparisons"])
    sentences = later_evidence_metadata(checked, result)["later_evidence"]["sentences"]
    assert "cannot be compared" in sentences["early"] and sentences["sensitivity"] == ""


@pytest.mark.parametrize(
    "early, primary_excludes, by_report",
    [
        # this study's death table: outside every interval
        ((48 / 203, 0.0707, 0.7905), True, {"S22": 3, "E23": 2}),
        # no effect: inside every interval
        ((1.0, 0.5, 2.0), False, {"S22": 0, "E23": 0}),
        # harm: above the primary (0.64 to 1.45) and the three Shang intervals (upper limits 1.39, 1.26,
        # 1.39), inside the discharge (0.77 to 1.92) and day-60 (0.82 to 4.21) intervals
        ((1.5, 1.1, 2.0), True, {"S22": 3, "E23": 0}),
    ],
)
def test_primary_and_sensitivity_sentences_follow_the_numbers(checked, early, primary_excludes, by_report):
    """The primary comparison is judged alone; the sensitivity comparisons are counted by report
    (the time points of one report share its trials), never as independent comparisons."""
    result = comparison(checked, robust_with(*early), 0.05)
    check_contract(result, "later_evidence_comparison.schema.yaml")
    rows = result["comparisons"]
    flags = [not r["later"]["ci_lower"] <= early[0] <= r["later"]["ci_upper"] for r in rows]
    assert flags == [r["later_interval_excludes_early"] for r in rows]
    # Two intervals overlap unless one ends before the other starts.
    overlaps = [not (early[2] < r["later"]["ci_lower"] or r["later"]["ci_upper"] < early[1]) for r in rows]
    assert overlaps == [r["intervals_overlap"] for r in rows]
    s = result["summary"]
    assert s["primary_later_excludes_early"] is primary_excludes
    # Brute-force grouping of the rows by report, against the summary.
    grouped: dict[str, int] = {}
    for r, excluded in zip(rows, flags):
        if r["role"] == "sensitivity":
            grouped[r["source"]] = grouped.get(r["source"], 0) + excluded
    assert grouped == by_report == {g["source"]: g["later_excludes_early"] for g in s["sensitivity_by_report"]}
    assert s["sensitivity_estimates"] == len(rows) - 1 and s["sensitivity_reports"] == len(by_report)
    sentences = later_evidence_metadata(checked, result)["later_evidence"]["sentences"]
    primary = rows[0]
    verb = "excludes" if primary_excludes else "does not exclude"
    overlap = "overlaps" if primary["intervals_overlap"] else "does not overlap"
    assert f"Its interval {verb} the early point estimate and {overlap} the early interval" in sentences["primary"]
    assert printed(primary["ratio"]["estimate"], 2) in sentences["primary"]
    for g in s["sensitivity_by_report"]:
        n = len(g["estimates"])
        assert f"{g['study']} (" in sentences["sensitivity"]
        assert (
            f"excludes the early point estimate in {g['later_excludes_early']} of {n} and overlaps the early "
            f"interval in {g['intervals_overlap']} of {n}"
        ) in sentences["sensitivity"]
        grouped_overlaps = sum(
            o for r, o in zip(rows, overlaps) if r["source"] == g["source"] and r["role"] == "sensitivity"
        )
        assert g["intervals_overlap"] == grouped_overlaps
    assert " of 5 comparisons" not in sentences["sensitivity"]  # no count that treats time points as trials
    assert printed(early[0], 2) in sentences["early"]


def test_the_nearest_time_points_are_computed_and_said_truly(checked):
    # Issue R15: "day 28 (the time point nearest the early study's day 21)" was false, day 14 lying
    # as near. By hand: |28 - 21| = |14 - 21| = 7; day 60, day 90 and hospital discharge lie further
    # (or are no day); so the nearest are Shang's day 14 and day 28 and Eur J Med Res's day 28.
    result = comparison(checked, robust_with(48 / 203, 0.0707, 0.7905), 0.05)
    assert result["summary"]["nearest"] == {
        "days": 7,
        "ids": ["e23_mortality_day28", "s22_mortality_day14", "s22_mortality_day28"],
    }
    primary = later_evidence_metadata(checked, result)["later_evidence"]["sentences"]["primary"]
    assert (
        "Its time point, day 28, lies 7 days from the early study's day 21; day 14 and day 28 of Shang et al. 2022 "
        "lie as near." in primary
    )
    assert "post hoc" in primary and "nearest the early study's day 21 (day 28)" not in primary
    text = " ".join(later_evidence_metadata(checked, result)["later_evidence"]["sentences"].values())
    assert "E-value" not in text


def test_the_register_rule_must_select_the_named_primary(checked):
    # The rule, applied by hand: printed as a risk ratio leaves Shang's three and Eur J Med Res's day
    # 28; the most recent report (2023) leaves Eur J Med Res's day 28; the nearest day keeps it.
    other = copy.deepcopy(checked)
    other["primary_comparison"]["estimate"] = "s22_mortality_day28"
    with pytest.raises(InputError, match=r"selects \['e23_mortality_day28'\], not 's22_mortality_day28'"):
        comparison(other, robust_with(0.5, 0.2, 1.2), 0.05)
    loose = copy.deepcopy(checked)
    loose["primary_comparison"]["rule"] = ["nearest_time_point"]  # three estimates lie 7 days away
    with pytest.raises(InputError, match="selects .*s22_mortality_day14.*e23_mortality_day28.*, not"):
        comparison(loose, robust_with(0.5, 0.2, 1.2), 0.05)


def test_the_primary_comparison_must_name_a_comparable_estimate(register, tmp_path):
    broken = copy.deepcopy(register)
    broken["primary_comparison"]["estimate"] = "r21_mortality"  # pooled non-randomised odds ratio
    with pytest.raises(InputError, match="primary_comparison/estimate: 'r21_mortality' is not a pooled randomised"):
        comparison(register_checks(broken), robust_with(0.5, 0.2, 1.2), 0.05)
    document = yaml.safe_load(REGISTER.read_text(encoding="utf-8"))
    document["primary_comparison"]["estimate"] = "nowhere"
    path = tmp_path / "later_evidence.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="primary_comparison/estimate: 'nowhere' is not the id of an estimate"):
        load_register(path, SCHEMA)


def test_every_report_says_whether_it_could_include_this_study(register):
    """Randomised trials and pooled analyses of randomised trials cannot include this non-randomised
    study; a pooled non-randomised analysis may, and its reason says why."""
    reports = list(register["sources"].items()) + [(w["study"], w) for w in register["without_estimate"]]
    designs = {}
    for e in register["estimates"]:
        designs.setdefault(e["source"], e["design"])
    for key, report in reports:
        answer = report["includes_this_study"]["answer"]
        design = designs.get(key)
        if design in ("single_rct", "pooled_rcts"):
            assert answer == "no", key
        if design == "pooled_observational":
            assert answer in ("yes", "possibly"), key
    names = later_evidence_metadata(
        register_checks(register), comparison(register_checks(register), robust_with(0.5, 0.2, 1.2), 0.05)
    )
    sentence = names["later_evidence"]["inclusion_sentence"]
    for _key, report in reports:
        if report["includes_this_study"]["answer"] != "no":
            assert report["includes_this_study"]["reason"] in sentence


def test_search_strategy_and_unreadable_reports_are_said_once(checked):
    metadata = later_evidence_metadata(checked, comparison(checked, robust_with(0.5, 0.2, 1.2), 0.05))
    le = metadata["later_evidence"]
    strategy = checked["search_strategy"]
    assert le["search_sentence"].startswith("Not a systematic search. " + strategy["identified"])
    for field in ("sources_read", "registered", "completed", "terms"):
        assert strategy[field] in le["search_sentence"], field
    assert "No bibliographic database was searched." in le["search_sentence"]
    for x in strategy["excluded"]:
        assert f"{x['what']} ({x['why']})" in le["search_sentence"]
    # A literature search, never the project's own files or tools (issue R15).
    text = " ".join(str(v) for v in le.values() if isinstance(v, str)) + " ".join(le["sentences"].values())
    for word in ("LATER_EVIDENCE", "facts file", "search tool", "stored", "project's", "corpus"):
        assert word not in text, word
    for w in checked["without_estimate"]:
        text = " ".join(str(v) for v in le.values() if isinstance(v, str))
        assert text.count(w["reason"]) == 1, w["study"]


# --- figure and manuscript ----------------------------------------------------------------


def test_forest_figure_is_legible_at_print_size(checked):
    result = comparison(checked, robust_with(48 / 203, 0.0707, 0.7905), 0.05)
    rows = [r for r in forest_rows(checked, result) if "label" in r]
    assert len(rows) == 1 + sum(e["measure"] != "RD" for e in checked["estimates"])
    fig = later_evidence_figure(checked, result)
    fig.canvas.draw()
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    assert box.width <= 4.8, f"figure is {box.width:.2f} in wide: too wide for a phone to show 11 pt at 11 px"
    ax = fig.axes[0]
    texts = list(ax.texts) + ax.get_yticklabels() + ax.get_xticklabels() + [ax.xaxis.label] + fig.legends[0].get_texts()
    assert min(t.get_fontsize() for t in texts if t.get_text()) >= FONT_PT >= 9
    plt.close(fig)


def test_section_reads_every_number_through_meta(checked):
    """The report's section and the supplement's register of later evidence read every number
    through metadata; the report shows the figure, the supplement the register's table."""
    section = SECTION.read_text(encoding="utf-8")
    assert section.startswith("# What came after {#sec-later}\n")
    supplement = (ROOT / "manuscript/supplement.qmd").read_text(encoding="utf-8")
    register = supplement[supplement.index("{#sec-register}") : supplement.index("{#sec-certificate}")]
    text = section + register
    assert hand_typed_numbers(text) == []
    assert "{{< include _generated/tables/later_evidence.md >}}" in register
    assert "{{< include _generated/figures/later_evidence.md >}}" in section  # caption: workflow/outputs.yaml
    caption = next(o.caption for o in load_outputs() if o.kind == "figure" and o.name == "later_evidence")
    index = (ROOT / "manuscript/index.qmd").read_text(encoding="utf-8")
    assert index.index("{{< include what_came_after.qmd >}}") > index.index("{#sec-robust}")
    metadata = later_evidence_metadata(checked, comparison(checked, robust_with(0.5, 0.2, 1.2), 0.05))
    for key in re.findall(r"\{\{<\s*meta\s+(later_evidence\.[\w.]+)\s*>\}\}", text + caption):
        node = metadata
        for part in key.split("."):
            assert part in node, f"{key} is not written by later_evidence_metadata"
            node = node[part]
    bib = (ROOT / "manuscript/references.bib").read_text(encoding="utf-8")
    for key in set(re.findall(r"@([a-z][\w]*)", text)) - {"sec", "tbl", "fig"}:
        assert re.search(rf"@\w+\{{{key},", bib), f"@{key} is not in references.bib"
    # Facts about the register's contents are generated, never typed: no study name appears in the
    # section's own prose (names reach the text only through {{< meta >}}).
    register = load_register(REGISTER, SCHEMA)
    names = {e["study"] for e in register["estimates"]} | {w["study"] for w in register["without_estimate"]}
    for name in names | {n.split(" (")[0] for n in names}:
        assert name not in text + caption, f"{name!r} is typed in {SECTION.name} or its figure's caption; generate it"
