"""Figures (seaborn/matplotlib), drawn from results files only: nothing is recomputed.

Sizes are chosen for a phone as much as for the page: every figure is ``FIGURE_INCHES`` wide
(narrower than the text column of an A4 page with 2 cm margins, ``COLUMN_INCHES``, so the PDF
shows it at its own size) and every text is at least ``MIN_POINTS`` points, so that a phone
that scales the image down to its 349-pixel column still shows every text at 11 CSS pixels or
more. Each PNG records its smallest text size (``SMALLEST_TEXT_KEY``), which the browser test
reads (sizes, colours and style: figure_style). Each arm has one colour in every figure; no
legend is drawn over the data, and no two labels of a log axis run together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import seaborn as sns  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .claims import reported_number  # noqa: E402
from .figure_style import (  # noqa: E402
    FIGURE_INCHES,
    MIN_POINTS,
    QUIET_TEXT,
    REFERENCE,
    arm_colour,
    log_axis,
    text_colour,
)
from .figure_style import style as _style  # noqa: E402
from .labels import EVIDENCE_NAMES, arm_name, short_claim_label  # noqa: E402
from .later_evidence_figure import later_evidence_figure  # noqa: E402
from .outcomes import ENDPOINTS, LABELS  # noqa: E402
from .rounding import printed  # noqa: E402

RECONSTRUCTED_NOTE = "Reconstructed cohort:\nevent days are assumed, not reported"
MARGIN_KINDS = ("percent", "p_value", "mean")  # claims whose printed value rounds a recomputed one


def _wrapped(labels: list[str], width: int = 24) -> list[str]:
    """Axis labels broken into lines of at most ``width`` characters, so that a narrow figure
    keeps its plot wide."""
    import textwrap

    return [textwrap.fill(label, width) for label in labels]


def at_risk(curve: list[dict[str, Any]], day: int) -> int:
    """Patients still at risk at the start of ``day``, read off the stored curve."""
    later = [p["at_risk"] for p in curve if p["day"] >= day]
    return later[0] if later else 0


def km_figure(
    numbers: dict[str, Any], endpoint: str, arms: list[str], horizon_days: int, reconstructed: bool = False
) -> plt.Figure:
    """Kaplan-Meier curves by arm with confidence bands (level from the results' settings),
    censoring ticks, numbers at risk and log-rank P; the legend sits above the plot, clear of
    the curves and bands. On a reconstructed cohort the image itself says that the event days
    are assumed, so it cannot be mistaken for the study's curves."""
    _style()
    outcome = numbers["outcomes"][endpoint]
    fig, (ax, table) = plt.subplots(
        2, 1, figsize=(FIGURE_INCHES, 5.2), height_ratios=[4, 1.1], sharex=True, layout="constrained"
    )
    for arm in arms:
        colour, curve = arm_colour(arm, arms), outcome[arm]["curve"]
        days = [0] + [p["day"] for p in curve]
        ax.step(
            days,
            [1] + [p["survival"] for p in curve],
            where="post",
            color=colour,
            label=f"{arm_name(arm)} (n = {outcome[arm]['n']})",
        )
        ax.fill_between(
            days,
            [1] + [p["ci_lower"] for p in curve],
            [1] + [p["ci_upper"] for p in curve],
            step="post",
            color=colour,
            alpha=0.18,
            linewidth=0,
        )
        censored = [p for p in curve if p["censored"]]
        ax.plot(
            [p["day"] for p in censored],
            [p["survival"] for p in censored],
            "|",
            color=colour,
            markersize=10,
            markeredgewidth=1.5,
        )
    test = outcome["both"]
    p_text = "not estimable" if test["p_value"] is None else printed(test["p_value"], 4)
    confidence = printed(100 * (1 - numbers["settings"]["alpha"]), 0)
    ax.set(ylim=(0, 1.02), ylabel=f"{LABELS[endpoint].split(' (')[0]}\n(proportion)")
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        borderaxespad=0,
        frameon=False,
        title=f"Log-rank P = {p_text}\nShaded: {confidence}% confidence band",
        alignment="left",
    )
    if reconstructed:
        fig.suptitle(RECONSTRUCTED_NOTE, x=0.02, ha="left", style="italic", color=QUIET_TEXT, fontsize=MIN_POINTS)
    ticks = list(range(0, horizon_days + 1, 7))
    ax.set(xticks=ticks, xlim=(0, horizon_days + 0.5), xlabel="Days since start of treatment")
    ax.tick_params(labelbottom=True)
    _at_risk_table(table, outcome, arms, ticks)
    sns.despine(ax=ax)
    return fig


