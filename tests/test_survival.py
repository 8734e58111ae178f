"""Kaplan-Meier and log-rank against values this code did not produce.

Reference 1: R's survival package, data set ``aml`` (Embury et al.; acute myelogenous
leukaemia, maintenance chemotherapy or not). Its documented output, typed in here:

    > summary(survfit(Surv(time, status) ~ x, data = aml))     # x = Maintained
     time n.risk n.event survival
        9     11       1    0.909
       13     10       1    0.818
       18      8       1    0.716
       23      7       1    0.614
       31      5       1    0.491
       34      4       1    0.368
       48      2       1    0.184
    > survdiff(Surv(time, status) ~ x, data = aml)
                     N Observed Expected (O-E)^2/E (O-E)^2/V
    x=Maintained    11        7    10.69      1.27       3.4
    x=Nonmaintained 12       11     7.31      1.86       3.4
     Chisq= 3.4  on 1 degrees of freedom, p= 0.07

Reference 2: hand calculations on small examples (in the tests' comments).
Reference 3: R's behaviour on edge cases (no event, every patient an event, follow-up ending
before the horizon), run with survival 3.x and typed in beside each test.
Reference 4: the product-limit and log-rank formulas written out from their definitions,
on 20,000 patients.
"""

import math

import pandas as pd
import pytest

import cohorts
from anakinra_replication.statistic_words import reason_words
from anakinra_replication.survival import endpoint_times, kaplan_meier, logrank, logrank_variance, survival_numbers

# (time, status) of aml; status 0 = censored.
AML_MAINTAINED = [(9, 1), (13, 1), (13, 0), (18, 1), (23, 1), (28, 0), (31, 1), (34, 1), (45, 0), (48, 1), (161, 0)]
AML_NONMAINTAINED = [
    (5, 1),
    (5, 1),
    (8, 1),
    (8, 1),
    (12, 1),
    (16, 0),
    (23, 1),
    (27, 1),
    (30, 1),
    (33, 1),
    (43, 1),
    (45, 1),
]


def times(groups: dict[str, list[tuple[int, int]]]) -> pd.DataFrame:
    return pd.DataFrame([{"arm": arm, "day": t, "event": e} for arm, rows in groups.items() for t, e in rows])


def test_kaplan_meier_matches_r_survfit_on_aml():
    km = kaplan_meier(times({"m": AML_MAINTAINED}), horizon_days=200, alpha=0.05)
    events = [p for p in km["curve"] if p["events"]]
    assert [p["day"] for p in events] == [9, 13, 18, 23, 31, 34, 48]
    assert [p["at_risk"] for p in events] == [11, 10, 8, 7, 5, 4, 2]
    assert [round(p["survival"], 3) for p in events] == [0.909, 0.818, 0.716, 0.614, 0.491, 0.368, 0.184]


def test_logrank_matches_r_survdiff_on_aml():
    result = logrank(times({"m": AML_MAINTAINED, "n": AML_NONMAINTAINED}), ["m", "n"])
    assert round(result["chi2"], 1) == 3.4
    assert round(result["p_value"], 2) == 0.07


def test_kaplan_meier_log_log_interval_by_hand():
    # First step of aml/Maintained: S = 10/11; Greenwood var(log S) = 1 / (11 * 10).
    # log(-log) interval: S ** exp(+-z * sqrt(var) / |log S|), z = 1.959964.
    # By hand: sqrt(1/110) / 0.0953102 = 1.000380; z * that = 1.960709;
    # lower = 0.909091 ** exp(1.960709) = 0.5081, upper = 0.909091 ** exp(-1.960709) = 0.9867.
    km = kaplan_meier(times({"m": AML_MAINTAINED}), horizon_days=9, alpha=0.05)
    assert km["survival"] == pytest.approx(10 / 11)
    assert km["ci_lower"] == pytest.approx(0.5081, abs=5e-5)
    assert km["ci_upper"] == pytest.approx(0.9867, abs=5e-5)


def test_logrank_by_hand_on_five_patients():
    # A: events on days 1 and 3, one censored on day 4; B: event on day 2, one censored on 4.
    # day 1: 5 at risk (3 A), E_A = 3/5, V = 1*3*2*4/(25*4) = 6/25
    # day 2: 4 at risk (2 A), E_A = 1/2, V = 1*2*2*3/(16*3) = 1/4
    # day 3: 3 at risk (2 A), E_A = 2/3, V = 1*2*1*2/(9*2) = 2/9
    # O - E = 2 - 53/30 = 7/30; V = 641/900; chi2 = (49/900) / (641/900) = 49/641.
    result = logrank(times({"A": [(1, 1), (3, 1), (4, 0)], "B": [(2, 1), (4, 0)]}), ["A", "B"])
    assert result["chi2"] == pytest.approx(49 / 641, rel=1e-12)
    assert result["p_value"] == pytest.approx(math.erfc(math.sqrt(49 / 641 / 2)), rel=1e-12)


