"""Best efforts (fastest 400 m, 800 m, 1 km, mile, 5 km) and the four laps of a mile effort.

The fastest stretch of distance D: for every start distance x, the time from leaving x
(its last time there: a standing runner has not started) to first reaching x + D, both
interpolated between samples. That time is piecewise linear in x with its corners at the
samples' distances and at those minus D, so its minimum is at one of them: the search
is exact and costs as much as the samples, whatever distance the file claims (a 0.5 m
grid over a broken 21,000 km took gigabytes).
"""

from __future__ import annotations

import numpy as np

from ..units import MILE_M
from .index import first_reach
from .trace import Trace
from .types import Effort, Span

BEST_EFFORTS_M = {
    "400m": 400.0,
    "800m": 800.0,
    "1km": 1000.0,
    "mile": MILE_M,
    "5km": 5000.0,
    "10km": 10000.0,
    "half_marathon": 21097.5,
    "marathon": 42195.0,
}
"""The best efforts reported for every activity long enough to hold them (the distances
Strava and Garmin Connect keep records for, 400 m to the marathon; World Athletics
road distances)."""
MILE_LAPS = 4
"""A mile effort is judged in four equal laps (guidance.md section 1)."""


def best_efforts(trace: Trace) -> dict[str, Effort]:
    """Fastest stretch of each distance in :data:`BEST_EFFORTS_M` the activity covers."""
    out = {}
    for name, dist in BEST_EFFORTS_M.items():
        effort = fastest_stretch(trace, dist, name=name)
        if effort is not None:
            out[name] = with_laps(trace, effort) if name == "mile" else effort
    return out


def fastest_stretch(
    trace: Trace, distance_m: float, *, name: str = "", within: tuple[float, float] | None = None
) -> Effort | None:
    """The fastest stretch of ``distance_m`` metres (optionally within a time window [s])."""
    d = trace.raw_d_m
    lo_d, hi_d = float(d[0]), float(d[-1])
    if within is not None:
        lo_d, hi_d = (float(x) for x in trace.distance_at(np.asarray(within, dtype=float)))
    if hi_d - lo_d < distance_m:
        return None
    corners = first_reach(trace)[0]  # np.unique(d), once per trace
    starts = np.concatenate([corners, corners - distance_m, [lo_d, hi_d - distance_m]])
    starts = _sorted_unique(starts[(starts >= lo_d) & (starts <= hi_d - distance_m)])
    t_start = trace.time_at(starts, last=True)
    t_end = trace.time_at(starts + distance_m)
    dur = t_end - t_start
    i = int(np.argmin(dur))
    if not dur[i] > 0:
        return None
    return Effort(
        start_s=float(t_start[i]), end_s=float(t_end[i]), distance_m=distance_m, name=name
    )


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique(a)`` of two sorted runs (and a few values): the stable sort merges the
    runs in linear time where ``np.unique``'s quicksort sorts them again (6x slower)."""
    a = np.sort(a, kind="stable")
    return a[np.concatenate([[True], a[1:] != a[:-1]])]


def with_laps(trace: Trace, effort: Effort, laps: int = MILE_LAPS) -> Effort:
    """The effort with its ``laps`` equal-distance laps, boundaries interpolated."""
    d0 = float(trace.distance_at(effort.start_s))
    marks = d0 + effort.distance_m * np.arange(1, laps) / laps
    inner = trace.time_at(marks)
    bounds = np.concatenate([[effort.start_s], inner, [effort.end_s]])
    lap_m = effort.distance_m / laps
    spans = tuple(
        Span(float(a), float(b), lap_m) for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    )
    return Effort(
        start_s=effort.start_s,
        end_s=effort.end_s,
        distance_m=effort.distance_m,
        name=effort.name,
        laps=spans,
    )


TT_DISTANCES_M = (1500.0, 1600.0, MILE_M)
"""The distances a mile-ish time trial is run over (guidance.md section 1)."""
TT_END_MATCH_M = 20.0
"""A time trial measured within 20 m of one of :data:`TT_DISTANCES_M` keeps its end (GPS
distance errs by ~1 %); one further from all of them ended where the runner eased
off inside the effort (a slow last lap, a hill), or ran on past the line."""
TT_END_SEARCH_S = 45.0
"""Ends at a standard distance further than this [s] from the detected end are not tried."""
CONTRAST_WINDOW_S = 20.0
"""Speed drop at an end: the mean speed over 20 s before it minus over 20 s after it."""


def standard_end(trace: Trace, start_s: float, end_s: float) -> float:
    """The end [s] of a time trial from ``start_s``: ``end_s`` when the distance run is
    near a standard one (:data:`TT_END_MATCH_M`), else the time each standard distance
    is reached whose end has the clearest drop in speed, if that drop beats the detected
    end's. A mile run to the line ends there: an end 60 m short, where a slow uphill last
    lap looked like the cool-down, made every quarter 3.5 % short."""
    d0 = float(trace.distance_at(start_s))
    run_m = float(trace.distance_at(end_s)) - d0
    if min(abs(run_m - d) for d in TT_DISTANCES_M) <= TT_END_MATCH_M:
        return end_s
    reach = np.asarray(TT_DISTANCES_M) + d0
    ends = trace.time_at(reach[reach <= trace.raw_d_m[-1]])
    ends = ends[np.abs(ends - end_s) <= TT_END_SEARCH_S]
    if len(ends) == 0:
        return end_s
    drops = [_speed_drop(trace, t) for t in ends]
    best = int(np.argmax(drops))
    return float(ends[best]) if drops[best] > _speed_drop(trace, end_s) else end_s


def _speed_drop(trace: Trace, t_s: float) -> float:
    """Mean grid speed [m/s] over :data:`CONTRAST_WINDOW_S` before ``t_s`` minus after."""
    before = (trace.t_s >= t_s - CONTRAST_WINDOW_S) & (trace.t_s < t_s)
    after = (trace.t_s > t_s) & (trace.t_s <= t_s + CONTRAST_WINDOW_S)
    if not before.any() or not after.any():
        return -np.inf
    return float(trace.v_mps[before].mean() - trace.v_mps[after].mean())
