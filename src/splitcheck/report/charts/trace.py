"""Pace (or speed) and heart rate through the session, work intervals shaded and named,
with the ground climbed and the route's shape when the file has them.

Pace is the distance covered over a centred window of :func:`smooth_window_s` seconds on
the segmentation's 1 s grid (``segment.trace``), drawn over the faint raw trace (a 4 s
window and a 5 s median). Both are the runner's real pace: the segmentation's
effort-adjusted speed is not used, and grade adjustment (Minetti et al. 2002,
``metrics.terrain``) is asked for explicitly. Where the runner stood or walked slower than
:data:`~splitcheck.model.MOVING_SPEED_MPS` the line breaks rather than plunging.

Each sport gets its own axis (:data:`SPORT_AXES`): pace for foot sports, speed for
cycling, pace per 100 m for swimming, and none for a triathlon's transitions.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np

from ...metrics.terrain import (
    grade_adjusted_speed_mps,
    grade_from_altitude,
    on_track,
    running_altitude_m,
)
from ...model import MOVING_SPEED_MPS
from ...segment.trace import GRID_S, build_trace, grid_speed
from ...units import UNIT_M, format_distance, format_duration
from .data import ChartData, Series, Shade, goal_line, rep_name, workout_words

if TYPE_CHECKING:  # pragma: no cover
    from ...segment.trace import Trace

SMOOTH_S = 60
"""A continuous run's pace is the distance covered over 60 s: GPS wobble within a steady
stretch is gone (instant 1 Hz GPS speed is good to about 0.66 m/s only,
pacing-science.md; a city race's GPS swings 3:30-5:20 /km over 30 s windows at a steady
4:20), a hill's slowing (minutes long) stays."""
MAX_REP_SMOOTH_S = 20
MIN_SMOOTH_S = 6
"""Reps are smoothed over a third of the shortest rep, at least 6 s: a 30 s rep keeps
its flat top and its edges."""
SPORT_AXES = {
    "cycling": "speed",
    "e_biking": "speed",
    "inline_skating": "speed",
    "swimming": "pace_100m",
    "transition": "none",
}
"""The trace's main axis per sport; every other sport (running, walking, unknown...) is
drawn as pace per km or mile. A bike ride as min/km is unreadable, a swim is paced per
100 m, a transition's "pace" means nothing."""
SPEED_UNIT = {"km": ("km/h", 3.6), "mi": ("mph", 3600 / 1609.344)}
"""Speed units per distance unit, and m/s to each."""
MAX_POINTS = 1500
"""Lines are thinned to at most this many points: more than a 7 in chart can show, and
keeps SVG files small."""


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
    axis = SPORT_AXES.get(activity.sport, "pace")
    if axis == "none":
        x = "time"
    x = _x_kind(x, structure, trace)
    to_x = _x_converter(x, trace, unit)
    series: dict[str, Series] = {}
    notes: list[str] = []
    if trace is not None and axis != "none":
        main, raw, note = _main_series(activity, trace, structure, unit, axis, grade_adjusted)
        key = "speed" if axis == "speed" else "pace"
        series[key] = _thin(Series(to_x(trace.t_s), main, key))
        series[f"{key}_raw"] = _thin(Series(to_x(trace.t_s), raw, f"{key} (raw)"))
        notes += [note] if note else []
    hr = _heart_rate(activity, to_x)
    if hr is not None:
        series["heart_rate"] = hr
    elevation = _elevation(activity, to_x) if series else None
    if elevation is not None:
        series["elevation"] = elevation
    route = _route(activity) if series else None
    if route is not None:
        series["route"] = route
    shades = tuple(
        Shade(float(to_x(i.start_s)), float(to_x(i.end_s)), rep_name(i, unit))
        for i in (structure.work if structure is not None else ())
    )
    lines, goal_extra, _ = goal_line(analysis, profile, goal_mile_s, unit)
    if not shades or axis != "pace":  # the goal is for the reps; an easy run is not judged
        lines, goal_extra = {}, {}
    x_label = f"distance ({unit})" if x == "distance" else "time (min)"
    title = _title(activity, structure, unit)
    extra = {"x": x, "grade_adjusted": grade_adjusted and "pace" in series and not notes}
    extra |= goal_extra
    extra["axis"] = axis
    extra["sport"] = activity.sport
    extra["speed_unit"] = SPEED_UNIT[unit][0]
    extra["lap_marks"] = _lap_marks(analysis, to_x)
    if not series:
        notes.append("no pace or heart rate in this file")
    return ChartData("trace", title, unit, (), lines, series, shades, x_label, tuple(notes), extra)


def smooth_window_s(structure: Any) -> float:
    """Seconds of the pace line's window: :data:`SMOOTH_S` for a continuous run, a third
    of the shortest work rep (:data:`MIN_SMOOTH_S` to :data:`MAX_REP_SMOOTH_S`) for a
    session of reps."""
    work = [i.duration_s for i in (structure.work if structure is not None else ())]
    if not work:
        return float(SMOOTH_S)
    return float(min(MAX_REP_SMOOTH_S, max(MIN_SMOOTH_S, min(work) / 3)))


