"""The Monte Carlo over joint layouts: uniform draws, Cox likelihood ratio, agreement with the
enumeration."""

import numpy as np
import pytest
from numba import njit
from scipy import stats

from anakinra_replication.event_space import enumerate_chunk, merge_chunks, p_value
from anakinra_replication.joint_space import draw_stream, merge_streams
from anakinra_replication.jsonio import SCHEMAS, check_contract, read_yaml
from anakinra_replication.layout_kernels import JointStatistic, JointTally, cox_lr_chi2, random_multiset


@njit(cache=True)
def _draw_many(seed, draws, m, horizon):
    np.random.seed(seed)
    out = np.zeros((draws, horizon), dtype=np.int64)
    chosen = np.zeros(m, dtype=np.int64)
    for k in range(draws):
        random_multiset(m, horizon, out[k], chosen)
    return out


def test_multisets_are_drawn_uniformly():
    # 2 days out of 3: the 6 multisets {11, 12, 13, 22, 23, 33}, each with probability 1/6.
    rows = _draw_many(7, 60000, 2, 3)
    assert (rows.sum(axis=1) == 2).all()
    _, counts = np.unique(rows, axis=0, return_counts=True)
    assert len(counts) == 6
    assert stats.chisquare(counts).pvalue > 0.001


def test_cox_likelihood_ratio_matches_statsmodels_breslow():
    from statsmodels.duration.hazard_regression import PHReg

    rng = np.random.default_rng(3)
    for _ in range(30):
        n = (int(rng.integers(8, 30)), int(rng.integers(8, 20)))
        days = [np.sort(rng.integers(1, 22, int(rng.integers(1, k // 2)))) for k in n]
        counts = [np.bincount(d - 1, minlength=21) for d in days]
        time = np.concatenate([np.r_[d, [21] * (k - len(d))] for d, k in zip(days, n)])
        status = np.concatenate([np.r_[[1] * len(d), [0] * (k - len(d))] for d, k in zip(days, n)])
        group = np.r_[[1.0] * n[0], [0.0] * n[1]]
        model = PHReg(time, group[:, None], status=status, ties="breslow")
        fit = model.fit()
        reference = 2 * (fit.llf - model.loglike(np.zeros(1)))
        assert cox_lr_chi2(counts[0], counts[1], n[0], n[1]) == pytest.approx(reference, rel=1e-8)


def test_acceptance_agrees_with_the_enumeration():
    # Small space: share of death layouts printing as "0.3" (419 of 1176), exactly and by
    # rejection sampling.
    n, deaths, horizon = (8, 6), (2, 3), 6
    exact = merge_chunks(
        [enumerate_chunk(n, deaths, horizon, 3, "0.3", 0, 1, 0.01, 3000)], deaths, horizon, "0.3", 0.01
    )
    drawn = draw_stream(11, 20000, 0, n, deaths, (1, 1), horizon, "0.3", "0.5", 0.01, 3000)
    share, tried = exact["logrank"]["fraction"], drawn["tried"]
    assert drawn["kept"] / tried == pytest.approx(share, abs=4 * np.sqrt(share * (1 - share) / tried))


def test_unattainable_p_stops_with_a_message():
    with pytest.raises(RuntimeError, match="give P printing as 0.05"):
        draw_stream(11, 10, 0, (8, 6), (2, 3), (1, 1), 6, "0.05", "0.5", 0.01, 3000)


def test_stream_fields_are_the_named_ones_of_its_contract():
    """The names the kernel's tallies and ranges go by are the keys the stream's schema requires."""
    schema = read_yaml(SCHEMAS / "joint_stream.schema.yaml", "schema")
    assert set(schema["properties"]["extremes"]["required"]) == {s.name.lower() for s in JointStatistic}
    assert {t.name.lower() for t in JointTally} <= set(schema["required"])
    streams = [draw_stream(seed, 300, 100, (8, 6), (2, 3), (1, 1), 6, "0.3", "0.5", 0.01, 3000) for seed in (1, 2)]
    for stream in streams:
        check_contract(stream, "joint_stream.schema.yaml")
    check_contract(merge_streams(streams, 0.05), "joint.schema.yaml")


def test_gather_reads_each_range_by_its_name():
    """Streams whose ranges all differ: each lands in its own field of the gathered result, with
    the lowest low and the highest high over the streams (P falls as the chi-square rises)."""

    def stream(shift):
        ranges = {s.name.lower(): [1.0 + s.value + shift, 1.5 + s.value + shift] for s in JointStatistic}
        return {
            "tried": 10,
            "kept": 5,
            "vf_logrank_hits": 1,
            "vf_cox_score_hits": 2,
            "vf_cox_lr_hits": 1,
            "death_cox_lr_hits": 3,
            "cox_sample": 4,
            "histogram": [5, 0],
            "extremes": ranges,
        }

    merged = merge_streams([stream(0.0), stream(0.25)], 0.05)
    check_contract(merged, "joint.schema.yaml")
    low = lambda s: 1.0 + s.value  # noqa: E731 - the lowest low (first stream)
    high = lambda s: 1.75 + s.value  # noqa: E731 - the highest high (second stream)
    S = JointStatistic
    for key, statistic in [
        ("logrank", S.VF_LOGRANK_CHI2),
        ("cox_score", S.VF_COX_SCORE_CHI2),
        ("cox_lr", S.VF_COX_LR_CHI2),
        ("death_cox_lr", S.DEATH_COX_LR_CHI2),
    ]:
        assert merged[key]["p_min"] == p_value(high(statistic)), key
        assert merged[key]["p_max"] == p_value(low(statistic)), key
    effects = merged["effect_ranges"]
    assert effects["survival"]["hazard_ratio"] == [np.exp(low(S.DEATH_LOG_HR)), np.exp(high(S.DEATH_LOG_HR))]
    assert effects["survival"]["rmst_difference"] == [low(S.DEATH_RMST_DIFFERENCE), high(S.DEATH_RMST_DIFFERENCE)]
    assert effects["vent_free_survival"]["hazard_ratio"] == [np.exp(low(S.VF_LOG_HR)), np.exp(high(S.VF_LOG_HR))]
    assert effects["vent_free_survival"]["rmst_difference"] == [low(S.VF_RMST_DIFFERENCE), high(S.VF_RMST_DIFFERENCE)]
    assert (merged["kept"], merged["tried"], merged["histogram"]["counts"]) == (10, 20, [10, 0])
