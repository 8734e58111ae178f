"""The figures' shared style, sizes, colours and log axes: one module that every drawing module imports.

Sizes are chosen for a phone as much as for the page: every figure is ``FIGURE_INCHES`` wide
(narrower than the text column of an A4 page with 2 cm margins, ``COLUMN_INCHES``, so the PDF
shows it at its own size) and every text is at least ``MIN_POINTS`` points, so that a phone
that scales the image down to its ``PHONE_COLUMN_PX`` column still shows every text at 11 CSS
pixels or more. Each PNG records its smallest text size (``SMALLEST_TEXT_KEY``), which the browser
test reads. Files are byte-stable (no dates, fixed ids).

Colours are five of Okabe and Ito's colour-blind-safe set, chosen so that every pair stays apart
with normal colour vision and with each of the three dichromacies (``tests/test_figures.py``
measures it on every figure); a colour that writes text is darkened until it has WCAG's 4.5:1
contrast on white (:func:`text_colour`).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter, Locator, LogLocator, NullFormatter  # noqa: E402

DPI = 300
COLUMN_INCHES = 6.3  # A4 (8.27 in) less 2 cm margins each side, rounded down
FIGURE_INCHES = 4.4  # drawn this wide; 11 pt on up to 4.8 in is 11 CSS px or more in a phone's 349 px column
PHONE_COLUMN_PX = 349  # the width of the document's column on a 400 px phone (CSS px)
MIN_POINTS = 11  # smallest text at print size
SMALLEST_TEXT_KEY = "Smallest text (pt)"  # PNG text chunk: the smallest font size in the figure
PAD_INCHES = 0.04  # white margin around a saved figure
FONT_POINTS = {
    "font.size": MIN_POINTS,
    "axes.labelsize": MIN_POINTS,
    "axes.titlesize": MIN_POINTS,
    "xtick.labelsize": MIN_POINTS,
    "ytick.labelsize": MIN_POINTS,
    "legend.fontsize": MIN_POINTS,
    "legend.title_fontsize": MIN_POINTS,
}

# Okabe and Ito (2008). Any two of these differ by a CIEDE2000 of 20 or more with normal vision,
# protanopia, deuteranopia and tritanopia; orange (#E69F00) is left out, being too close to
# vermillion for a deuteranope, and so are green, yellow and purple.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
SKY_BLUE = "#56B4E9"
BLACK = "#000000"
GREY = "#999999"
PALETTE = [BLUE, VERMILLION, SKY_BLUE, BLACK, GREY]
ARM_COLOURS = {"both": SKY_BLUE, "unstated": BLACK, "all": GREY}  # the two arms: blue, vermillion
REFERENCE = "0.35"  # lines of reference (no effect, zero) and markers that stand for a shape only
QUIET_TEXT = "0.25"  # text set apart from the rest (a note), still far above 4.5:1 on white
TEXT_CONTRAST = 4.6  # a little above WCAG 2.1 AA's 4.5:1 for text


def arm_colour(arm: str, arms: list[str] | tuple[str, ...] = ("anakinra", "standard")) -> str:
    """The colour of an arm, the same in every figure: the treated arm (first of ``arms``) blue,
    the other vermillion; a claim's "both" and "unstated" (and "all") have their own."""
    return (BLUE, VERMILLION)[list(arms).index(arm)] if arm in arms else ARM_COLOURS[arm]


