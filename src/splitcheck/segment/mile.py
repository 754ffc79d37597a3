"""Finding a mile time trial in the pace trace when the speed clusters alone do not.

A mile run 15-35 % faster than its warm-up (a beginner's 7:30-9:30 mile) has soft
edges: a slow lap can split it in two bouts, a slow first or last lap can fall outside
its bout, and hills (speeds are flat-equivalent) move the edges. These functions find
the one mile effort of such a session; segmentation assembles the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..arrays import median
from ..model import Lap
from ..units import MILE_M
from .efforts import TT_DISTANCES_M, fastest_stretch
from .intervals import Bout, refine_bouts
from .trace import Trace
from .types import Effort, Span
from .workout import MILE_TT_M

STRIDE_SHARE = 0.15
"""Bouts under 15 % of a mile effort's distance (strides of 100-200 m) beside one effort
of about a mile leave it a time trial (guidance.md: "one dominant hard effort")."""
LONE_MILE_RATIO = 1.15
LONE_MILE_EDGE = 0.9
LONE_MILE_MARGIN_M = 200.0
"""A session with no distinct fast cluster is still a mile time trial when its fastest
mile is 15 % faster than the median of the rest, and the 200 m either side of it are
run 10 % slower than it (median speeds): one effort with edges, not a progression or a
tempo (whose fastest mile lies inside a longer fast stretch)."""
JOG_WINDOW_S = 30.0
JOG_INSIDE_RATIO = 1.05
"""... and no 30 s of it is run within 5 % of the rest of the session's median speed:
the fastest mile of the real 3 x 600 m and 400/400/800/800/400 m track sessions spans
reps and the jogs between them; a time trial's slow lap stays above warm-up pace."""
STANDING_START_S = 10.0
STANDING_START_M = 3.0
STANDING_LOOKBACK_S = 30.0
STANDING_LEAVE_M = 0.5
STANDING_ACCELERATION_S = 4.0
STANDING_RUN_ON = 0.85
"""A runner who covered under 3 m in 10 s stood (a watch adds nothing while its wearer
stands; GPS wander adds a metre or two). When such a stand ends up to 30 s before the
fastest mile, and the runner ran on from it at 85 % of the mile's median speed or more
(after 4 s of getting going), the mile started when the runner left it: 0.5 m past
the stand's distance. (Watch distance errs, so the fastest stretch may start a few seconds in; the
speed-settling edge lands later still where a downhill first lap reads slow once
flat-equivalent.)"""
GROWN_MILE_SHARE = 0.6
"""A bout of 60 % of a mile or more, alone but for strides, may be a mile time trial whose
slower first or last laps fell outside it (:func:`_grown_mile`)."""
SLOW_LAP_RATIO = 1.0
MAX_JOIN_GAP = 0.15
"""Bouts join into one mile when the stretches between them take under 15 % of the joined
effort and are run at least as fast (mean flat-equivalent speed: an uphill lap is slow
only on the clock) as the median of the session outside all bouts (warm-up, cool-down).
Recoveries between reps are jogged slower than the warm-up, or stood; a slow lap of a
time trial dips towards warm-up pace at most."""

LAPPED_EDGE_S = 5.0
"""Device laps quarter a mile effort when they start and end within 5 s of its edges (a
runner presses lap at the start and finish lines; the trace's edges err by 1-2 s)."""
LAPPED_LENGTH_TOLERANCE = 0.05
"""Each device lap's distance must be within 5 % of the lap it stands for: a quarter of
the effort, or on a track the 9-109 m to the first line and then 400 m laps (GPS errs
by 1-3 %)."""
TRACK_LAP_M = 400.0


