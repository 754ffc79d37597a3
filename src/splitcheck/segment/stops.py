"""Rep edges at the watch's timer: where a pause ends a rep or starts the next one.

While the timer is stopped the watch stores nothing, so the hinge fit that places a
rep's edge on the distance samples has only one side to fit there; the timer's own stop
and restart are the edges instead, when the runner was running at them.
"""

from __future__ import annotations

import numpy as np

from .trace import Trace

RUNNING_MPS = 1.8
"""Above 1.8 m/s (9:15 /km) a runner is running (as ``intervals.RUNNING_MPS``)."""
RESTART_WINDOW_S = (10.0, 1.0)
"""A bout starting up to 10 s after (or 1 s before) the timer restarts after a pause
started at the restart: auto-pause resumes at the runner's first step, and the samples
before the bout's first stored one are missing (smart recording makes it worse)."""
STOP_WINDOW_S = (10.0, 1.0)
"""A bout whose settled end lies up to 10 s before (or 1 s after) the timer stops, with
the runner still running at the last sample, ended at the stop: a runner resting with
the watch paused stops it as the rep ends, and with nothing stored after the stop the
hinge fit has no second line to find (auto-pause, after a stand, leaves samples of the
stop and is left to the fit)."""
RUNNING_CHECK_S = 3.0
"""... measured over the samples of the last 3 s before the stop: a watch storing a sample
a second does not always update its distance in between (``fit-parser/garmin-stamina.fit``
repeats the previous distance in 6-9 % of its samples at rep pace), so the last two
samples alone can read 0 m/s from a runner at full pace."""
MIN_REST_PAUSE_S = 20.0
"""... for a pause of 20 s or more (a rest: the shortest recoveries are 20-30 s); an
auto-pause blip of a second or two while jogging ends no rep."""
REST_REACH_S = 30.0
REST_PACE_FRACTION = 0.75
"""A bout starting up to 30 s after the timer restarts from such a rest, having covered
the stretch since the restart at 75 % of its pace or more, started at the restart (as
``regular.RESTART_REACH_S``): the runner ran off from the paused rest, and the
smoothed speed the bout was found on crossed its level seconds later."""


def restart(trace: Trace, start_s: float, end_s: float | None = None) -> float:
    """The timer's restart when a bout starts just after an auto-pause (see
    :data:`RESTART_WINDOW_S`), or after a rest with the watch paused at nearly the bout's
    pace since (:data:`REST_REACH_S`, needs the bout's ``end_s``); else ``start_s``."""
    ends = trace.pause_ends_s
    if len(ends) == 0:  # no pauses (most runs): nothing to look up, for every bout
        return start_s
    near = ends[(ends >= start_s - RESTART_WINDOW_S[0]) & (ends <= start_s + RESTART_WINDOW_S[1])]
    if len(near):
        return float(near[-1])
    if end_s is None or len(ends) != len(trace.pause_starts_s):
        return start_s
    rest = ends - trace.pause_starts_s >= MIN_REST_PAUSE_S
    near = ends[rest & (ends >= start_s - REST_REACH_S) & (ends < start_s)]
    if not len(near):
        return start_s
    t0 = float(near[-1])
    d = trace.distance_at(np.array([t0, start_s, end_s]))
    lead = (d[1] - d[0]) / (start_s - t0)
    pace = (d[2] - d[1]) / max(end_s - start_s, 1e-9)
    return t0 if lead >= REST_PACE_FRACTION * pace else start_s


def stop(trace: Trace, guess_s: float, end_s: float) -> float:
    """The timer's stop when a bout's settled end ``guess_s`` lies just before it and the
    runner was still running at the last sample (see :data:`STOP_WINDOW_S`); else
    ``end_s``."""
    starts = trace.pause_starts_s
    if len(starts) == 0 or len(starts) != len(trace.pause_ends_s):
        return end_s
    rest = trace.pause_ends_s - starts >= MIN_REST_PAUSE_S
    near = starts[
        rest & (starts >= guess_s - STOP_WINDOW_S[1]) & (starts <= guess_s + STOP_WINDOW_S[0])
    ]
    if not len(near):
        return end_s
    at = float(near[0])
    i = int(np.searchsorted(trace.raw_t_s, at, side="right"))
    if i < 2:
        return end_s
    last = trace.raw_t_s[i - 1]
    back = int(np.searchsorted(trace.raw_t_s, last - RUNNING_CHECK_S, side="right")) - 1
    j = min(max(back, 0), i - 2)
    t, d = trace.raw_t_s[[j, i - 1]], trace.raw_d_m[[j, i - 1]]
    running = (d[1] - d[0]) / max(t[1] - t[0], 1e-9) > RUNNING_MPS
    return at if running else end_s
