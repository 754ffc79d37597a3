"""Work and recovery bouts found from the pace trace alone.

The session's grid speeds (time-weighted by construction) fall into a slow cluster
(warm-up, jog or walk recoveries, cool-down) and a fast one (reps); 1-D k-means finds
their centres. A two-level threshold with hysteresis between the centres marks the fast
bouts; short dropouts are merged, too-short bouts dropped, and each boundary is placed
exactly by fitting a two-segment (hinge) line to distance against time on the raw samples,
so smart recording and GPS noise blur it as little as possible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..arrays import median, percentile
from ..model import MOVING_SPEED_MPS
from .hinge import hinge_kinks
from .index import between
from .settle import settle_edges
from .stops import restart as _restart
from .stops import stop as _stop
from .surges import drop_edges_and_surges as _drop_edges_and_surges
from .surges import without_easy_start as _without_easy_start
from .trace import Trace, rolling_median
from .twolevel import split_two_level

MIN_CLUSTER_RATIO = 1.25
"""Fast/slow cluster speed ratio below which a session is one continuous run. A jog
recovery is 30-50 % slower than a rep; an easy-to-tempo drift or a hilly run is ~10-20 %."""
MIN_SEPARATION = 0.66
CLUSTER_SMOOTH_S = 15
"""Otsu's between-class / total variance of the 15 s rolling-median speed needed to call
it two clusters: a unimodal (Gaussian-like) trace scores 2/pi = 0.64 whatever its noise;
sessions of reps and jogs score 0.72-0.95 on the real and simulated files (a long warm-up
faster than the jog recoveries lowers it)."""
MIN_REP_VS_RUNNING = 1.08
"""A rep is at least 8 % faster than the session's easy running (median grid speed
above :data:`RUNNING_MPS` outside the bouts): most running stretches of a run with walk
breaks sit at 0.6-1.1 of it; the reps of the real files at 1.12-1.6 (a slow runner's
200 m reps are the low end). Stretches that pass by chance rarely form a named set
(see ``assemble.MAX_UNFIT``)."""
RUNNING_MPS = 1.8
"""Above 1.8 m/s (9:15 /km) a runner is running, below walking or standing."""
MIN_OUTSIDE_FRACTION = 0.2
"""The reference running speed is taken outside the bouts when at least 20 % of the
running is there (a long tempo would otherwise set its own reference)."""
MIN_RUNNING_FRACTION = 0.10
"""A session with under 10 % of its time running is a walk or a hike: no reps."""
ENTER_FRACTION = 0.55
EXIT_FRACTION = 0.25
"""Hysteresis levels, as fractions of the way from the slow to the fast centre: a bout
starts above 55 % and ends below 25 %, so noise near one level, or a rep slowing 10-15 %
up a hill, does not chop a rep."""
MIN_GAP_S = 8.0
"""A dip shorter than this inside a rep is a GPS dropout or a stumble, not a recovery."""
MIN_WORK_S = 10.0
"""A bout shorter than this is a surge, not a rep (the shortest article rep is 30 s / 100 m)."""
MIN_BOUT_RATIO = 1.15
"""A refined bout must be this much faster than the recoveries either side of it."""
START_LAG_S = 0.7
END_LAG_S = 1.1
"""The refined edges are moved back from the kink of the two fitted lines by these lags.
Real runners change pace over a few seconds AROUND the lap press, not after it: into a
rep half the change is done about when they press (or the workout step beeps, which they
anticipate), out of a rep the easing off straddles the press
(``scripts/transition_survey.py``: median 50 % of the change -0.9 s at rep starts,
+0.4 s at ends; the simulator's runner does the same, ``simulate/transitions.py``).
Tuned on the real files first (scripts/evaluate_segmentation.py, laps ignored; 1.2 /
1.6 s before -> 0.7 / 1.1 s: TRUTH.json reps within 3 % of the lap 67 -> 71 %, edge
median 1.10 -> 1.11 s; manifest edge median 1.95 -> 1.73 s; rests rewritten 85 -> 89 %
within 3 %), the simulator second (laps hidden: edge median 1.10 -> 0.90 s, p95 3.45 ->
3.09 s). 0.8 / 0.8 s did better still on the real sets' medians but turned the one
surge of gpxpy/track-with-empty-segment.gpx into a "1x15 s" session and put
track_cs_728599.fit's first rep end 4.2 s late; an end lag of 1.0 s or less or a start
lag of 0.3 s or less lost a rep count or edges on the real sets."""
SETTLE_S = 5.0
SETTLE_FRACTION = 0.6
"""A rep has started when the speed stays 60 % of the way from the recovery's median to
the rep's pace (its 75th percentile) for 5 s."""
MIN_KEPT_FRACTION = 0.6
"""Settled edges that cut a bout by more than 40 % found a dip inside the rep (GPS
noise on sparse samples), not its edge: the hysteresis edges stay."""
HINGE_MAX_HALF_WINDOW_S = 20.0
HINGE_MIN_HALF_WINDOW_S = 4.0
HINGE_STEP_S = 0.1
"""Boundary search: a window of at most +-20 s (at most 45 % of either neighbouring bout),
scanned in 0.1 s steps."""


@dataclass(frozen=True)
class Bout:
    """A work bout: start and end, seconds from the first sample."""

    start_s: float
    end_s: float


def speed_clusters(
    trace: Trace, smooth_s: float = 1.0, floor_mps: float = MOVING_SPEED_MPS
) -> tuple[float, float, float]:
    """Slow and fast speed centres [m/s] of the grid samples above ``floor_mps`` (moving),
    and their separation.

    Separation is Otsu's between-class variance over total variance (0-1); ``smooth_s``
    takes a rolling median of the speed first.
    """
    v = rolling_median(trace.v_mps, int(smooth_s) | 1)
    v = v[v > floor_mps]
    if len(v) < 10:
        return np.nan, np.nan, 0.0
    slow, fast = percentile(v, [25, 90])
    ordered = np.sort(v)  # each step's two means from running sums: O(log n) a step
    sums = np.concatenate([[0.0], np.cumsum(ordered)])
    n, n_hi = len(v), 0
    for _ in range(30):  # at most 30 two-means steps; a step that keeps the same split
        cut = (slow + fast) / 2  # ends it (every later one would repeat it exactly)
        n_lo = int(np.searchsorted(ordered, cut, side="right"))
        n_hi = n - n_lo
        if n_hi == 0 or n_hi == n:
            return float(median(v)), float(median(v)), 0.0
        centres = float(sums[n_lo] / n_lo), float((sums[n] - sums[n_lo]) / n_hi)
        if centres == (slow, fast):
            break
        slow, fast = centres
    w = n_hi / len(v)
    between = w * (1 - w) * (fast - slow) ** 2
    total = float(v.var())
    return slow, fast, between / total if total > 0 else 0.0


def is_continuous(slow: float, fast: float, separation: float) -> bool:
    """True when the trace shows no distinct fast bouts (see the thresholds above)."""
    if not (np.isfinite(slow) and np.isfinite(fast)) or slow <= 0:
        return True
    return fast / slow < MIN_CLUSTER_RATIO or separation < MIN_SEPARATION


def hysteresis(v: np.ndarray, enter: float, leave: float) -> np.ndarray:
    """Boolean state: on after v rises above ``enter`` until it falls below ``leave``."""
    events = np.where(v > enter, 1, np.where(v < leave, 0, -1))
    idx = np.where(events >= 0, np.arange(len(v)), -1)
    np.maximum.accumulate(idx, out=idx)
    return np.where(idx >= 0, events[np.maximum(idx, 0)], 0) == 1


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) index pairs, end exclusive, of the True runs of ``mask``."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def find_bouts(trace: Trace, notes: list[str] | None = None) -> list[Bout]:
    """Work bouts of the session, with exact boundaries; empty for a continuous run.

    The second pass (:mod:`.regular`: regular alternation at a lower speed ratio) finds
    a beginner's reps when the clusters call the session continuous, and replaces the
    first pass's bouts when it finds a more regular set. When the clusters call it
    continuous, the cadence (:mod:`.cadence`) may still witness reps the GPS blurred; a
    first bout at the very start run slower than the others is the warm-up
    (:func:`.surges.without_easy_start`). ``notes`` gets a line when cadence found them."""
    if _mostly_walked(trace):
        return []
    _, _, separation = speed_clusters(trace, CLUSTER_SMOOTH_S)
    slow, fast, _ = speed_clusters(trace)
    from .cadence import cadence_bouts  # both build on this module
    from .regular import more_regular, regular_bouts

    regular = regular_bouts(trace)
    if is_continuous(slow, fast, separation):
        cadenced = cadence_bouts(trace)  # reps the GPS blurs, witnessed by cadence
        chosen = regular if not cadenced or more_regular(trace, regular, cadenced) else cadenced
        if chosen is cadenced and notes is not None:
            notes.append(
                "GPS speed alone blurs these reps (a track's bends); the cadence rising and"
                " falling with the pace tells them apart"
            )
    else:
        bouts = bouts_between(trace, slow, fast)
        chosen = regular if more_regular(trace, regular, bouts) else bouts
    return _without_easy_start(trace, chosen)


