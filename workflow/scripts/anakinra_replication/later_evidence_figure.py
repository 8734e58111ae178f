"""Forest plot of the early estimate beside the later evidence, drawn from the checked register
and the comparison; nothing is recomputed. Shares the style of :mod:`anakinra_replication.figures`.

The plot is a table with one line per estimate: what tells it apart from its neighbours (outcome,
time point) at the left, its interval on the ratio axis, the printed estimate at the right. The
estimates of one study and population sit under one heading that says what they share, and the
headings under the design's. Twenty estimates so fit on a page at the size of the other figures.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.transforms import blended_transform_factory

from .figure_style import BLACK, BLUE, FIGURE_INCHES, MIN_POINTS, REFERENCE, VERMILLION, log_axis
from .figure_style import style as _style
from .later_evidence import DESIGNS, RATIO_MEASURES
from .later_evidence_text import DESIGN_WORDS
from .rounding import printed

FONT_PT = MIN_POINTS  # every text at print size (figure width WIDTH_IN inches)
WIDTH_IN = FIGURE_INCHES  # narrow enough for a phone to show every text at 11 CSS px or more
LINE_SPACING = 1.1  # lines of a text this many ems apart (matplotlib's default, 1.2, takes a tenth more)
LINE_IN = LINE_SPACING * FONT_PT / 72  # one line of text
GROUP_GAP_IN = 0.06  # space above a design's heading
INDENT_IN = 0.12  # an estimate's words, indented under the heading
AXIS_IN = 1.25  # the ratio axis
GUTTER_IN = 0.06  # space either side of the ratio axis
BOTTOM_IN = 0.95  # tick labels, axis title and key below the rows
X_RANGE = (0.05, 5)  # the ratio axis at its narrowest (every registered interval fits)
X_LIMITS = (0.01, 100)  # ... and at its widest: an interval beyond ends in an arrowhead at the edge

SHORT_MEASURE = {
    "RR": "RR",
    "OR": "OR",
    "HR": "HR",
    "proportional_OR": "pOR",
    "relative_effect": "RE",
    "not_stated": "",
}
COLOURS = {"early": VERMILLION, True: BLUE, False: BLACK}  # the early estimate; adverse outcome or not


def printed_short(entry: dict[str, Any]) -> str:
    """The printed estimate in a few characters: "RR 1.06 (0.89-1.26)", "OR 0.99 (CrI 0.74-1.35)"."""
    text = f"{SHORT_MEASURE[entry['measure']]} {entry['value'] if entry['value'] is not None else 'no point'}".strip()
    interval = entry["interval"]
    if interval:
        kind = "CrI " if interval["kind"] == "credible" else ""
        text += f" ({kind}{interval['lower']}\u2013{interval['upper']})"
    return text


def when_words(time_point: str) -> str:
    """A time point in words: "day 28"; "time not stated" rather than a bare "not stated"."""
    return f"time {time_point}" if time_point.startswith("not") else time_point


def forest_rows(register: dict[str, Any], comp: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per drawable estimate, headed by the early one, grouped by design.

    A row has its study, outcome, population and time point (and, together, a two-line label:
    study and outcome; population), the point (None if not printed), the interval (None if not
    printed), the printed estimate and whether a ratio below one favours anakinra. Only ratio
    measures fit a ratio axis: the risk difference stays in the table.
    """
    early = comp["early"]
    horizon = early.get("horizon_days")
    rows: list[dict[str, Any]] = [{"group": "Early study (this cohort)"}]
    row = {
        "study": "Cavalli 2020",
        "outcome": "death",
        "population": "ARDS, ventilation outside ICU",
        "when": f"day {horizon}" if horizon else "",
        "point": None,
        "interval": None,
        "estimate": "RR not estimable",
        "adverse": True,
        "early": True,
    }
    if early["available"]:
        row.update(
            point=early["estimate"],
            interval=(early["ci_lower"], early["ci_upper"]),
            estimate=f"RR {printed(early['estimate'], 2)} "
            f"({printed(early['ci_lower'], 2)}\u2013{printed(early['ci_upper'], 2)})",
        )
    rows.append(row)
    for design in DESIGNS:
        entries = [e for e in register["estimates"] if e["design"] == design and e["measure"] in RATIO_MEASURES]
        if entries:
            rows.append({"group": DESIGN_WORDS[design].capitalize()})
        for e in entries:
            rows.append(
                {
                    "study": e["study"].split(" (")[0].replace(" et al.", ""),
                    "outcome": e["outcome_short"],
                    "population": e["population_short"],
                    "when": when_words(e["time_point"]),
                    "point": float(e["value"]) if e["value"] is not None else None,
                    "interval": (float(e["interval"]["lower"]), float(e["interval"]["upper"]))
                    if e["interval"]
                    else None,
                    "estimate": printed_short(e),
                    "adverse": e["outcome_is_adverse"],
                    "early": False,
                }
            )
    for row in rows:
        if "study" in row:
            row["label"] = f"{row['study']}: {row['outcome']}\n{row['population']}"
    return rows