def lapped_quarters(laps: Sequence[Lap], effort: Effort) -> Effort | None:
    """The effort timed by the runner's own laps when the device laps split it into four
    (lap pressed at each quarter, or at each line of a track): the watch's clock at each
    mark, with no GPS error in it. Lap lengths are the standard ones (a mile's quarters,
    or 9.34 m + 3 x 400 m... on a track: 409.34, 400, 400, 400 m); None when the laps do
    not fit them."""
    inside = [
        lap
        for lap in laps
        if lap.start_s >= effort.start_s - LAPPED_EDGE_S
        and lap.end_s <= effort.end_s + LAPPED_EDGE_S
    ]
    if len(inside) != 4 or abs(inside[0].start_s - effort.start_s) > LAPPED_EDGE_S:
        return None
    if abs(inside[-1].end_s - effort.end_s) > LAPPED_EDGE_S:
        return None
    if any(abs(b.start_s - a.end_s) > 1.0 for a, b in zip(inside[:-1], inside[1:], strict=True)):
        return None
    lengths = _standard_lengths(np.array([lap.distance_m for lap in inside]))
    if lengths is None:
        return None
    spans = tuple(
        Span(lap.start_s, lap.end_s, float(m)) for lap, m in zip(inside, lengths, strict=True)
    )
    return Effort(
        start_s=spans[0].start_s,
        end_s=spans[-1].end_s,
        distance_m=float(lengths.sum()),
        name=effort.name,
        laps=spans,
    )


def _standard_lengths(measured_m: np.ndarray) -> np.ndarray | None:
    """The standard lap lengths [m] that ``measured_m`` (four device laps) stand for: of
    those each lap fits (:data:`LAPPED_LENGTH_TOLERANCE`), the closest."""
    total = min(TT_DISTANCES_M, key=lambda d: abs(d - measured_m.sum()))
    candidates = [
        np.full(4, total / 4),
        np.array([total - 3 * TRACK_LAP_M, TRACK_LAP_M, TRACK_LAP_M, TRACK_LAP_M]),
    ]
    fitting = [
        c for c in candidates if np.all(np.abs(measured_m - c) <= LAPPED_LENGTH_TOLERANCE * c)
    ]
    if not fitting:
        return None
    return min(fitting, key=lambda c: float(np.sum((measured_m / c - 1) ** 2)))


def mile_bout(trace: Trace, bouts: Sequence[Bout]) -> Bout | None:
    """The one mile-long effort among ``bouts`` (alone, joined from pieces, or grown from
    a bout short of a mile), or None when the bouts are something else."""
    return _dominant_mile(trace, bouts) or _joined_mile(trace, bouts) or _grown_mile(trace, bouts)


def _dominant_mile(trace: Trace, bouts: Sequence[Bout]) -> Bout | None:
    """The one bout of 1500 m - 1 mile when every other bout is a short surge (strides in
    the warm-up): the session is a mile time trial (see :data:`STRIDE_SHARE`)."""
    dist = _distances_m(trace, bouts)
    miles = [i for i, d in enumerate(dist) if MILE_TT_M[0] <= d <= MILE_TT_M[1]]
    if len(miles) != 1:
        return None
    longest = dist[miles[0]]
    if all(d < STRIDE_SHARE * longest for i, d in enumerate(dist) if i != miles[0]):
        return bouts[miles[0]]
    return None


def _distances_m(trace: Trace, bouts: Sequence[Bout]) -> list[float]:
    """Distance [m] run in each bout."""
    edges = trace.distance_at(np.array([[b.start_s, b.end_s] for b in bouts]))
    return [float(d1 - d0) for d0, d1 in edges]


def _joined_mile(trace: Trace, bouts: Sequence[Bout]) -> Bout | None:
    """Consecutive bouts that make one mile-long effort when the stretches between them
    were still run faster than the rest of the session (:data:`SLOW_LAP_RATIO`): a slow
    third lap or an uphill split the mile in two. Recoveries between reps are slower than
    the warm-up; a slow lap of a time trial is not."""
    t, v = trace.t_s, trace.v_mps
    inside = np.zeros(len(t), dtype=bool)
    for b in bouts:
        inside |= (t >= b.start_s) & (t <= b.end_s)
    v_rest = float(median(v[~inside])) if (~inside).any() else 0.0
    for i in range(len(bouts) - 1):  # a session has a few bouts: a few pairs
        for j in range(i + 1, len(bouts)):
            a, z = bouts[j - 1].end_s, bouts[j].start_s
            joined = Bout(bouts[i].start_s, bouts[j].end_s)
            gap = (t > a) & (t < z)
            if not gap.any() or v[gap].mean() < SLOW_LAP_RATIO * v_rest:
                break
            gaps_s = sum(bouts[k].start_s - bouts[k - 1].end_s for k in range(i + 1, j + 1))
            if gaps_s > MAX_JOIN_GAP * (joined.end_s - joined.start_s):
                break
            others = [*bouts[:i], *bouts[j + 1 :]]
            if _dominant_mile(trace, [joined, *others]) is joined:
                return joined
    return None