def bouts_between(
    trace: Trace,
    slow: float,
    fast: float,
    min_gap_s: float = MIN_GAP_S,
) -> list[Bout]:
    """The bouts above the hysteresis levels between the slow and fast centres [m/s] of
    the trace's grid speed, across dips shorter than ``min_gap_s`` (the edges are refined
    on the samples)."""
    span = fast - slow
    on = hysteresis(trace.v_mps, slow + ENTER_FRACTION * span, slow + EXIT_FRACTION * span)
    t = trace.t_s
    bouts = _merged_runs(on, t, min_gap_s)
    bouts = split_two_level(trace, bouts, MIN_WORK_S, HINGE_STEP_S)  # a warm-up joined to a rep
    bouts = refine_bouts(trace, bouts)
    bouts = _faster_than_running(trace, _keep_distinct(trace, bouts))
    return _drop_edges_and_surges(trace, bouts)


def _mostly_walked(trace: Trace) -> bool:
    """A walk or hike: under :data:`MIN_RUNNING_FRACTION` of the time is running."""
    return float(np.mean(trace.v_mps > RUNNING_MPS)) < MIN_RUNNING_FRACTION


def _faster_than_running(trace: Trace, bouts: list[Bout]) -> list[Bout]:
    """Drop bouts not :data:`MIN_REP_VS_RUNNING` faster than the median running speed."""
    running = trace.v_mps > RUNNING_MPS
    if not bouts or not running.any():
        return bouts
    spans = [between(trace, "t_s", b.start_s, b.end_s) for b in bouts]
    inside = np.zeros(len(trace.t_s), dtype=bool)
    for span in spans:  # a window per bout, not a mask over the whole run
        inside[span] = True
    outside = running & ~inside
    # the easy running around the reps, unless the bouts are nearly all the running
    pool = outside if outside.sum() >= MIN_OUTSIDE_FRACTION * running.sum() else running
    reference = float(median(trace.v_mps[pool]))
    keep = []
    for b, span in zip(bouts, spans, strict=True):  # effort (grade-adjusted) speeds on both
        inside_b = trace.v_mps[span]  # sides of the comparison
        if len(inside_b) and inside_b.mean() >= MIN_REP_VS_RUNNING * reference:
            keep.append(b)
    return keep