def _width_in(text: str) -> float:
    """The width of one line of text at FONT_PT, in inches, as the figure's font sets it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    return TextToPath().get_text_width_height_descent(text, FontProperties(size=FONT_PT), ismath=False)[0] / 72


def _wrap(text: str, inches: float) -> list[str]:
    """A text broken at spaces into lines no wider than ``inches`` at FONT_PT (a word wider than
    that keeps a line of its own), never next to a number or a sign of comparison ("day 28",
    "suPAR ≥ 6 ng/mL" stay whole)."""
    lines: list[str] = []
    for word in _unbreakable(text):
        if lines and _width_in(f"{lines[-1]} {word}") <= inches:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _unbreakable(text: str) -> list[str]:
    """The words of a text, a number or sign of comparison joined to its neighbours."""
    words: list[str] = []
    for word in text.split():
        if words and (re.match(r"[\d\u2264\u2265<>=]", word) or re.search(r"[\d\u2264\u2265<>=]$", words[-1])):
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    return words


def forest_blocks(rows: list[dict[str, Any]], label_in: float, estimate_in: float) -> list[dict[str, Any]]:
    """The rows laid out as a table: design headings, and under each the estimates of one study
    and population as a block. A block's heading names the study and population, and the outcome
    or time point when all its estimates share it and the heading has room (whichever takes the
    fewest lines, the words of a line wrapped at ``label_in`` inches, its printed estimate at
    ``estimate_in``); each line names what is left beside the interval and the printed estimate."""
    blocks: list[dict[str, Any]] = []
    for _, run in groupby(_study_order(rows), key=lambda r: (r.get("group"), r.get("study"), r.get("population"))):
        run = list(run)
        if "group" in run[0]:
            blocks.append({"group": run[0]["group"]})
            continue
        shared = [k for k in ("outcome", "when") if len({r[k] for r in run}) == 1]
        options = [
            _block(run, kept, label_in, estimate_in) for kept in ([], ["outcome"], ["when"], ["outcome", "when"])
        ]
        blocks.append(
            min((o for o in options if set(o["kept"]) <= set(shared)), key=lambda o: (o["lines"], -len(o["kept"])))
        )
    return blocks


def _block(run: list[dict[str, Any]], kept: list[str], label_in: float, estimate_in: float) -> dict[str, Any]:
    """A block whose heading holds the study, the fields ``kept`` (shared by the run) and the
    population; its rows hold the other fields and the printed estimate, wrapped; ``lines``
    counts the lines it takes."""
    first = run[0]
    study = first["study"] + (f": {first['outcome']}" if "outcome" in kept else "")
    place = ", ".join(filter(None, [first["population"], first["when"] if "when" in kept else ""]))
    heading = _wrap(f"{study} \u00b7 {place}", WIDTH_IN)
    rows = []
    for r in run:
        words = _wrap(", ".join(filter(None, (r[k] for k in ("outcome", "when") if k not in kept))), label_in)
        estimate = _estimate_lines(r["estimate"], estimate_in)
        rows.append(
            {**r, "words": "\n".join(words), "printed": "\n".join(estimate), "height": max(len(words), len(estimate))}
        )
    return {
        "heading": "\n".join(heading),
        "kept": kept,
        "rows": rows,
        "lines": len(heading) + sum(r["height"] for r in rows),
    }


def _estimate_lines(text: str, inches: float) -> list[str]:
    """A printed estimate on one line, or, wider than ``inches``, the interval under the point."""
    if _width_in(text) <= inches or " (" not in text:
        return [text]
    point, interval = text.split(" (", 1)
    return [point, f"({interval}"]


def _study_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with those of one study and population brought together within their design, each
    at the place of its first row (the order is otherwise kept)."""
    ordered: list[dict[str, Any]] = []
    start = 0  # where the current design's rows begin
    for row in rows:
        if "group" in row:
            ordered.append(row)
            start = len(ordered)
            continue
        key = (row["study"], row["population"])
        same = [k for k in range(start, len(ordered)) if (ordered[k]["study"], ordered[k]["population"]) == key]
        ordered.insert(same[-1] + 1 if same else len(ordered), row)
    return ordered