def test_ventilation_free_endpoint_takes_the_first_event():
    cohort = pd.DataFrame(
        {
            "arm": ["a", "a", "a"],
            "died": [1, 0, 0],
            "death_day": pd.array([9, None, None], dtype="Int64"),
            "mech_vent": [0, 1, 0],
            "mech_vent_day": pd.array([None, 4, None], dtype="Int64"),
            "followup_days": [9, 21, 15],
        }
    )
    vf = endpoint_times(cohort, "vent_free_survival")
    assert vf["day"].tolist() == [9, 4, 15] and vf["event"].tolist() == [1, 1, 0]
    os_ = endpoint_times(cohort, "survival")
    assert os_["day"].tolist() == [9, 21, 15] and os_["event"].tolist() == [1, 0, 0]


# --- edge cohorts: a value that does not exist is None with a reason, never NaN ----------------


def test_logrank_with_events_in_one_arm_only_by_hand():
    # A: two patients followed to day 21 without event; B: events on days 5 and 10.
    # day 5: 4 at risk (2 A), E_A = 1/2, V = 1 * (2/4) * (2/4) * 3/3 = 1/4
    # day 10: 3 at risk (2 A), E_A = 2/3, V = 1 * (2/3) * (1/3) * 2/2 = 2/9
    # O - E = -7/6; V = 17/36; chi2 = (49/36) / (17/36) = 49/17.
    result = logrank(times({"A": [(21, 0), (21, 0)], "B": [(5, 1), (10, 1)]}), ["A", "B"])
    assert result["chi2"] == pytest.approx(49 / 17, rel=1e-12)
    assert result["p_value"] == pytest.approx(math.erfc(math.sqrt(49 / 17 / 2)), rel=1e-12)
    assert "reason" not in result


def test_logrank_without_events_is_not_estimable():
    # R: survdiff(Surv(t, e) ~ g) with e all 0 prints "Chisq= 0 on -1 degrees of freedom, p= NA".
    result = logrank(times({"A": [(21, 0), (21, 0)], "B": [(21, 0), (21, 0)]}), ["A", "B"])
    assert result == {"chi2": None, "p_value": None, "df": 1, "reason": "no_events"}
    assert reason_words(result) == "no events in either arm"


def test_logrank_with_zero_variance_is_not_estimable():
    # One patient per arm, both dying on day 5: n = d = 2, so V = 0; R's survdiff stops
    # ("system is exactly singular"); lifelines would return P = 1.
    result = logrank(times({"A": [(5, 1)], "B": [(5, 1)]}), ["A", "B"])
    assert result["p_value"] is None and result["reason"] == "zero_variance"
    assert reason_words(result).startswith("the test's variance is zero")
    assert logrank_variance(times({"A": [(5, 1)], "B": [(5, 1)]}), ["A", "B"]) == 0


def test_logrank_variance_by_hand():
    # The five-patient example above: V = 6/25 + 1/4 + 2/9 = 641/900.
    example = times({"A": [(1, 1), (3, 1), (4, 0)], "B": [(2, 1), (4, 0)]})
    assert logrank_variance(example, ["A", "B"]) == pytest.approx(641 / 900, rel=1e-12)


def test_logrank_with_an_empty_arm_is_not_estimable():
    result = logrank(times({"A": [(5, 1)]}), ["A", "B"])
    assert result["p_value"] is None and result["reason"] == "no_patients_in_arm" and result["arm"] == "B"
    assert reason_words(result) == "no patients in arm B"


def test_kaplan_meier_without_events_has_no_log_log_interval():
    # R: summary(survfit(Surv(c(21, 21, 21), c(0, 0, 0)) ~ 1, conf.type = "log-log"), times = 21)
    # gives surv 1, lower NA, upper NA.
    km = kaplan_meier(times({"a": [(21, 0)] * 3}), horizon_days=21, alpha=0.05)
    assert (km["survival"], km["percent"], km["ci_lower"], km["ci_upper"]) == (1.0, 100.0, None, None)
    assert km["ci_reason"] == "no_event_by_horizon" and "reason" not in km
    words = reason_words(km, "ci_reason")
    assert words == "the log(-log) interval is undefined when survival is 1 (no event by day 21)"


def test_kaplan_meier_when_everybody_has_the_event():
    # R: survfit on times 5, 6, 7, all events: at day 21 surv 0, lower NA, upper NA.
    km = kaplan_meier(times({"a": [(5, 1), (6, 1), (7, 1)]}), horizon_days=21, alpha=0.05)
    assert (km["survival"], km["ci_lower"], km["ci_upper"]) == (0.0, None, None)
    assert reason_words(km, "ci_reason") == (
        "the log(-log) interval is undefined when survival is 0 (every patient had the event by day 21)"
    )


