"""Sentences that state a judgement follow the computed verdict, whichever way it goes."""

from anakinra_replication.identifiability import sampling_check
from anakinra_replication.manuscript import _logrank_words, _sampling_check_words


def logrank_rows(survival: float, vent_free: float) -> list[dict]:
    """Test-table rows of the log-rank test with the given shares of layouts printing as reported."""
    return [
        {"endpoint": "survival", "test": "logrank", "fraction_printing_as_reported": survival},
        {"endpoint": "vent_free_survival", "test": "logrank", "fraction_printing_as_reported": vent_free},
        {"endpoint": "survival", "test": "fisher_exact"},
    ]


def test_the_log_rank_sentence_follows_the_shares():
    assert "consistent with Kaplan-Meier curves" in _logrank_words(logrank_rows(0.13, 0.10))
    neither = _logrank_words(logrank_rows(0.0, 0.0))
    assert "neither" in neither and "consistent with" not in neither
    one = _logrank_words(logrank_rows(0.13, 0.0))
    assert "the P of deaths" in one and "not consistent" in one


def test_the_sampling_check_compares_the_exact_share_with_the_interval():
    space = {"logrank": {"fraction": 0.128}}
    agrees = sampling_check(space, {"kept": 12_800, "tried": 100_000, "acceptance": 0.128}, alpha=0.05)
    differs = sampling_check(space, {"kept": 20_000, "tried": 100_000, "acceptance": 0.2}, alpha=0.05)
    assert agrees["agrees"] and not differs["agrees"]
    assert "agrees with" in _sampling_check_words(agrees)
    assert "differs from" in _sampling_check_words(differs)
