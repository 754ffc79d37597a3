"""Mending the device's laps with the pace trace where the runner's presses went wrong.

A press forgotten leaves a rep inside a recovery (or warm-up) lap, or a jog or stand
inside a rep's lap; a press made early leaves the rep's first seconds in the lap before.
The trace's bouts put such reps back, but only where the laps point to them: a bout with
an edge at a lap press, or one the size of the lapped reps inside a recovery. Surges in
jogs and warm-up pick-ups are neither.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..arrays import median
from .intervals import Bout
from .trace import Trace
from .types import Interval
from .workout import ROUND_DURATIONS_S, TRACK_DISTANCES_M, snap, tolerances

UNLAPPED_EDGE_S = 10.0
UNLAPPED_SPEED = 0.9
UNLAPPED_MIN_S = 20.0
"""A trace bout inside a recovery lap is a rep the runner did not lap when one of its
edges is within 10 s of a lap press (the press at its start or end was forgotten), it
lasts 20 s or more and it is run at 90 % or more of the lapped reps' median speed
(with_nones.fit: the first 200 m has only its end pressed). Warm-up pick-ups and surges
inside jogs are slower, shorter or far from any press."""
OVERLONG_SHARE = 0.8
OVERLONG_SLOWER = 0.8
"""A work lap is over-long (a forgotten press joined a recovery to the rep) when a trace
bout with one edge at a press fills under 80 % of it and the rest of the lap is run 20 %
slower than the bout (a jog or walk; a rep's own slow start or end is not)."""
LIKE_REPS = (0.15, 0.10)
"""A bout within 15 % of the lapped reps' median duration or 10 % of their distance, run
as fast, inside a recovery with no press at either edge, is a rep whose both presses
were forgotten (a surge in a jog is shorter and slower)."""


def span(trace: Trace, kind: str, start_s: float, end_s: float, source: str) -> Interval:
    d = trace.distance_at(np.array([start_s, end_s]))
    return Interval(start_s, end_s, float(d[1] - d[0]), kind=kind, source=source)


def mend_laps(
    trace: Trace, intervals: list[Interval], bouts: Sequence[Bout], presses: np.ndarray
) -> list[Interval]:
    """The laps' intervals with the reps the runner did not lap (see
    :data:`UNLAPPED_EDGE_S`) split out of their recoveries; ``presses`` are the times [s]
    of the lap presses."""
    work = [i for i in intervals if i.kind == "work"]
    if len(work) < 2 or not bouts:
        return intervals
    speed = float(median([w.speed_mps for w in work]))
    size = (
        float(median([w.duration_s for w in work])),
        float(median([w.distance_m for w in work])),
    )
    sizes = [size] + [(w.duration_s, w.distance_m) for w in work]
    out: list[Interval] = []
    for iv in intervals:
        rest = iv
        while True:  # a recovery may hide several reps (two presses forgotten)
            if rest.kind != "work":
                found = _unlapped(trace, rest, bouts, presses, UNLAPPED_SPEED * speed, size)
            else:  # the other lapped reps' sizes: a ladder's or pyramid's reps differ
                found = _overlong(
                    trace, rest, bouts, presses, [z for z in sizes if z != _size(rest)]
                )
            if found is None:
                out.append(rest)
                break
            start, end = found
            kind = "warmup" if rest.kind == "warmup" else "recovery"
            if start > rest.start_s:
                out.append(span(trace, kind, rest.start_s, start, "laps"))
            out.append(span(trace, "work", start, end, "trace"))
            if end >= rest.end_s - 1e-6:
                break
            tail = "cooldown" if rest.kind == "cooldown" else "recovery"
            rest = span(trace, tail, end, rest.end_s, "laps")
    return _joined_recoveries(trace, out)


def _named(trace: Trace, b: Bout) -> bool:
    """Does bout ``b`` fit a standard distance or a round duration (a rep's size, not a
    stretch of a foot pod's noisy trace)?"""
    iv = span(trace, "work", b.start_s, b.end_s, "trace")
    tol_d, tol_t = tolerances(iv)
    return (
        snap(iv.distance_m, TRACK_DISTANCES_M, tol_d) is not None
        or snap(iv.duration_s, ROUND_DURATIONS_S, tol_t) is not None
    )


def _size(iv: Interval) -> tuple[float, float]:
    return (iv.duration_s, iv.distance_m)


def _like_reps(
    trace: Trace, b: Bout, rep_size: tuple[float, float] | list[tuple[float, float]] | None
) -> bool:
    """Is bout ``b`` the size of the lapped reps (their median, or any one of a list of
    sizes; see :data:`LIKE_REPS`)?"""
    if not rep_size:
        return False
    dur = b.end_s - b.start_s
    dist = float(np.diff(trace.distance_at(np.array([b.start_s, b.end_s])))[0])
    return any(
        abs(dur / d - 1) <= LIKE_REPS[0] or abs(dist / m - 1) <= LIKE_REPS[1]
        for d, m in (rep_size if isinstance(rep_size, list) else [rep_size])
    )


def _overlong(
    trace: Trace,
    iv: Interval,
    bouts: Sequence[Bout],
    presses: np.ndarray,
    rep_size: list[tuple[float, float]],
) -> tuple[float, float] | None:
    """(start, end) [s] of the rep inside work lap ``iv`` when a press was forgotten at
    one of its ends (the lap holds a recovery too): a trace bout with one edge at a
    press, under :data:`OVERLONG_SHARE` of the lap, the rest of the lap run
    :data:`OVERLONG_SLOWER` slower than it, or holding another bout about as long (two
    reps and the recovery between them in one lap). The bout must be the size of the
    session's lapped reps: their median, or one of the other lapped reps' when it also
    fits a standard distance or round duration (:data:`LIKE_REPS`; a pyramid's 600 m
    inside a lap with its jog is the other 600 m's size; a chopped stretch of a foot
    pod's trace fits nothing)."""
    found = _unlapped(trace, iv, bouts, presses, 0.0, None)
    if found is None:
        return None
    start, end = found
    if end - start > OVERLONG_SHARE * iv.duration_s:
        return None
    bout = Bout(start, end)
    median, others = rep_size[0], rep_size[1:]
    if not (
        _like_reps(trace, bout, median) or (_like_reps(trace, bout, others) and _named(trace, bout))
    ):
        return None
    inside = [b for b in bouts if b.start_s > end and b.end_s <= iv.end_s + UNLAPPED_EDGE_S]
    if any(
        b.end_s - b.start_s >= OVERLONG_SHARE * (end - start)
        or (_like_reps(trace, b, others) and _named(trace, b))
        for b in inside
    ):
        return start, end  # two reps in one lap: the press between them forgotten
    rest_m = iv.distance_m - span(trace, "work", start, end, "").distance_m
    rest_s = iv.duration_s - (end - start)
    rep_mps = span(trace, "work", start, end, "").speed_mps
    if rest_s <= 0 or rest_m / rest_s > OVERLONG_SLOWER * rep_mps:
        return None
    return start, end


def _joined_recoveries(trace: Trace, intervals: list[Interval]) -> list[Interval]:
    """Consecutive recoveries (a lap's and the rest of an over-long rep's) as one."""
    out: list[Interval] = []
    for iv in intervals:
        if out and iv.kind == "recovery" and out[-1].kind == "recovery":
            out[-1] = span(trace, "recovery", out[-1].start_s, iv.end_s, out[-1].source)
        else:
            out.append(iv)
    return out


def _unlapped(
    trace: Trace,
    iv: Interval,
    bouts: Sequence[Bout],
    presses: np.ndarray,
    min_mps: float,
    rep_size: tuple[float, float] | None,
) -> tuple[float, float] | None:
    """(start, end) [s] of the first rep hidden in ``iv`` (a recovery, warm-up or
    cool-down by the laps): a trace bout with an edge at a lap press (moved onto it),
    long and fast enough. Both edges at presses: a lapped rep the lap speeds misread
    (a slow start inside its lap)."""
    inner = presses[(presses >= iv.start_s - 1) & (presses <= iv.end_s + 1)]
    for b in bouts:
        if b.start_s < iv.start_s - UNLAPPED_EDGE_S or b.end_s > iv.end_s + UNLAPPED_EDGE_S:
            continue
        if b.end_s - b.start_s < UNLAPPED_MIN_S:
            continue
        near_start = inner[np.abs(inner - b.start_s) <= UNLAPPED_EDGE_S]
        near_end = inner[np.abs(inner - b.end_s) <= UNLAPPED_EDGE_S]
        far = not len(near_start) and not len(near_end)
        if far and not (iv.kind == "recovery" and _like_reps(trace, b, rep_size)):
            continue  # a surge, a pick-up (a bout the size of the lapped reps, LIKE_REPS,
            # in a recovery counts: both its presses forgotten)
        start = float(near_start[0]) if len(near_start) else b.start_s
        end = float(near_end[-1]) if len(near_end) else b.end_s
        if (
            end - start >= UNLAPPED_MIN_S
            and span(trace, "work", start, end, "").speed_mps >= min_mps
        ):
            return start, end
    return None