def _at_risk_table(table: plt.Axes, outcome: dict[str, Any], arms: list[str], ticks: list[int]) -> None:
    """Numbers at risk under a Kaplan-Meier plot: one row per arm, named on the axis so that the
    layout engine keeps the names inside the figure; text in the arm's colour, darkened to read
    on white."""
    for spine in table.spines.values():
        spine.set_visible(False)
    table.tick_params(axis="both", length=0, labelbottom=False)
    table.tick_params(axis="y", pad=14)  # clear of the numbers centred on day 0
    table.set_title("Number at risk", loc="left")
    rows = list(range(len(arms)))[::-1]
    table.set(yticks=rows, yticklabels=[arm_name(a) for a in arms], ylim=(-0.6, len(arms) - 0.4))
    for label, arm in zip(table.get_yticklabels(), arms):
        label.set_color(text_colour(arm_colour(arm, arms)))
    for row, arm in zip(rows, arms):
        for day in ticks:
            n = at_risk(outcome[arm]["curve"], day) if day else outcome[arm]["n"]
            table.text(day, row, str(n), ha="center", va="center", color=text_colour(arm_colour(arm, arms)))


def printing_margins(rows: list[dict[str, str]], claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each reported percentage, P value and mean that was recomputed: the recomputed value
    minus the printed one, in units of the printed value's last digit (half a unit either way
    still prints as reported when rounded half up; -0.5 only because halves round up)."""
    by_id = {c["id"]: c for c in claims}
    margins = []
    for r in rows:
        claim = by_id[r["claim_id"]]
        if claim["kind"] in MARGIN_KINDS and r["reproduced_exact"]:
            number, decimals = reported_number(claim)
            margins.append(
                {
                    "claim": claim,
                    "evidence": r["evidence"],
                    "distance": (float(r["reproduced_exact"]) - number) * 10**decimals,
                }
            )
    return margins


OFF_SCALE = 1.0  # the margin figure's half-width, in units of the last printed digit
BAND_GREY = "0.88"  # the band of values that print as reported
HEAD_ROOM = 1.45  # the histograms' y axis reaches this many times the tallest bar: room for the key


def printing_margin_figure(rows: list[dict[str, str]], claims: list[dict[str, Any]]) -> plt.Figure:
    """How far each recomputed value lies from the value printed in the source, in units of the
    last printed digit: inside the shaded band it prints as reported (rounded half up), and the
    closer it sits to an edge, the less rounding slack the match has. Counts, being whole
    numbers, are left out. Colour: arm; marker: the evidence of the match. The key is below the
    plot: the arms (colour only) in one column, the markers (shape only) in the other."""
    _style()
    shown = printing_margins(rows, claims)
    labels = list(dict.fromkeys(short_claim_label(m["claim"]) for m in shown))
    arms = list(dict.fromkeys(m["claim"]["arm"] for m in shown))
    colours = {arm: arm_colour(arm) for arm in arms}
    markers = dict(zip(EVIDENCE_NAMES, "osD^vX", strict=True))
    fig, ax = plt.subplots(figsize=(FIGURE_INCHES, 1.6 + 0.5 * len(labels)), layout="constrained")
    ax.axvspan(-0.5, 0.5, color=BAND_GREY, linewidth=0)
    paired = [a for a in arms if a not in ("both", "unstated")]  # arms that share a row are set apart
    offsets = {arm: 0.16 * (paired.index(arm) - (len(paired) - 1) / 2) if arm in paired else 0 for arm in arms}
    off_scale = False
    for m in shown:
        claim = m["claim"]
        y = labels.index(short_claim_label(claim)) + offsets[claim["arm"]]
        if abs(m["distance"]) <= OFF_SCALE:
            ax.plot(
                [m["distance"]],
                [y],
                markers[m["evidence"]],
                color=colours[claim["arm"]],
                markersize=7,
                markeredgecolor="white",
            )
            continue
        # a mismatch lies far outside the band: an arrowhead at the edge, with the distance beside it
        off_scale, side = True, 1 if m["distance"] > 0 else -1
        y += offsets[claim["arm"]] * 1.6  # labels of two arms on one row set further apart
        ax.plot([side * 0.93], [y], ">" if side > 0 else "<", color=colours[claim["arm"]], markersize=8)
        ax.annotate(
            f"{m['distance']:+.3g}",
            (side * 0.86, y),
            ha="right" if side > 0 else "left",
            va="center",
            color=text_colour(colours[claim["arm"]]),
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},  # on white where it crosses the band
        )
    ax.axvline(0, color=REFERENCE, linewidth=0.8)
    ax.set(
        xlim=(-1, 1),
        xticks=[-1, 0, 1],
        yticks=range(len(labels)),
        yticklabels=_wrapped(labels),
        ylim=(len(labels) - 0.5, -0.5),
        xlabel="Recomputed minus printed value\n(units of the last printed digit)",
    )
    arm_handles = [Patch(color=colours[a], label=arm_name(a)) for a in arms]
    used = [e for e in EVIDENCE_NAMES if any(m["evidence"] == e for m in shown)]
    shape_handles = [
        Line2D(
            [], [], marker=markers[e], linestyle="", color=REFERENCE, markerfacecolor="none", label=EVIDENCE_NAMES[e]
        )
        for e in used
    ]
    shape_handles.append(Patch(color=BAND_GREY, label="Prints as reported"))
    if off_scale:
        shape_handles.append(
            Line2D(
                [], [], marker=">", linestyle="", color=REFERENCE, label="Off the scale: mismatch\n(distance beside it)"
            )
        )
    blank = Patch(color="none", label=" ")
    column = max(len(arm_handles), len(shape_handles))
    handles = arm_handles + [blank] * (column - len(arm_handles)) + shape_handles
    handles += [blank] * (2 * column - len(handles))
    fig.legend(
        handles=handles,
        frameon=False,
        loc="outside lower center",
        ncols=2,
        title="Colour: arm.  Marker: evidence of the match.",
        alignment="left",
        handlelength=1.2,
    )
    sns.despine(ax=ax)
    return fig


def p_value_space_figure(ident: dict[str, Any]) -> plt.Figure:
    """Distribution of the log-rank P over the layouts the reported counts allow, beside the
    band of values that print as reported: death days (all layouts) and ventilation-free
    survival (Monte Carlo, death layouts restricted to those reproducing the mortality P); the
    histograms as identifiability.json gives them (p_histograms). The band, shaded behind the bars
    and outlined in front of them, is drawn as high as the tallest bar, and its key in the head
    room above."""
    from .rounding import printing_interval

    palette = _style()
    panels = [
        ("death_days", "survival", "Survival: every death-day layout"),
        ("vent_free", "vent_free_survival", "Ventilation-free survival: joint layouts drawn"),
    ]
    reported = {row["endpoint"]: row["reported"] for row in ident["tests"]}
    fig, axes = plt.subplots(2, 1, figsize=(FIGURE_INCHES, 5.6), layout="constrained")
    for ax, (key, endpoint, title) in zip(axes, panels):
        histogram = ident["p_histograms"][key]
        top = max(histogram["share"])
        ax.stairs(histogram["share"], histogram["p_edges"], fill=True, color=palette[0])
        p_low, p_high = printing_interval(reported[endpoint])
        band = {"facecolor": (*to_rgb(palette[1]), 0.3), "edgecolor": palette[1], "linewidth": 1.5}
        ax.fill_between([p_low, p_high], 0, top, facecolor=band["facecolor"], linewidth=0, zorder=0.5)
        ax.fill_between([p_low, p_high], 0, top, facecolor="none", edgecolor=band["edgecolor"], linewidth=1.5, zorder=3)
        key = [Patch(**band, label=f"Prints as {reported[endpoint]}")]
        ax.set(ylim=(0, HEAD_ROOM * top), xlabel="Log-rank P (log scale)", ylabel="Share of layouts")
        log_axis(ax)
        ax.set_title(title, loc="left")
        ax.legend(handles=key, frameon=False, loc="upper left", borderaxespad=0.2)
        sns.despine(ax=ax)
    return fig


def forest_figure(robust: dict[str, Any]) -> plt.Figure:
    """Effect measures of treated vs control with their intervals, on a log scale (1 = no effect)."""
    palette = _style()
    rows = []
    for endpoint, title in (("survival", "Death"), ("vent_free_survival", "Ventilation or death")):
        r = robust[endpoint]
        rows += [
            (f"{title}: risk ratio", r["risk"]["risk_ratio"]["estimate"], r["risk"]["risk_ratio"]),
            (f"{title}: odds ratio (exact)", r["risk"]["odds_ratio"]["conditional_mle"], r["risk"]["odds_ratio"]),
            (f"{title}: hazard ratio (Cox)", r["cox"]["hazard_ratio"], r["cox"]),
        ]
    fig, ax = plt.subplots(figsize=(FIGURE_INCHES, 3.6), layout="constrained")
    for y, (_, estimate, interval) in enumerate(rows):
        colour = palette[0] if y < 3 else palette[1]
        if None not in (interval.get("ci_lower"), interval.get("ci_upper")):
            ax.plot([interval["ci_lower"], interval["ci_upper"]], [y, y], color=colour, linewidth=2)
        if estimate is not None:
            ax.plot([estimate], [y], "s", color=colour)
    labels = [label if estimate is not None else f"{label} (not estimable)" for label, estimate, _ in rows]
    ax.axvline(1, color=REFERENCE, linestyle="--", linewidth=1)
    ax.set(
        yticks=range(len(rows)),
        yticklabels=_wrapped(labels, 22),
        ylim=(len(rows) - 0.5, -0.5),
        xlabel="Anakinra group vs standard group,\nlog scale (below 1: fewer events\nin the anakinra group)",
    )
    log_axis(ax)
    sns.despine(ax=ax)
    return fig


PRIOR_DASHES = ["-", "--", "-.", (0, (1, 1)), (0, (5, 1, 1, 1, 1, 1))]  # a second cue beside the colour


def posterior_figure(robust: dict[str, Any]) -> plt.Figure:
    """Posterior densities of log RR under each prior, as computed on the grid, for each endpoint;
    the solid grey line marks no effect, the dashed one the clinically relevant risk ratio of the
    config. Priors in the order of their names, so that each keeps its colour and line whatever
    order the results file gives them. The x axis spans where any posterior has density (above a
    thousandth of its peak); the key is below the plots."""
    import numpy as np

    palette = _style()
    fig, axes = plt.subplots(2, 1, figsize=(FIGURE_INCHES, 7.4), layout="constrained")
    for ax, (endpoint, title) in zip(axes, (("survival", "Death"), ("vent_free_survival", "Ventilation or death"))):
        bayes = robust[endpoint]["bayes"]
        rr = np.exp(bayes["density"]["log_rr"])
        for colour, dashes, (prior, values) in zip(
            palette, PRIOR_DASHES, sorted(bayes["density"]["posterior"].items())
        ):
            ax.plot(rr, values, color=colour, linestyle=dashes, linewidth=1.6, label=prior.replace("_", " "))
        ax.axvline(1, color=REFERENCE, linewidth=0.9, label="no effect (risk ratio 1)")
        ax.axvline(
            bayes["threshold_rr"],
            color=REFERENCE,
            linestyle=(0, (4, 2)),
            linewidth=0.9,
            label="clinically relevant",
        )
        ax.set(
            xlabel="Risk ratio, treated vs control (log scale)",
            ylabel="Density of log RR",
            xlim=_density_span(rr, bayes["density"]["posterior"].values(), bayes["threshold_rr"]),
        )
        ax.set_title(f"{title}: posterior", loc="left")
        log_axis(ax)
        sns.despine(ax=ax)
    handles = axes[0].get_legend_handles_labels()[0]
    priors, (no_effect, relevant) = handles[:-2], handles[-2:]
    rows = -(-len(priors) // 2)  # two columns of priors, then the two lines of reference side by side
    blank = Line2D([], [], linestyle="", label=" ")
    second = priors[rows:] + [blank] * (2 * rows - len(priors))
    fig.legend(
        handles=priors[:rows] + [no_effect] + second + [relevant],
        loc="outside lower left",
        frameon=False,
        title="Prior",
        alignment="left",
        ncols=2,
    )
    return fig


def _density_span(rr: Any, densities: Any, threshold: float) -> tuple[float, float]:
    """The risk ratios where any density exceeds a thousandth of its own peak, widened to show
    no effect and the threshold, on a log scale."""
    import numpy as np

    shown = np.zeros(len(rr), dtype=bool)
    for values in densities:
        values = np.asarray(values)
        shown |= values > values.max() / 1000
    low, high = min(rr[shown].min(), 1, threshold), max(rr[shown].max(), 1, threshold)
    return low / 1.25, high * 1.25


def cohort_figures(
    numbers: dict[str, Any],
    rows: list[dict[str, str]],
    claims: list[dict[str, Any]],
    robust: dict[str, Any],
    register: dict[str, Any],
    comparison: dict[str, Any],
    arms: list[str],
    horizon_days: int,
) -> dict[str, Callable[[], plt.Figure]]:
    """Every figure of a cohort's document, by its file name, each drawn when called: the rule
    ``figures`` draws and saves them in turn, the tests lay each one out."""

    reconstructed = numbers["cohort"]["is_reconstruction"]
    return {
        **{
            f"km_{endpoint}": lambda e=endpoint: km_figure(numbers, e, arms, horizon_days, reconstructed)
            for endpoint in ENDPOINTS
        },
        "outcomes": lambda: printing_margin_figure(rows, claims),
        "forest": lambda: forest_figure(robust),
        "posteriors": lambda: posterior_figure(robust),
        "later_evidence": lambda: later_evidence_figure(register, comparison),
    }
