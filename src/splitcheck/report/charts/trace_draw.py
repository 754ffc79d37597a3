"""Drawing the trace chart: pace (or speed) above, heart rate and elevation below on the
same x axis, the work intervals shaded on each and named once above the line, and the
route's shape in a small panel at the side."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ...units import FOOT_M, format_extent
from . import labels, style
from .data import ChartData, Series, Shade

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

PANEL_HEIGHTS = {"main": 3.0, "heart_rate": 1.35, "elevation": 1.1}
"""Relative heights of the panels: pace is the message, heart rate and hills context."""
ROUTE_WIDTH = 1.3
"""The route panel's width against 4.2 for the line panels."""
PACE_PERCENTILES = (1.0, 97.0)
"""The pace axis spans these percentiles of moving pace: a walk break or a GPS spike runs
off the chart instead of squashing the running into a strip."""
MIN_ELEVATION_SPAN_M = 20.0
"""The elevation axis spans at least 20 m: a flat run's altimeter noise stays flat."""
ELEVATION_PERCENTILES = (3.0, 99.5)
MAX_LABEL_ROWS = 3
RAW_ALPHA = 0.22


def trace_height_in(data: ChartData) -> float:
    """Figure height for a trace: taller with each panel below the pace."""
    below = sum(k in data.series for k in ("heart_rate", "elevation"))
    main = any(k in data.series for k in ("pace", "speed"))
    return 3.6 + 1.1 * below + (0.0 if main else -1.2)


def draw_trace(fig: Figure | SubFigure, data: ChartData) -> list[Axes]:
    """Draw a trace ChartData on ``fig``; returns the line panels' axes, top first."""
    main_key = next((k for k in ("pace", "speed") if k in data.series), None)
    rows = [k for k in ("main", "heart_rate", "elevation") if k != "main" or main_key]
    rows = [k for k in rows if k == "main" or k in data.series]
    axes, route_ax = _panels(fig, rows, "route" in data.series)
    by_row = dict(zip(rows, axes, strict=True))
    axes[-1].set_xlabel(data.x_label)
    _shade(axes, data.shades)
    handles: list = []
    if main_key:
        handles += _draw_main(by_row["main"], data, main_key)
    if "heart_rate" in by_row:
        _draw_hr(by_row["heart_rate"], data.series["heart_rate"])
    if "elevation" in by_row:
        _draw_elevation(by_row["elevation"], data.series["elevation"], data.unit)
    if not rows:
        axes[0].set_axis_off()
        axes[0].text(0.5, 0.5, "no pace or heart rate in this file", ha="center", va="center",
                     transform=axes[0].transAxes, color=style.GREY)  # fmt: skip
    if route_ax is not None:
        _draw_route(route_ax, data.series["route"], data.unit)
    handles += _lap_lines(axes[0], data.extra.get("lap_marks", ()))[:1]
    if data.shades:
        handles.append(_shade_handle())
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=2)
    labels.fit_title(axes[0], data.title)
    if data.shades:
        _headroom(axes[0], _label_shades(axes[0], data.shades))
    if len(axes) > 1:  # last: on the final limits
        for a in axes:
            style.trim_ticks(a)
    return axes


def _panels(fig, rows: list[str], route: bool) -> tuple[list[Axes], Axes | None]:
    n = max(len(rows), 1)
    heights = [PANEL_HEIGHTS.get(r, 1.0) for r in rows] or [1.0]
    widths = (4.2, ROUTE_WIDTH) if route else (1.0,)
    gs = fig.add_gridspec(n, len(widths), height_ratios=heights, width_ratios=widths)
    first = fig.add_subplot(gs[0, 0])
    axes = [first] + [fig.add_subplot(gs[i, 0], sharex=first) for i in range(1, n)]
    for a in axes[:-1]:
        a.tick_params(labelbottom=False)
    # Beside the panels under the pace (or the pace itself when alone): the title above
    # the pace panel keeps the full width.
    route_ax = fig.add_subplot(gs[1:, 1] if n > 1 else gs[0, 1]) if route else None
    return axes, route_ax


def _shade(axes: list[Axes], shades: tuple[Shade, ...]) -> None:
    for a in axes:
        for s in shades:
            a.axvspan(s.start, s.end, color=style.WORK_SHADE, alpha=0.3, lw=0, zorder=0,
                      gid=f"shade:{s.label}")  # fmt: skip


def _draw_main(ax: Axes, data: ChartData, key: str) -> list:
    """The smoothed line over its faint raw trace, on the sport's axis."""
    line, raw = data.series[key], data.series.get(f"{key}_raw")
    if raw is not None:
        ax.plot(raw.x, raw.y, color=style.BLUE, lw=0.8, alpha=RAW_ALPHA, zorder=2,
                gid=f"series:{key}_raw")  # fmt: skip
    ax.plot(line.x, line.y, color=style.BLUE, lw=1.9, zorder=3, gid=f"series:{key}")
    axis = data.extra.get("axis", "pace")
    if axis == "speed":
        ax.set_ylim(*_speed_range(line.y))
        ax.set_ylabel(f"speed ({data.extra.get('speed_unit', 'km/h')})")
        return []
    ax.set_ylim(*_pace_range(line.y, data.lines.values()))
    per = "100 m" if axis == "pace_100m" else data.unit
    what = "grade-adjusted\npace" if data.extra.get("grade_adjusted") else "pace"
    style.pace_axis(ax, data.unit, label=f"{what} (min/{per})")
    return [style.goal_hline(ax, data, value) for value in data.lines.values()]


