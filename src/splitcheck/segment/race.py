"""Races and time trials of 3 km to the marathon: one hard continuous effort at a
standard race distance.

A watch cannot say how hard a run felt, and an easy 10 km and a 10 km race look alike on
distance alone; what sets a race apart on the file is that it is run at one even effort
from start to finish, without a stop or a walk, over a race distance (GPS reads a course
a little long: runners do not run its tangents). A mile time trial is found elsewhere
(:mod:`.mile`).
"""

from __future__ import annotations

import numpy as np

from .intervals import RUNNING_MPS
from .trace import Trace
from .types import Interval

RACE_DISTANCES_M = {
    "3 km": 3000.0,
    "5 km": 5000.0,
    "10 km": 10000.0,
    "15 km": 15000.0,
    "half marathon": 21097.5,
    "marathon": 42195.0,
}
"""Standard road and track race distances (World Athletics road events, plus 3 km)."""
RACE_DISTANCE_RANGE = (-0.005, 0.03)
"""A race measured from 0.5 % short to 3 % long: certified courses are at least their
distance, and GPS on roads reads 1-3 % long (cut corners are not run)."""
RACE_SPLIT_CV = 0.05
"""A race's km splits vary by under 5 % (coefficient of variation; the 10 km road race of
the development set: 2 %); easy runs with stops, walk breaks, progressions or a slow last
km vary 6-30 % (every continuous run of the real files)."""
RACE_MAX_SLOW_SHARE = 0.01
"""Under 1 % of the effort's time below running speed (``intervals.RUNNING_MPS``): a race
has no walk and no standing stop."""
SPLIT_M = 1000.0


def race_effort(trace: Trace, span: Interval | None = None) -> Interval | None:
    """The race effort (a work interval named by its race distance) when ``span`` (default:
    the whole activity, from the first step to the last) is one even hard effort over a
    standard race distance (see the thresholds above); else None."""
    if span is None:
        start_s, end_s = _moving_bounds(trace)
    else:
        start_s, end_s = span.start_s, span.end_s
    d0, d1 = (float(x) for x in trace.distance_at(np.array([start_s, end_s])))
    dist = d1 - d0
    name = _race_distance(dist)
    if name is None or end_s <= start_s:
        return None
    inside = (trace.t_s >= start_s) & (trace.t_s <= end_s)
    if np.mean(trace.v_mps[inside] < RUNNING_MPS) > RACE_MAX_SLOW_SHARE:
        return None
    marks = d0 + np.arange(0.0, dist, SPLIT_M)
    times = trace.time_at(np.append(marks, d1))
    lengths = np.diff(np.append(marks, d1))
    full = lengths >= SPLIT_M - 1e-6
    speeds = lengths[full] / np.diff(times)[full]
    if len(speeds) < 2 or np.std(speeds) / np.mean(speeds) > RACE_SPLIT_CV:
        return None
    nominal = RACE_DISTANCES_M[name]
    return Interval(
        start_s, end_s, dist, kind="work", rep=1, nominal=name, nominal_distance_m=nominal,
        source="trace",
    )  # fmt: skip


def race_label(rep: Interval) -> str:
    """``10 km race / time trial``: the race's name (a road distance, the same in every
    unit); its time and pace are the report's to word, in the runner's units."""
    return f"{rep.nominal} race / time trial"


def _race_distance(distance_m: float) -> str | None:
    lo, hi = RACE_DISTANCE_RANGE
    for name, d in RACE_DISTANCES_M.items():
        if lo <= distance_m / d - 1 <= hi:
            return name
    return None


def _moving_bounds(trace: Trace) -> tuple[float, float]:
    """First and last time the distance changes: the gun and the line, without the
    standing before and after."""
    d = trace.raw_d_m
    moved = np.flatnonzero(np.diff(d) > 0)
    if not len(moved):
        return float(trace.raw_t_s[0]), float(trace.raw_t_s[-1])
    return float(trace.raw_t_s[moved[0]]), float(trace.raw_t_s[moved[-1] + 1])
