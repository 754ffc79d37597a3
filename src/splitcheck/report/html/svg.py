"""Charts as inline SVG, drawn from the analysis's numbers (no matplotlib, no script
library): bars that show their numbers on hover, the pace trace with elevation and heart
rate, the route's shape.

Every chart has a ``viewBox`` and no fixed size, so it scales to the page's width (a phone
or a desktop); page.js adds the hover tooltips. Paces run up the y axis (faster is
higher), as on a watch's lap chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...units import UNIT_M, format_duration
from .fmt import SPEED_UNIT, attrs, esc

WIDTH = 720
"""Chart width in SVG user units (the page scales it)."""
PAD_L, PAD_R, PAD_T, PAD_B = 46, 54, 32, 30
BAR_H = 240
TRACE_H = 300
MAX_SLOW_FACTOR = 2.2
"""A bar slower than 2.2 times the fastest (a walk or a standing rest between reps) is
drawn as a stub at the axis's foot: scaling the axis to it would flatten the reps."""
PACE_STEPS_S = (5, 10, 15, 20, 30, 60, 120, 300, 600)
NUMBER_STEPS = (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 500, 1000)
MAX_TICKS = 6
REF_LABEL_GAP = 12
MANY_BARS = 10
"""With more bars than this, every other bar's label is "minor": a phone hides it."""


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


def svg_open(chart_id: str, height: int, label: str) -> str:
    return (
        f'<svg class="chart-svg" id="{esc(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{esc(label)}" preserveAspectRatio="xMidYMid meet">'
    )


def grid(axis: YAxis, unit_label: str, *, right: bool = False) -> str:
    x_text = WIDTH - PAD_R + 4 if right else PAD_L - 6
    anchor = "start" if right else "end"
    out = [f'<g class="grid{" right" if right else ""}">']
    for v in axis.ticks():
        y = axis.y(v)
        if not right:
            out.append(f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(
            f'<text x="{x_text}" y="{y + 4:.1f}" text-anchor="{anchor}">{axis.label(v)}</text>'
        )
    name_x, name_anchor = (WIDTH - 2, "end") if right else (2, "start")  # inside the edge
    out.append(
        f'<text class="axis-name" x="{name_x}" y="{axis.y0 - 14:.1f}" '
        f'text-anchor="{name_anchor}">{esc(unit_label)}</text></g>'
    )
    return "".join(out)


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
    """A bar per lap, rep or split: taller is faster; hover (or tap, or focus) shows the
    bar's numbers. Bars span ``x0``..``x1`` (time-proportional laps, equal reps)."""
    values = [_value(b.pace_s_per_km, unit, speed) for b in bars]
    ref_values = [_value(r.pace_s_per_km, unit, speed) for r in lines]
    axis = _y_axis([*values, *ref_values], speed, PAD_T, BAR_H - PAD_T - PAD_B)
    if axis is None or not bars:
        return ""
    x_lo, x_hi = min(b.x0 for b in bars), max(b.x1 for b in bars)
    scale = (WIDTH - PAD_L - PAD_R) / max(x_hi - x_lo, 1e-9)
    foot = axis.y0 + axis.height
    out = [svg_open(chart_id, BAR_H, label)]
    unit_label = f"{SPEED_UNIT[unit][0]}" if speed else f"min/{unit}"
    out.append(grid(axis, unit_label))
    out.append('<g class="bars">')
    for n, (b, v) in enumerate(zip(bars, values, strict=True)):
        x0 = PAD_L + (b.x0 - x_lo) * scale
        w = max((b.x1 - b.x0) * scale, 1.0)
        gap = min(w * 0.12, 6.0) if w > 4 else 0.0
        stub = not math.isfinite(v) or (axis.y(v) > foot - 3)
        y = foot - 3 if stub else max(axis.y(v), axis.y0)
        cls = " ".join(filter(None, ("bar", b.kind, "stub" if stub else "")))
        out.append(
            f'<rect x="{x0 + gap / 2:.1f}" y="{y:.1f}" width="{w - gap:.1f}" '
            f'height="{foot - y:.1f}"'
            + attrs(class_=cls, data_tip=b.tip, data_row=b.row or None, tabindex="0")
            + "/>"
        )
        if b.label and w >= 14:
            minor = " minor" if len(bars) > MANY_BARS and n % 2 else ""
            out.append(
                f'<text class="bar-label{minor}" x="{x0 + w / 2:.1f}" y="{foot + 14:.1f}" '
                f'text-anchor="middle">{esc(b.label)}</text>'
            )
    out.append("</g>")
    label_ys: list[float] = []
    for r, v in zip(lines, ref_values, strict=True):
        if math.isfinite(v) and axis.y0 <= axis.y(v) <= foot:
            y = axis.y(v)
            ty = y + 4
            while any(abs(ty - other) < REF_LABEL_GAP for other in label_ys):
                ty += REF_LABEL_GAP  # two lines close together: labels one under the other
            label_ys.append(ty)
            out.append(
                f'<g class="ref {esc(r.name)}"><line x1="{PAD_L}" x2="{WIDTH - PAD_R}" '
                f'y1="{y:.1f}" y2="{y:.1f}"/><text x="{WIDTH - PAD_R + 2}" y="{ty:.1f}">'
                f"{esc(r.label)}</text></g>"
            )
    if x_name:
        out.append(
            f'<text class="axis-name" x="{WIDTH - PAD_R}" y="{BAR_H - 2}" '
            f'text-anchor="end">{esc(x_name)}</text>'
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


def x_ticks(lo: float, hi: float) -> list[float]:
    step = next((s for s in NUMBER_STEPS if (hi - lo) / s <= 8), NUMBER_STEPS[-1])
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