def _merged_runs(on: np.ndarray, t: np.ndarray, min_gap_s: float) -> list[Bout]:
    """The runs of ``on`` as bouts (first to last sample time), across gaps shorter than
    ``min_gap_s``, at least
    :data:`MIN_WORK_S` long; the run's many short runs handled as arrays."""
    edges = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    start_s = t[np.flatnonzero(edges == 1)]
    end_s = t[np.flatnonzero(edges == -1) - 1]
    if len(start_s) == 0:
        return []
    new = np.concatenate([[True], ~(start_s[1:] - end_s[:-1] < min_gap_s)])
    last = np.concatenate([new[1:], [True]])
    start_s, end_s = start_s[new], end_s[last]
    long = end_s - start_s >= MIN_WORK_S
    return [Bout(a, b) for a, b in zip(start_s[long].tolist(), end_s[long].tolist(), strict=True)]


def refine_bouts(trace: Trace, bouts: list[Bout]) -> list[Bout]:
    """Each boundary placed at the kink of a hinge fit to distance against time, near
    where the speed crosses halfway between the bout's own pace and its neighbours'."""
    t_first, t_last = float(trace.t_s[0]), float(trace.t_s[-1])
    if not bouts:
        return []
    prev_ends = [t_first] + [b.end_s for b in bouts[:-1]]
    next_starts = [b.start_s for b in bouts[1:]] + [t_last]
    bounds = np.array(
        [(b.start_s, b.end_s, p, n) for b, p, n in zip(bouts, prev_ends, next_starts, strict=True)]
    )
    settled = settle_edges(trace, bounds, SETTLE_S, SETTLE_FRACTION, MIN_KEPT_FRACTION)
    guesses, half_windows = [], []
    for (a, z), prev_end, next_start in zip(settled.tolist(), prev_ends, next_starts, strict=True):
        # every edge's fit is independent of the others': all are solved at once
        dur = z - a
        guesses += [a, z]
        half_windows += [_half_window(a - prev_end, dur), _half_window(dur, next_start - z)]
    kinks = hinge_kinks(trace, guesses, half_windows, HINGE_STEP_S)
    out = []
    for i in range(len(bouts)):
        start, end = kinks[2 * i], kinks[2 * i + 1]
        start, end = max(start - START_LAG_S, t_first), max(end - END_LAG_S, t_first)
        start, end = _restart(trace, start, end), _stop(trace, settled[i, 1], end)
        if out:  # refined edges never overlap the previous rep
            start = max(start, out[-1].end_s)
        if end - start >= MIN_WORK_S:
            out.append(Bout(start, end))
    return out


