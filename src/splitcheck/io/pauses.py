"""Timer pauses of files that do not record them as events (TCX, GPX).

A FIT file says when its timer stopped (timer events). A TCX file says only how long each
lap's timer ran (``TotalTimeSeconds``); a GPX file says nothing. The pauses are then put
where the samples show them: in the gaps of the recording (a watch records nothing while
paused) and where the distance stood still: the longest still stretch first (a paused
watch leaves one gap, not many short ones), then the longest gaps. For a TCX lap, exactly as much
pause as its elapsed time exceeds its timer; beyond that, each gap of the recording longer
than :data:`~splitcheck.model.MAX_MOVING_GAP_S` that the runner did not move across
(auto-pause, the stop button).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..arrays import median
from ..model import MAX_MOVING_GAP_S, MOVING_SPEED_MPS, Lap, Pause

EVERY_SECOND_S = 1.0
"""A median step of one second: the watch records every second (not smart recording)."""
MIN_LAP_PAUSE_S = 1.5
"""A lap whose elapsed time exceeds its timer by less than this has no pause: TCX lap
times are rounded and a lap's edges sit up to a recording interval from its samples."""


def infer_pauses(
    elapsed_s: np.ndarray, distance_m: np.ndarray, laps: Sequence[Lap]
) -> tuple[Pause, ...]:
    """Timer pauses [s from the first sample] where the samples place them.

    Parameters
    ----------
    elapsed_s, distance_m : ndarray
        The activity's sample times (increasing) and cumulative distance (NaN allowed).
    laps : sequence of Lap
        The file's laps; those with a ``timer_s`` say how much pause each holds.
    """
    t = np.asarray(elapsed_s, dtype=np.float64)
    if len(t) < 3:
        return ()
    gap = np.diff(t)
    step = float(median(gap))
    d = np.asarray(distance_m, dtype=np.float64)
    dd = np.diff(d)
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.where(np.isfinite(dd), dd / gap, np.nan)
    still = np.isfinite(speed) & (speed < MOVING_SPEED_MPS)
    # what each interval between samples can hold of a pause: all of it when the runner
    # did not move, else what exceeds the recording interval
    room = np.where(still, gap, np.clip(gap - step, 0.0, None))
    timed = [lap for lap in laps if lap.timer_s is not None and np.isfinite(lap.timer_s)]
    placed = _from_laps(t, room, speed, timed) if timed else ()
    # a long gap the runner did not move across is a pause; where the laps' timers say
    # otherwise only when the watch recorded every second (it then writes a sample each
    # second while its timer runs: the tcxmill treadmill export wrote a lap's elapsed time
    # as its timer over a 114 s stop), not with smart recording's irregular samples
    long_still = still & (gap > MAX_MOVING_GAP_S)
    if timed and step > EVERY_SECOND_S:
        long_still[:] = False
    starts = np.array([p.start_s for p in placed])
    ends = np.array([p.end_s for p in placed])
    extra = [
        Pause(float(t[i]), float(t[i] + room[i]))
        for i in np.flatnonzero(long_still)
        if not ((starts < t[i + 1]) & (ends > t[i])).any()
    ]
    return tuple(sorted((*placed, *extra), key=lambda p: p.start_s))


def _from_laps(
    t: np.ndarray, room: np.ndarray, speed: np.ndarray, laps: Sequence[Lap]
) -> tuple[Pause, ...]:
    pauses = []
    moving = ~(np.isfinite(speed) & (speed < MOVING_SPEED_MPS))
    for lap in laps:
        missing = (lap.end_s - lap.start_s) - float(lap.timer_s)  # type: ignore[arg-type]
        if missing < MIN_LAP_PAUSE_S:
            continue
        lo = np.maximum(t[:-1], lap.start_s)  # each interval clipped to the lap
        hi = np.minimum(t[1:], lap.end_s)
        inside = np.flatnonzero((hi > lo) & (room > 0))
        # where the runner stood first, the longest first
        inside = inside[np.lexsort((-room[inside], moving[inside]))]
        for i in inside:
            take = min(room[i], hi[i] - lo[i], missing)
            if take <= 0:
                continue
            pauses.append(Pause(float(lo[i]), float(lo[i] + take)))
            missing -= take
            if missing < MIN_LAP_PAUSE_S / 2:
                break
    return tuple(sorted(pauses, key=lambda p: p.start_s))