def test_kaplan_meier_with_survivors_censored_before_the_horizon_matches_r():
    # R: summary(survfit(Surv(c(10, 12, 21, 8), c(0, 0, 0, 1)) ~ 1, conf.type = "log-log"), times = 21)
    #  time surv  lower  upper
    #    21 0.75 0.1279 0.9605
    km = kaplan_meier(times({"a": [(10, 0), (12, 0), (21, 0), (8, 1)]}), horizon_days=21, alpha=0.05)
    assert km["survival"] == pytest.approx(0.75, rel=1e-12)
    assert km["ci_lower"] == pytest.approx(0.1279469, abs=5e-7)
    assert km["ci_upper"] == pytest.approx(0.9605486, abs=5e-7)


def test_kaplan_meier_is_not_estimable_after_the_last_follow_up():
    # R: summary(survfit(Surv(c(10, 12, 4), c(0, 0, 1)) ~ 1), times = c(10, 21)) returns day 10
    # only (extend = FALSE): nothing is known of day 21.
    km = kaplan_meier(times({"a": [(10, 0), (12, 0), (4, 1)]}), horizon_days=21, alpha=0.05)
    assert (km["survival"], km["percent"], km["ci_lower"], km["ci_upper"]) == (None, None, None, None)
    assert km["reason"] == "followup_ends_before_horizon" and km["last_followup_day"] == 12
    assert reason_words(km) == "follow-up in this arm ends on day 12, before day 21"
    assert km["n"] == 3 and km["events"] == 1 and km["curve"]


def test_kaplan_meier_of_an_empty_arm():
    km = kaplan_meier(times({"a": []}).reindex(columns=["arm", "day", "event"]), horizon_days=21, alpha=0.05)
    assert km["survival"] is None and km["reason"] == "no_patients" and km["curve"] == []
    assert reason_words(km) == "no patients in this arm"


def brute_force_km(days: list[int], events: list[int], horizon: int) -> float:
    """Product-limit estimate from its definition: prod over event days t <= horizon of (1 - d_t / n_t)."""
    survival = 1.0
    for t in sorted({d for d, e in zip(days, events) if e and d <= horizon}):
        at_risk = sum(d >= t for d in days)
        died = sum(d == t and e for d, e in zip(days, events))
        survival *= 1 - died / at_risk
    return survival


def brute_force_logrank_chi2(rows: pd.DataFrame, arms: list[str]) -> float:
    """Log-rank chi-square from its definition: (sum of O - E)^2 / sum of V over event days, arm 1."""
    o_minus_e = variance = 0.0
    for t in sorted(rows.loc[rows["event"] == 1, "day"].unique()):
        risk = rows[rows["day"] >= t]
        n, n1 = len(risk), int((risk["arm"] == arms[0]).sum())
        d = int(((risk["day"] == t) & (risk["event"] == 1)).sum())
        d1 = int(((risk["day"] == t) & (risk["event"] == 1) & (risk["arm"] == arms[0])).sum())
        o_minus_e += d1 - d * n1 / n
        variance += d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1) if n > 1 else 0.0
    return o_minus_e**2 / variance


def test_twenty_thousand_patients_against_the_definitions():
    cohort = cohorts.frame(cohorts.twenty_thousand())
    numbers = survival_numbers(cohort, cohorts.ARMS, 21, 0.05)
    for endpoint in ("survival", "vent_free_survival"):
        rows = endpoint_times(cohort, endpoint)
        for arm in cohorts.ARMS:
            mine = rows[rows["arm"] == arm]
            expected = brute_force_km(mine["day"].tolist(), mine["event"].tolist(), 21)
            assert numbers[endpoint][arm]["survival"] == pytest.approx(expected, rel=1e-12)
            assert 0 < numbers[endpoint][arm]["ci_lower"] < expected < numbers[endpoint][arm]["ci_upper"] < 1
        assert numbers[endpoint]["both"]["chi2"] == pytest.approx(
            brute_force_logrank_chi2(rows, cohorts.ARMS), rel=1e-9
        )


def test_everybody_ventilated_gives_zero_ventilation_free_survival():
    numbers = survival_numbers(cohorts.frame(cohorts.everybody_ventilated()), cohorts.ARMS, 21, 0.05)
    for arm in cohorts.ARMS:
        assert numbers["vent_free_survival"][arm]["percent"] == 0.0
        assert numbers["vent_free_survival"][arm]["ci_lower"] is None
    assert numbers["vent_free_survival"]["both"]["p_value"] is not None


def test_no_events_cohort_has_no_logrank_for_either_endpoint():
    numbers = survival_numbers(cohorts.frame(cohorts.no_events()), cohorts.ARMS, 21, 0.05)
    for endpoint in ("survival", "vent_free_survival"):
        assert numbers[endpoint]["both"] == {
            "chi2": None,
            "p_value": None,
            "df": 1,
            "reason": "no_events",
        }