def later_evidence_figure(register: dict[str, Any], comp: dict[str, Any]) -> plt.Figure:
    """Forest plot on a log ratio axis, narrow enough for a phone and short enough for a page:
    one line per estimate under its study's heading (see :func:`forest_blocks`). Filled squares
    for outcomes to avoid (below one favours anakinra), open squares where above one favours
    anakinra; no square where no point is printed; the early estimate in its own colour. The
    columns: the estimates' words, the axis (``AXIS_IN``), the printed estimates (as wide as
    makes the table shortest, a wider estimate's interval going under its point); the key sits
    beside the axis title."""
    _style()
    rows = forest_rows(register, comp)
    printed_rows = [r["estimate"] for r in rows if "estimate" in r]
    widths = {_width_in(line) for text in printed_rows for line in (text, *_estimate_lines(text, 0))}
    # the column of printed estimates as wide as one of them, whichever makes the table shortest
    layout, y, label_in = min((_table(rows, width) for width in widths), key=lambda t: (t[1], -t[2]))
    height = y + BOTTOM_IN + 0.05
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    axis_left = (INDENT_IN + label_in + GUTTER_IN) / WIDTH_IN
    axis_right = axis_left + AXIS_IN / WIDTH_IN
    fig.subplots_adjust(left=axis_left, right=axis_right, top=1 - 0.05 / height, bottom=BOTTOM_IN / height)
    xlim = _ratio_range([line for kind, line, _ in layout if kind == "line"])
    ax.set(xlim=xlim, ylim=(y, 0), yticks=[], xlabel="Ratio, anakinra\nagainst control\n(log scale)")
    log_axis(ax)
    across = blended_transform_factory(fig.transFigure, ax.transData)  # x: share of the width; y: inches down
    for kind, content, top in layout:
        if kind == "line":
            _draw_line(ax, across, content, top, (axis_right * WIDTH_IN + GUTTER_IN) / WIDTH_IN, xlim)
        else:
            weight = "bold" if kind == "group" else "normal"
            ax.text(0, top, content, transform=across, va="top", fontweight=weight, linespacing=LINE_SPACING)
    for top, bottom in _runs(layout):
        ax.plot([1, 1], [top, bottom], color=REFERENCE, linestyle="--", linewidth=1, zorder=0)
    _key(fig, axis_right)
    sns.despine(ax=ax, left=True)
    return fig


def _key(fig: plt.Figure, left: float) -> None:
    """The key of the squares, beside the axis title from ``left`` (a share of the width)."""
    below = plt.Line2D([], [], marker="s", linestyle="", color=COLOURS[True], label="below one\nfavours anakinra")
    above = plt.Line2D(
        [],
        [],
        marker="s",
        linestyle="",
        color=COLOURS[False],
        markerfacecolor="white",
        label="above one\nfavours anakinra",
    )
    fig.legend(
        handles=[below, above],
        frameon=False,
        loc="lower left",
        bbox_to_anchor=(left, 0.0),
        borderaxespad=0.1,
        handlelength=1,
        handletextpad=0.4,
    )


