"""Laps, splits and reps drawn as deviations from a reference pace.

A bar's length is the difference that matters (how many seconds faster or slower than
even or goal pace), so it starts at zero: a bar twice as long is twice as far off. Faster
bars rise, slower ones hang; each carries its time at its end, and the reference line is
named with its pace in the legend.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

from . import labels, style
from .data import ChartData

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

BAR_WIDTH = 0.72
MIN_SPAN = 4.0
"""The y axis spans at least +-2 s: an even mile's half-second wobbles stay small."""
FLAG_COLOURS = {"too_fast": style.TOO_FAST, "kick": style.GOOD}
FLAG_WORDS = {"too_fast": "went out too fast", "kick": "kick", "partial": "partial split"}
LINE_STYLES = {
    "even": {"color": style.EVEN, "ls": "--", "lw": 1.8},
    "goal": {"color": style.GOAL, "ls": ":", "lw": 2.4},
}


def group_colours(groups: list[str]) -> dict[str, str]:
    """A colour per rep group, light to dark from the shortest to the longest rep (one
    hue, so the order reads without a legend and survives colour blindness)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    if len(groups) <= 1:
        return dict.fromkeys(groups, style.BAR)
    ramp = colormaps["Blues"]
    n = len(groups)
    return {g: to_hex(ramp(0.38 + 0.57 * i / (n - 1))) for i, g in enumerate(groups)}


def draw_deviation(fig: Figure | SubFigure, data: ChartData) -> list[Axes]:
    """Draw a laps, splits or reps ChartData: bars from zero (the reference pace), the
    other reference lines, each bar's time at its end, reps' recoveries between them."""
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    ax = fig.subplots()
    if data.empty:
        draw_empty(ax, data)
        return [ax]
    xs = [b.x for b in data.bars]
    ys = [b.value for b in data.bars]
    order = data.extra.get("groups") or list(dict.fromkeys(b.group for b in data.bars))
    by_group = group_colours([g for g in order if g])
    colours = [FLAG_COLOURS.get(b.flag, by_group.get(b.group, style.BAR)) for b in data.bars]
    rects = ax.bar(xs, ys, width=BAR_WIDTH, bottom=0.0, color=colours, zorder=2)
    for rect, bar in zip(rects, data.bars, strict=True):
        rect.set_gid(f"bar:{bar.label}")
        if bar.flag == "partial":
            rect.set_hatch("//")
            rect.set_facecolor(style.SKY_BLUE)
    handles = [_zero_line(ax, data)]
    others = _other_lines(ax, data)
    handles += others
    band = data.extra.get("band")
    if band:
        handles.append(
            ax.axhspan(
                -band,
                band,
                color=style.GOOD,
                alpha=0.13,
                lw=0,
                zorder=0,
                gid="band",
                label=data.extra.get("band_label", ""),
            )  # fmt: skip
        )
    for key, s in data.series.items():
        (line,) = ax.plot(s.x, s.y, color="#444444", ls="--", lw=1.6, zorder=3,
                          gid=f"series:{key}", label="trend over the reps")  # fmt: skip
    if data.series:
        handles.append(line)
    handles += [Patch(facecolor=by_group[g], label=g) for g in by_group if len(by_group) > 1]
    flags = [f for f in FLAG_COLOURS if any(b.flag == f for b in data.bars)]
    handles += [Patch(facecolor=FLAG_COLOURS[f], label=FLAG_WORDS[f]) for f in flags]
    partial = [b for b in data.bars if b.flag == "partial"]
    if partial:
        handles.append(Patch(facecolor=style.SKY_BLUE, hatch="//",
                             label=f"last {partial[-1].label}: pace against even"))  # fmt: skip
    _limits(ax, data, [y for y in (h.get_ydata()[0] for h in others)])
    _mark_level(ax, xs, ys, colours)
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_xticks(xs, [b.label for b in data.bars])
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(_delta_formatter())
    ax.set_ylabel(f"{data.extra.get('delta_label', 'vs reference')}\n← slower    faster →")
    if data.x_label:
        ax.set_xlabel(data.x_label)
    longest = max(len(h.get_label()) for h in handles)
    ncol = 1 if longest > LEGEND_ONE_COLUMN_CHARS else (3 if len(handles) > 4 else 2)
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol)
    labels.fit_title(ax, data.title)  # lays the figure out: labels below measure on it
    labels.thin_x_labels(ax, xs, [b.label for b in data.bars])
    _recoveries(ax, data)
    ax.get_figure(root=True).canvas.draw()
    labels.label_bars(ax, xs, ys, [b.text for b in data.bars], 1.0)
    return [ax]


LEVEL_FRAC = 0.012
"""A bar shorter than 1.2 % of the axis (a rep right on goal) is marked by a thick cap
at zero: otherwise it is invisible and reads as a missing rep."""


def _mark_level(ax: Axes, xs: list[float], ys: list[float], colours: list[str]) -> None:
    lo, hi = ax.get_ylim()
    for x, y, colour in zip(xs, ys, colours, strict=True):
        if abs(y) < LEVEL_FRAC * (hi - lo):
            half = BAR_WIDTH / 2
            ax.plot([x - half, x + half], [0.0, 0.0], color=colour, lw=5, zorder=5,
                    solid_capstyle="butt", gid="level-mark")  # fmt: skip


def _zero_line(ax: Axes, data: ChartData):
    ref = data.extra.get("reference", "even")
    pace = data.lines.get(ref, math.nan)
    name = data.extra.get("reference_name", ref)
    label = f"{name} {style.pace_label(pace)} /{data.unit}" if math.isfinite(pace) else name
    label += data.extra.get("reference_note", "")
    kw = LINE_STYLES.get(ref, {"color": style.BLACK, "ls": "-", "lw": 1.4})
    return ax.axhline(0.0, zorder=4, gid=f"line:{ref}", label=label, **kw)


def _other_lines(ax: Axes, data: ChartData) -> list:
    """Reference lines other than the zero one, at their own deviation; a line far off
    the bars (an easy run against a mile goal) is named in the legend only."""
    ref = data.extra.get("reference", "even")
    ref_pace = data.lines.get(ref)
    scale = data.extra.get("delta_scale", 1.0)
    ys = [b.value for b in data.bars]
    reach = max(max(abs(y) for y in ys), MIN_SPAN / 2)
    out = []
    for key, pace in data.lines.items():
        if key == ref or ref_pace is None:
            continue
        y = (ref_pace - pace) * scale
        name = data.extra.get("goal_name", key) if key == "goal" else key
        label = f"{name} {style.pace_label(pace)} /{data.unit}"
        if abs(y) > OFF_CHART_REACH * reach:
            label += " (far faster: off the chart)"
            y = math.nan
        line = ax.axhline(y, zorder=4, gid=f"line:{key}", label=label,
                          **LINE_STYLES.get(key, {"color": style.GREY}))  # fmt: skip
        out.append(line)
    return out


GAP_PX = 5.0
"""Labels side by side keep at least twice this apart."""
LEGEND_ONE_COLUMN_CHARS = 30
"""Legend entries longer than this go one per row: two would not fit across 7 in."""
OFF_CHART_REACH = 3.0
"""A second reference line more than 3x the largest bar away from zero is left off the
chart (named in the legend): drawn, it would squash every bar into a sliver."""


def _limits(ax: Axes, data: ChartData, lines: list[float]) -> None:
    values = [b.value for b in data.bars] + [y for y in lines if math.isfinite(y)]
    band = data.extra.get("band") or 0.0
    lo = min(0.0, -band, *values)
    hi = max(0.0, band, *values)
    if hi - lo < MIN_SPAN:
        grow = (MIN_SPAN - (hi - lo)) / 2
        lo, hi = lo - grow, hi + grow
    pad = (hi - lo) * 0.06
    ax.set_ylim(lo - pad, hi + pad)


def _delta_formatter():
    """Ticks as pace differences: "−5" (5 s quicker) above zero, "+5" below."""
    from matplotlib.ticker import FuncFormatter

    def fmt(y: float, _pos) -> str:
        if abs(y) < 1e-9:
            return "0"
        text = f"{abs(y):g}"
        return f"−{text}" if y > 0 else f"+{text}"

    return FuncFormatter(fmt)


def _recoveries(ax: Axes, data: ChartData) -> None:
    """The recovery between reps (its time, jog or rest) as a grey row under the rep
    labels, each between its two reps; the row is left out when its labels would touch."""
    recs = data.extra.get("recoveries") or []
    if not recs:
        return
    root = ax.get_figure(root=True)
    renderer = root.canvas.get_renderer()
    major = [t.label1 for t in ax.xaxis.get_major_ticks() if t.label1.get_text()]
    below_pt = max(t.get_window_extent(renderer).height for t in major) * 72 / root.dpi
    ax.set_xticks([x for x, _ in recs], [t for _, t in recs], minor=True)
    pad = ax.xaxis.get_tick_padding() + below_pt + 2  # a row of its own, under the reps'
    ax.tick_params(axis="x", which="minor", length=0, labelsize=style.TINY_PT,
                   labelcolor=style.GREY, pad=pad)  # fmt: skip
    root.canvas.draw()
    minor = [t.label1 for t in ax.xaxis.get_minor_ticks()]
    boxes = [m.get_window_extent(renderer).padded(GAP_PX) for m in minor]
    if any(a.overlaps(b) for a, b in itertools.pairwise(boxes)):
        ax.set_xticks([], minor=True)


def draw_empty(ax: Axes, data: ChartData) -> None:
    ax.set_axis_off()
    if data.notes:
        ax.text(0.5, 0.5, "; ".join(data.notes), ha="center", va="center",
                transform=ax.transAxes, color=style.GREY, wrap=True)  # fmt: skip
    labels.fit_title(ax, data.title)
