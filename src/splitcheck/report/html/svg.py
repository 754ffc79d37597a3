"""Charts as inline SVG, drawn from the analysis's numbers (no matplotlib, no script
library): bars that show their numbers on hover, the pace trace with elevation and heart
rate, the route's shape.

Every chart is drawn twice, in two :class:`Frame` s: a wide one for a desktop, a tablet or
print, and a taller, narrower one for a phone (fewer ticks, text larger for the width).
The page's style sheet shows one of them by the screen's width (``page.css``); each has a
``viewBox`` and no fixed size, so it scales to the column. page.js adds the hover
tooltips. Paces run up the y axis (faster is higher), as on a watch's lap chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...units import UNIT_M, format_duration
from .fmt import SPEED_UNIT, attrs, esc


@dataclass(frozen=True)
class Frame:
    """A chart's drawing area in SVG user units: its width, the margins that hold the
    axes' text, the heights of bar charts and of the trace, how many x ticks at most,
    the largest font size its text is drawn at (``page.css``; labels are spaced for it),
    how many points a line keeps at most, and the suffix of its charts' ids.
    """

    name: str
    width: int
    pad_l: int
    pad_r: int
    pad_t: int
    pad_b: int
    bar_h: int
    trace_h: int
    x_ticks: int
    font: float
    points: int
    suffix: str = ""

    @property
    def plot_w(self) -> int:
        return self.width - self.pad_l - self.pad_r

    @property
    def descent(self) -> float:
        """How far below its baseline text reaches (~0.3 em): the last line's room."""
        return round(self.font * 0.3)

    def text_w(self, text: str) -> float:
        """About how wide ``text`` is drawn (a digit of a sans font: ~0.62 em)."""
        return len(text) * self.font * CHAR_EM


CHAR_EM = 0.62
"""Width of a digit in the sans fonts page.css names, in em (DejaVu Sans 0.64, Roboto
0.56, Helvetica 0.56): label spacing is judged on it."""
WIDE = Frame("wide", 720, 50, 54, 32, 40, 240, 300, x_ticks=8, font=14.0, points=1500)
"""Desktop, tablet, a phone on its side, and print: 720 units shown 580-950 px wide. Text is
14 units on screens up to 840 px (11-15 px), 11 units wider (12-14.5 px): room is made
for the larger. A line keeps every point of the trace (at most 1500,
``report.charts.trace``)."""
PHONE = Frame("phone", 360, 42, 40, 30, 38, 230, 300, x_ticks=5, font=13.5, points=400,
              suffix="-phone")  # fmt: skip
"""A phone held upright (page.css: screens up to 600 px): 360 units shown about 300-580 px
wide (the column is the screen less 20 px). Text is 12 units from a 380 px screen up
(11.9-19 px) and 13.5 units below it, so the narrowest phones (320 px: a 300 px column)
still read 11.25 px, not 10; labels are spaced for the larger (the foot 38 units: the
x axis's name clear of its tick labels at 13.5). The plot is about as tall
as it is wide. A line keeps
400 points (the trace has up to 1500): 1.4 a unit, as many as a phone's plot shows, and
the page stays small."""
FRAMES = (WIDE, PHONE)
WIDTH, PAD_L, PAD_R, PAD_T, PAD_B = WIDE.width, WIDE.pad_l, WIDE.pad_r, WIDE.pad_t, WIDE.pad_b
BAR_H, TRACE_H = WIDE.bar_h, WIDE.trace_h
MAX_SLOW_FACTOR = 2.2
"""A bar slower than 2.2 times the fastest (a walk or a standing rest between reps) is
drawn as a stub at the axis's foot: scaling the axis to it would flatten the reps."""
PACE_STEPS_S = (5, 10, 15, 20, 30, 60, 120, 300, 600)
NUMBER_STEPS = (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 500, 1000)
MAX_TICKS = 6
LABEL_GAP = 4
"""Space kept between two labels along an axis, in user units."""


@dataclass(frozen=True)
class BarSpec:
    """One bar: ``x0``..``x1`` on the chart's x axis, its pace per km (the JSON's; NaN:
    none), the label under it, the tooltip's lines, a CSS class (``work``, ``rest``,
    ``warmup``, ``too_fast``...) and the id of its table row."""

    x0: float
    x1: float
    pace_s_per_km: float
    label: str = ""
    tip: str = ""
    kind: str = ""
    row: str = ""


@dataclass(frozen=True)
class RefLine:
    """A horizontal line across a bar chart (even pace, goal pace), pace per km."""

    name: str
    label: str
    pace_s_per_km: float