def _table(rows: list[dict[str, Any]], estimate_in: float) -> tuple[list[tuple[str, Any, float]], float, float]:
    """The table's parts, each with its top in inches from the top (kind: group, heading or
    line), the height of them all and the width of the column of words, when the printed
    estimates take ``estimate_in`` inches."""
    label_in = WIDTH_IN - estimate_in - AXIS_IN - 2 * GUTTER_IN - INDENT_IN
    layout, y = [], 0.0
    for block in forest_blocks(rows, label_in, estimate_in):
        if "group" in block:
            y += GROUP_GAP_IN if layout else 0
            layout.append(("group", block["group"], y))
            y += LINE_IN
            continue
        layout.append(("heading", block["heading"], y))
        y += LINE_IN * (block["heading"].count("\n") + 1)
        for row in block["rows"]:
            layout.append(("line", row, y))
            y += LINE_IN * row["height"]
    return layout, y, label_in


def _ratio_range(lines: list[dict[str, Any]]) -> tuple[float, float]:
    """The ratio axis: X_RANGE widened to every point and interval (a fifth beyond), within X_LIMITS."""
    values = [v for line in lines for v in (line["point"], *(line["interval"] or ())) if v is not None and v > 0]
    low = min([X_RANGE[0], *(v / 1.2 for v in values)])
    high = max([X_RANGE[1], *(v * 1.2 for v in values)])
    return max(low, X_LIMITS[0]), min(high, X_LIMITS[1])


def _draw_line(
    ax: plt.Axes, across: Any, line: dict[str, Any], top: float, estimate_x: float, xlim: tuple[float, float]
) -> None:
    """One estimate: its words at the left, its interval and point, its printed estimate at the
    right; an end of the interval (or a point) beyond the axis is an arrowhead at its edge."""
    middle = top + LINE_IN / 2
    colour = COLOURS["early"] if line["early"] else COLOURS[line["adverse"]]
    if line["words"]:
        ax.text(INDENT_IN / WIDTH_IN, top, line["words"], transform=across, va="top", linespacing=LINE_SPACING)
    ends = [v for v in (*(line["interval"] or ()), line["point"]) if v is not None]
    if line["interval"]:
        shown = [min(max(v, xlim[0]), xlim[1]) for v in line["interval"]]
        ax.plot(shown, [middle, middle], color=colour, linewidth=1.6, solid_capstyle="butt")
    if line["point"] is not None and xlim[0] <= line["point"] <= xlim[1]:
        ax.plot(
            [line["point"]],
            [middle],
            "s",
            markersize=5.5,
            color=colour,
            markerfacecolor=colour if line["adverse"] else "white",
            markeredgewidth=1.4,
        )
    for edge, arrow, beyond in (
        (xlim[0], "<", min(ends, default=xlim[0]) < xlim[0]),
        (xlim[1], ">", max(ends, default=xlim[1]) > xlim[1]),
    ):
        if beyond:
            ax.plot([edge], [middle], arrow, color=colour, markersize=6, clip_on=False)
    ax.text(estimate_x, top, line["printed"], transform=across, va="top", linespacing=LINE_SPACING)


def _runs(layout: list[tuple[str, Any, float]]) -> list[tuple[float, float]]:
    """The vertical extents (inches from the top) of each block's estimate lines, where the line of
    no effect is drawn (it stops at the headings)."""
    runs: list[list[float]] = []
    previous = None
    for kind, content, top in layout:
        if kind == "line":
            bottom = top + LINE_IN * content["height"]
            if previous == "line":
                runs[-1][1] = bottom
            else:
                runs.append([top, bottom])
        previous = kind
    return [(a, b) for a, b in runs]
