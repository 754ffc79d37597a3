"""Bouts that are not reps: warm-up and cool-down running, pick-ups and lone surges.

The bout finders (:mod:`.intervals`, :mod:`.regular`, :mod:`.cadence`) find every
stretch clearly faster than the running around it; a session's reps are the ones alike
among them. Each rule here compares one bout with the others' median speed and length.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

from ..arrays import median
from .trace import Trace

EDGE_S = 30.0
EDGE_EASY_RATIO = 0.85
"""A bout within 30 s of the activity's start or end and slower than 85 % of the other
bouts' median speed is the warm-up or cool-down, not a rep (a session whose recoveries
are walks makes easy running look fast)."""
START_EASY_RATIO = 0.93
"""A bout starting within 30 s of the activity's start is the warm-up's first minutes
when 7 % slower than the other bouts: a runner starts a session's first rep fresh, and
fades over later ones, never before (connectstats/track_cs_728599: a 3.5 m/s start
before 3.8-4.0 m/s reps)."""
EDGE_LONG = 4.0
"""... and so is a bout there four times longer than the others and no faster."""
ISOLATED_GAP_S = 300.0
ISOLATED_SHORT = 0.5
"""A bout more than 5 min from any other and shorter than half their median length is a
surge or stride in the warm-up or cool-down."""
PICKUP_SLOWER = 0.9
"""... and so is a bout shorter than half the others and slower than 90 % of their median
speed: a pick-up in the warm-up (garmin-stamina.fit: 25-38 s at 3.5 m/s before 3 min
reps at 4.3 m/s). Strides beside reps are faster than the reps, not slower."""

OUTER_EASY_RATIO = 0.85
OWN_PACE = 0.10
OUTER_LONG = 2.0
"""The first or last bout, under 85 % of the others' median speed, with no other bout
within 10 % of its speed, and no more than twice their median length, is the warm-up's
or the cool-down's faster stretch (a faster km to finish), not one more rep: the reps
of a session come in sets at one pace (a mixed session's second set has company at its
pace; a tempo after strides is longer)."""

B = TypeVar("B")  # a bout: anything with start_s and end_s [s]


def without_easy_start(trace: Trace, bouts: list[B]) -> list[B]:
    """The first bout dropped when it starts within :data:`EDGE_S` of the activity and is
    :data:`START_EASY_RATIO` slower than the others (at least three)."""
    if len(bouts) < 4 or bouts[0].start_s - float(trace.t_s[0]) > EDGE_S:
        return bouts
    edges = np.array([[b.start_s, b.end_s] for b in bouts])
    d = trace.distance_at(edges)
    speed = (d[:, 1] - d[:, 0]) / (edges[:, 1] - edges[:, 0])
    return bouts[1:] if speed[0] < START_EASY_RATIO * median(speed[1:]) else bouts


def drop_edges_and_surges(trace: Trace, bouts: list[B]) -> list[B]:
    """Drop warm-up / cool-down running and lone surges mistaken for reps (see
    :data:`EDGE_EASY_RATIO`, :data:`ISOLATED_GAP_S`)."""
    if len(bouts) < 3:
        return bouts
    t0, t1 = float(trace.t_s[0]), float(trace.t_s[-1])
    starts = np.array([b.start_s for b in bouts])
    ends = np.array([b.end_s for b in bouts])
    dur = ends - starts
    speed = (trace.distance_at(ends) - trace.distance_at(starts)) / dur
    gap_before = np.concatenate([[np.inf], starts[1:] - ends[:-1]])
    gap_after = np.concatenate([starts[1:] - ends[:-1], [np.inf]])
    keep = np.ones(len(bouts), dtype=bool)
    for i in range(len(bouts)):  # few bouts: compare each with the others
        others = np.delete(np.arange(len(bouts)), i)
        at_edge = starts[i] - t0 <= EDGE_S or t1 - ends[i] <= EDGE_S
        slower = speed[i] / median(speed[others])
        longer = dur[i] / median(dur[others])
        if at_edge and is_edge_bout(slower, longer):
            keep[i] = False
        lone = min(gap_before[i], gap_after[i]) > ISOLATED_GAP_S
        short = dur[i] < ISOLATED_SHORT * median(dur[others])
        if short and (lone or slower < PICKUP_SLOWER):
            keep[i] = False
    kept = np.flatnonzero(keep)  # then the first and last of those kept
    if len(kept) >= 4:
        for j in (0, len(kept) - 1):
            if _lone_easy(speed[kept], dur[kept], j):
                keep[kept[j]] = False
    return [b for b, k in zip(bouts, keep, strict=True) if k]


def is_edge_bout(slower: float, longer: float) -> bool:
    """Is a bout at the session's start or end, ``slower`` (speed ratio) and ``longer``
    (duration ratio) than the other bouts' medians, warm-up or cool-down running?"""
    return slower < EDGE_EASY_RATIO or (longer > EDGE_LONG and slower < 1.0)


def _lone_easy(speed: np.ndarray, dur: np.ndarray, i: int) -> bool:
    """Is bout ``i`` (first or last) easy and alone at its pace (see
    :data:`OUTER_EASY_RATIO`)?"""
    others = np.delete(np.arange(len(speed)), i)
    slow = speed[i] < OUTER_EASY_RATIO * median(speed[others])
    alone = not np.any(np.abs(speed[others] / speed[i] - 1) <= OWN_PACE)
    return bool(slow and alone and dur[i] <= OUTER_LONG * median(dur[others]))
