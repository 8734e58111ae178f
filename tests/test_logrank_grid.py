"""The vectorised log-rank used by the reconstruction agrees with lifelines."""
import numpy as np
import pytest
from lifelines.statistics import logrank_test

from anakinra_replication.logrank_grid import chi2_p_value, days_to_counts, logrank_chi2

HORIZON = 21


def test_hand_example():
    # Same five patients as in test_survival: chi2 = 49/641 (horizon 4).
    chi2 = logrank_chi2(days_to_counts(np.array([[1, 3]]), 4), days_to_counts(np.array([[2]]), 4), 3, 2)
    assert chi2[0] == pytest.approx(49 / 641, rel=1e-12)


def test_agrees_with_lifelines_on_random_layouts():
    rng = np.random.default_rng(20200512)
    for _ in range(300):
        n_a, n_b = rng.integers(5, 30, size=2)
        m_a, m_b = rng.integers(1, n_a), rng.integers(1, n_b)
        a, b = rng.integers(1, HORIZON + 1, size=m_a), rng.integers(1, HORIZON + 1, size=m_b)
        chi2 = logrank_chi2(days_to_counts(a[None], HORIZON), days_to_counts(b[None], HORIZON), n_a, n_b)[0]
        ref = logrank_test(np.r_[a, [HORIZON] * (n_a - m_a)], np.r_[b, [HORIZON] * (n_b - m_b)],
                           np.r_[[1] * m_a, [0] * (n_a - m_a)], np.r_[[1] * m_b, [0] * (n_b - m_b)])
        assert chi2 == pytest.approx(ref.test_statistic, rel=1e-10, abs=1e-12)
        assert chi2_p_value(chi2) == pytest.approx(ref.p_value, rel=1e-9, abs=1e-14)
