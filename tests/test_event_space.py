"""The enumeration engine: per-layout agreement with lifelines, chunk independence, counts."""

import math
from fractions import Fraction
from itertools import combinations_with_replacement

import numpy as np
import pytest
from lifelines.statistics import logrank_test
from scipy.stats import chi2 as chi2_distribution

from anakinra_replication.event_space import (
    chi2_bounds,
    days_to_counts,
    enumerate_chunk,
    merge_chunks,
    partial_sums,
    rmst_constant,
    rmst_sums,
    space_size,
    weak_compositions,
)
from anakinra_replication.jsonio import check_contract
from anakinra_replication.layout_kernels import logrank_terms, restricted_mean_difference
from anakinra_replication.rounding import printed, printing_interval

N, M, H, SPLIT = (29, 16), (3, 7), 21, 11


def lifelines_chi2(days_a, days_b, n=N, horizon=H):
    """Reference: lifelines' log-rank on patient rows, survivors censored at the horizon."""
    ta = list(days_a) + [horizon] * (n[0] - len(days_a))
    tb = list(days_b) + [horizon] * (n[1] - len(days_b))
    ea = [1] * len(days_a) + [0] * (n[0] - len(days_a))
    eb = [1] * len(days_b) + [0] * (n[1] - len(days_b))
    return logrank_test(ta, tb, ea, eb).test_statistic


def test_space_size_by_hand():
    # C(21 + 3 - 1, 3) = C(23, 3) = 1771; C(27, 7) = 888030.
    assert space_size(3, 7, 21) == 1771 * 888030 == 1_572_701_130
    assert len(weak_compositions(3, 21)) == 1771
    assert (weak_compositions(2, 3).sum(axis=1) == 2).all() and len(weak_compositions(2, 3)) == 6


def test_printing_interval():
    assert printing_interval("0.009") == (0.0085, 0.0095)
    assert printing_interval("0.15") == (0.145, 0.155)
    low, high = chi2_bounds("0.009")
    p = lambda chi2: float(chi2_distribution.sf(chi2, 1))  # noqa: E731
    assert printed(p(low + 1e-9), 3) == "0.009"
    assert printed(p(high), 3) == "0.009"
    assert printed(p(high + 1e-6), 3) == "0.008"


def test_hand_example():
    # Same five patients as in test_survival: A events on days 1 and 3 (n = 3), B on day 2
    # (n = 2), horizon 4: chi2 = 49/641.
    a, b = days_to_counts(np.array([1, 3]), 4), days_to_counts(np.array([2]), 4)
    x, v, _ = logrank_terms(a, b, 3, 2)
    assert x * x / v == pytest.approx(49 / 641, rel=1e-12)
    x1, v1, _ = partial_sums(a[None, :2], b[None, :2], 3, 2)
    x2, v2, _ = partial_sums(a[None, 2:], b[None, 2:], 2, 1)
    assert (x1[0] + x2[0]) ** 2 / (v1[0] + v2[0]) == pytest.approx(49 / 641, rel=1e-12)


def test_per_layout_terms_agree_with_lifelines_for_other_sizes():
    rng = np.random.default_rng(20200512)
    for _ in range(100):
        n = (int(rng.integers(5, 30)), int(rng.integers(5, 30)))
        m = (int(rng.integers(1, n[0])), int(rng.integers(1, n[1])))
        days_a, days_b = rng.integers(1, H + 1, m[0]), rng.integers(1, H + 1, m[1])
        x, v, _ = logrank_terms(days_to_counts(days_a, H), days_to_counts(days_b, H), *n)
        assert x * x / v == pytest.approx(lifelines_chi2(days_a, days_b, n), rel=1e-10)


def test_engine_agrees_with_lifelines_on_100_random_layouts():
    """Prefix and suffix partial sums, added, give lifelines' chi-square to 1e-10; so does the
    Monte Carlo's per-layout function. (Each layout is an independent check of the same
    arithmetic; 100 of them, with ties and empty days, leave no room for a systematic error.)"""
    rng = np.random.default_rng(1)
    for _ in range(100):
        days_a = np.sort(rng.integers(1, H + 1, M[0]))
        days_b = np.sort(rng.integers(1, H + 1, M[1]))
        ca, cb = days_to_counts(days_a, H), days_to_counts(days_b, H)
        i, j = int(ca[:SPLIT].sum()), int(cb[:SPLIT].sum())
        x1, v1, _ = partial_sums(ca[None, :SPLIT], cb[None, :SPLIT], N[0], N[1])
        x2, v2, _ = partial_sums(ca[None, SPLIT:], cb[None, SPLIT:], N[0] - i, N[1] - j)
        reference = lifelines_chi2(days_a, days_b)
        assert (x1[0] + x2[0]) ** 2 / (v1[0] + v2[0]) == pytest.approx(reference, rel=1e-10)
        x, v, _ = logrank_terms(ca, cb, N[0], N[1])
        assert x * x / v == pytest.approx(reference, rel=1e-10)


