"""Pace and heart rate through the session, work intervals shaded and named.

Pace is the segmentation's pace trace (``segment.trace``: distance over a short window,
then a rolling median) averaged once more over :data:`SMOOTH_S`, optionally grade-adjusted
(Minetti et al. 2002, ``metrics.terrain``). Where the runner stood or walked slower than
:data:`~splitcheck.model.MOVING_SPEED_MPS` the line breaks rather than plunging.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np

from ...metrics.terrain import grade_adjusted_speed_mps, grade_from_altitude, on_track
from ...model import MOVING_SPEED_MPS
from ...segment.trace import build_trace
from ...units import UNIT_M, format_distance, format_duration
from . import style
from .data import ChartData, Series, Shade, goal_line, rep_name

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

    from ...segment.trace import Trace

SMOOTH_S = 15
"""Pace is averaged over 15 s of the 1 s trace: a 30 s rep keeps its shape, GPS wobble
within a steady stretch is gone (instant 1 Hz GPS speed is good to about 0.66 m/s only,
pacing-science.md)."""
MAX_POINTS = 1500
"""Lines are thinned to at most this many points: more than a 7 in chart can show, and
keeps SVG files small."""
PACE_PERCENTILES = (1.0, 97.0)
"""The pace axis spans these percentiles of moving pace: a walk break or a GPS spike runs
off the chart instead of squashing the running into a strip."""


def trace_data(
    analysis: Any,
    *,
    profile: Any = None,
    unit: str = "km",
    x: str = "auto",
    grade_adjusted: bool = False,
    goal_mile_s: float | None = None,
) -> ChartData:
    """Pace [s per unit] and heart rate [bpm] against distance [unit] or time [min], with
    the work intervals as shades labelled by their nominal distance or duration.

    ``x`` is ``distance``, ``time`` or ``auto`` (time for time-based reps or when the file
    has no distance, distance otherwise).
    """
    activity = analysis.activity
    structure = getattr(analysis, "structure", None)
    trace = build_trace(activity)
    x = _x_kind(x, structure, trace)
    to_x = _x_converter(x, trace, unit)
    series: dict[str, Series] = {}
    notes: list[str] = []
    if trace is not None:
        pace, note = _pace(activity, trace, unit, grade_adjusted)
        series["pace"] = _thin(Series(to_x(trace.t_s), pace, "pace"))
        notes += [note] if note else []
    hr = _heart_rate(activity, to_x)
    if hr is not None:
        series["heart_rate"] = hr
    shades = tuple(
        Shade(float(to_x(i.start_s)), float(to_x(i.end_s)), rep_name(i, unit))
        for i in (structure.work if structure is not None else ())
    )
    lines, goal_extra, _ = goal_line(analysis, profile, goal_mile_s, unit)
    if not shades:  # the goal is for the reps; an easy run is not judged by it
        lines, goal_extra = {}, {}
    x_label = f"distance ({unit})" if x == "distance" else "time (min)"
    title = _title(activity, structure, unit)
    extra = {"x": x, "grade_adjusted": grade_adjusted and "pace" in series and not notes}
    extra |= goal_extra
    extra["lap_marks"] = _lap_marks(analysis, to_x)
    return ChartData("trace", title, unit, (), lines, series, shades, x_label, tuple(notes), extra)


def _lap_marks(analysis: Any, to_x) -> list[float]:
    """Where the mile effort's quarters meet (x units), to read the trace beside the laps
    chart; none without a mile effort."""
    from ...scoring import mile_effort

    structure = getattr(analysis, "structure", None)
    effort = mile_effort(analysis.activity, structure) if structure is not None else None
    if effort is None:
        return []
    return [float(to_x(lap.start_s)) for lap in effort.laps[1:]]


def _x_kind(x: str, structure: Any, trace: Trace | None) -> str:
    if x not in ("auto", "distance", "time"):
        raise ValueError(f"x must be auto, distance or time, got {x!r}")
    if trace is None:
        return "time"
    if x == "auto":
        kind = getattr(getattr(structure, "workout", None), "type", "")
        return "time" if kind == "time_reps" else "distance"
    return x


def _x_converter(x: str, trace: Trace | None, unit: str):
    """A function from seconds since the start to the chart's x (unit or minutes)."""
    if x == "distance" and trace is not None:
        return lambda t_s: trace.distance_at(np.asarray(t_s, dtype=np.float64)) / UNIT_M[unit]
    return lambda t_s: np.asarray(t_s, dtype=np.float64) / 60.0