def _draw_hr(ax: Axes, hr: Series) -> None:
    ax.plot(hr.x, hr.y, color=style.HEART, lw=1.4, zorder=2, gid="series:heart_rate")
    ax.set_ylabel("heart rate\n(bpm)")


def _draw_elevation(ax: Axes, elev: Series, unit: str) -> None:
    """Heights in metres, or feet beside miles."""
    per_m, name = (1 / FOOT_M, "ft") if unit == "mi" else (1.0, "m")
    y = np.asarray(elev.y, dtype=np.float64) * per_m
    # 3rd to 99.5th percentile: an altimeter settling at the start (a 200 m jump in the
    # first seconds) runs off the panel instead of flattening the hills
    lo, hi = (float(v) for v in np.nanpercentile(y, ELEVATION_PERCENTILES))
    min_span = MIN_ELEVATION_SPAN_M * per_m
    if hi - lo < min_span:
        mid = (hi + lo) / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    pad = (hi - lo) * 0.08
    ax.fill_between(elev.x, y, lo - pad, color=style.GREY, alpha=0.45, lw=0, zorder=1,
                    gid="series:elevation")  # fmt: skip
    ax.plot(elev.x, y, color="#555555", lw=1.0, zorder=2)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_ylabel(f"elevation\n({name})")


def _draw_route(ax: Axes, route: Series, unit: str) -> None:
    """The route's shape (no map): north up, equal scale, start marked."""
    ax.plot(route.x, route.y, color="#333333", lw=1.0, gid="series:route")
    ax.plot(route.x[:1], route.y[:1], "o", color=style.BLUISH_GREEN, ms=6, zorder=3)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_axis_off()
    span_m = max(np.ptp(route.x), np.ptp(route.y))
    ax.text(0.5, 0.0, f"route, {format_extent(span_m, unit)}\nacross (● start)",
            transform=ax.transAxes, ha="center", va="top", fontsize=style.TINY_PT,
            color=style.GREY)  # fmt: skip


def _lap_lines(ax: Axes, marks) -> list:
    """Dashed lines where the mile's quarters meet."""
    style_kw = {"color": style.GREY, "ls": "--", "lw": 1, "zorder": 1, "gid": "lap-mark"}
    return [ax.axvline(x, label="the mile's laps", **style_kw) for x in marks]


def _pace_range(pace: np.ndarray, lines) -> tuple[float, float]:
    finite = pace[np.isfinite(pace)]
    if not len(finite):
        return (600.0, 180.0)
    fast, slow = np.percentile(finite, PACE_PERCENTILES)
    near = [v for v in lines if v >= fast * 0.85]  # a far-off goal would squash the line
    return style.pace_limits([fast, slow, *near], pad_frac=0.08)


def _speed_range(speed: np.ndarray) -> tuple[float, float]:
    finite = speed[np.isfinite(speed)]
    if not len(finite):
        return (0.0, 40.0)
    lo, hi = np.percentile(finite, (100 - PACE_PERCENTILES[1], 100 - PACE_PERCENTILES[0]))
    pad = max((hi - lo) * 0.08, 1.0)
    return (max(lo - pad, 0.0), hi + pad)


def _shade_handle():
    from matplotlib.patches import Patch

    return Patch(facecolor=style.WORK_SHADE, alpha=0.3, label="work intervals")


def _headroom(ax: Axes, texts: list) -> None:
    """Stretch the main axis so the label rows at its top stay clear of the line."""
    if not texts:
        return
    renderer = ax.get_figure(root=True).canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    lowest = min(t.get_window_extent(renderer).y0 for t in texts)
    frac = (box.y1 - lowest) / box.height + 0.03
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + (hi - lo) * frac / (1 - frac))


def _label_shades(ax: Axes, shades: tuple[Shade, ...]) -> list:
    """Name runs of equal reps once ("4×200 m") over their shades, stepping a label down
    a row (measured: one text height) where it would touch another; a label that fits in
    no row is left out. Returns the labels written."""
    renderer = ax.get_figure(root=True).canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    box = ax.get_window_extent(renderer)
    rows_end: list[float] = []  # right edge [px] of the last label in each row
    written = []
    for text, start, end in _groups(shades):
        mid = (start + end) / 2
        t = ax.text(mid, 1.0, text, transform=ax.get_xaxis_transform(), ha="center", va="top",
                    fontsize=style.SMALL_PT, zorder=5, gid=f"shade-label:{text}")  # fmt: skip
        ext = t.get_window_extent(renderer)
        half = ext.width / 2 + 4
        centre = (mid - x0) / (x1 - x0) * box.width
        row = next((r for r, right in enumerate(rows_end) if centre - half > right), None)
        if row is None and len(rows_end) < MAX_LABEL_ROWS:
            rows_end.append(-math.inf)
            row = len(rows_end) - 1
        if row is None:
            t.remove()
            continue
        rows_end[row] = centre + half
        t.set_y(1.0 - row * (ext.height + 3) / box.height)
        written.append(t)
    return written


def _groups(shades: tuple[Shade, ...]) -> list[tuple[str, float, float]]:
    """Consecutive shades with one label merged: ("4×200 m", first start, last end)."""
    runs: list[list] = []
    for s in shades:
        if runs and runs[-1][0] == s.label:
            runs[-1][2] = s.end
            runs[-1][3] += 1
        else:
            runs.append([s.label, s.start, s.end, 1])
    return [(f"{n}×{name}" if n > 1 else name, a, b) for name, a, b, n in runs]
