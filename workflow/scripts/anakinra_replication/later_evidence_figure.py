"""Forest plot of the early estimate beside the later evidence, drawn from the checked register
and the comparison; nothing is recomputed. Shares the style of :mod:`anakinra_replication.figures`."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import seaborn as sns

from .figure_style import FIGURE_INCHES, MIN_POINTS
from .figure_style import ratio_axis as _ratio_axis
from .figure_style import style as _style
from .later_evidence import DESIGNS, RATIO_MEASURES
from .later_evidence_text import DESIGN_WORDS
from .rounding import printed

FONT_PT = MIN_POINTS  # every text at print size (figure width WIDTH_IN inches)
WIDTH_IN = FIGURE_INCHES  # narrow enough for a phone to show every text at 11 CSS px or more
LINE_IN = 0.19  # one line of text
ENTRY_UNITS = 3.1  # lines per estimate: study and outcome, population and time, the interval
GROUP_UNITS = 1.4  # lines per group heading


SHORT_MEASURE = {
    "RR": "RR",
    "OR": "OR",
    "HR": "HR",
    "proportional_OR": "pOR",
    "relative_effect": "RE",
    "not_stated": "",
}


def printed_short(entry: dict[str, Any]) -> str:
    """The printed estimate in a few characters: "RR 1.06 (0.89-1.26)", "OR 0.99 (CrI 0.74-1.35)"."""
    text = f"{SHORT_MEASURE[entry['measure']]} {entry['value'] if entry['value'] is not None else 'no point'}".strip()
    interval = entry["interval"]
    if interval:
        kind = "CrI " if interval["kind"] == "credible" else ""
        text += f" ({kind}{interval['lower']}\u2013{interval['upper']})"
    return text


def when_words(time_point: str) -> str:
    """A time point for the margin: "day 28"; "time not stated" rather than a bare "not stated"."""
    return f"time {time_point}" if time_point.startswith("not") else time_point


def forest_rows(register: dict[str, Any], comp: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per drawable estimate, headed by the early one, grouped by design.

    A row has a two-line label (study, outcome and time point; population), the point (None if
    not printed), the interval (None if not printed), the printed estimate for the right margin
    and whether a ratio below one favours anakinra. Only ratio measures fit a ratio axis: the
    risk difference stays in the table.
    """
    early = comp["early"]
    horizon = early.get("horizon_days")
    rows: list[dict[str, Any]] = [{"group": "Early study (this cohort)"}]
    label = "Cavalli 2020: death\nARDS, ventilation outside ICU"
    when = f"\nday {horizon}" if horizon else ""
    row = {
        "label": label,
        "point": None,
        "interval": None,
        "text": "RR not estimable" + when,
        "adverse": True,
        "early": True,
    }
    if early["available"]:
        row.update(
            point=early["estimate"],
            interval=(early["ci_lower"], early["ci_upper"]),
            text=f"RR {printed(early['estimate'], 2)} "
            f"({printed(early['ci_lower'], 2)}\u2013{printed(early['ci_upper'], 2)})" + when,
        )
    rows.append(row)
    for design in DESIGNS:
        entries = [e for e in register["estimates"] if e["design"] == design and e["measure"] in RATIO_MEASURES]
        if entries:
            rows.append({"group": DESIGN_WORDS[design].capitalize()})
        for e in entries:
            study = e["study"].split(" (")[0].replace(" et al.", "")
            rows.append(
                {
                    "label": f"{study}: {e['outcome_short']}\n{e['population_short']}",
                    "point": float(e["value"]) if e["value"] is not None else None,
                    "interval": (float(e["interval"]["lower"]), float(e["interval"]["upper"]))
                    if e["interval"]
                    else None,
                    "text": f"{printed_short(e)}\n{when_words(e['time_point'])}",
                    "adverse": e["outcome_is_adverse"],
                    "early": False,
                }
            )
    return rows


def _entry_lines(row: dict[str, Any]) -> tuple[str, str, str]:
    """A row's three lines on a narrow figure: study and outcome; population and time point; the
    printed estimate (beside the interval)."""
    study, population = (row["label"].split("\n") + [""])[:2]
    estimate, when = (row["text"].split("\n") + [""])[:2]
    return study, ", ".join(filter(None, (population, when))), estimate


def later_evidence_figure(register: dict[str, Any], comp: dict[str, Any]) -> plt.Figure:
    """Forest plot on a log ratio axis, narrow enough for a phone: each estimate has its study and
    outcome, then its population and time point, written above its interval, and the printed
    estimate beside it. Filled squares for outcomes to avoid (below one favours anakinra), open
    squares where above one favours anakinra; no square where no point is printed."""
    palette = _style()
    rows = forest_rows(register, comp)
    with plt.rc_context(
        {key: FONT_PT for key in ("font.size", "axes.labelsize", "xtick.labelsize", "legend.fontsize")}
    ):
        units = sum(GROUP_UNITS if "group" in row else ENTRY_UNITS for row in rows)
        height = 1.6 + LINE_IN * units
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
        fig.subplots_adjust(left=0.02, right=0.58, top=1 - 0.05 / height, bottom=1.3 / height)
        colours = {"early": palette[3], True: palette[0], False: palette[2]}
        text_box = {"facecolor": "white", "edgecolor": "none", "pad": 0.6}
        y = 0.0
        for row in rows:
            if "group" in row:
                ax.text(0, y + 0.9, row["group"], transform=ax.get_yaxis_transform(), fontweight="bold", bbox=text_box)
                y += GROUP_UNITS
                continue
            study, population, estimate = _entry_lines(row)
            for k, line in enumerate((study, population)):
                ax.text(0.01, y + 0.5 + k, line, transform=ax.get_yaxis_transform(), va="center", bbox=text_box)
            bar = y + 2.45
            colour = colours["early"] if row["early"] else colours[row["adverse"]]
            if row["interval"]:
                ax.plot(row["interval"], [bar, bar], color=colour, linewidth=1.6)
            if row["point"] is not None:
                ax.plot(
                    [row["point"]],
                    [bar],
                    "s",
                    markersize=5.5,
                    color=colour,
                    markerfacecolor=colour if row["adverse"] else "white",
                    markeredgewidth=1.4,
                )
            ax.text(1.03, bar, estimate, transform=ax.get_yaxis_transform(), ha="left", va="center")
            y += ENTRY_UNITS
        ax.axvline(1, color="0.4", linestyle="--", linewidth=1, zorder=0)
        ax.set(
            xscale="log", xlim=(0.06, 3), ylim=(y, 0), yticks=[], xlabel="Ratio, anakinra against control\n(log scale)"
        )
        _ratio_axis(ax)
        handles = [
            plt.Line2D([], [], marker="s", linestyle="", color=colours[True], label="below one favours anakinra"),
            plt.Line2D(
                [],
                [],
                marker="s",
                linestyle="",
                color=colours[False],
                markerfacecolor="white",
                label="above one favours anakinra",
            ),
        ]
        fig.legend(handles=handles, frameon=False, loc="lower left", bbox_to_anchor=(0.0, 0), ncol=1, fontsize=FONT_PT)
        sns.despine(ax=ax, left=True)
    return fig