@dataclass(frozen=True)
class YAxis:
    """Values to y: pace (s per unit, faster up) or speed (km/h or mph, faster up)."""

    top: float
    bottom: float
    y0: float
    height: float
    speed: bool

    def y(self, v: float) -> float:
        return self.y0 + (v - self.top) / (self.bottom - self.top) * self.height

    def y_array(self, v: np.ndarray) -> np.ndarray:
        return self.y0 + (v - self.top) / (self.bottom - self.top) * self.height

    def ticks(self) -> list[float]:
        lo, hi = sorted((self.top, self.bottom))
        steps = NUMBER_STEPS if self.speed else PACE_STEPS_S
        step = next((s for s in steps if (hi - lo) / s <= MAX_TICKS), steps[-1])
        return [float(v) for v in np.arange(math.ceil(lo / step) * step, hi + 1e-9, step)]

    def label(self, v: float) -> str:
        return f"{v:g}" if self.speed else format_duration(v)


def _value(pace_s_per_km: float, unit: str, speed: bool) -> float:
    """A pace per km as the axis's value: pace per unit, or speed in km/h or mph."""
    if not (isinstance(pace_s_per_km, int | float) and math.isfinite(pace_s_per_km)):
        return math.nan
    if pace_s_per_km <= 0:
        return math.nan
    if speed:
        return 1000.0 / pace_s_per_km * SPEED_UNIT[unit][1]
    return pace_s_per_km * UNIT_M[unit] / 1000.0


def _y_axis(values: Sequence[float], speed: bool, y0: float, height: float) -> YAxis | None:
    good = [v for v in values if math.isfinite(v)]
    if not good:
        return None
    if speed:
        hi, lo = max(good), min(good)
        lo = max(min(lo, hi / MAX_SLOW_FACTOR), 0.0)
        span = max(hi - lo, hi * 0.1, 1.0)
        return YAxis(hi + 0.08 * span, max(lo - 0.15 * span, 0.0), y0, height, True)
    fast = min(good)
    slow = min(max(good), fast * MAX_SLOW_FACTOR)
    span = max(slow - fast, 10.0)
    return YAxis(fast - 0.1 * span, slow + 0.15 * span, y0, height, False)


def svg_open(chart_id: str, height: int, label: str, frame: Frame = WIDE, extra: str = "") -> str:
    """The ``<svg>`` tag of a chart in ``frame`` (its id: ``chart_id`` and the frame's
    suffix); ``extra``: more attributes."""
    return (
        f'<svg class="chart-svg {frame.name}" id="{esc(chart_id + frame.suffix)}" '
        f'viewBox="0 0 {frame.width} {height}" role="img" aria-label="{esc(label)}" '
        f'preserveAspectRatio="xMidYMid meet"{extra}>'
    )


def grid(axis: YAxis, unit_label: str, frame: Frame = WIDE, *, right: bool = False) -> str:
    x_text = frame.width - frame.pad_r + 4 if right else frame.pad_l - 6
    anchor = "start" if right else "end"
    out = [f'<g class="grid{" right" if right else ""}">']
    for v in axis.ticks():
        y = axis.y(v)
        if not right:
            out.append(
                f'<line x1="{frame.pad_l}" x2="{frame.width - frame.pad_r}" '
                f'y1="{y:.1f}" y2="{y:.1f}"/>'
            )
        out.append(
            f'<text x="{x_text}" y="{y + 4:.1f}" text-anchor="{anchor}">{axis.label(v)}</text>'
        )
    name_x, name_anchor = (frame.width - 2, "end") if right else (2, "start")  # inside the edge
    out.append(
        f'<text class="axis-name" x="{name_x}" y="{axis.y0 - frame.font - 3:.1f}" '
        f'text-anchor="{name_anchor}">{esc(unit_label)}</text></g>'
    )
    return "".join(out)


def tip_in(frame: Frame, tip: str | None) -> str | None:
    """A bar's tooltip text, written in the first frame's chart only: page.js copies it to
    the same bar of the other (their bars are drawn in the same order), which keeps the
    second drawing from doubling a page's tooltips (an archive's months: ~30 kB)."""
    return tip if frame is FRAMES[0] else None


def spaced(
    centres: Sequence[float], labels: Sequence[str], frame: Frame, left: float = -math.inf
) -> list[bool]:
    """Which labels to draw along an axis so that none overlaps the one before: each in
    turn, when its left edge clears the right edge of the last one drawn (and ``left``:
    under bars, the plot's edge, left of which are the y axis's numbers)."""
    keep, right_edge = [], left - LABEL_GAP
    for x, label in zip(centres, labels, strict=True):
        half = frame.text_w(label) / 2
        ok = bool(label) and x - half >= right_edge + LABEL_GAP
        keep.append(ok)
        if ok:
            right_edge = x + half
    return keep


