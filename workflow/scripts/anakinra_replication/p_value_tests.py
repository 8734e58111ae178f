"""Which test gives the reported P? Each candidate test, its P (or range) and whether it prints
as reported.

Tests on the 2x2 table of events at the horizon (scipy.stats): Pearson chi-square with and
without Yates' continuity correction, Fisher's exact test and its mid-P, Barnard's exact
unconditional test with the pooled score statistic (scipy's default) and Boschloo's (all
two-sided). Where a two-sided P depends on a convention, the row gives the P under the other one
beside it, and its verdict: Boschloo's two-sided P is scipy's, twice the smaller one-sided P, with
the value for tables ordered by Fisher's two-sided P beside it; the mid-P orders tables by their
probability, with twice the smaller one-sided mid-P (R's epitools) beside it. A single P is
judged by the verification's own rules
(:func:`anakinra_replication.verify.verdict`: it matches when it prints as reported rounded half
up, or under another rounding, half to even or truncated). Time-to-event tests depend on the
unreported event days, so they are given as the range over the layouts and the share of
layouts whose P prints as reported when rounded half up: the log-rank and Cox score tests over
every death-day layout (mortality) or the Monte Carlo draws (ventilation-free survival), the Cox
likelihood-ratio test over a sample of them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import optimize, stats

from .claims import reported_number
from .rounding import RULES, printed
from .verify import verdict

# Barnard's and Boschloo's tests score every table with the arms' sizes, (n1 + 1)(n2 + 1) of
# them, at each of many values of the nuisance risk: beyond this many they take minutes.
MAX_EXACT_TABLES = 250_000
# The keys of a row's P under a test's other two-sided convention (see the module docstring).
OTHER_CONVENTION = ("p_fisher_ordering", "p_doubled_one_sided")
# Fisher's own tolerance (scipy's fisher_exact) for tables as probable as the observed one.
TIE_TOLERANCE = 1 + 1e-7


def fisher_mid_p(events: tuple[int, int], n: tuple[int, int]) -> dict[str, Any]:
    """Fisher's exact test with the mid-P (Lancaster 1961): conditional on the margins, the number
    of events in the first arm is hypergeometric; the two-sided mid-P is the probability of the
    tables less probable than the observed one plus half that of the tables as probable (the
    observed one among them), the ordering of Fisher's two-sided P. Beside it
    (``p_doubled_one_sided``): twice the smaller one-sided mid-P, P(X < a) + P(X = a) / 2 or
    P(X > a) + P(X = a) / 2, capped at 1, as R's epitools (``ormidp.test``) gives it.

    Written by hand: scipy gives the hypergeometric distribution but no mid-P.
    """
    (a, c), (n1, n2) = events, n
    total = a + c
    dist = stats.hypergeom(n1 + n2, total, n1)
    probs = dist.pmf(np.arange(max(0, total - n2), min(total, n1) + 1))
    observed = float(dist.pmf(a))
    less = probs[probs < observed / TIE_TOLERANCE].sum()
    same = probs[(probs >= observed / TIE_TOLERANCE) & (probs <= observed * TIE_TOLERANCE)].sum()
    lower, upper = float(dist.cdf(a - 1)) + observed / 2, float(dist.sf(a)) + observed / 2
    return {
        "p": float(min(1.0, less + same / 2)),
        "two_sided": "probability_ordering",
        "p_doubled_one_sided": min(1.0, 2 * min(lower, upper)),
    }


def boschloo_fisher_ordering(events: tuple[int, int], n: tuple[int, int]) -> float:
    """Boschloo's unconditional test with the other two-sided convention: tables ordered by
    Fisher's two-sided P (scipy ``fisher_exact``), P = sup over the common risk pi of the
    probability, under two independent binomial arms, of a table whose Fisher P is at most the
    observed one. scipy's ``boschloo_exact`` instead doubles the smaller one-sided P.

    Written by hand (scipy has only the doubled convention): the supremum is taken over a grid
    of 2,001 values of pi, then refined by a bounded scalar search around the best grid value.
    """
    (e1, e2), (n1, n2) = events, n
    x1, x2 = np.meshgrid(np.arange(n1 + 1), np.arange(n2 + 1), indexing="ij")
    fisher = np.array(
        [[stats.fisher_exact([[a, n1 - a], [b, n2 - b]]).pvalue for b in range(n2 + 1)] for a in range(n1 + 1)]
    )
    extreme = fisher <= fisher[e1, e2] * (1 + 1e-7)  # Fisher's own tolerance for ties
    first, second = x1[extreme], x2[extreme]

    def mass(pi: float | np.ndarray) -> np.ndarray:
        pi = np.atleast_1d(pi)[:, None]
        return (stats.binom.pmf(first[None, :], n1, pi) * stats.binom.pmf(second[None, :], n2, pi)).sum(axis=1)

    grid = np.linspace(0, 1, 2001)
    values = mass(grid)
    best = int(np.argmax(values))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    refined = optimize.minimize_scalar(lambda pi: -mass(pi)[0], bounds=(low, high), method="bounded")
    return float(min(1.0, max(values[best], -refined.fun)))


def two_by_two_p_values(events: tuple[int, int], n: tuple[int, int]) -> dict[str, dict[str, Any]]:
    """Two-sided P of the classical tests of a 2x2 table, arms as the two binomial samples.

    Each value is ``{"p": float}`` or ``{"p": None, "reason": code}`` when the test is undefined
    (``no_events``, ``all_events``: the chi-square is undefined; ``too_many_tables``, with
    ``max_tables``: the exact unconditional tests are not computed). Boschloo's P carries
    ``two_sided: "doubled_one_sided"`` (scipy's convention) beside the P of the other convention,
    the mid-P ``two_sided: "probability_ordering"`` beside its doubled one-sided value, and
    Barnard's P the code of its statistic (``statistic: "pooled_score"``: the difference of
    proportions over its standard error under the pooled risk, scipy's ``pooled=True``).
    scipy's ``barnard_exact`` and ``boschloo_exact`` take each *column* as one binomial sample,
    so they get the table with one column per arm (rows: event, none); the conditional tests
    are symmetric in rows and columns.
    """
    by_arm = [[events[0], n[0] - events[0]], [events[1], n[1] - events[1]]]
    columns_are_arms = [[events[0], events[1]], [n[0] - events[0], n[1] - events[1]]]
    total = events[0] + events[1]
    result: dict[str, dict[str, Any]] = {}
    if total in (0, n[0] + n[1]):
        why = "no_events" if total == 0 else "all_events"
        result["pearson_chi2"] = result["pearson_chi2_yates"] = {"p": None, "reason": why}
    else:
        result["pearson_chi2"] = {"p": float(stats.chi2_contingency(by_arm, correction=False).pvalue)}
        result["pearson_chi2_yates"] = {"p": float(stats.chi2_contingency(by_arm, correction=True).pvalue)}
    result["fisher_exact"] = {"p": float(stats.fisher_exact(by_arm).pvalue)}
    result["fisher_mid_p"] = fisher_mid_p(events, n)
    if (n[0] + 1) * (n[1] + 1) > MAX_EXACT_TABLES:
        too_many = {"p": None, "reason": "too_many_tables", "max_tables": MAX_EXACT_TABLES}
        result["barnard_exact"] = {**too_many, "statistic": "pooled_score"}
        result["boschloo_exact"] = dict(too_many)
    else:
        result["barnard_exact"] = {
            "p": float(stats.barnard_exact(columns_are_arms, pooled=True).pvalue),
            "statistic": "pooled_score",
        }
        result["boschloo_exact"] = {
            "p": float(stats.boschloo_exact(columns_are_arms).pvalue),
            "two_sided": "doubled_one_sided",
            "p_fisher_ordering": boschloo_fisher_ordering(events, n),
        }
    return result


def rounding_rules_printing_as(reported: str, p: float) -> list[str]:
    """The rounding rules (rounding.RULES) under which ``p`` prints as ``reported``."""
    number, decimals = reported_number({"value": reported})
    target = printed(number, decimals)
    return [rule for rule in RULES if printed(p, decimals, rule) == target]


def single_row(endpoint: str, test: str, reported: str, result: dict[str, Any]) -> dict[str, Any]:
    """A test with one P: the verification's verdict and the rounding rules that reproduce it, and,
    for a test with another two-sided convention, that convention's P and its verdict
    (``verdict_other_convention``); an undefined P keeps its reason code and fields."""
    p = result["p"]
    row = {"endpoint": endpoint, "test": test, "reported": reported, "kind": "single", "p_min": p, "p_max": p}
    row["over"] = "table_at_horizon"
    if p is None:
        why = {k: v for k, v in result.items() if k != "p"}  # the reason code and its fields
        return {**row, **why, "verdict": "not_checkable", "rules": []}
    extra = {k: result[k] for k in ("two_sided", "statistic", *OTHER_CONVENTION) if k in result}
    other = next((result[k] for k in OTHER_CONVENTION if k in result), None)
    if other is not None:
        extra["verdict_other_convention"] = verdict(reported, other)[0]
    return {**row, **extra, "verdict": verdict(reported, p)[0], "rules": rounding_rules_printing_as(reported, p)}


def test_rows(
    endpoint: str,
    reported: str,
    events: tuple[int, int],
    n: tuple[int, int],
    ranges: dict[str, dict[str, Any]],
    over: dict[str, tuple[str, int]],
) -> list[dict[str, Any]]:
    """Rows of the test table for one endpoint. ``ranges`` holds, per time-to-event test, p_min,
    p_max and the fraction of layouts printing as reported (half up); ``over`` says over what, per
    test: a code (``every_death_day_layout``, ``death_day_layouts_drawn``, ``joint_layouts_drawn``,
    ``joint_layouts_sampled``) and the number of layouts."""
    rows = [single_row(endpoint, test, reported, result) for test, result in two_by_two_p_values(events, n).items()]
    for test, r in ranges.items():
        rows.append(
            {
                "endpoint": endpoint,
                "test": test,
                "reported": reported,
                "kind": "range",
                "p_min": r["p_min"],
                "p_max": r["p_max"],
                "fraction_printing_as_reported": r["fraction"],
                "rounding": "half_up",
                "over": over[test][0],
                "layouts": over[test][1],
            }
        )
    return rows


def which_test(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per endpoint, the 2x2 tests by verdict: which print as reported half up, which only under
    another rounding (and which rule), and which do not; the facts the text states."""
    out: dict[str, Any] = {}
    for row in rows:
        if row["kind"] != "single":
            continue
        entry = out.setdefault(
            row["endpoint"], {"match": [], "match_other_rounding": [], "mismatch": [], "not_checkable": []}
        )
        extra = {
            k: row[k] for k in ("two_sided", "statistic", *OTHER_CONVENTION, "verdict_other_convention") if k in row
        }
        entry[row["verdict"]].append({"test": row["test"], "p": row["p_min"], "rules": row["rules"], **extra})
    return out
