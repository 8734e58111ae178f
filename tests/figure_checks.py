"""What a reader meets in a drawn figure, measured on matplotlib's own layout (for tests/test_figures.py).

After ``fig.canvas.draw()``: the box of every text that was drawn (tick labels, axis titles,
titles, legend entries and titles, annotations), the legends' boxes, and the plotted data as
drawn (the vertices of lines in display coordinates, the outlines of filled areas and bars, the
positions of markers). From these: texts that overlap, legends that cover data, the contrast of
each text with what lies behind it, and the colours that carry meaning. Nothing here is taken
from the package under test.
"""

from __future__ import annotations

from contextlib import contextmanager
from itertools import combinations

import numpy as np
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from colour_vision import contrast_ratio, smallest_difference

TOUCH_PX = 0.5  # boxes that share less than this (display pixels) in height are on different lines
SPACE_EM = 0.25  # texts side by side closer than this (ems) run together ("0.050.10")
NO_LINE = {"None", "none", "", " "}


@contextmanager
def _recording_texts(drawn: list[tuple[Text, Bbox]]):
    """While active, every Text that draws itself (non-empty and visible) is appended to
    ``drawn`` with its box on the renderer that drew it."""
    original = Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append((self, self.get_window_extent(renderer)))

    Text.draw = draw
    try:
        yield
    finally:
        Text.draw = original


def draw(fig):
    """Lay the figure out and draw it on an Agg canvas (a figure closed by pyplot has lost its
    own, and a bare canvas draws nothing); return the renderer."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def drawn_texts(fig) -> list[tuple[Text, Bbox]]:
    """Draw the figure; return each text it drew, with its box in display pixels."""
    drawn: list[tuple[Text, Bbox]] = []
    with _recording_texts(drawn):
        draw(fig)
    assert drawn, "the figure drew no text: nothing was laid out"
    return drawn


def overlapping_texts(drawn: list[tuple[Text, Bbox]], dpi: float = 100) -> list[tuple[str, str]]:
    """Pairs of drawn texts that overlap or run together: boxes that share more than TOUCH_PX
    vertically and stand less than SPACE_EM (of the larger font) apart side by side."""
    found = []
    for (a, box_a), (b, box_b) in combinations(drawn, 2):
        space = SPACE_EM * max(a.get_fontsize(), b.get_fontsize()) * dpi / 72
        width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if width > -space and height > TOUCH_PX:
            found.append((a.get_text(), b.get_text()))
    return found


def legends(fig) -> list[Legend]:
    """Every visible legend of the figure and of its axes."""
    found = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return [legend for legend in found if legend.get_visible()]


def data_artists(fig) -> list:
    """What each axes plots: lines, patches (bars, spans, steps) and collections (filled areas,
    scatter), visible ones only; not the axes' own frame, ticks or legend."""
    found = []
    for ax in fig.axes:
        found += [a for a in (*ax.lines, *ax.patches, *ax.collections) if a.get_visible() and _alpha(a) > 0]
    return found


def _alpha(artist) -> float:
    """An artist's own alpha (1 when unset)."""
    alpha = artist.get_alpha()
    return 1.0 if alpha is None else float(alpha)


def _clipped(box: Bbox, artist) -> Bbox | None:
    """The part of ``box`` where the artist can show (inside its clip box when it clips), or None."""
    clip = artist.get_clip_box() if artist.get_clip_on() else None
    return box if clip is None else Bbox.intersection(box, clip)


def _line_points(line: Line2D) -> np.ndarray:
    """A line's vertices in display pixels, as drawn (steps expanded, missing values dropped)."""
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    style = line.get_drawstyle()
    if style in cbook.STEP_LOOKUP_MAP and style != "default" and len(x) > 1:
        x, y = cbook.STEP_LOOKUP_MAP[style](x, y)
    points = line.get_transform().transform(np.column_stack([x, y]))
    return points[np.all(np.isfinite(points), axis=1)]


def covers(box: Bbox, artist, dpi: float) -> bool:
    """Whether an artist, as drawn, shows anywhere inside ``box`` (display pixels): a segment of a
    line, a marker (its size counted), or any part of a filled or outlined shape."""
    region = _clipped(box, artist)
    if region is None or region.width <= 0 or region.height <= 0:
        return False
    if isinstance(artist, Line2D):
        points = _line_points(artist)
        if artist.get_linestyle() not in NO_LINE and artist.get_linewidth() > 0 and len(points) > 1:
            if Path(points).intersects_bbox(region, filled=False):
                return True
        if artist.get_marker() not in NO_LINE and artist.get_marker() is not None:
            return _points_inside(points, region, artist.get_markersize() * dpi / 72 / 2)
        return False
    if isinstance(artist, Patch):
        path = artist.get_transform().transform_path(artist.get_path())
        return path.intersects_bbox(region, filled=artist.get_fill())
    if isinstance(artist, PathCollection) and len(artist.get_offsets()):
        points = artist.get_offset_transform().transform(artist.get_offsets())
        sizes = artist.get_sizes()
        radius = (np.sqrt(sizes.max()) if len(sizes) else 6.0) * dpi / 72 / 2
        return _points_inside(points, region, radius)
    if isinstance(artist, Collection):
        filled = len(artist.get_facecolors()) > 0 and bool(np.any(artist.get_facecolors()[:, 3] > 0))
        return any(
            artist.get_transform().transform_path(path).intersects_bbox(region, filled=filled)
            for path in artist.get_paths()
        )
    return False


