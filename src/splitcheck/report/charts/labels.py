"""Text that fits: titles broken into balanced lines and sized to the figure, bar labels
that step aside (smaller, then upright) or make room rather than overlap.

Every decision is made on the rendered size of the text (``Text.get_window_extent``), not
on a count of characters: "1:33.5" and "lll" differ in width at the same length.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.text import Text

TITLE_SIZES_PT = (style.TITLE_PT, 14.0, 13.0, style.SMALL_PT)
"""A title tries these sizes on one line, then on two balanced lines, then three."""
MAX_TITLE_LINES = 3
TITLE_MARGIN_PX = 6.0
LABEL_BOX = {"facecolor": "white", "alpha": 0.9, "edgecolor": "none", "pad": 0.6}
"""Bar labels sit on white: a trend or reference line passing behind stays readable."""
ROOM_PX = 4.0
"""Bar labels stay this far inside the axes' edges."""
"""Space kept between a title's end and the figure's right edge."""


def title_lines(text: str, lines: int) -> str:
    """``text`` on ``lines`` lines whose longest is as short as it can be (so no line is
    left with one word on it), numbers kept with their units; a break after ":" or ","
    wins a tie."""
    words = style.wrap_title(text).split(" ")
    if lines <= 1 or len(words) <= 1:
        return " ".join(words)
    lines = min(lines, len(words))
    best: tuple[float, str] | None = None
    for cuts in itertools.combinations(range(1, len(words)), lines - 1):
        bounds = (0, *cuts, len(words))
        parts = [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
        longest = max(len(p) for p in parts)
        bonus = sum(0.5 for p in parts[:-1] if p.endswith((":", ",", ";")))
        score = longest - bonus
        if best is None or score < best[0]:
            best = (score, "\n".join(parts))
    return best[1] if best else text


def fit_title(ax: Axes, text: str) -> Text:
    """Set ``ax``'s left-aligned title to the largest size and fewest balanced lines
    that fit between the axes' left edge and the figure's right edge."""
    fig = ax.figure
    root = ax.get_figure(root=True)
    root.canvas.draw()  # lay the figure out: where the axes start is known after this
    renderer = root.canvas.get_renderer()
    available = fig.bbox.x1 - ax.get_window_extent(renderer).x0 - TITLE_MARGIN_PX
    title = ax.set_title(text, loc="left")
    for lines in range(1, MAX_TITLE_LINES + 1):
        layout = title_lines(text, lines)
        for size in TITLE_SIZES_PT:
            title = ax.set_title(layout, loc="left", fontsize=size, fontweight="bold")
            if title.get_window_extent(renderer).width <= available:
                return title
    return title


def label_bars(
    ax: Axes,
    xs: Sequence[float],
    ends: Sequence[float],
    texts: Sequence[str],
    slot: float,
    *,
    gid: str = "bar-label",
) -> list[Text]:
    """Write ``texts`` just beyond each bar's end (above a bar rising from zero, below
    one hanging from it), ``slot`` (x data units) wide each. Too wide side by side, they
    shrink, then stand upright; the y axis then grows so that every label sits inside
    it. Returns the labels written (none when even upright they would collide)."""
    renderer = ax.get_figure(root=True).canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    slot_px = ax.get_window_extent(renderer).width * slot / abs(x1 - x0)
    written = []
    for x, end, text in zip(xs, ends, texts, strict=True):
        if not text:
            continue
        up = end >= 0
        written.append(
            ax.annotate(
                text,
                (x, end),
                xytext=(0, 3 if up else -3),
                textcoords="offset points",
                ha="center",
                va="bottom" if up else "top",
                fontsize=style.SMALL_PT,
                linespacing=1.05,
                zorder=6,
                gid=gid,
                annotation_clip=False,
                bbox=LABEL_BOX,
            )
        )
    for size, rotation in ((style.SMALL_PT, 0), (style.TINY_PT, 0), (style.TINY_PT, 90)):
        for t in written:
            t.set_fontsize(size)
            t.set_rotation(rotation)
        if all(t.get_window_extent(renderer).width <= slot_px * 0.94 for t in written):
            break
    else:
        for t in written:
            t.remove()
        return []
    make_room(ax, written)
    if not fits(ax, written) or _collide(written, renderer):
        for t in written:
            t.remove()
        return []
    return written


def _collide(texts: Sequence[Text], renderer) -> bool:
    boxes = [t.get_window_extent(renderer) for t in texts]
    return any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def make_room(ax: Axes, texts: Sequence[Text]) -> None:
    """Stretch ``ax``'s y limits so that every text of ``texts`` (each anchored at a data
    y, reaching a fixed number of pixels above or below it) lies inside the axes, a few
    pixels clear of its edges.

    With the axes ``H`` px tall and limits ``lo``..``hi`` (span ``R``), a text reaching
    ``e`` px above ``y`` needs ``hi >= y + e R / H`` (below: ``lo <= y - e R / H``); the
    span is solved for by fixed-point iteration, which converges while the texts take
    less than the axes' height."""
    renderer = ax.get_figure(root=True).canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    height = box.height
    to_px = ax.transData.transform
    ups, downs = [], []
    for t in texts:
        y = float(t.xy[1]) if hasattr(t, "xy") else float(t.get_position()[1])
        anchor_px = to_px((0.0, y))[1]
        ext = t.get_window_extent(renderer)
        if ext.y1 - anchor_px >= anchor_px - ext.y0:
            ups.append((y, ext.y1 - anchor_px + ROOM_PX))
        else:
            downs.append((y, anchor_px - ext.y0 + ROOM_PX))
    lo0, hi0 = ax.get_ylim()
    if sum(max((e for _, e in side), default=0) for side in (ups, downs)) >= 0.9 * height:
        return  # cannot fit: leave the limits (label_bars then drops the labels)
    lo, hi = lo0, hi0
    for _ in range(60):
        span = hi - lo
        hi = max([hi0] + [y + e * span / height for y, e in ups])
        lo = min([lo0] + [y - e * span / height for y, e in downs])
        if abs((hi - lo) - span) < 1e-9 * max(span, 1.0):
            break
    ax.set_ylim(lo, hi)


def fits(ax: Axes, texts: Sequence[Text]) -> bool:
    """True when every text lies within the axes' box."""
    renderer = ax.get_figure(root=True).canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    for t in texts:
        e = t.get_window_extent(renderer)
        if e.y0 < box.y0 - 0.5 or e.y1 > box.y1 + 0.5:
            return False
    return True


def drop_colliding(texts: Sequence[Text], keep: Sequence[Text] = ()) -> list[Text]:
    """Remove each text of ``texts`` that overlaps one of ``keep`` or one kept before it;
    returns those kept."""
    if not texts:
        return []
    renderer = texts[0].get_figure(root=True).canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in keep]
    kept = []
    for t in texts:
        box = t.get_window_extent(renderer)
        if any(box.overlaps(b) for b in boxes):
            t.remove()
            continue
        boxes.append(box)
        kept.append(t)
    return kept


TICK_GAP_PX = 4.0


def thin_x_labels(ax: Axes, xs: Sequence[float], texts: Sequence[str]) -> list[str]:
    """Label the x ticks ``xs`` with ``texts``, or when neighbours would touch, every
    2nd, 5th, 10th... (the first always; the last when it fits). Returns the labels
    shown (blank where left out)."""
    renderer = ax.get_figure(root=True).canvas.get_renderer()
    n = len(texts)
    for every in (1, 2, 5, 10, 20, 50):
        shown = [t if i == 0 or (i + 1) % every == 0 else "" for i, t in enumerate(texts)]
        for keep_last in (True, False):
            if keep_last and every > 1:
                shown[-1] = texts[-1]
            elif every > 1 and (n % every):
                shown[-1] = ""
            ax.set_xticks(xs, shown)
            labels = [t.label1 for t in ax.xaxis.get_major_ticks() if t.label1.get_text()]
            boxes = [t.get_window_extent(renderer).padded(TICK_GAP_PX / 2) for t in labels]
            if not any(a.overlaps(b) for a, b in itertools.pairwise(boxes)):
                return shown
    return shown
