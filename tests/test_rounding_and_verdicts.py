"""Printed values and verdicts, worked by hand."""

import pytest

from anakinra_replication.event_days import event_day_table
from anakinra_replication.rounding import printed, whole_counts_printing_as
from anakinra_replication.verify import evidence, summary, verdict


@pytest.mark.parametrize(
    "value, decimals, rule, expected",
    [
        (12.5, 0, "half_up", "13"),  # 2/16: the publication prints 13%
        (12.5, 0, "half_even", "12"),
        (12.5, 0, "truncate", "12"),
        (0.0086, 3, "half_up", "0.009"),
        (0.145, 2, "half_up", "0.15"),  # the decimal 0.145, not its binary neighbour
        (0.149, 2, "truncate", "0.14"),
        (43.75, 0, "half_up", "44"),
        (62.0, 0, "half_up", "62"),
    ],
)
def test_printed(value, decimals, rule, expected):
    assert printed(value, decimals, rule) == expected


def test_two_of_sixteen_is_a_match_at_13_percent():
    assert verdict("13%", 100 * 2 / 16) == ("match", "13")


def test_other_rounding_and_mismatch():
    assert verdict("12%", 12.5) == ("match_other_rounding", "13")  # only half-even gives 12
    assert verdict("0.14", 0.149) == ("match_other_rounding", "0.15")  # only truncation gives 0.14
    assert verdict("0.009", 0.0101) == ("mismatch", "0.010")
    assert verdict("29", 28) == ("mismatch", "28")
    assert verdict("anything", None) == ("not_checkable", "")


def test_whole_counts_printing_as():
    # 72% of 29 can only be 21 patients (20/29 = 69.0%, 22/29 = 75.9%); 50% of 16 only 8.
    assert whole_counts_printing_as(72, 0, 29) == [21]
    assert whole_counts_printing_as(50, 0, 16) == [8]
    # With a small denominator several counts can print the same: 33% of 100 is 33 only,
    # but 0% of 250 is 0 and 1 (0.4%).
    assert whole_counts_printing_as(0, 0, 250) == [0, 1]


def test_evidence_labels():
    assumptions = [{"imposes": ["a"]}, {"fits": ["b", "v"]}]
    a, c = {"id": "a", "outcome": "died"}, {"id": "c", "outcome": "died"}
    b, v = {"id": "b", "outcome": "survival"}, {"id": "v", "outcome": "vent_free_survival"}
    # Deaths on the even-spread days (3 of 29: 5, 11, 16), one ventilation moved by 2 days from 11.
    relations = {
        "anakinra": {"death_days": [5, 11, 16], "mech_vent_days": [9]},
        "standard": {"death_days": [], "mech_vent_days": []},
    }
    days = event_day_table(relations, ["anakinra", "standard"], 21)
    assert days["death"]["moved"] == 0 and days["mech_vent"]["arms"]["anakinra"]["moved"] == [2]
    assert evidence(a, True, assumptions, days) == "by_construction"
    assert evidence(b, True, assumptions, days) == "assumed_days"  # its days follow the rule unmoved
    assert evidence(v, True, assumptions, days) == "fitted"  # a ventilation day was moved
    assert evidence(c, True, assumptions, days) == "derived"
    assert evidence(a, True, None) == "derived"  # real data: nothing imposed
    assert evidence(a, False, assumptions) == "not_verifiable"
    assert evidence(a, False, None, checked=True) == "checked_by_reader"  # the reader checked it on every patient
    with pytest.raises(ValueError):
        evidence(b, True, assumptions)  # a fitted P's evidence needs the event days


def test_summary_counts_numeric_claims():
    rows = [
        {"claim_id": i, "verdict": v, "note": "", "evidence": e}
        for i, (v, e) in enumerate(
            [
                ("match", "derived"),
                ("match_other_rounding", "derived"),
                ("mismatch", "derived"),
                ("not_checkable", "not_verifiable"),
            ]
        )
    ]
    s = summary(rows)
    assert (s["numeric"], s["matching"], s["mismatched"]) == (3, 2, [2])
    assert (s["unchecked"], s["reader_checked"]) == (1, 0)


def test_a_statement_the_reader_checked_is_not_counted_as_not_checkable():
    from anakinra_replication.verify import READER_CHECKED, summary_line

    rows = [{"claim_id": "a", "verdict": "match", "note": "", "evidence": "derived"}] + [
        {"claim_id": f"s{k}", "verdict": "not_checkable", "note": note, "evidence": evidence}
        for k, (note, evidence) in enumerate(
            [("", "not_verifiable"), ("", "not_verifiable"), (READER_CHECKED["inclusion"], "checked_by_reader")]
        )
    ]
    s = summary(rows)
    assert (s["counts"]["not_checkable"], s["unchecked"], s["reader_checked"]) == (3, 2, 1)
    assert summary_line(s).endswith("; 2 statements not checkable, 1 checked by the reader on every patient.")


def test_a_missing_statistic_prints_as_the_given_word():
    from anakinra_replication.rounding import printed_or, printed_range_or

    assert printed_or(None, 1, "–") == "–"
    assert printed_or(0.5, 1, "–", 100, "%") == "50.0%"
    assert printed_range_or(0.0707, None, 2, "not estimable") == "not estimable"
    assert printed_range_or(0.0707, 0.7905, 2, "–") == "0.07 to 0.79"