def _points_inside(points: np.ndarray, region: Bbox, radius: float) -> bool:
    """Whether a marker of this radius centred on any point reaches into the region."""
    if not len(points):
        return False
    grown = region.padded(radius)
    return bool(
        np.any(
            (points[:, 0] >= grown.x0)
            & (points[:, 0] <= grown.x1)
            & (points[:, 1] >= grown.y0)
            & (points[:, 1] <= grown.y1)
        )
    )


def legends_over_data(fig) -> list[tuple[str, str]]:
    """Each legend (named by its texts) and each plotted artist it covers; draws the figure first."""
    renderer = draw(fig)
    found = []
    for legend in legends(fig):
        box = legend.get_window_extent(renderer)
        name = " / ".join(t.get_text() for t in (legend.get_title(), *legend.get_texts()) if t.get_text())
        found += [(name, _describe(a)) for a in data_artists(fig) if covers(box, a, fig.dpi)]
    return found


def _describe(artist) -> str:
    """An artist in a few words, for a failure message."""
    label = artist.get_label()
    return f"{type(artist).__name__}({label!r})" if label and not label.startswith("_") else type(artist).__name__


def _over(colour, background) -> tuple[float, float, float]:
    """A colour with alpha, composited over an opaque background."""
    r, g, b, a = to_rgba(colour)
    base = to_rgba(background)[:3]
    return tuple(a * c + (1 - a) * k for c, k in zip((r, g, b), base))


def _facecolours(artist) -> list[tuple[float, float, float, float]]:
    """The fill colours of a filled artist, with its own alpha applied."""
    if isinstance(artist, Patch):
        colours = [artist.get_facecolor()] if artist.get_fill() else []
    elif isinstance(artist, Collection) and not isinstance(artist, PathCollection):
        colours = [tuple(c) for c in artist.get_facecolors()]
    else:
        colours = []
    return [c for c in colours if c[3] > 0]


def text_backgrounds(fig, text: Text, box: Bbox) -> list[tuple[float, float, float]]:
    """What may lie behind a text: its own box's fill when it has an opaque one; else the
    figure's face, the face of every axes it overlaps, and every filled area of the data that
    reaches under it, each composited as drawn."""
    own = text.get_bbox_patch()
    figure = _over(fig.get_facecolor(), "white")
    if own is not None and own.get_fill() and to_rgba(own.get_facecolor())[3] == 1:
        return [_over(own.get_facecolor(), figure)]
    found = [figure]
    for ax in fig.axes:
        if ax.patch.get_visible() and Bbox.intersection(box, ax.bbox) is not None:
            face = _over(ax.patch.get_facecolor(), figure)
            found.append(face)
            for artist in data_artists(fig):
                if artist.axes is ax and _facecolours(artist) and covers(box, artist, fig.dpi):
                    found += [_over(c, face) for c in _facecolours(artist)]
    return found


def low_contrast_texts(fig, drawn: list[tuple[Text, Bbox]], minimum: float) -> list[tuple[str, float]]:
    """Texts with less than ``minimum`` WCAG contrast against any background they may lie on."""
    found = []
    for text, box in drawn:
        colour = to_rgba(text.get_color(), text.get_alpha())
        ratio = min(contrast_ratio(_over(colour, bg), bg) for bg in text_backgrounds(fig, text, box))
        if ratio < minimum:
            found.append((text.get_text(), round(ratio, 2)))
    return found


def _artist_colours(artist) -> list:
    """The colours an artist paints with (line, marker face and edge, fill, outline)."""
    colours = []
    if isinstance(artist, Line2D):
        if artist.get_linestyle() not in NO_LINE and artist.get_linewidth() > 0:
            colours.append(to_rgba(artist.get_color(), artist.get_alpha()))
        if artist.get_marker() not in NO_LINE and artist.get_marker() is not None:
            colours += [to_rgba(artist.get_markerfacecolor()), to_rgba(artist.get_markeredgecolor())]
    elif isinstance(artist, (Patch, Collection)):
        colours += _facecolours(artist)
        edges = [artist.get_edgecolor()] if isinstance(artist, Patch) else list(artist.get_edgecolors())
        widths = [artist.get_linewidth()] if isinstance(artist, Patch) else list(artist.get_linewidths())
        if widths and max(widths) > 0:
            colours += [tuple(c) for c in edges]
    return [c for c in colours if c[3] > 0]


def meaning_colours(fig) -> list[tuple[float, float, float]]:
    """Every distinct colour that plotted data or a legend key paints, as it shows on the axes'
    face; the face itself (a white edge or a hollow marker) is left out."""
    face = _over(fig.axes[0].patch.get_facecolor(), "white") if fig.axes else (1.0, 1.0, 1.0)
    artists = data_artists(fig) + [h for legend in legends(fig) for h in legend.legend_handles if h is not None]
    shown = {tuple(round(c, 3) for c in _over(colour, face)) for a in artists for colour in _artist_colours(a)}
    return sorted(c for c in shown if max(abs(x - y) for x, y in zip(c, face)) > 1 / 255)


def confusable_colours(fig, minimum: float) -> list[tuple[str, str, float, str]]:
    """Pairs of the figure's meaning colours closer than ``minimum`` (CIEDE2000) in normal vision
    or in any dichromacy, with the difference and the vision that gives it."""
    from matplotlib.colors import to_hex

    found = []
    for a, b in combinations(meaning_colours(fig), 2):
        difference, vision = smallest_difference(a, b)
        if difference < minimum:
            found.append((to_hex(a), to_hex(b), round(difference, 1), vision))
    return found
