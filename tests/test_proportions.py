"""Wilson intervals against Newcombe (1998), Statistics in Medicine 17:857-872, Table I,
method 3 (score interval without continuity correction), and a hand-counted cohort."""

import pandas as pd
import pytest

from anakinra_replication.proportions import outcome_numbers, proportion
from anakinra_replication.statistic_words import reason_words


@pytest.mark.parametrize(
    "count, n, low, high",
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_table_1(count, n, low, high):
    p = proportion(count, n, alpha=0.05)
    assert round(p["ci_lower_percent"] / 100, 4) == low
    assert round(p["ci_upper_percent"] / 100, 4) == high


def test_outcome_numbers_count_by_arm():
    cohort = pd.DataFrame(
        {
            "arm": ["a", "a", "b", "b"],
            "age_years": [60, 64, 70, 50],
            "resp_improved": [1, 0, 1, 1],
            "mech_vent": [0, 1, 0, 0],
            "died": [0, 0, 1, 0],
            "bacteremia": [0, 0, 0, 1],
        }
    )
    numbers = outcome_numbers(cohort, ["a", "b"], alpha=0.05)
    assert numbers["enrolled"]["a"]["n"] == 2
    assert numbers["died"]["b"]["count"] == 1 and numbers["died"]["b"]["percent"] == 50.0
    assert numbers["age_years"]["all"]["mean"] == 61.0 and numbers["age_years"]["a"]["mean"] == 62.0


def test_all_events_mirror_no_events_and_reach_one_exactly():
    # Wilson is symmetric: 20/20 has the bounds of 0/20 reflected, 1 - 0.1611 = 0.8389, and 1 itself.
    p = proportion(20, 20, alpha=0.05)
    assert round(p["ci_lower_percent"] / 100, 4) == 0.8389 and p["ci_upper_percent"] == 100.0
    assert proportion(0, 20, alpha=0.05)["ci_lower_percent"] == 0.0


def test_one_patient_by_hand():
    # x = n = 1, z = 1.959964: lower = (1 + z^2/2 - z * sqrt(z^2/4)) / (1 + z^2) = 1 / (1 + z^2) = 0.20655.
    p = proportion(1, 1, alpha=0.05)
    assert p["ci_lower_percent"] == pytest.approx(100 / (1 + 1.959964**2), rel=1e-6) and p["ci_upper_percent"] == 100.0


def test_an_arm_without_patients_has_no_proportion():
    p = proportion(0, 0, alpha=0.05)
    assert (p["percent"], p["ci_lower_percent"], p["ci_upper_percent"]) == (None, None, None)
    assert p["reason"] == "no_patients" and reason_words(p) == "no patients in this arm"
    numbers = outcome_numbers(
        pd.DataFrame(
            {"arm": ["a"], "age_years": [60], "resp_improved": [1], "mech_vent": [0], "died": [0], "bacteremia": [0]}
        ),
        ["a", "b"],
        alpha=0.05,
    )
    assert numbers["age_years"]["b"] == {"mean": None, "n": 0, "patients": 0, "reason": "no_patients_in_group"}
    assert reason_words(numbers["age_years"]["b"]) == "no patients in this group"
    assert numbers["died"]["b"]["percent"] is None and numbers["age_years"]["all"]["mean"] == 60.0
