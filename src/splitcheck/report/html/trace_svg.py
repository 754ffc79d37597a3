"""The session's pace trace as inline SVG: pace (or speed) over distance or time, the
ground's elevation beneath it, heart rate on its own axis, the work intervals shaded, and
the numbers under the pointer (page.js reads them from a JSON block beside the chart).

The numbers are the matplotlib chart's (``report.charts.trace.trace_data``: the same
smoothing, the same thinning to at most 1500 points), so the two charts agree.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np

from ...units import FOOT_M, format_extent
from .fmt import esc
from .svg import FRAMES, Frame, YAxis, grid, path_d, spaced, svg_open, trace_y
from .svg import x_ticks as nice_ticks

ELEVATION_FRAC = 0.35
"""The elevation profile fills the lowest 35 % of the plot, behind the pace line."""
ELEVATION_PCT = (1, 99)
"""The profile's range: the 1st to 99th percentile of the altitude (beyond: clipped)."""


def trace_chart(chart_id: str, data: Any, unit: str) -> str:
    """The trace chart in each frame and its hover data, or "" when the file has neither
    pace nor heart rate (``data``: the ``trace`` ChartData)."""
    speed = data.extra.get("axis", "pace") == "speed"
    main = data.series.get("speed" if speed else "pace")
    hr = data.series.get("heart_rate")
    elev = data.series.get("elevation")
    if elev is not None and unit == "mi":  # heights in feet beside miles, as the batch's climb
        elev = dataclasses.replace(elev, y=np.asarray(elev.y, dtype=np.float64) / FOOT_M)
    base = main if main is not None else hr
    if base is None or len(base.x) < 2:
        return ""
    x_all = np.asarray(base.x, dtype=np.float64)
    x_lo, x_hi = float(np.nanmin(x_all)), float(np.nanmax(x_all))
    if not x_hi > x_lo:
        return ""
    series = (main, hr, elev)
    out = [
        _trace_svg(chart_id, frame, data, series, (x_lo, x_hi), unit, speed) for frame in FRAMES
    ]
    ids = " ".join(chart_id + frame.suffix for frame in FRAMES)
    out.append(_hover_json(ids, data, base, main, hr, elev, (x_lo, x_hi), unit, speed))
    return "".join(out)


def _trace_svg(chart_id, frame: Frame, data, series, x_range, unit, speed) -> str:
    main, hr, elev = series
    x_lo, x_hi = x_range
    height = frame.trace_h - frame.pad_t - frame.pad_b
    foot = frame.pad_t + height
    left, right = frame.pad_l, frame.width - frame.pad_r
    most = frame.points

    def px(x: Any) -> np.ndarray:
        return left + (np.asarray(x, dtype=np.float64) - x_lo) / (x_hi - x_lo) * frame.plot_w

    where = f' data-left="{left}" data-plot="{frame.plot_w}"'
    out = [svg_open(chart_id, frame.trace_h, data.title, frame, where)]
    out += _shades(data.shades, px, frame, foot)
    y_axis = trace_y(np.asarray(main.y), speed, frame.pad_t, height) if main is not None else None
    if y_axis is not None:
        out.append(grid(y_axis, data.extra.get("speed_unit") if speed else f"min/{unit}", frame))
    out += _x_axis(x_lo, x_hi, px, frame, foot, data.x_label)
    if elev is not None:
        out.append(_elevation(elev, px, frame, foot, height, most, ELEVATION_UNIT[unit]))
    if hr is not None:
        hr_y = np.asarray(hr.y, dtype=np.float64)
        lo, hi = float(np.nanmin(hr_y)), float(np.nanmax(hr_y))
        hr_axis = YAxis(hi + 5, max(lo - 15, 0.0), frame.pad_t, height, True)
        out.append(grid(hr_axis, "bpm", frame, right=True))
        keep = thin(hr_y, most)
        line = path_d(px(np.asarray(hr.x)[keep]), hr_axis.y_array(hr_y[keep]))
        out.append(f'<path class="hr" d="{line}"/>')
    if main is not None and y_axis is not None:
        keep = thin(main.y, most)
        y = np.clip(y_axis.y_array(np.asarray(main.y, dtype=np.float64)[keep]), frame.pad_t, foot)
        out.append(f'<path class="pace" d="{path_d(px(np.asarray(main.x)[keep]), y)}"/>')
        goal = data.lines.get("goal")
        if goal is not None and math.isfinite(goal) and frame.pad_t <= y_axis.y(goal) <= foot:
            gy = y_axis.y(goal)
            out.append(
                f'<g class="ref goal"><line x1="{left}" x2="{right}" y1="{gy:.1f}" '
                f'y2="{gy:.1f}"/><text x="{left + 4}" y="{gy - 4:.1f}">goal</text></g>'
            )
    for mark in data.extra.get("lap_marks", []):
        mx = float(px(mark))
        out.append(
            f'<line class="lap-mark" x1="{mx:.1f}" x2="{mx:.1f}" y1="{frame.pad_t}" y2="{foot}"/>'
        )
    out.append(
        f'<line class="cursor" x1="0" x2="0" y1="{frame.pad_t}" y2="{foot}" visibility="hidden"/>'
        f'<rect class="hover-area" x="{left}" y="{frame.pad_t}" width="{frame.plot_w}" '
        f'height="{height}"/></svg>'
    )
    return "".join(out)