def _pace(activity: Any, trace: Trace, unit: str, grade_adjusted: bool):
    """Smoothed (optionally grade-adjusted) pace on the trace's grid, and a note when a
    grade adjustment was asked for but could not be made."""
    v = _moving_mean(trace.v_mps, SMOOTH_S)
    note = ""
    if grade_adjusted:
        v, note = _grade_adjust(activity, trace, v)
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where(v > MOVING_SPEED_MPS, UNIT_M[unit] / v, np.nan)
    return pace, note


def _grade_adjust(activity: Any, trace: Trace, v: np.ndarray):
    s = activity.samples
    if not s.has("altitude_m"):
        return v, "no altitude in the file: pace is not grade-adjusted"
    if on_track(s.lat_deg, s.lon_deg):
        return v, "on a track: pace is not grade-adjusted (altimeter noise, no hills)"
    ok = np.isfinite(s.distance_m) & np.isfinite(s.altitude_m)
    grade = grade_from_altitude(s.distance_m[ok], s.altitude_m[ok])
    good = np.isfinite(grade)
    grade_on_grid = np.interp(trace.d_m, s.distance_m[ok][good], grade[good])
    return grade_adjusted_speed_mps(v, grade_on_grid), ""


def _moving_mean(v: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average over ``width`` samples (edges average what they have)."""
    if len(v) < 2 or width <= 1:
        return v.copy()
    csum = np.concatenate([[0.0], np.cumsum(v)])
    idx = np.arange(len(v))
    lo = np.maximum(idx - width // 2, 0)
    hi = np.minimum(idx + width // 2 + 1, len(v))
    return (csum[hi] - csum[lo]) / (hi - lo)


def _heart_rate(activity: Any, to_x) -> Series | None:
    s = activity.samples
    ok = np.isfinite(s.elapsed_s) & np.isfinite(s.heart_rate_bpm) & (s.heart_rate_bpm > 0)
    if ok.sum() < 2:
        return None
    return _thin(Series(to_x(s.elapsed_s[ok]), s.heart_rate_bpm[ok].copy(), "heart rate"))


def _thin(series: Series) -> Series:
    step = max(1, math.ceil(len(series.x) / MAX_POINTS))
    if step == 1:
        return series
    return Series(series.x[::step], series.y[::step], series.label)


def _title(activity: Any, structure: Any, unit: str) -> str:
    """The workout in runner's words ("6x400 m; jog recoveries"), else distance and time."""
    label = getattr(getattr(structure, "workout", None), "label", "")
    what = label or (
        f"{format_distance(activity.distance_m, unit)} in {format_duration(activity.elapsed_s)}"
    )
    # The warm-up and cool-down are plain on the chart: the title keeps the session proper.
    what = re.sub(r"^[\d:]+ warm-up; |; [\d:]+ cool-down$", "", what)
    what = what[:1].upper() + what[1:]
    return what


def draw_trace(fig: Figure | SubFigure, data: ChartData) -> list[Axes]:
    """Draw a trace ChartData on ``fig``: pace (faster up) above, heart rate below on the
    same x axis, work intervals shaded on both and named in a band kept clear at the top.
    Returns the axes (pace first)."""
    pace, hr = data.series.get("pace"), data.series.get("heart_rate")
    axes = _panels(fig, two=pace is not None and hr is not None)
    ax = axes[0]
    ax.set_title(style.wrap_title(data.title), loc="left")
    axes[-1].set_xlabel(data.x_label)
    _shade(axes, data.shades)
    handles = _draw_pace(ax, data, pace) if pace is not None else []
    if hr is not None:
        _draw_hr(axes[-1], hr)
    if pace is None and hr is None:
        ax.text(0.5, 0.5, "no pace or heart rate in this file", ha="center", va="center",
                transform=ax.transAxes, color=style.GREY)  # fmt: skip
    handles += _lap_lines(ax, data.extra.get("lap_marks", ()))[:1]
    if data.shades:
        handles.append(_shade_handle())
        _headroom(ax, _label_shades(ax, data.shades))
    if len(axes) > 1:
        for a in axes:
            style.trim_ticks(a)
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncol=2)
    return axes


