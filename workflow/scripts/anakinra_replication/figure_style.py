"""The figures' shared style and sizes: one module that every drawing module imports.

Sizes are chosen for a phone as much as for the page: every figure is ``FIGURE_INCHES`` wide
(narrower than the text column of an A4 page with 2 cm margins, ``COLUMN_INCHES``, so the PDF
shows it at its own size) and every text is at least ``MIN_POINTS`` points, so that a phone
that scales the image down to its 349-pixel column still shows every text at 11 CSS pixels or
more. Each PNG records its smallest text size (``SMALLEST_TEXT_KEY``), which the browser test
reads. Files are byte-stable (no dates, fixed ids).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import seaborn as sns  # noqa: E402

DPI = 300
COLUMN_INCHES = 6.3  # A4 (8.27 in) less 2 cm margins each side, rounded down
FIGURE_INCHES = 4.4  # drawn this wide; 11 pt on up to 4.8 in is 11 CSS px or more in a phone's 349 px column
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


def style() -> list:
    """Apply the shared style (fonts of at least ``MIN_POINTS`` at print size); return the
    palette (one colour per arm)."""
    sns.set_theme(style="ticks", context="paper", palette="colorblind", rc=FONT_POINTS)
    plt.rcParams["svg.hashsalt"] = "anakinra-replication"
    return sns.color_palette("colorblind")


def ratio_axis(ax: plt.Axes) -> None:
    """Log-scale ratio axis with plain tick labels (0.05, 0.1, ... 2) and no minor labels."""
    from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter

    low, high = ax.get_xlim()
    ticks = [t for t in (0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5) if low <= t <= high]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())


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
