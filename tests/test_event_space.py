"""The enumeration engine: per-layout agreement with lifelines, chunk independence, counts."""

import math
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
    space_size,
    weak_compositions,
)
from anakinra_replication.jsonio import check_contract
from anakinra_replication.layout_kernels import logrank_terms
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