def _lap_lines(ax: Axes, marks) -> list:
    """Dashed lines where the mile's quarters meet."""
    style_kw = {"color": style.GREY, "ls": "--", "lw": 1, "zorder": 1, "gid": "lap-mark"}
    return [ax.axvline(x, label="the mile's laps", **style_kw) for x in marks]


def _panels(fig: Figure | SubFigure, *, two: bool) -> list[Axes]:
    if two:
        return list(fig.subplots(2, 1, sharex=True, height_ratios=HR_PANEL_RATIO))
    return [fig.subplots()]


def _shade(axes: list[Axes], shades: tuple[Shade, ...]) -> None:
    for a in axes:
        for s in shades:
            a.axvspan(s.start, s.end, color=style.WORK_SHADE, alpha=0.3, lw=0, zorder=0,
                      gid=f"shade:{s.label}")  # fmt: skip


HR_PANEL_RATIO = (3.0, 1.4)
"""Heights of the pace and heart-rate panels: pace is the message, heart rate the context."""
LABEL_ROW = 0.085
"""Height of one row of interval labels, as a fraction of the axes."""


def _draw_pace(ax: Axes, data: ChartData, pace: Series) -> list:
    ax.plot(pace.x, pace.y, color=style.BLUE, lw=1.8, zorder=3, gid="series:pace")
    ax.set_ylim(*_pace_range(pace.y, data.lines.values()))
    what = "grade-adjusted\npace" if data.extra.get("grade_adjusted") else "pace"
    style.pace_axis(ax, data.unit, label=f"{what} (min/{data.unit})")
    return [style.goal_hline(ax, data, value) for value in data.lines.values()]


def _draw_hr(hr_ax: Axes, hr: Series) -> None:
    hr_ax.plot(hr.x, hr.y, color=style.HEART, lw=1.4, zorder=2, gid="series:heart_rate")
    hr_ax.set_ylabel("heart rate\n(bpm)")


def _headroom(ax: Axes, rows: int) -> None:
    """Stretch the pace axis so the top ``rows`` label rows stay clear of the line."""
    if rows == 0:
        return
    frac = rows * LABEL_ROW + 0.02
    slow, fast = ax.get_ylim()
    ax.set_ylim(slow, fast - (slow - fast) * frac / (1 - frac))


def _pace_range(pace: np.ndarray, lines) -> tuple[float, float]:
    finite = pace[np.isfinite(pace)]
    if not len(finite):
        return (600.0, 180.0)
    fast, slow = np.percentile(finite, PACE_PERCENTILES)
    near = [v for v in lines if v >= fast * 0.85]  # a far-off goal would squash the line
    return style.pace_limits([fast, slow, *near], pad_frac=0.08)


def _shade_handle():
    from matplotlib.patches import Patch

    return Patch(facecolor=style.WORK_SHADE, alpha=0.3, label="work intervals")


def _label_shades(ax: Axes, shades: tuple[Shade, ...]) -> int:
    """Name runs of equal reps once ("4×200 m") over their shades, stepping a label down
    a row where it would collide; a label that fits in no row is left out. Returns the
    number of rows used."""
    renderer = ax.figure.canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    width_px = ax.get_window_extent(renderer).width
    rows_end: list[float] = []  # right edge [px] of the last label in each row
    for text, start, end in _groups(shades):
        mid = (start + end) / 2
        t = ax.text(
            mid,
            1.0,
            text,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=style.SMALL_PT,
            zorder=5,
            gid=f"shade-label:{text}",
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.0},
        )
        half = t.get_window_extent(renderer).width / 2 + 4
        centre = (mid - x0) / (x1 - x0) * width_px
        row = next((r for r, right in enumerate(rows_end) if centre - half > right), None)
        if row is None and len(rows_end) < MAX_LABEL_ROWS:
            rows_end.append(-math.inf)
            row = len(rows_end) - 1
        if row is None:
            t.remove()
            continue
        rows_end[row] = centre + half
        t.set_y(1.0 - row * LABEL_ROW)
    return len(rows_end)


MAX_LABEL_ROWS = 3


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
