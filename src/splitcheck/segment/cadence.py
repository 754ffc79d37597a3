"""Cadence as a second witness of effort, for reps that GPS noise hides.

On a 400 m track a 1 Hz GPS trace swings +-20-40 % in speed over a few tens of seconds
(corners cut, multipath from the stands), so reps at 4.5 m/s with floats at 3.5 m/s (a
ratio of 1.3) blur into one unimodal speed cloud: the first pass calls the session
continuous. The runner's cadence does not see the GPS: a change of effort changes the
stride rate with the speed (steps/min rise ~5-8 per m/s), while GPS noise, hills and
stops move the speed alone. Where cadence follows the smoothed speed closely over the
running, the speed it predicts (a straight-line fit of speed on cadence over the running)
is the runner's effort without the GPS noise, and the bouts are found on it.

Their starts are placed on that effort too (settled and hinge-fitted on the distance it
integrates to, :func:`effort_trace`): the track's GPS error recurs at the same place each
lap, and reps usually start at one line, so a hinge on the GPS distance moved every start
of the real 400/800 m session ``rust_fit_file/20210610`` 8-12 s early, and the COROS PACE
2's settled starts of ``20210604`` 22-25 s late (its reps came out 64-77 s, not 85-90 s).
A runner easing off shortens the stride before the cadence falls, so the cadence trails a
rep's end by 2.5-7 s (same real files, against their laps): the ends are placed on the
GPS distance samples as in :func:`.intervals.refine_bouts`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .hinge import hinge_kinks
from .intervals import (
    END_LAG_S,
    HINGE_MAX_HALF_WINDOW_S,
    HINGE_MIN_HALF_WINDOW_S,
    HINGE_STEP_S,
    MIN_CLUSTER_RATIO,
    MIN_WORK_S,
    RUNNING_MPS,
    Bout,
    bouts_between,
    speed_clusters,
)
from .stops import stop
from .trace import Trace, rolling_median

CADENCE_SMOOTH_S = 15
"""Speed and cadence are compared as 15 s rolling medians: GPS speed noise averages out
over a few seconds less than a rep's shortest length (30 s)."""
MIN_CADENCE_CORR = 0.65
"""Correlation of cadence with speed over the running above which cadence witnesses
the speed's changes: sessions of reps and floats or jogs score 0.72-0.84 on the real
files with cadence (track GPS included), continuous runs 0.15-0.50 (easy, long, hilly,
urban with stops, treadmill), where speed swings with GPS, terrain and traffic, not with
effort."""
RUNNING_CADENCE_SPM = 130.0
"""Steps/min above which a runner is running (walking is ~100-125, jogging 150+)."""
MIN_RUNNING_S = 300.0
"""At least 5 min of running to fit speed on cadence."""
GAP_PACE_FRACTION = 0.85
"""A gap between two bouts run at 85 % of their pace or faster is no recovery (jogs
and floats are 20-40 % slower than reps: ``intervals.MIN_CLUSTER_RATIO``)."""


def cadence_speed(trace: Trace) -> np.ndarray | None:
    """Speed [m/s] on the grid as the cadence predicts it where the runner runs (the
    15 s median speed elsewhere); None without cadence, with too little running, or when
    cadence does not follow the speed (see :data:`MIN_CADENCE_CORR`)."""
    if trace.cadence_spm is None:
        return None
    v = rolling_median(trace.v_mps, CADENCE_SMOOTH_S)
    c = rolling_median(trace.cadence_spm, CADENCE_SMOOTH_S)
    running = (v > RUNNING_MPS) & (c > RUNNING_CADENCE_SPM)
    if running.sum() * float(np.median(np.diff(trace.t_s))) < MIN_RUNNING_S:
        return None
    cr, vr = c[running], v[running]
    if np.std(cr) == 0 or np.std(vr) == 0 or np.corrcoef(cr, vr)[0, 1] < MIN_CADENCE_CORR:
        return None
    slope, intercept = np.polyfit(cr, vr, 1)
    return np.where(running, intercept + slope * c, v)