def _grown_mile(trace: Trace, bouts: Sequence[Bout]) -> Bout | None:
    """The fastest mile when one bout of most of a mile (:data:`GROWN_MILE_SHARE`), with
    only strides beside it, lies inside it: a slow first or last lap read as warm-up
    or cool-down left the bout short of a mile."""
    dist = _distances_m(trace, bouts)
    big = [i for i, d in enumerate(dist) if d >= GROWN_MILE_SHARE * MILE_M]
    if len(big) != 1 or dist[big[0]] > MILE_TT_M[1]:
        return None
    if any(d >= STRIDE_SHARE * MILE_M for i, d in enumerate(dist) if i != big[0]):
        return None
    mile = lone_mile(trace)
    core = bouts[big[0]]
    if mile is None or not (mile.start_s <= core.start_s + 1 and mile.end_s >= core.end_s - 1):
        return None
    return mile


def lone_mile(trace: Trace) -> Bout | None:
    """The fastest mile when it stands out from a session the speed clusters call one
    continuous run: a mile time trial run less than 25 % faster than its warm-up (a 7:45
    mile after 6:00 /km jogging). Speeds are flat-equivalent (hills do not make edges).
    See :data:`LONE_MILE_RATIO`."""
    best = fastest_stretch(trace, MILE_M)
    if best is None:
        return None
    d0, d1 = (float(x) for x in trace.distance_at(np.array([best.start_s, best.end_s])))
    if d0 - trace.d_m[0] < LONE_MILE_MARGIN_M or trace.d_m[-1] - d1 < LONE_MILE_MARGIN_M:
        return None
    t_before, t_after = trace.time_at(np.array([d0 - LONE_MILE_MARGIN_M, d1 + LONE_MILE_MARGIN_M]))
    t, v = trace.t_s, trace.v_mps
    inside = (t >= best.start_s) & (t <= best.end_s)
    v_mile = float(median(v[inside]))
    v_rest = float(median(v[~inside]))
    edges = [v[(t >= t_before) & (t < best.start_s)], v[(t > best.end_s) & (t <= t_after)]]
    edges = [float(median(e)) for e in edges if len(e)]  # none: a gap in the recording there
    if not edges or v_mile < LONE_MILE_RATIO * v_rest or max(edges) > LONE_MILE_EDGE * v_mile:
        return None
    if _jog_inside(trace, best.start_s, best.end_s, v_rest):
        return None
    refined = refine_bouts(trace, [Bout(best.start_s, best.end_s)])
    if len(refined) != 1:
        return None
    leave_s = _left_stand(trace, best.start_s, v_mile)
    if leave_s is not None:  # the refined start can only be later, on a downhill's dip
        return Bout(leave_s, refined[0].end_s)
    return refined[0]


def _jog_inside(trace: Trace, start_s: float, end_s: float, v_rest: float) -> bool:
    """Does the stretch hold a :data:`JOG_WINDOW_S` window run no faster than
    :data:`JOG_INSIDE_RATIO` times the session's rest speed ``v_rest`` [m/s] (a jog
    recovery between reps)?"""
    sel = (trace.t_s >= start_s) & (trace.t_s <= end_s)
    v = trace.v_mps[sel]
    w = int(JOG_WINDOW_S)
    if len(v) <= w:
        return False
    means = np.convolve(v, np.ones(w) / w, mode="valid")
    return float(means.min()) <= JOG_INSIDE_RATIO * v_rest


def _left_stand(trace: Trace, t_s: float, v_mile: float) -> float | None:
    """When the runner left a stand of at least :data:`STANDING_START_S` that ended
    within :data:`STANDING_LOOKBACK_S` before ``t_s`` and ran on from it at the mile's
    pace (:data:`STANDING_RUN_ON`); None without such a stand."""
    d_back = float(trace.distance_at(t_s - STANDING_LOOKBACK_S))
    leave_s = float(trace.time_at(d_back + STANDING_LEAVE_M, last=True))
    if leave_s > t_s:
        return None
    d = trace.distance_at(np.array([leave_s - STANDING_START_S, leave_s]))
    run_on = (trace.t_s >= leave_s + STANDING_ACCELERATION_S) & (trace.t_s <= t_s)
    if run_on.any() and trace.v_mps[run_on].mean() < STANDING_RUN_ON * v_mile:
        return None
    return leave_s if d[1] - d[0] < STANDING_START_M else None
