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
integrates to, :func:`effort_trace`) unless the GPS saw the start cleanly
(:data:`CLEAN_GPS_RMS_M`): the track's GPS error recurs at the same place each lap, and
reps usually start at one line, so a hinge on the GPS distance moved every start of the
real 400/800 m session ``rust_fit_file/20210610`` 8-12 s early, and settling on the GPS
speed moved the COROS PACE 2's starts of ``20210604`` 22-25 s late (its reps came out
64-77 s, not 85-90 s). The cadence trails a rep's end by 2.5-7 s on the same real files
against their laps (runners shorten the stride first), so ends stay on the GPS distance
samples, as in :func:`.intervals.refine_bouts`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..arrays import median
from .hinge import MIN_SAMPLES, SPARSE_SAMPLES, direct_sse, hinge_kinks
from .index import between
from .intervals import (
    END_LAG_S,
    HINGE_MAX_HALF_WINDOW_S,
    HINGE_MIN_HALF_WINDOW_S,
    HINGE_STEP_S,
    MIN_CLUSTER_RATIO,
    MIN_WORK_S,
    RUNNING_MPS,
    START_LAG_S,
    Bout,
    bouts_between,
    speed_clusters,
)
from .stops import restart, stop
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
CLEAN_GPS_RMS_M = 0.5
"""A rep's start is placed on the GPS distance, not on the cadence, when the hinge fit
there leaves at most 0.5 m RMS over its window: road GPS under open sky, and standing
rests, fit to 0.1-0.45 m at the real files' rep starts (run-stats, garmin-stamina),
where the cadence can trail the start by 3-5 s (a runner lengthening the stride first);
the track files' GPS (rust_fit_file, track_cs_728599, both 20210604 watches) leaves
0.57-1.8 m, its error recurring where the reps start."""
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
    if running.sum() * float(median(np.diff(trace.t_s))) < MIN_RUNNING_S:
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
    return _edges_on_distance(trace, _across_cadence_dips(trace, bouts))


def effort_trace(trace: Trace, v_mps: np.ndarray) -> Trace:
    """``trace`` with the cadence-predicted speed ``v_mps`` [m/s] in place of the GPS
    speed, and the distance it integrates to in place of the GPS distance (on the grid,
    and at the raw samples' times, so pauses and sparse samples stay as recorded)."""
    t = trace.t_s
    steps = (v_mps[1:] + v_mps[:-1]) / 2 * np.diff(t)  # trapezoids
    d = trace.d_m[0] + np.concatenate([[0.0], np.cumsum(steps)])
    raw_d = np.interp(trace.raw_t_s, t, d)
    return dataclasses.replace(trace, v_mps=v_mps, d_m=d, raw_d_m=raw_d)


def _edges_on_distance(trace: Trace, bouts: list[Bout]) -> list[Bout]:
    """The bouts' edges placed on the GPS distance samples where these can be trusted:
    every end (the cadence trails it), and a start where the hinge fit's residual is
    within :data:`CLEAN_GPS_RMS_M` (the GPS saw the change cleanly); the timer's stops
    and restarts as in ``intervals.refine_bouts``."""
    if not bouts:
        return bouts
    t0, t1 = float(trace.t_s[0]), float(trace.t_s[-1])
    prev_ends = [t0] + [b.end_s for b in bouts[:-1]]
    next_starts = [b.start_s for b in bouts[1:]] + [t1]
    guesses, half = [], []
    for b, p, n in zip(bouts, prev_ends, next_starts, strict=True):
        dur = b.end_s - b.start_s
        guesses += [b.start_s + START_LAG_S, b.end_s + END_LAG_S]
        half += [_half_window(b.start_s - p, dur), _half_window(dur, n - b.end_s)]
    kinks = hinge_kinks(trace, guesses, half, HINGE_STEP_S)
    out: list[Bout] = []
    for i, b in enumerate(bouts):
        end = stop(trace, b.end_s, kinks[2 * i + 1] - END_LAG_S)
        start = b.start_s
        if _fit_rms_m(trace, guesses[2 * i], half[2 * i], kinks[2 * i]) <= CLEAN_GPS_RMS_M:
            start = restart(trace, max(kinks[2 * i] - START_LAG_S, t0), end)
        if out:
            start = max(start, out[-1].end_s)
        if end - start < MIN_WORK_S:
            start, end = b.start_s, b.end_s
        out.append(Bout(start, end))
    return out


def _half_window(left_s: float, right_s: float) -> float:
    """The hinge window of ``intervals.refine_bouts``: 45 % of the shorter neighbour."""
    return min(max(0.45 * min(left_s, right_s), HINGE_MIN_HALF_WINDOW_S), HINGE_MAX_HALF_WINDOW_S)


def _fit_rms_m(trace: Trace, guess_s: float, half_s: float, kink_s: float) -> float:
    """Residual RMS [m] of the hinge fit with its kink at ``kink_s`` to the GPS distance
    samples within ``half_s`` of ``guess_s`` (the grid's when the samples are sparse)."""
    t, d = trace.raw_t_s, trace.raw_d_m
    span = between(trace, "raw_t_s", guess_s - half_s, guess_s + half_s)
    if len(t[span]) < SPARSE_SAMPLES:
        t, d = trace.t_s, trace.d_m
        span = between(trace, "t_s", guess_s - half_s, guess_s + half_s)
    t, d = t[span], d[span]
    if len(t) < MIN_SAMPLES:
        return float("inf")
    return float(np.sqrt(direct_sse(t, d, np.array([kink_s]))[0] / len(t)))


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
