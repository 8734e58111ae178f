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

Reference 2: hand calculation on a five-patient example (in the test's comments).
"""
import math

import pandas as pd
import pytest

from anakinra_replication.survival import endpoint_times, kaplan_meier, logrank

# (time, status) of aml; status 0 = censored.
AML_MAINTAINED = [(9, 1), (13, 1), (13, 0), (18, 1), (23, 1), (28, 0), (31, 1), (34, 1), (45, 0), (48, 1), (161, 0)]
AML_NONMAINTAINED = [(5, 1), (5, 1), (8, 1), (8, 1), (12, 1), (16, 0), (23, 1), (27, 1), (30, 1), (33, 1), (43, 1), (45, 1)]


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
    cohort = pd.DataFrame({
        "arm": ["a", "a", "a"], "died": [1, 0, 0], "death_day": pd.array([9, None, None], dtype="Int64"),
        "mech_vent": [0, 1, 0], "mech_vent_day": pd.array([None, 4, None], dtype="Int64"),
        "followup_days": [9, 21, 15],
    })
    vf = endpoint_times(cohort, "vent_free_survival")
    assert vf["day"].tolist() == [9, 4, 15] and vf["event"].tolist() == [1, 1, 0]
    os_ = endpoint_times(cohort, "survival")
    assert os_["day"].tolist() == [9, 21, 15] and os_["event"].tolist() == [1, 0, 0]