def small_space(chunks):
    n, m, horizon, split, reported = (8, 6), (2, 3), 6, 3, "0.3"
    parts = [enumerate_chunk(n, m, horizon, split, reported, k, chunks, 0.01, 3000) for k in range(chunks)]
    return merge_chunks(parts, m, horizon, reported, 0.01)


def test_result_does_not_depend_on_the_number_of_chunks():
    assert small_space(1) == small_space(3) == small_space(4)


def test_chunks_and_gather_keep_their_contracts():
    n, m, horizon, split, reported = (8, 6), (2, 3), 6, 3, "0.3"
    parts = [enumerate_chunk(n, m, horizon, split, reported, k, 2, 0.01, 3000) for k in range(2)]
    for part in parts:
        check_contract(part, "death_day_chunk.schema.yaml")
    check_contract(merge_chunks(parts, m, horizon, reported, 0.01), "death_days.schema.yaml")
    with pytest.raises(ValueError, match="death_days.schema.yaml, at logrank: 'chi2_max' is a required"):
        broken = merge_chunks(parts, m, horizon, reported, 0.01)
        del broken["logrank"]["chi2_max"]
        check_contract(broken, "death_days.schema.yaml")


def test_small_space_against_brute_force():
    """Every layout of the small space, one by one with the (lifelines-checked) per-layout terms."""
    result = small_space(2)
    n, m, horizon = (8, 6), (2, 3), 6
    layouts = [
        (a, b)
        for a in combinations_with_replacement(range(1, horizon + 1), m[0])
        for b in combinations_with_replacement(range(1, horizon + 1), m[1])
    ]
    terms = [
        logrank_terms(days_to_counts(np.array(a), horizon), days_to_counts(np.array(b), horizon), *n)
        for a, b in layouts
    ]
    p = chi2_distribution.sf(np.array([x * x / v for x, v, _ in terms]), 1)
    assert result["layouts"] == len(layouts) == math.comb(7, 2) * math.comb(8, 3)
    assert result["logrank"]["printing_as_reported"] == sum(printed(x, 1) == "0.3" for x in p) > 0
    assert result["logrank"]["p_min"] == pytest.approx(p.min(), rel=1e-9)
    assert result["logrank"]["p_max"] == pytest.approx(p.max(), rel=1e-9)
    assert sum(result["histogram"]["counts"]) == len(layouts)


# The effect measures over the layouts whose P prints as reported: a small space in which those
# layouts have RMST differences of both signs and zero, and hazard ratios on both sides of 1.
EFFECT_SPACE = dict(n=(7, 6), m=(3, 3), horizon=4, split=2, reported="0.8")


def patient_rows(days_a, days_b, n, horizon):
    """Times, events and arm (1 = a) per patient, survivors censored at the horizon."""
    times = list(days_a) + [horizon] * (n[0] - len(days_a)) + list(days_b) + [horizon] * (n[1] - len(days_b))
    events = [1] * len(days_a) + [0] * (n[0] - len(days_a)) + [1] * len(days_b) + [0] * (n[1] - len(days_b))
    return np.array(times, float), np.array(events), np.r_[[1.0] * n[0], [0.0] * n[1]]


