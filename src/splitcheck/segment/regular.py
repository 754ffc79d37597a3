"""Second pass for reps close to the easy pace: a regular alternation of bouts.

A beginner's reps at 6:30 /km after an 8:00 /km warm-up are only ~23 % faster than it,
below the first pass's cluster ratio (``intervals.MIN_CLUSTER_RATIO``). Here the speed
clusters are taken over the running only (walk and standing recoveries, and auto-paused
gaps, apart), at a lower ratio, and the bouts found count only when they alternate
regularly with recoveries: alike in duration or distance, with gaps alike in length,
which a continuous run's hills, slowdowns or random surges are not. The outer edges
(warm-up to first rep, last rep to cool-down) and starts after a timer restart are then
placed with the knowledge that reps are alike.
"""

from __future__ import annotations

import numpy as np

from ..arrays import median
from .index import between
from .intervals import (
    END_LAG_S,
    HINGE_MAX_HALF_WINDOW_S,
    MIN_GAP_S,
    MIN_WORK_S,
    RUNNING_MPS,
    START_LAG_S,
    Bout,
    bouts_between,
    hinge_kink,
    speed_clusters,
)
from .stops import stop
from .surges import without_easy_start
from .trace import Trace

LOW_CLUSTER_RATIO = 1.12
MIN_REGULAR_BOUTS = 4
REGULAR_CV = 0.25
REGULAR_GAP_CV = 0.35
REGULAR_MIN_GAP_S = 20.0
"""Running speeds (above ``intervals.RUNNING_MPS``) 12 % apart (a beginner's 6:30 /km
reps vs an 8:00 /km warm-up is 1.23) count when at least 4 bouts of similar duration or
distance (coefficient of variation under 25 %) alternate with recoveries of similar
length (under 35 %): a continuous run's hills and slowdowns come at random lengths and
spacings (three surges with two gaps between them are alike by chance in a simulated
fartlek: four needed). With reps this close to the easy pace, GPS noise dips a rep for
10-20 s: only a dip of 20 s or more is a recovery (a beginner's recoveries last a
minute or more)."""
CV_TOLERANCE = 0.02
"""When both passes find as many regular bouts, the second pass's are taken unless their
durations or distances (whichever vary less) vary more (coefficient of variation over
0.02 higher): walk recoveries pull the first pass's slow centre down, so a warm-up's
end joins the first rep, while the second pass's edges are the same or better
(simulated sessions)."""
MORE_BOUTS_CV = 0.12
"""... and when the second pass finds more, they are taken when alike within a
coefficient of variation of 0.12: simulated beginner sessions whose reps the first pass
partly missed score under 0.07; a stride and a chopped rep added to the real 8x200 m
session (activityio/c2eb1b_6) score 0.23."""
RESTART_REACH_S = 30.0
RESTART_PACE_FRACTION = 0.75
"""A second-pass bout starting up to 30 s after the timer restarts, and covering the
stretch since the restart at 75 % of its pace or more, started at the restart: a
beginner accelerates slowly and reps 20 % faster than the warm-up cross the hysteresis
level late."""
FADE_PACE_FRACTION = 0.85
"""A bout that the hysteresis ends while the runner runs on, at 85 % of the other
bouts' median pace or faster, until a walk or a stand, is one rep run to there, when
that brings its size nearer theirs: a rep that fades (run out fast, then held slower)
is run to its line, and only a rest, not a slower half, ends it. Jog and float
recoveries are 20-40 % slower than the reps (``cadence.GAP_PACE_FRACTION``). Seen on
the real 8x200 m session ``activityio/c2eb1b_6.tcx``: its second rep runs 100 m at
4.0 m/s, then 100 m at 3.05 m/s (88 % of the reps' median 3.45), then walks; with its
recoveries rewritten as stands the warm-up sets the slow centre and the second half
fell below the exit level, a 100 m rep in an 8x200 m session. The runner must have
run on for ``intervals.MIN_GAP_S`` (8 s) at least: a shorter stretch is one the bout's
own end already placed, and refitting it only moves the end by the fit's noise."""
SURGE_SHORT = 0.4
"""A bout under 40 % of the median bout's duration is a surge, not one of the reps."""
LONG_EDGE = 1.3
OUTER_WINDOW_S = 60.0
"""The warm-up's end and the cool-down's start (running at a pace only 15-25 % slower
than the reps) are placed by a hinge fit over up to +-60 s: GPS noise on the small
change of pace moves the hysteresis edge by up to ~30 s, beyond the usual +-20 s. A
first or last bout 30 % longer than the others has the warm-up or cool-down joined to it:
its edge is searched for one typical rep's size from its other edge."""


