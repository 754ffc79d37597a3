"""Timer pauses of files that do not record them as events (TCX, GPX).

A FIT file says when its timer stopped (timer events). A TCX file says only how long each
lap's timer ran (``TotalTimeSeconds``); a GPX file says nothing. The pauses are then put
where the samples show them: in the gaps of the recording (a watch records nothing while
paused) and where the distance stood still, slowest first. For a TCX lap, exactly as much
pause as its elapsed time exceeds its timer; for anything else, each long gap the runner
did not move across (auto-pause, the stop button).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import MAX_MOVING_GAP_S, MOVING_SPEED_MPS, Lap, Pause

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
    step = float(np.median(gap))
    d = np.asarray(distance_m, dtype=np.float64)
    dd = np.diff(d)
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.where(np.isfinite(dd), dd / gap, np.nan)
    still = np.isfinite(speed) & (speed < MOVING_SPEED_MPS)
    # what each interval between samples can hold of a pause: all of it when the runner
    # did not move, else what exceeds the recording interval
    room = np.where(still, gap, np.clip(gap - step, 0.0, None))
    timed = [lap for lap in laps if lap.timer_s is not None and np.isfinite(lap.timer_s)]
    if timed:
        return _from_laps(t, room, speed, timed)
    long_still = still & (gap > MAX_MOVING_GAP_S)
    return tuple(Pause(float(t[i]), float(t[i] + room[i])) for i in np.flatnonzero(long_still))


def _from_laps(
    t: np.ndarray, room: np.ndarray, speed: np.ndarray, laps: Sequence[Lap]
) -> tuple[Pause, ...]:
    pauses = []
    order_key = np.where(np.isfinite(speed), speed, np.inf)
    for lap in laps:
        missing = (lap.end_s - lap.start_s) - float(lap.timer_s)  # type: ignore[arg-type]
        if missing < MIN_LAP_PAUSE_S:
            continue
        lo = np.maximum(t[:-1], lap.start_s)  # each interval clipped to the lap
        hi = np.minimum(t[1:], lap.end_s)
        inside = np.flatnonzero((hi > lo) & (room > 0))
        # slowest intervals first (the runner stood), then the longest
        inside = inside[np.lexsort((-room[inside], order_key[inside]))]
        for i in inside:
            take = min(room[i], hi[i] - lo[i], missing)
            if take <= 0:
                continue
            pauses.append(Pause(float(lo[i]), float(lo[i] + take)))
            missing -= take
            if missing < MIN_LAP_PAUSE_S / 2:
                break
    return tuple(sorted(pauses, key=lambda p: p.start_s))
