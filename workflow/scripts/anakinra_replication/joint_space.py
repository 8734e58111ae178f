"""Ventilation-free survival over the joint space of death and ventilation days (Monte Carlo).

Adding ventilation days to the death days gives about 10^15 joint layouts, too many to list.
Draws are made uniformly over layouts (each multiset of days counts once): a death layout is
drawn and kept only if its log-rank P prints as reported (rejection, so kept layouts are
uniform among those), then ventilation days are drawn for the ventilated survivors, and the
ventilation-free log-rank P is scored. Numba (``layout_kernels.draw_joint``), seeded; one stream
per Snakemake job.

Along the way, on the first ``cox_sample`` draws, the Cox likelihood-ratio test (Breslow ties)
is computed by Newton's method: on raw death layouts (for mortality) and on kept joint layouts
(for ventilation-free survival). statsmodels' PHReg is the reference in the tests.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .event_space import chi2_bounds, p_value
from .layout_kernels import HIGH, LOW, JointStatistic, JointTally, draw_joint, empty_ranges


def draw_stream(
    seed: int,
    draws: int,
    cox_sample: int,
    n: tuple[int, int],
    deaths: tuple[int, int],
    vents: tuple[int, int],
    horizon: int,
    death_p: str,
    vent_free_p: str,
    bin_width: float,
    bins: int,
) -> dict[str, Any]:
    """One seeded stream of ``draws`` kept joint layouts; see :func:`merge_streams`."""
    hist = np.zeros(bins, dtype=np.int64)
    tallies = np.zeros(len(JointTally), dtype=np.int64)
    extremes = empty_ranges(JointStatistic)
    max_tries = 1000 * draws  # rejection stops here: the reported P would be all but unattainable
    draw_joint(
        seed,
        draws,
        max_tries,
        cox_sample,
        np.array(n),
        np.array(deaths),
        np.array(vents),
        horizon,
        np.array(chi2_bounds(death_p)),
        np.array(chi2_bounds(vent_free_p)),
        bin_width,
        hist,
        tallies,
        extremes,
    )
    tried, kept = tallies[JointTally.TRIED], tallies[JointTally.KEPT]
    if kept < draws:
        raise RuntimeError(
            f"only {kept} of {tried} death-day layouts drawn give P printing as {death_p}; {draws} were wanted"
        )
    return {
        **{t.name.lower(): int(tallies[t]) for t in JointTally},
        "extremes": {s.name.lower(): extremes[s].tolist() for s in JointStatistic},
        "histogram": hist.tolist(),
        "cox_sample": min(cox_sample, draws),
    }


def stream_range(streams: list[dict[str, Any]], statistic: JointStatistic) -> tuple[float, float]:
    """(min, max) of one statistic over all streams, read by its name."""
    key = statistic.name.lower()
    return min(s["extremes"][key][LOW] for s in streams), max(s["extremes"][key][HIGH] for s in streams)


def merge_streams(streams: list[dict[str, Any]], alpha: float) -> dict[str, Any]:
    """Gather the streams: the fraction of kept joint layouts whose ventilation-free P prints as
    reported, with a Wilson interval (statsmodels), and the ranges seen."""
    from statsmodels.stats.proportion import proportion_confint

    total = lambda key: sum(s[key] for s in streams)  # noqa: E731 - sum of one tally over streams
    kept, hits, sample = total("kept"), total("vf_logrank_hits"), total("cox_sample")
    low, high = proportion_confint(hits, kept, alpha=alpha, method="wilson")
    ranges = {statistic: stream_range(streams, statistic) for statistic in JointStatistic}

    def p_range(statistic: JointStatistic) -> dict[str, float]:  # P falls as the chi-square rises
        return {"p_min": p_value(ranges[statistic][HIGH]), "p_max": p_value(ranges[statistic][LOW])}

    S = JointStatistic
    return {
        "tried": total("tried"),
        "kept": kept,
        "acceptance": kept / total("tried"),
        "logrank": {
            "printing_as_reported": hits,
            "fraction": hits / kept,
            "fraction_ci": [float(low), float(high)],
            **p_range(S.VF_LOGRANK_CHI2),
        },
        "cox_score": {
            "printing_as_reported": total("vf_cox_score_hits"),
            "fraction": total("vf_cox_score_hits") / kept,
            **p_range(S.VF_COX_SCORE_CHI2),
        },
        "cox_lr": {
            "sample": sample,
            "printing_as_reported": total("vf_cox_lr_hits"),
            "fraction": total("vf_cox_lr_hits") / sample,
            **p_range(S.VF_COX_LR_CHI2),
        },
        "death_cox_lr": {
            "sample": sample,
            "printing_as_reported": total("death_cox_lr_hits"),
            "fraction": total("death_cox_lr_hits") / sample,
            **p_range(S.DEATH_COX_LR_CHI2),
        },
        "histogram": {"counts": [sum(c) for c in zip(*(s["histogram"] for s in streams))]},
        # Over death layouts reproducing the mortality P (and, for vent-free, the joint draws):
        "effect_ranges": {
            "survival": {
                "hazard_ratio": [float(np.exp(x)) for x in ranges[S.DEATH_LOG_HR]],
                "rmst_difference": list(ranges[S.DEATH_RMST_DIFFERENCE]),
            },
            "vent_free_survival": {
                "hazard_ratio": [float(np.exp(x)) for x in ranges[S.VF_LOG_HR]],
                "rmst_difference": list(ranges[S.VF_RMST_DIFFERENCE]),
            },
        },
    }