def more_regular(trace: Trace, regular: list[Bout], bouts: list[Bout]) -> bool:
    """Should the second pass's ``regular`` bouts replace the first pass's ``bouts``?
    Yes when the first's are not regular, or as many and no more even in size (see
    :data:`CV_TOLERANCE`), or fewer than alike ones (:data:`MORE_BOUTS_CV`)."""
    if not regular:
        return False
    if not is_regular(trace, bouts):
        return True
    if len(regular) != len(bouts):
        return len(regular) > len(bouts) and _size_cv(trace, regular) < MORE_BOUTS_CV
    return _size_cv(trace, regular) <= _size_cv(trace, bouts) + CV_TOLERANCE


def _size_cv(trace: Trace, bouts: list[Bout]) -> float:
    """The lower of the coefficients of variation of the bouts' durations and distances."""
    starts = np.array([b.start_s for b in bouts])
    ends = np.array([b.end_s for b in bouts])
    return min(_cv(ends - starts), _cv(trace.distance_at(ends) - trace.distance_at(starts)))


def regular_bouts(trace: Trace) -> list[Bout]:
    """Second pass for reps less than 25 % faster than the easy running (a beginner's
    6:30 /km reps after an 8:00 /km warm-up): clusters of the running speeds only (walk
    and standing recoveries apart), a lower ratio, and kept only when the bouts alternate
    regularly with recoveries (see :data:`LOW_CLUSTER_RATIO`)."""
    slow, fast, _ = speed_clusters(trace, floor_mps=RUNNING_MPS)
    if not (np.isfinite(slow) and np.isfinite(fast)) or fast < LOW_CLUSTER_RATIO * slow:
        return []
    bouts = _without_surges(bouts_between(trace, slow, fast, REGULAR_MIN_GAP_S))
    if len(bouts) < MIN_REGULAR_BOUTS:
        return []
    bouts = [_after_restart(trace, b) for b in bouts]
    reps = without_easy_start(trace, bouts)  # the warm-up's first minutes are no rep's size
    bouts = bouts[: len(bouts) - len(reps)] + _outer_edges(trace, _through_fades(trace, reps))
    return bouts if is_regular(trace, bouts) else []


def _after_restart(trace: Trace, b: Bout) -> Bout:
    """A bout starting within :data:`RESTART_REACH_S` of the timer's restart, at nearly
    its pace since the restart, started there: the runner ran off from a standing rest
    and slow acceleration and GPS lag hid the first seconds."""
    ends = trace.pause_ends_s
    near = ends[(ends >= b.start_s - RESTART_REACH_S) & (ends < b.start_s)]
    if not len(near):
        return b
    t0 = float(near[-1])
    d = trace.distance_at(np.array([t0, b.start_s, b.end_s]))
    lead = (d[1] - d[0]) / max(b.start_s - t0, 1e-9)
    pace = (d[2] - d[1]) / (b.end_s - b.start_s)
    return Bout(t0, b.end_s) if lead >= RESTART_PACE_FRACTION * pace else b


def _through_fades(trace: Trace, bouts: list[Bout]) -> list[Bout]:
    """Each bout followed by running at :data:`FADE_PACE_FRACTION` of the others' median
    pace or faster for ``intervals.MIN_GAP_S`` or more, until the speed falls to a walk
    (``intervals.RUNNING_MPS``) before the next bout, ended there (a hinge fit at the
    slowdown, as every end), when that brings its size nearer the others'."""
    t, v = trace.t_s, trace.v_mps
    out = list(bouts)
    for i, b in enumerate(bouts):
        nxt = bouts[i + 1].start_s if i + 1 < len(bouts) else float(t[-1])
        after = between(trace, "t_s", b.end_s, nxt, lo_open=True)
        walk = np.flatnonzero(v[after] < RUNNING_MPS)
        if not len(walk) or walk[0] == 0:
            continue  # the runner walks (or stands) right away, or runs on to the next
        rest = float(t[after][walk[0]])
        hw = min(0.45 * min(rest - b.start_s, nxt - rest), HINGE_MAX_HALF_WINDOW_S)
        end = stop(trace, rest, hinge_kink(trace, rest, hw) - END_LAG_S)
        if end - b.end_s < MIN_GAP_S:
            continue  # the bout's own end already holds it (a refit's noise, no fade)
        others = [x for j, x in enumerate(out) if j != i]
        edges = np.array([[x.start_s, x.end_s] for x in others])
        d = trace.distance_at(edges)
        pace = float(median((d[:, 1] - d[:, 0]) / (edges[:, 1] - edges[:, 0])))
        d_on = trace.distance_at(np.array([b.end_s, end]))
        if (d_on[1] - d_on[0]) / (end - b.end_s) >= FADE_PACE_FRACTION * pace:
            out = _closer(trace, out, i, Bout(b.start_s, end))
    return out


