"""Fragility index and reverse fragility index of a 2x2 table, by Fisher's exact test (scipy).

Returns plain data; a missing index is ``None`` beside a ``reason`` (or ``reverse_reason``) code
and a change of outcomes is a ``direction`` code; their words are in ``statistic_words``.
"""

from __future__ import annotations

from typing import Any

from scipy.stats import fisher_exact

from .effect_measures import check_table


def _fisher_p(events_t: int, n_t: int, events_c: int, n_c: int) -> float:
    return float(fisher_exact([[events_t, n_t - events_t], [events_c, n_c - events_c]]).pvalue)


def _first_crossing(p_of_k: Any, k_max: int, crossed: Any) -> int | None:
    """Smallest k in 1..k_max with crossed(p_of_k(k)), by doubling then bisection: Fisher's P
    moves monotonically as one arm's events move away from (or towards) the other's risk, so
    this equals the one-at-a-time search of the definition (the tests check it by brute force)."""
    if k_max < 1:
        return None
    high = 1
    while high < k_max and not crossed(p_of_k(high)):
        high = min(2 * high, k_max)
    if not crossed(p_of_k(high)):
        return None
    low = high // 2  # crossed(p_of_k(low)) is false (or low == 0)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if crossed(p_of_k(mid)) else (mid, high)
    return high


def fragility_index(events_t: int, n_t: int, events_c: int, n_c: int, alpha: float = 0.05) -> dict[str, Any]:
    """Fragility index (Walsh et al. 2014, J Clin Epidemiol 67:622) and quotient (Ahmed et al. 2016),
    or, for a result that is not significant, the reverse fragility index (Khan et al. 2020, JAMA
    Netw Open 3(8):e2012469).

    Written by hand: no well-kept Python library computes it. Significant (Fisher's two-sided P
    < ``alpha``, scipy): in the arm with fewer events (ties: the lower risk, then treated),
    non-events become events one at a time until P >= alpha; the index is the number of
    changes. Not significant: the fragility index is undefined (None, reason ``not_significant``); the
    reverse index is the fewest outcomes changed in one arm (events taken away from the arm with
    the lower risk, or added to the arm with the higher risk) that bring P below alpha.
    """
    check_table(events_t, n_t, events_c, n_c)
    p_start = _fisher_p(events_t, n_t, events_c, n_c)
    result: dict[str, Any] = {
        "p_value_start": p_start,
        "alpha": alpha,
        "fragility_index": None,
        "fragility_quotient": None,
        "reverse_fragility_index": None,
    }
    counts = {"treated": (events_t, n_t), "control": (events_c, n_c)}

    def p_after(arm: str, change: int) -> float:
        (et, nt), (ec, nc) = counts["treated"], counts["control"]
        return _fisher_p(et + change, nt, ec, nc) if arm == "treated" else _fisher_p(et, nt, ec + change, nc)

    if p_start < alpha:
        arm = min(counts, key=lambda a: (counts[a][0], counts[a][0] / counts[a][1], a != "treated"))
        events, n = counts[arm]
        index = _first_crossing(lambda k: p_after(arm, k), n - events, lambda p: p >= alpha)
        result.update(modified_arm=arm, direction="non_events_to_events")
        if index is None:
            result["reason"] = "significant_whatever_changes"
            return result
        result.update(
            fragility_index=index,
            fragility_quotient=index / (n_t + n_c),
            p_value_end=p_after(arm, index),
            events_end=_events_after(counts, arm, index),
        )
        return result
    result["reason"] = "not_significant"
    risk = {a: e / n for a, (e, n) in counts.items()}
    low_arm, high_arm = sorted(counts, key=lambda a: (risk[a], a != "treated"))
    options = []
    for arm, sign, room in (
        (low_arm, -1, counts[low_arm][0]),
        (high_arm, 1, counts[high_arm][1] - counts[high_arm][0]),
    ):
        k = _first_crossing(lambda j, arm=arm, sign=sign: p_after(arm, sign * j), room, lambda p: p < alpha)
        if k is not None:
            options.append((k, arm != low_arm, arm, sign))
    if not options:
        result["reverse_reason"] = "no_change_significant"
        return result
    k, _, arm, sign = min(options)
    result.update(
        reverse_fragility_index=k,
        reverse_modified_arm=arm,
        reverse_direction="events_to_non_events" if sign < 0 else "non_events_to_events",
        p_value_end=p_after(arm, sign * k),
        events_end=_events_after(counts, arm, sign * k),
    )
    return result


def _events_after(counts: dict[str, tuple[int, int]], arm: str, change: int) -> dict[str, int]:
    return {a: e + (change if a == arm else 0) for a, (e, _) in counts.items()}