def thin(y: Any, most: int) -> np.ndarray:
    """Indices of at most about ``most`` of the points ``y``: in each run of consecutive
    points, its lowest and its highest (so a spike, a stop between reps, stays drawn) and
    its first gap (NaN: the line breaks there too), and the first and last points; all of
    them when there are few enough."""
    v = np.asarray(y, dtype=np.float64)
    n = len(v)
    if n <= most:
        return np.arange(n)
    step = math.ceil(n / max(most // 2, 1))
    buckets = math.ceil(n / step)
    pad = buckets * step - n
    ok = np.isfinite(v)
    lo = np.concatenate([np.where(ok, v, np.inf), np.full(pad, np.inf)]).reshape(buckets, step)
    hi = np.concatenate([np.where(ok, v, -np.inf), np.full(pad, -np.inf)]).reshape(buckets, step)
    base = np.arange(buckets) * step
    gaps = np.concatenate([~ok, np.zeros(pad, dtype=bool)]).reshape(buckets, step)
    gap = (base + gaps.argmax(axis=1))[gaps.any(axis=1)]  # a break in the line stays one
    keep = np.concatenate([[0, n - 1], base + lo.argmin(axis=1), base + hi.argmax(axis=1), gap])
    return np.unique(np.minimum(keep, n - 1))


def _shades(shades, px, frame: Frame, foot: float) -> list[str]:
    out = ['<g class="shades">']
    spans = [(float(px(s.start)), float(px(s.end))) for s in shades]
    for s, (x0, x1) in zip(shades, spans, strict=True):
        out.append(
            f'<rect class="shade" x="{x0:.1f}" y="{frame.pad_t}" width="{max(x1 - x0, 1):.1f}" '
            f'height="{foot - frame.pad_t:.1f}"/>'
        )
        if s.label and x1 - x0 >= frame.text_w(s.label) + 2:
            out.append(
                f'<text class="shade-label" x="{(x0 + x1) / 2:.1f}" '
                f'y="{frame.pad_t + frame.font:.1f}" text-anchor="middle">{esc(s.label)}</text>'
            )
    out.append("</g>")
    return out


def _x_axis(x_lo: float, x_hi: float, px, frame: Frame, foot: float, x_label: str) -> list[str]:
    out = ['<g class="grid x">']
    ticks = nice_ticks(x_lo, x_hi, frame.x_ticks)
    xs = [float(px(v)) for v in ticks]
    labels = [f"{v:g}" for v in ticks]
    for x, text, shown in zip(xs, labels, spaced(xs, labels, frame), strict=True):
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{foot}" y2="{foot + 4}"/>')
        if shown:
            out.append(
                f'<text x="{x:.1f}" y="{foot + frame.font + 4:.1f}" text-anchor="middle">'
                f"{text}</text>"
            )
    out.append(
        f'<text class="axis-name" x="{frame.width - frame.pad_r}" '
        f'y="{frame.trace_h - frame.descent:.1f}" text-anchor="end">{esc(x_label)}</text></g>'
    )
    return out


def _elevation(elev, px, frame: Frame, foot: float, height: float, most: int, elev_unit) -> str:
    y = np.asarray(elev.y, dtype=np.float64)
    if not np.isfinite(y).any():
        return ""
    # a GPS altitude glitch (a first fix hundreds of metres off) must not flatten the hill
    lo, hi = (float(v) for v in np.nanpercentile(y, ELEVATION_PCT))
    keep = thin(y, most)
    y = np.clip(y[keep], lo, hi)
    span = max(hi - lo, 10.0)  # a flat run stays a low band, not a magnified wobble
    ey = foot - (y - lo) / span * height * ELEVATION_FRAC
    x = px(np.asarray(elev.x)[keep])
    line = path_d(x, ey)
    if not line:
        return ""
    ok = np.isfinite(x) & np.isfinite(ey)
    first, last = float(x[ok][0]), float(x[ok][-1])
    return (
        f'<path class="elevation" d="{line}L{last:.1f},{foot}L{first:.1f},{foot}Z"/>'
        f'<text class="elev-label" x="{frame.pad_l + 4}" y="{foot - 4}">elevation '
        f"{lo:.0f}\u2013{hi:.0f} {elev_unit}</text>"
    )


def _on(x: np.ndarray, series) -> list | None:
    """``series`` at the points ``x`` (linear between its samples), rounded, or None."""
    if series is None:
        return None
    sx, sy = np.asarray(series.x, dtype=np.float64), np.asarray(series.y, dtype=np.float64)
    ok = np.isfinite(sx) & np.isfinite(sy)
    if ok.sum() < 2:
        return None
    order = np.argsort(sx[ok], kind="stable")
    v = np.interp(x, sx[ok][order], sy[ok][order], left=np.nan, right=np.nan)
    return [None if not math.isfinite(t) else round(t, 1) for t in v.tolist()]


def _hover_json(chart_ids, data, base, main, hr, elev, x_range, unit, speed) -> str:
    """What the pointer reads: x, the main value, heart rate and elevation at each point
    (one block for the charts ``chart_ids``, each of which says where its plot is)."""
    x = np.asarray(base.x, dtype=np.float64)
    doc = {
        "x": [round(v, 3) if math.isfinite(v) else None for v in x.tolist()],
        "v": _on(x, main),
        "hr": _on(x, hr),
        "el": _on(x, elev),
        "x0": x_range[0],
        "x1": x_range[1],
        "xkind": data.extra.get("x", "time"),
        "unit": unit,
        "speed": speed,
        "vunit": data.extra.get("speed_unit") if speed else f"/{unit}",
        "elunit": ELEVATION_UNIT[unit],
    }
    text = json.dumps(doc, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    return (
        f'<script type="application/json" class="trace-data" data-for="{esc(chart_ids)}">'
        f"{text}</script>"
    )


ELEVATION_UNIT = {"km": "m", "mi": "ft"}
"""Heights in metres beside km, feet beside miles."""
ROUTE_SIZE = 300
ROUTE_PAD = 12


def route_svg(route: Any, unit: str = "km") -> str:
    """The route's shape (metres east and north of the start, equal scales), with the
    start and the finish marked and its width in ``unit``; no map, no coordinates: nothing
    to fetch, little to give away. "" when the file has no positions."""
    if route is None:
        return ""
    x = np.asarray(route.x, dtype=np.float64)
    y = np.asarray(route.y, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 2:
        return ""
    x, y = x[ok], y[ok]
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1.0)
    inner = ROUTE_SIZE - 2 * ROUTE_PAD
    scale = inner / span
    px = ROUTE_PAD + (x - x.min()) * scale + (inner - np.ptp(x) * scale) / 2
    py = ROUTE_PAD + (y.max() - y) * scale + (inner - np.ptp(y) * scale) / 2  # north up
    return (
        f'<svg class="route-svg" id="route" viewBox="0 0 {ROUTE_SIZE} {ROUTE_SIZE}" '
        'role="img" aria-label="The route\'s shape">'
        f'<path class="route" d="{path_d(px, py)}"/>'
        f'<circle class="start" cx="{px[0]:.1f}" cy="{py[0]:.1f}" r="5"/>'
        f'<circle class="finish" cx="{px[-1]:.1f}" cy="{py[-1]:.1f}" r="5"/>'
        f'<text class="scale" x="{ROUTE_SIZE - 4}" y="{ROUTE_SIZE - 4}" text-anchor="end">'
        f"{format_extent(span, unit)} across</text></svg>"
    )