def _main_series(activity, trace: Trace, structure, unit: str, axis: str, grade_adjusted: bool):
    """(smoothed, raw, note) on the trace's grid, in the sport's units: pace [s per unit],
    pace [s per 100 m] or speed [km/h or mph]; NaN where the athlete stood."""
    raw = grid_speed(trace.d_m)
    v = _moving_window_speed(trace.d_m, raw > MOVING_SPEED_MPS, smooth_window_s(structure))
    note = ""
    if grade_adjusted and axis == "pace":
        v, note = _grade_adjust(activity, trace, v)
    if axis == "speed":
        factor = SPEED_UNIT[unit][1]
        return v * factor, raw * factor, note
    per_m = 100.0 if axis == "pace_100m" else UNIT_M[unit]
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where(v > MOVING_SPEED_MPS, per_m / v, np.nan)
        raw_pace = np.where(raw > MOVING_SPEED_MPS, per_m / raw, np.nan)
    return pace, raw_pace, note


def _moving_window_speed(d_m: np.ndarray, moving: np.ndarray, window_s: float) -> np.ndarray:
    """Distance over moving time within a centred window [m/s] on the 1 s grid; NaN where
    the athlete stood. A stop inside the window does not drag the line down to a walk."""
    half = max(1, int(round(window_s / 2 / GRID_S)))
    n = len(d_m)
    idx = np.arange(n)
    hi, lo = np.minimum(idx + half, n - 1), np.maximum(idx - half, 0)
    moved_s = np.concatenate([[0.0], np.cumsum(moving[1:] * GRID_S)])
    span_s = moved_s[hi] - moved_s[lo]
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(span_s > 0, (d_m[hi] - d_m[lo]) / span_s, np.nan)
    return np.where(moving, v, np.nan)


MIN_ALTITUDE_FRAC = 0.5
"""An elevation panel needs altitude on half the samples."""
ELEVATION_SMOOTH_S = 9
"""Altitude is averaged over 9 samples: barometer steps of 0.2 m and GPS altitude jitter
would otherwise draw a saw."""


def _elevation(activity: Any, to_x) -> Series | None:
    s = activity.samples
    if not s.has("altitude_m"):
        return None
    ok = np.isfinite(s.elapsed_s) & np.isfinite(s.altitude_m)
    if ok.sum() < max(2, MIN_ALTITUDE_FRAC * len(s)):
        return None
    alt = _moving_mean(s.altitude_m[ok], ELEVATION_SMOOTH_S)
    return _thin(Series(to_x(s.elapsed_s[ok]), alt, "elevation"))


EARTH_RADIUS_M = 6_371_000.0


def _route(activity: Any) -> Series | None:
    """The route's shape: positions as metres east (x) and north (y) of the first one
    (an equirectangular projection: exact enough over a run's few km)."""
    s = activity.samples
    if not (s.has("lat_deg") and s.has("lon_deg")):
        return None
    ok = np.isfinite(s.lat_deg) & np.isfinite(s.lon_deg)
    if ok.sum() < 2:
        return None
    lat, lon = s.lat_deg[ok], s.lon_deg[ok]
    y = np.radians(lat - lat[0]) * EARTH_RADIUS_M
    x = np.radians(lon - lon[0]) * EARTH_RADIUS_M * np.cos(np.radians(lat[0]))
    if np.ptp(x) + np.ptp(y) < 1.0:
        return None
    return _thin(Series(x, y, "route"))


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
        d0 = float(trace.raw_d_m[0])  # a triathlon leg's distance counter starts mid-race
        return lambda t_s: (
            (trace.distance_at(np.asarray(t_s, dtype=np.float64)) - d0) / UNIT_M[unit]
        )
    return lambda t_s: np.asarray(t_s, dtype=np.float64) / 60.0


def _grade_adjust(activity: Any, trace: Trace, v: np.ndarray):
    s = activity.samples
    if not s.has("altitude_m"):
        return v, "no altitude in the file: pace is not grade-adjusted"
    if on_track(s.lat_deg, s.lon_deg):
        return v, "on a track: pace is not grade-adjusted (altimeter noise, no hills)"
    altitude = running_altitude_m(s.elapsed_s, s.distance_m, s.altitude_m)
    ok = np.isfinite(s.distance_m) & np.isfinite(altitude)
    grade = grade_from_altitude(s.distance_m[ok], altitude[ok])
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
    label = workout_words(structure, unit)
    what = label or (
        f"{format_distance(activity.distance_m, unit)} in {format_duration(activity.elapsed_s)}"
    )
    # The warm-up and cool-down are plain on the chart: the title keeps the session proper.
    what = re.sub(r"^[\d:]+ warm-up; |; [\d:]+ cool-down$", "", what)
    sport = SPORT_WORDS.get(getattr(activity, "sport", ""), "")
    if sport and not label:
        what = f"{sport}: {what}"
    what = what[:1].upper() + what[1:]
    return what


SPORT_WORDS = {
    "cycling": "bike",
    "e_biking": "e-bike",
    "swimming": "swim",
    "transition": "transition",
    "walking": "walk",
    "hiking": "hike",
    "rowing": "row",
}
"""The sport named in a trace's title when it is not a run."""
