"""Figures (seaborn/matplotlib), drawn from results/numbers.json only: nothing is recomputed.

Colours are seaborn's colour-blind-safe palette; files are byte-stable (no dates, fixed ids).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from .claims import reported_number  # noqa: E402
from .rounding import printed  # noqa: E402
from .outcomes import LABELS  # noqa: E402

DPI = 300


def _style() -> list:
    """Apply the shared style; return the palette (one colour per arm)."""
    sns.set_theme(style="ticks", context="paper", palette="colorblind")
    plt.rcParams["svg.hashsalt"] = "anakinra-replication"
    return sns.color_palette("colorblind")


def _ratio_axis(ax: plt.Axes) -> None:
    """Log-scale ratio axis with plain tick labels (0.05, 0.1, ... 2) and no minor labels."""
    from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter

    low, high = ax.get_xlim()
    ticks = [t for t in (0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5) if low <= t <= high]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())


def save(fig: plt.Figure, png: str | Path, svg: str | Path) -> None:
    """Write PNG (300 dpi) and SVG without timestamps."""
    fig.savefig(png, dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(svg, bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)


def at_risk(curve: list[dict[str, Any]], day: int) -> int:
    """Patients still at risk at the start of ``day``, read off the stored curve."""
    later = [p["at_risk"] for p in curve if p["day"] >= day]
    return later[0] if later else 0


def km_figure(numbers: dict[str, Any], endpoint: str, arms: list[str], horizon_days: int) -> plt.Figure:
    """Kaplan-Meier curves by arm with 95% bands, censoring ticks, numbers at risk and log-rank P."""
    palette = _style()
    outcome = numbers["outcomes"][endpoint]
    fig, (ax, table) = plt.subplots(2, 1, figsize=(6, 5), height_ratios=[4, 1.1], sharex=True)
    for colour, arm in zip(palette, arms):
        curve = outcome[arm]["curve"]
        days = [0] + [p["day"] for p in curve]
        ax.step(days, [1] + [p["survival"] for p in curve], where="post", color=colour,
                label=f"{arm} (n = {outcome[arm]['n']})")
        ax.fill_between(days, [1] + [p["ci_lower"] for p in curve], [1] + [p["ci_upper"] for p in curve],
                        step="post", color=colour, alpha=0.18, linewidth=0)
        censored = [p for p in curve if p["censored"]]
        ax.plot([p["day"] for p in censored], [p["survival"] for p in censored], "|", color=colour,
                markersize=10, markeredgewidth=1.5)
    test = outcome["both"]
    ax.text(0.03, 0.05, f"log-rank P = {printed(test['p_value'], 4)}", transform=ax.transAxes)
    ax.set(ylim=(0, 1.02), ylabel=f"{LABELS[endpoint].split(' (')[0]} (proportion)")
    ax.legend(loc="lower right", frameon=False, title="95% bands shaded; | censored")
    ticks = list(range(0, horizon_days + 1, 7))
    ax.set(xticks=ticks, xlim=(0, horizon_days + 0.5), xlabel="Days since start of treatment")
    ax.tick_params(labelbottom=True)
    table.set_axis_off()
    table.text(0, 2.2, "Number at risk", fontsize="small", ha="left", va="center")
    for row, (colour, arm) in enumerate(zip(palette, arms)):
        table.text(-0.8, 1 - row, arm, ha="right", va="center", color=colour)
        for day in ticks:
            n = at_risk(outcome[arm]["curve"], day) if day else outcome[arm]["n"]
            table.text(day, 1 - row, str(n), ha="center", va="center", color=colour)
    table.set_ylim(-0.6, 2.6)
    sns.despine(ax=ax)
    return fig


def outcomes_figure(numbers: dict[str, Any], claims: list[dict[str, Any]], arms: list[str]) -> plt.Figure:
    """Day-horizon outcomes by arm: the reported percentage beside the reproduced one."""
    palette = _style()
    reported = {(c["outcome"], c["arm"]): reported_number(c)[0] for c in claims if c["kind"] == "percent"}
    labels = [LABELS[o] for o in LABELS if any(k[0] == o for k in reported)]
    points = []
    for (outcome, arm), value in reported.items():
        row = labels.index(LABELS[outcome])
        points.append({"row": row - 0.12, "arm": arm, "source": "reported", "percent": value})
        points.append({"row": row + 0.12, "arm": arm, "source": "reproduced",
                       "percent": numbers["outcomes"][outcome][arm]["percent"]})
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    sns.scatterplot(data=pd.DataFrame(points), x="percent", y="row", hue="arm", style="source", hue_order=arms,
                    palette=palette[: len(arms)], markers={"reported": "o", "reproduced": "X"},
                    s=60, alpha=0.9, ax=ax)
    ax.set(xlim=(0, 100), xlabel="Patients at the horizon (%)", ylabel="",
           yticks=range(len(labels)), yticklabels=labels, ylim=(len(labels) - 0.5, -0.5))
    ax.legend(frameon=False, bbox_to_anchor=(1.01, 1), loc="upper left")
    sns.despine(ax=ax)
    return fig


def p_value_space_figure(ident: dict[str, Any], bin_width: float) -> plt.Figure:
    """Distribution of the log-rank P over the layouts the reported counts allow, beside the
    band of values that print as reported: death days (all layouts) and ventilation-free
    survival (Monte Carlo, death layouts restricted to those reproducing the mortality P)."""
    from scipy.stats import chi2 as chi2_distribution

    from .rounding import printing_interval

    palette = _style()
    panels = [("death_days", "survival", "Survival: all death-day layouts"),
              ("vent_free", "vent_free_survival", "Ventilation-free survival: joint layouts drawn")]
    reported = {row["endpoint"]: row["reported"] for row in ident["tests"]}
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, (key, endpoint, title) in zip(axes, panels):
        counts = ident[key]["histogram"]["counts"]
        used = [k for k, c in enumerate(counts) if c]
        lo, hi = used[0], used[-1] + 1
        edges = [chi2_distribution.sf(k * bin_width, 1) for k in range(lo, hi + 1)]
        share = [c / sum(counts) for c in counts[lo:hi]]
        ax.stairs(share, edges, fill=True, color=palette[0], alpha=0.8)
        p_low, p_high = printing_interval(reported[endpoint])
        ax.axvspan(p_low, p_high, color=palette[1], alpha=0.3, label=f"prints as {reported[endpoint]}")
        ax.set(xscale="log", xlabel="Log-rank P (log scale)", ylabel="Share of layouts", title=title)
        ax.title.set_fontsize("medium")
        ax.legend(frameon=False, loc="upper left")
        sns.despine(ax=ax)
    fig.tight_layout()
    return fig


def forest_figure(robust: dict[str, Any]) -> plt.Figure:
    """Effect measures of treated vs control with their intervals, on a log scale (1 = no effect)."""
    palette = _style()
    rows = []
    for endpoint, title in (("survival", "Death"), ("vent_free_survival", "Ventilation or death")):
        r = robust[endpoint]
        rows += [(f"{title}: risk ratio", r["risk"]["risk_ratio"]["estimate"], r["risk"]["risk_ratio"]),
                 (f"{title}: odds ratio (exact)", r["risk"]["odds_ratio"]["conditional_mle"], r["risk"]["odds_ratio"]),
                 (f"{title}: hazard ratio (Cox)", r["cox"]["hazard_ratio"], r["cox"])]
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    for y, (label, estimate, interval) in enumerate(rows):
        colour = palette[0] if y < 3 else palette[2]
        ax.plot([interval["ci_lower"], interval["ci_upper"]], [y, y], color=colour, linewidth=2)
        ax.plot([estimate], [y], "s", color=colour)
    ax.axvline(1, color="0.4", linestyle="--", linewidth=1)
    ax.set(xscale="log", yticks=range(len(rows)), yticklabels=[r[0] for r in rows], ylim=(len(rows) - 0.5, -0.5),
           xlabel="Treated vs control (log scale; below 1 favours anakinra)")
    _ratio_axis(ax)
    sns.despine(ax=ax)
    return fig


def posterior_figure(robust: dict[str, Any]) -> plt.Figure:
    """Posterior densities of log RR under each prior, as computed on the grid, for each endpoint;
    the dotted line marks the clinically relevant risk ratio of the config."""
    import numpy as np

    palette = _style()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=False)
    for ax, (endpoint, title) in zip(axes, (("survival", "Death"), ("vent_free_survival", "Ventilation or death"))):
        bayes = robust[endpoint]["bayes"]
        rr = np.exp(bayes["density"]["log_rr"])
        for colour, (prior, values) in zip(palette, bayes["density"]["posterior"].items()):
            ax.plot(rr, values, color=colour, label=prior.replace("_", " "))
        ax.axvline(1, color="0.4", linestyle="--", linewidth=1)
        ax.axvline(bayes["threshold_rr"], color="0.4", linestyle=":", linewidth=1)
        ax.set(xscale="log", xlabel="Risk ratio, treated vs control (log scale)", ylabel="Posterior density of log RR",
               title=f"{title}: posterior", xlim=(max(rr[0], 0.01), min(rr[-1], 20)))
        ax.title.set_fontsize("medium")
        _ratio_axis(ax)
        sns.despine(ax=ax)
    axes[0].legend(frameon=False, title="prior")
    fig.tight_layout()
    return fig
