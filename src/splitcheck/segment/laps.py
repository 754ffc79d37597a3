"""Device laps: cleaned, typed, and read for the session's structure when they mark reps.

Laps mark reps when the file says so (rest / warm-up / cool-down intensity, a workout's
alternating steps) or when the runner pressed the lap button around reps (manual laps
that are not regular km / mile splits and split into clearly fast and slow laps). Regular
km / mile / time splits, automatic or pressed by hand, say nothing about structure.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..arrays import median
from ..model import Activity, Lap
from ..units import KM_M, MILE_M
from .intervals import END_LAG_S, MIN_CLUSTER_RATIO, MIN_REP_VS_RUNNING, START_LAG_S
from .surges import is_edge_bout
from .trace import Trace
from .types import DeviceLap
from .workout import MILE_TT_M

EMPTY_LAP_M = 1.0
"""A lap covering less than a metre in under :data:`SKIP_PRESS_S` is empty (a double
press, a lap at the stop); a longer one is a standing rest (the runner lapped, stood or
paused the watch for minutes, and lapped again), a recovery like any other."""
SUB_SECOND_S = 1.0
"""A lap shorter than a second is an artefact of pressing lap and stop together."""
SPLIT_TOLERANCE = 0.03
"""Laps within 3 % of one km or mile (or of one another, for time laps) are splits."""
INTENSITY_MAP = {
    "active": "active",
    "interval": "active",
    "rest": "rest",
    "recovery": "rest",
    "warmup": "warmup",
    "cooldown": "cooldown",
}
"""FIT / TCX lap intensities to the four this module uses."""
RUNNING_MPS = 1.8
"""A lap slower than this (9:15 /km) was walked or stood: a recovery, never a rep."""
SKIP_PRESS_S = 11.5
"""A lap under 11.5 s is a skip press (a runner skipping a workout step, or pressing
twice: 2-11 s laps in the issue 13 files), not a step of its own; the shortest rep worth
a lap, 100 m flat out, takes 12 s or more."""
SKIP_PACE_RATIO = 1.2
SKIP_TELL_S = 5.0
"""A skip lap between laps 20 % or more apart in pace goes with the lap on the far side
of the press nearest the change of pace (within 5 s of it): the runner pressed twice at
a rep's end (its jog's first seconds) or start (the rep's first seconds)."""
MIN_MARKING_LAPS = 3
"""Fewer usable laps than this cannot mark a rep with something either side."""


def type_laps(
    activity: Activity, trace: Trace | None, *, mark_reps: bool = True
) -> tuple[DeviceLap, ...]:
    """The activity's laps, typed and with roles when they mark the session's reps (never
    when ``mark_reps`` is False: the structure is to come from the pace trace alone)."""
    laps = [_typed(i + 1, lap, trace) for i, lap in enumerate(activity.laps)]
    usable = [lap for lap in laps if not (lap.empty or lap.sub_second)]
    splits = _split_like(usable)
    laps = [_replace(lap, auto_split=lap.index in splits) for lap in laps]
    usable = [lap for lap in laps if not (lap.empty or lap.sub_second)]
    roles = _roles_across_skips(usable, trace) if mark_reps else {}
    return tuple(_replace(lap, role=roles.get(lap.index)) for lap in laps)


def _typed(index: int, lap: Lap, trace: Trace | None) -> DeviceLap:
    dist = lap.distance_m
    if not np.isfinite(dist) and trace is not None:
        dist = float(trace.distance_at(lap.end_s) - trace.distance_at(lap.start_s))
    trigger = lap.trigger or "unknown"
    return DeviceLap(
        start_s=lap.start_s,
        end_s=lap.end_s,
        distance_m=float(dist),
        index=index,
        trigger=trigger,
        intensity=INTENSITY_MAP.get((lap.intensity or "").lower()),
        workout_step=lap.workout_step,
        empty=not np.isfinite(dist) or (dist < EMPTY_LAP_M and lap.duration_s < SKIP_PRESS_S),
        sub_second=lap.end_s - lap.start_s < SUB_SECOND_S,
        # paced over the lap's timer: a lap the runner paused in is no slower for it
        paused_s=float(max(lap.duration_s - lap.shown_s, 0.0)),
    )


def _replace(lap: DeviceLap, **changes) -> DeviceLap:
    import dataclasses

    return dataclasses.replace(lap, **changes)


def _split_like(laps: Sequence[DeviceLap]) -> set[int]:
    """Indexes of laps that are regular km / mile / time splits (the last may be short)."""
    if len(laps) < 2:
        return set()
    body = laps[:-1]
    dist = np.array([lap.distance_m for lap in body])
    dur = np.array([lap.duration_s for lap in body])
    steps = {lap.workout_step for lap in laps if lap.workout_step is not None}
    regular = False
    for target in (KM_M, MILE_M):
        if np.all(np.abs(dist / target - 1) <= SPLIT_TOLERANCE):
            regular = True
    if all(lap.trigger == "time" for lap in body) and np.ptp(dur) <= SPLIT_TOLERANCE * dur.mean():
        regular = True
    if regular and len(steps) <= 1:
        return {lap.index for lap in laps}
    # inside a workout: the watch's own km / mile laps of a long step (warm-up, cool-down)
    return {
        lap.index
        for lap in laps
        if lap.trigger in ("distance", "position")
        and min(abs(lap.distance_m / KM_M - 1), abs(lap.distance_m / MILE_M - 1)) <= 0.001
    }


def _roles_across_skips(laps: Sequence[DeviceLap], trace: Trace | None = None) -> dict[int, str]:
    """Roles, with each skip press (a lap under :data:`SKIP_PRESS_S`) read as part of the
    lap beside it that it was run like (speed ratio nearest 1): a runner skipping a
    workout step, or pressing twice, leaves a few seconds that belong to the step
    before or after, not a step of their own. Between a fast and a slow lap the trace
    decides (:func:`_skip_side`): its few seconds are the runner speeding up or easing
    off, as fast as neither lap."""
    # by the clock: a standing rest the watch auto-paused through is minutes, not a press
    long_ = [i for i, lap in enumerate(laps) if lap.elapsed_s >= SKIP_PRESS_S]
    if len(long_) < 2:
        return lap_roles(laps)
    owner: dict[int, int] = {}  # short lap position -> long lap position
    for i, lap in enumerate(laps):
        if i in long_:
            continue
        before = [j for j in long_ if j < i]
        after = [j for j in long_ if j > i]
        cands = ([before[-1]] if before and before[-1] == i - 1 else []) + (
            [after[0]] if after and after[0] == i + 1 else []
        )
        if not cands:  # among other short laps: with the next long lap
            cands = after[:1] or before[-1:]
        v = _speed([lap])
        side = _skip_side(trace, lap, laps[cands[0]], laps[cands[-1]]) if len(cands) == 2 else None
        if side is not None:
            owner[i] = cands[side]
            continue
        # a standing rest's lap has no speed: its ratio to a few seconds' jog is huge
        owner[i] = min(
            cands, key=lambda j: abs(np.log(max(v, 1e-3) / max(_speed([laps[j]]), 1e-3)))
        )
    merged = []
    for j in long_:
        mine = [laps[i] for i, o in owner.items() if o == j]
        lap = laps[j]
        if mine:
            lap = _replace(
                lap,
                start_s=min(lap.start_s, *(m.start_s for m in mine)),
                end_s=max(lap.end_s, *(m.end_s for m in mine)),
                distance_m=lap.distance_m + sum(m.distance_m for m in mine),
            )
        merged.append(lap)
    roles = lap_roles(merged)
    for i, j in owner.items():
        if laps[j].index in roles:
            roles[laps[i].index] = roles[laps[j].index]
    return roles


def _skip_side(
    trace: Trace | None, skip: DeviceLap, before: DeviceLap, after: DeviceLap
) -> int | None:
    """0 when skip lap ``skip`` belongs with the lap before it, 1 with the one after, by
    where the pace changes (a hinge fit to the distance around it: the change sits at
    the press that bounds the rep); None when the laps either side are run alike (under
    :data:`SKIP_PACE_RATIO` apart) or the fit cannot tell (the change within
    :data:`SKIP_TELL_S` of neither press)."""
    if trace is None:
        return None
    v0, v1 = _speed([before]), _speed([after])
    if not (v0 > 0 and v1 > 0) or max(v0, v1) < SKIP_PACE_RATIO * min(v0, v1):
        return None
    from .intervals import hinge_kink  # the same fit that places the trace's rep edges

    mid = (skip.start_s + skip.end_s) / 2
    kink = hinge_kink(trace, mid, skip.duration_s / 2 + SKIP_TELL_S)
    lag = START_LAG_S if v1 > v0 else END_LAG_S
    change = kink - lag
    to_start, to_end = abs(change - skip.start_s), abs(change - skip.end_s)
    if min(to_start, to_end) > SKIP_TELL_S:
        return None
    return 1 if to_start < to_end else 0


def lap_roles(laps: Sequence[DeviceLap]) -> dict[int, str]:
    """Role of each lap (by index) when the laps mark reps; empty dict when they do not."""
    if len(laps) < MIN_MARKING_LAPS or all(lap.auto_split for lap in laps):
        return {}
    intensities = {lap.intensity for lap in laps}
    if intensities & {"rest", "warmup", "cooldown"} and "active" in intensities:
        return _roles_from_intensity(laps)
    steps = [lap.workout_step for lap in laps]
    if None not in steps and _repeating_steps(steps):
        return _roles_from_steps(laps)
    if sum(not lap.auto_split for lap in laps) >= MIN_MARKING_LAPS:
        return _roles_from_speed(laps)
    return {}


def _roles_from_intensity(laps: Sequence[DeviceLap]) -> dict[int, str]:
    names = {"active": "work", "rest": "recovery", "warmup": "warmup", "cooldown": "cooldown"}
    roles = {lap.index: names.get(lap.intensity or "active", "work") for lap in laps}
    return _edges_as_warmup_cooldown(laps, roles)


def _repeating_steps(steps: Sequence[int]) -> set[int]:
    """Steps that come back after another step (a workout's repeat block)."""
    runs = [s for i, s in enumerate(steps) if i == 0 or steps[i - 1] != s]
    return {s for s in set(runs) if runs.count(s) >= 2}


def _roles_from_steps(laps: Sequence[DeviceLap]) -> dict[int, str]:
    steps = [lap.workout_step for lap in laps]
    repeating = _repeating_steps(steps)
    speed = {s: _speed([lap for lap in laps if lap.workout_step == s]) for s in repeating}
    if len(speed) < 2:
        return _roles_from_speed(laps)
    cut = (min(speed.values()) + max(speed.values())) / 2
    roles = {}
    for lap in laps:
        lap_speed = speed.get(lap.workout_step, _speed([lap]))
        roles[lap.index] = "work" if lap_speed > cut else "recovery"
    return _edges_as_warmup_cooldown(laps, roles)


def _roles_from_speed(laps: Sequence[DeviceLap]) -> dict[int, str]:
    """Work laps are the fast cluster of the running laps; walked or stood laps are
    recoveries. None when the running laps are all alike and nothing was walked."""
    speeds = np.array([_speed([lap]) for lap in laps])
    running = speeds >= RUNNING_MPS
    if not running.any():
        return {}
    lo, hi = speeds[running].min(), speeds[running].max()
    for _ in range(20):  # 1-D 2-means over the running laps' speeds
        cut = (lo + hi) / 2
        slow, fast = speeds[running & (speeds <= cut)], speeds[running & (speeds > cut)]
        if not len(slow) or not len(fast):  # all alike (or NaN): one cluster
            break
        lo, hi = slow.mean(), fast.mean()
    mile = _lone_mile_lap(laps, speeds, running)
    if mile is not None:
        work = np.arange(len(laps)) == mile
    elif hi >= MIN_CLUSTER_RATIO * lo:
        work = running & (speeds > (lo + hi) / 2)
    elif (~running).any() and running.sum() >= MIN_MARKING_LAPS:
        work = running  # reps with walked or standing recoveries, no warm-up lap
    else:
        return {}
    roles = {lap.index: ("work" if w else "recovery") for lap, w in zip(laps, work, strict=True)}
    return _edges_as_warmup_cooldown(laps, roles)


def _lone_mile_lap(laps: Sequence[DeviceLap], speeds: np.ndarray, running: np.ndarray):
    """Index of the fastest running lap when it is 1500 m - 1 mile long
    (:data:`.workout.MILE_TT_M`), faster than every other running lap by
    :data:`.intervals.MIN_REP_VS_RUNNING` and follows a walked or stood lap: a mile time
    trial from the start line. A slow runner's mile is only ~15 % faster
    than the warm-up jog, under the 25 % that tells reps from jogs, and the warm-up, mile
    and cool-down laps were all taken for reps ("15 min, 20 min"). None otherwise."""
    idx = np.flatnonzero(running)
    if len(idx) < 2:
        return None
    i = int(idx[np.argmax(speeds[idx])])
    others = speeds[idx[idx != i]]
    if (
        MILE_TT_M[0] <= laps[i].distance_m <= MILE_TT_M[1]
        and i > 0
        and not running[i - 1]
        and speeds[i] >= MIN_REP_VS_RUNNING * others.max()
    ):
        return i
    return None


def _edges_as_warmup_cooldown(laps: Sequence[DeviceLap], roles: dict[int, str]) -> dict[int, str]:
    """Laps before the first work lap are warm-up, after the last are cool-down; a first
    or last work lap much slower or longer than the others is warm-up / cool-down too
    (the same rule as for the trace's bouts, :func:`.intervals.is_edge_bout`)."""
    work = [i for i, lap in enumerate(laps) if roles[lap.index] == "work"]
    if len(work) >= 3:
        speed = np.array([_speed([laps[i]]) for i in work])
        dur = np.array([laps[i].duration_s for i in work])
        for j, i in ((0, work[0]), (len(work) - 1, work[-1])):
            others = np.delete(np.arange(len(work)), j)
            slower = speed[j] / median(speed[others])
            longer = dur[j] / median(dur[others])
            edge = i in (0, len(laps) - 1)
            if edge and is_edge_bout(slower, longer):
                roles[laps[i].index] = "recovery"
        work = [i for i, lap in enumerate(laps) if roles[lap.index] == "work"]
    if not work:
        return {}
    for i, lap in enumerate(laps):
        if i < work[0]:
            roles[lap.index] = "warmup"
        elif i > work[-1]:
            roles[lap.index] = "cooldown"
    return roles


def _speed(laps: Sequence[DeviceLap]) -> float:
    dist = sum(lap.distance_m for lap in laps)
    dur = sum(lap.duration_s for lap in laps)
    return dist / dur if dur > 0 else np.nan