def _luminance(colour: str | tuple) -> float:
    """WCAG 2.1 relative luminance of a colour."""
    rgb = np.array(matplotlib.colors.to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def text_colour(colour: str | tuple) -> str:
    """The colour, darkened towards black just enough for text on white to reach
    ``TEXT_CONTRAST`` (a dark colour is returned as it is)."""
    rgb = np.array(matplotlib.colors.to_rgb(colour))
    for share in np.linspace(1, 0, 101):
        darker = rgb * share
        if 1.05 / (_luminance(tuple(darker)) + 0.05) >= TEXT_CONTRAST:
            return matplotlib.colors.to_hex(darker)
    return BLACK


def style() -> list[str]:
    """Apply the shared style (fonts of at least ``MIN_POINTS`` at print size, the palette);
    return the palette."""
    sns.set_theme(style="ticks", context="paper", palette=PALETTE, rc=FONT_POINTS)
    plt.rcParams["svg.hashsalt"] = "anakinra-replication"
    return list(PALETTE)


def plain_number(value: float, _position: object = None) -> str:
    """A tick label as a plain decimal, with no trailing zeros: 0.005, 0.1, 2."""
    return np.format_float_positional(value, trim="-")


class LogTicks(Locator):
    """Major ticks of a log axis at 1-2-5, 1-3 or 1 times a power of ten (or every second or third
    power of ten): the densest series whose labels, at the axis's size as drawn, stand apart.
    A short axis with fewer than three ticks in 1-2-5 takes 1-2-3-5-7 when those fit."""

    SERIES = ((1, 2, 5), (1, 3), (1,))
    FINE = (1, 2, 3, 5, 7)

    def __call__(self) -> list[float]:
        low, high = self.axis.get_view_interval()
        return self.tick_values(low, high)

    def tick_values(self, vmin: float, vmax: float) -> list[float]:
        low, high = sorted((max(vmin, 1e-300), max(vmax, 1e-300)))
        chosen = None
        for series in self.SERIES:
            ticks = _series(low, high, series)
            if len(ticks) >= 2 and self._fit(ticks):
                chosen = ticks
                break
        if chosen is None:
            decades = _series(low, high, (1,))
            stride = next((s for s in range(1, len(decades) + 1) if self._fit(decades[::s])), len(decades) or 1)
            chosen = decades[::stride]
        if len(chosen) < 3:
            finer = _series(low, high, self.FINE)
            chosen = finer if len(finer) > len(chosen) and self._fit(finer) else chosen
        return chosen

    def _fit(self, ticks: list[float]) -> bool:
        """Whether labels of these ticks stand apart on the axis as it is drawn now (width of a
        label: 0.62 em a character; 0.6 em of space between two)."""
        if self.axis is None or len(ticks) < 2:
            return True
        axes = self.axis.axes
        vertical = self.axis.axis_name == "y"
        points = [(0.0, t) if vertical else (t, 0.0) for t in ticks]
        place = axes.transData.transform(points)[:, 1 if vertical else 0]
        em = self.axis.majorTicks[0].label1.get_fontsize() * axes.figure.dpi / 72
        sizes = [em * (1.2 if vertical else 0.62 * len(plain_number(t))) for t in ticks]
        gaps = np.abs(np.diff(place))
        needed = [(a + b) / 2 + 0.6 * em for a, b in zip(sizes, sizes[1:])]
        return bool(np.all(gaps >= needed))


def _series(low: float, high: float, series: tuple[int, ...]) -> list[float]:
    """Every value ``m * 10**k`` (``m`` in ``series``) between ``low`` and ``high``."""
    first, last = int(np.floor(np.log10(low))), int(np.ceil(np.log10(high)))
    values = [float(f"{m}e{k}") for k in range(first, last + 1) for m in series]
    return [v for v in values if low <= v <= high]


def log_axis(ax: plt.Axes, which: str = "x") -> None:
    """Make an axis logarithmic, with plain labels at chosen major ticks (:class:`LogTicks`) and
    unlabelled minor ticks, so that no two labels run together."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    axis.set_major_locator(LogTicks())
    axis.set_major_formatter(FuncFormatter(plain_number))
    axis.set_minor_locator(LogLocator(subs="auto"))
    axis.set_minor_formatter(NullFormatter())


def smallest_text_points(fig: plt.Figure) -> float:
    """The font size (points) of the smallest visible, non-empty text of a figure."""
    from matplotlib.text import Text

    return min(t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip())


def save(fig: plt.Figure, png: str | Path, svg: str | Path) -> None:
    """Write PNG (300 dpi, recording its smallest text size) and SVG, without timestamps."""
    smallest = {SMALLEST_TEXT_KEY: f"{smallest_text_points(fig):g}"}
    fig.savefig(png, dpi=DPI, bbox_inches="tight", pad_inches=PAD_INCHES, metadata={"Software": None, **smallest})
    fig.savefig(svg, bbox_inches="tight", pad_inches=PAD_INCHES, metadata={"Date": None, "Creator": None})
    plt.close(fig)