def brute_force_effects(n, m, horizon, reported):
    """Every layout one by one, from the definitions, with lifelines and statsmodels only: the
    log-rank P (lifelines' logrank_test), the Cox score P (statsmodels' Breslow partial likelihood:
    score^2 / information at beta = 0), and for each layout printing as reported the RMST
    difference (lifelines' Kaplan-Meier, restricted_mean_survival_time) and the fitted log HR."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import restricted_mean_survival_time
    from statsmodels.duration.hazard_regression import PHReg

    digits = len(reported.split(".")[1])
    found = {"logrank": [], "cox_score": []}
    for a in combinations_with_replacement(range(1, horizon + 1), m[0]):
        for b in combinations_with_replacement(range(1, horizon + 1), m[1]):
            times, events, arm = patient_rows(a, b, n, horizon)
            lr_p = logrank_test(times[arm == 1], times[arm == 0], events[arm == 1], events[arm == 0]).p_value
            model = PHReg(times, arm[:, None], status=events, ties="breslow")
            score, info = model.score(np.zeros(1))[0], -model.hessian(np.zeros(1))[0, 0]
            cs_p = chi2_distribution.sf(score * score / info, 1)
            hits = [test for test, p in (("logrank", lr_p), ("cox_score", cs_p)) if printed(p, digits) == reported]
            if not hits:
                continue
            rmst = [
                restricted_mean_survival_time(KaplanMeierFitter().fit(times[arm == k], events[arm == k]), t=horizon)
                for k in (1, 0)
            ]
            log_hr = model.fit().params[0]
            for test in hits:
                found[test].append((rmst[0] - rmst[1], log_hr))
    return found


def test_effects_over_printing_layouts_against_brute_force():
    """Exact range of the RMST difference, its layouts below and at zero, and the layouts whose
    fitted hazard ratio is not below 1, among the layouts whose P prints as reported, for each
    test: the enumeration (in three chunks) against every layout scored one by one."""
    s = EFFECT_SPACE
    result = merge_chunks(
        [enumerate_chunk(s["n"], s["m"], s["horizon"], s["split"], s["reported"], k, 3, 0.01, 3000) for k in range(3)],
        s["m"],
        s["horizon"],
        s["reported"],
        0.01,
    )
    reference = brute_force_effects(s["n"], s["m"], s["horizon"], s["reported"])
    for test, rows in reference.items():
        effects = result[test]["effects"]
        rmst = np.array([r for r, _ in rows])
        log_hr = np.array([h for _, h in rows])
        assert effects["layouts"] == result[test]["printing_as_reported"] == len(rows) > 0, test
        assert effects["rmst_difference_min"] == pytest.approx(rmst.min(), abs=1e-12), test
        assert effects["rmst_difference_max"] == pytest.approx(rmst.max(), abs=1e-12), test
        assert effects["rmst_below_zero"] == int((rmst < -1e-9).sum()) > 0, test
        assert effects["rmst_zero"] == int((abs(rmst) <= 1e-9).sum()) > 0, test
        assert effects["hr_not_below_one"] == int((log_hr >= 0).sum()) > 0, test
        assert int((log_hr < 0).sum()) > 0, test  # both sides of 1 occur: the count is a real test
        assert effects["share_rmst_below_zero"] == effects["rmst_below_zero"] / len(rows)
        assert effects["share_hr_below_one"] == 1 - effects["hr_not_below_one"] / len(rows)
        assert float(Fraction(effects["rmst_difference_min_fraction"])) == effects["rmst_difference_min"]


def test_the_audited_layout_prints_as_reported_with_a_negative_rmst_difference():
    """The audit's layout (deaths on days 1, 21, 21 with anakinra; 19, 20, 20, 20, 21, 21, 21
    with standard treatment): lifelines' log-rank P prints as 0.009 and the RMST difference,
    from lifelines' Kaplan-Meier curves, is -0.377 days; the enumeration's kernel agrees."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import restricted_mean_survival_time

    days_a, days_b = [1, 21, 21], [19, 20, 20, 20, 21, 21, 21]
    times, events, arm = patient_rows(days_a, days_b, N, H)
    p = logrank_test(times[arm == 1], times[arm == 0], events[arm == 1], events[arm == 0]).p_value
    rmst = [
        restricted_mean_survival_time(KaplanMeierFitter().fit(times[arm == k], events[arm == k]), t=H) for k in (1, 0)
    ]
    assert printed(p, 3) == "0.009"
    assert printed(rmst[0] - rmst[1], 3) == "-0.377"
    counts = days_to_counts(np.array(days_a), H), days_to_counts(np.array(days_b), H)
    assert restricted_mean_difference(*counts, *N) == pytest.approx(rmst[0] - rmst[1], abs=1e-12)
    scaled = rmst_sums(counts[0][None], counts[1][None], 1, *N, rmst_constant(N, M, H))[0]
    assert scaled / (N[0] * N[1]) == pytest.approx(rmst[0] - rmst[1], abs=1e-12)


@pytest.mark.e2e
def test_the_production_range_includes_the_audited_layout(published_run):
    """Over all 1,572,701,130 layouts (the end-to-end run's enumeration): the layouts whose P
    prints as 0.009 reach an RMST difference at or below the audit's -0.377 days, a few of
    them lie below zero, and every one has its hazard ratio below 1."""
    import json

    ident = json.loads((published_run / "results/published/identifiability.json").read_text(encoding="utf-8"))
    effects = ident["death_days"]["logrank"]["effects"]
    audited = Fraction(589, 29) - Fraction(331, 16)  # (43 + 26 * 21) / 29 - (142 + 9 * 21) / 16
    assert printed(float(audited), 3) == "-0.377"
    assert (
        Fraction(effects["rmst_difference_min_fraction"]) <= audited < Fraction(effects["rmst_difference_max_fraction"])
    )
    assert 0 < effects["rmst_below_zero"] < effects["layouts"] == ident["death_days"]["logrank"]["printing_as_reported"]
    assert effects["hr_not_below_one"] == 0


def test_p_histogram_edges_are_chi_square_tail_probabilities():
    # P of a 1-df chi-square x is erfc(sqrt(x / 2)) (the two-sided normal tail of sqrt(x)).
    from anakinra_replication.identifiability import p_histogram

    counts = [0, 0, 3, 0, 1, 4, 0]
    histogram = p_histogram(counts, 0.5)
    assert histogram["share"] == [3 / 8, 0, 1 / 8, 4 / 8]
    expected = [math.erfc(math.sqrt(k * 0.5 / 2)) for k in range(2, 7)]
    assert histogram["p_edges"] == pytest.approx(expected, rel=1e-12)