def cadence_bouts(trace: Trace) -> list[Bout]:
    """Work bouts found on the cadence-predicted speed (:func:`cadence_speed`), their
    edges on the distance samples; empty when cadence does not witness two clusters of
    effort :data:`.intervals.MIN_CLUSTER_RATIO` apart."""
    v = cadence_speed(trace)
    if v is None:
        return []
    slow, fast, _ = speed_clusters(dataclasses.replace(trace, v_mps=v))
    if not (np.isfinite(slow) and np.isfinite(fast)) or fast < MIN_CLUSTER_RATIO * slow:
        return []
    # a dip shorter than the smoothing is no recovery the smoothed speed can show
    bouts = bouts_between(effort_trace(trace, v), slow, fast, float(CADENCE_SMOOTH_S))
    return _across_cadence_dips(trace, _ends_on_distance(trace, bouts))


def effort_trace(trace: Trace, v_mps: np.ndarray) -> Trace:
    """``trace`` with the cadence-predicted speed ``v_mps`` [m/s] in place of the GPS
    speed, and the distance it integrates to in place of the GPS distance (on the grid,
    and at the raw samples' times, so pauses and sparse samples stay as recorded)."""
    t = trace.t_s
    steps = (v_mps[1:] + v_mps[:-1]) / 2 * np.diff(t)  # trapezoids
    d = trace.d_m[0] + np.concatenate([[0.0], np.cumsum(steps)])
    raw_d = np.interp(trace.raw_t_s, t, d)
    return dataclasses.replace(trace, v_mps=v_mps, d_m=d, raw_d_m=raw_d)


def _ends_on_distance(trace: Trace, bouts: list[Bout]) -> list[Bout]:
    """Each bout's end moved to the kink of the hinge fit on the GPS distance near it
    (less ``intervals.END_LAG_S``, within the usual window), or to the timer's stop when
    the rep ended there: the cadence trails a rep's end (see the module's notes)."""
    if not bouts:
        return bouts
    next_starts = [b.start_s for b in bouts[1:]] + [float(trace.t_s[-1])]
    half = [
        min(max(0.45 * min(b.end_s - b.start_s, n - b.end_s), HINGE_MIN_HALF_WINDOW_S),
            HINGE_MAX_HALF_WINDOW_S)
        for b, n in zip(bouts, next_starts, strict=True)
    ]  # fmt: skip  (the window of intervals.refine_bouts)
    kinks = hinge_kinks(trace, [b.end_s + END_LAG_S for b in bouts], half, HINGE_STEP_S)
    out = []
    for b, kink in zip(bouts, kinks, strict=True):
        end = stop(trace, b.end_s, kink - END_LAG_S)
        out.append(Bout(b.start_s, end) if end - b.start_s >= MIN_WORK_S else b)
    return out


def _across_cadence_dips(trace: Trace, bouts: list[Bout]) -> list[Bout]:
    """Neighbouring bouts joined when the distance between them was run at
    :data:`GAP_PACE_FRACTION` of their pace or faster: the cadence dipped (a runner
    lengthening the stride, a bend), the running did not."""
    if len(bouts) < 2:
        return bouts
    edges = np.array([[b.start_s, b.end_s] for b in bouts])
    d = trace.distance_at(edges)
    speed = (d[:, 1] - d[:, 0]) / (edges[:, 1] - edges[:, 0])
    gap_t = edges[1:, 0] - edges[:-1, 1]
    gap_v = (d[1:, 0] - d[:-1, 1]) / np.maximum(gap_t, 1e-9)
    join = gap_v >= GAP_PACE_FRACTION * np.minimum(speed[:-1], speed[1:])
    out = [bouts[0]]
    for b, j in zip(bouts[1:], join.tolist(), strict=True):  # a few bouts
        out[-1:] = [Bout(out[-1].start_s, b.end_s)] if j else [out[-1], b]
    return out