def _outer_edges(trace: Trace, bouts: list[Bout]) -> list[Bout]:
    """The first rep's start and the last rep's end refitted with a wider hinge window
    (see :data:`OUTER_WINDOW_S`) when running, not a walk, borders them; a first or last
    bout :data:`LONG_EDGE` times the others' size (the warm-up's end or the cool-down
    joined to it) is searched for where a typical rep would start or end."""
    v = trace.v_mps
    first, last = bouts[0], bouts[-1]
    before = v[between(trace, "t_s", first.start_s - OUTER_WINDOW_S, first.start_s, hi_open=True)]
    if len(before) and median(before) > RUNNING_MPS:
        size, typical, back = _typical(trace, bouts, 0)
        guess = back(first.end_s, -typical) if size(first) > LONG_EDGE * typical else first.start_s
        hw = min(0.45 * (first.end_s - guess), OUTER_WINDOW_S)
        start = hinge_kink(trace, guess, hw) - START_LAG_S
        bouts = _closer(trace, bouts, 0, Bout(start, first.end_s))
    after = v[between(trace, "t_s", last.end_s, last.end_s + OUTER_WINDOW_S, lo_open=True)]
    if len(after) and median(after) > RUNNING_MPS:
        size, typical, back = _typical(trace, bouts, len(bouts) - 1)
        guess = back(last.start_s, typical) if size(last) > LONG_EDGE * typical else last.end_s
        hw = min(0.45 * (guess - last.start_s), OUTER_WINDOW_S)
        end = hinge_kink(trace, guess, hw) - END_LAG_S
        bouts = _closer(trace, bouts, len(bouts) - 1, Bout(last.start_s, end))
    return bouts


def _typical(trace: Trace, bouts: list[Bout], i: int):
    """How to size a bout (its distance [m] or duration [s], whichever varies less among
    the bouts other than ``i``), their median size, and the time [s] a given size away
    from a given time."""
    others = [b for j, b in enumerate(bouts) if j != i]
    starts = np.array([b.start_s for b in others])
    ends = np.array([b.end_s for b in others])
    by_dist = _cv(trace.distance_at(ends) - trace.distance_at(starts)) < _cv(ends - starts)

    def size(b: Bout) -> float:
        if by_dist:
            return float(np.diff(trace.distance_at(np.array([b.start_s, b.end_s])))[0])
        return b.end_s - b.start_s

    def away(t_s: float, amount: float) -> float:
        if by_dist:
            return float(trace.time_at(float(trace.distance_at(t_s)) + amount))
        return t_s + amount

    return size, float(median([size(b) for b in others])), away


def _closer(trace: Trace, bouts: list[Bout], i: int, new: Bout) -> list[Bout]:
    """``bouts`` with bout ``i`` replaced by ``new`` when that brings its duration or
    distance (whichever varies less among the others) nearer the others' median: the
    reps of a regular session are alike, a hill's kink is not a rep's edge."""
    size, typical, _ = _typical(trace, bouts, i)
    if new.end_s - new.start_s >= MIN_WORK_S and abs(size(new) - typical) < abs(
        size(bouts[i]) - typical
    ):
        return [*bouts[:i], new, *bouts[i + 1 :]]
    return bouts


def _without_surges(bouts: list[Bout]) -> list[Bout]:
    """Bouts shorter than :data:`SURGE_SHORT` of the median bout dropped: a surge up a
    hill or a stride in the cool-down among reps."""
    if len(bouts) < MIN_REGULAR_BOUTS:
        return bouts
    typical = float(median([b.end_s - b.start_s for b in bouts]))
    return [b for b in bouts if b.end_s - b.start_s >= SURGE_SHORT * typical]


def is_regular(trace: Trace, bouts: list[Bout]) -> bool:
    """Do the bouts alternate regularly with recoveries: at least
    :data:`MIN_REGULAR_BOUTS` of similar duration or distance, with gaps of similar
    length between them (see :data:`REGULAR_CV`)?"""
    if len(bouts) < MIN_REGULAR_BOUTS:
        return False
    starts = np.array([b.start_s for b in bouts])
    ends = np.array([b.end_s for b in bouts])
    dist = trace.distance_at(ends) - trace.distance_at(starts)
    similar = min(_cv(ends - starts), _cv(dist)) < REGULAR_CV
    return similar and _cv(starts[1:] - ends[:-1]) < REGULAR_GAP_CV


def _cv(x: np.ndarray) -> float:
    """Coefficient of variation (standard deviation over mean) of positive values."""
    mean = float(np.mean(x))
    return float(np.std(x)) / mean if mean > 0 else np.inf