def bar_chart(
    chart_id: str,
    bars: Sequence[BarSpec],
    *,
    unit: str,
    speed: bool = False,
    lines: Sequence[RefLine] = (),
    label: str = "",
    x_name: str = "",
) -> str:
    """A bar per lap, rep or split, in each frame: taller is faster; hover (or tap, or
    focus) shows the bar's numbers. Bars span ``x0``..``x1`` (time-proportional laps,
    equal reps)."""
    if not bars:
        return ""
    return "".join(
        _bar_svg(chart_id, bars, frame, unit, speed, lines, label, x_name) for frame in FRAMES
    )


def _bar_svg(chart_id, bars, frame: Frame, unit, speed, lines, label, x_name) -> str:
    values = [_value(b.pace_s_per_km, unit, speed) for b in bars]
    ref_values = [_value(r.pace_s_per_km, unit, speed) for r in lines]
    height = frame.bar_h
    axis = _y_axis([*values, *ref_values], speed, frame.pad_t, height - frame.pad_t - frame.pad_b)
    if axis is None:
        return ""
    x_lo, x_hi = min(b.x0 for b in bars), max(b.x1 for b in bars)
    scale = frame.plot_w / max(x_hi - x_lo, 1e-9)
    foot = axis.y0 + axis.height
    out = [svg_open(chart_id, height, label, frame)]
    unit_label = f"{SPEED_UNIT[unit][0]}" if speed else f"min/{unit}"
    out.append(grid(axis, unit_label, frame))
    out.append('<g class="bars">')
    left = [frame.pad_l + (b.x0 - x_lo) * scale for b in bars]
    widths = [max((b.x1 - b.x0) * scale, 1.0) for b in bars]
    centres = [x + w / 2 for x, w in zip(left, widths, strict=True)]
    shown = spaced(centres, [b.label for b in bars], frame, frame.pad_l)
    for b, v, x0, w, labelled in zip(bars, values, left, widths, shown, strict=True):
        gap = min(w * 0.12, 6.0) if w > 4 else 0.0
        stub = not math.isfinite(v) or (axis.y(v) > foot - 3)
        y = foot - 3 if stub else max(axis.y(v), axis.y0)
        cls = " ".join(filter(None, ("bar", b.kind, "stub" if stub else "")))
        out.append(
            f'<rect x="{x0 + gap / 2:.1f}" y="{y:.1f}" width="{w - gap:.1f}" '
            f'height="{foot - y:.1f}"'
            + attrs(class_=cls, data_tip=tip_in(frame, b.tip), data_row=b.row or None, tabindex="0")
            + "/>"
        )
        if labelled:
            out.append(
                f'<text class="bar-label" x="{x0 + w / 2:.1f}" y="{foot + frame.font + 3:.1f}" '
                f'text-anchor="middle">{esc(b.label)}</text>'
            )
    out.append("</g>")
    label_ys: list[float] = []
    for r, v in zip(lines, ref_values, strict=True):
        if math.isfinite(v) and axis.y0 <= axis.y(v) <= foot:
            y = axis.y(v)
            ty = y + 4
            while any(abs(ty - other) < frame.font + 1 for other in label_ys):
                ty += frame.font + 1  # two lines close together: labels one under the other
            label_ys.append(ty)
            out.append(
                f'<g class="ref {esc(r.name)}"><line x1="{frame.pad_l}" '
                f'x2="{frame.width - frame.pad_r}" y1="{y:.1f}" y2="{y:.1f}"/>'
                f'<text x="{frame.width - frame.pad_r + 2}" y="{ty:.1f}">{esc(r.label)}</text></g>'
            )
    if x_name:
        out.append(
            f'<text class="axis-name" x="{frame.width - frame.pad_r}" '
            f'y="{height - frame.descent:.1f}" text-anchor="end">{esc(x_name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def path_d(x: np.ndarray, y: np.ndarray) -> str:
    """An SVG path through the points; NaN breaks the line."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return ""
    starts = ok & ~np.concatenate([[False], ok[:-1]])
    cmd = np.where(starts, "M", "L")[ok]
    xy = np.char.add(np.char.add(np.char.mod("%.1f", x[ok]), ","), np.char.mod("%.1f", y[ok]))
    return "".join(np.char.add(cmd, xy).tolist())


def x_ticks(lo: float, hi: float, most: int = WIDE.x_ticks) -> list[float]:
    step = next((s for s in NUMBER_STEPS if (hi - lo) / s <= most), NUMBER_STEPS[-1])
    return [float(v) for v in np.arange(math.ceil(lo / step) * step, hi + 1e-9, step)]


def trace_y(values: np.ndarray, speed: bool, y0: float, height: float) -> YAxis | None:
    good = values[np.isfinite(values)]
    if good.size < 2:
        return None
    lo, hi = np.percentile(good, [2, 98])  # a GPS spike does not squash the run
    span = max(hi - lo, 10.0 if not speed else 1.0)
    if speed:
        return YAxis(hi + 0.1 * span, max(lo - 0.25 * span, 0.0), y0, height, True)
    return YAxis(lo - 0.1 * span, hi + 0.25 * span, y0, height, False)