def _local_edges(trace: Trace, b: Bout, prev_end: float, next_start: float) -> tuple[float, float]:
    """Where the speed settles above :data:`SETTLE_FRACTION` of the way from the median
    speed before (start) / after (end) the bout to its pace, for :data:`SETTLE_S` s.

    A jog to the start line between a walk and the rep would otherwise pull the start
    to the walk's end."""
    bounds = np.array([[b.start_s, b.end_s, prev_end, next_start]])
    a, z = settle_edges(trace, bounds, SETTLE_S, SETTLE_FRACTION, MIN_KEPT_FRACTION)[0]
    return float(a), float(z)


def _half_window(left_s: float, right_s: float) -> float:
    w = 0.45 * min(left_s, right_s)  # clipped (np.clip's value, without its call cost)
    return float(min(max(w, HINGE_MIN_HALF_WINDOW_S), HINGE_MAX_HALF_WINDOW_S))


def hinge_kink(trace: Trace, guess_s: float, half_window_s: float) -> float:
    """Time [s] of the best continuous two-line fit's kink to distance near ``guess_s``.

    Fits d = a + b (t - c) + k max(0, t - c) by least squares for every candidate kink c
    in the window (0.1 s steps, all candidates at once from running sums, see
    :mod:`.hinge`) and returns the best c.
    """
    return hinge_kinks(trace, [guess_s], [half_window_s], HINGE_STEP_S)[0]


def _keep_distinct(trace: Trace, bouts: list[Bout]) -> list[Bout]:
    """Drop bouts not clearly faster than the running either side of them."""
    if not bouts:
        return bouts
    edges = [float(trace.t_s[0])] + [x for b in bouts for x in (b.start_s, b.end_s)]
    edges.append(float(trace.t_s[-1]))
    times = np.asarray(edges)
    dist = trace.distance_at(times)
    keep = []
    for i, b in enumerate(bouts):
        speed = (dist[2 * i + 2] - dist[2 * i + 1]) / (b.end_s - b.start_s)
        around_d = (dist[2 * i + 1] - dist[2 * i]) + (dist[2 * i + 3] - dist[2 * i + 2])
        around_t = (times[2 * i + 1] - times[2 * i]) + (times[2 * i + 3] - times[2 * i + 2])
        around = around_d / around_t if around_t > 0 else 0.0
        if speed >= MIN_BOUT_RATIO * around:
            keep.append(b)
    return keep
