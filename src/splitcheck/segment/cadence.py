"""Cadence as a second witness of effort, for reps that GPS noise hides.

On a 400 m track a 1 Hz GPS trace swings +-20-40 % in speed over a few tens of seconds
(corners cut, multipath from the stands), so reps at 4.5 m/s with floats at 3.5 m/s (a
ratio of 1.3) blur into one unimodal speed cloud: the first pass calls the session
continuous. The runner's cadence does not see the GPS: a change of effort changes the
stride rate with the speed (steps/min rise ~5-8 per m/s), while GPS noise, hills and
stops move the speed alone. Where cadence follows the smoothed speed closely over the
running, the speed it predicts (a straight-line fit of speed on cadence over the running)
is the runner's effort without the GPS noise, and the bouts are found on it; their edges
are still placed on the distance samples (:func:`.intervals.refine_bouts`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..arrays import median
from .intervals import (
    MIN_CLUSTER_RATIO,
    RUNNING_MPS,
    Bout,
    bouts_between,
    speed_clusters,
)
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
    return _across_cadence_dips(
        trace, bouts_between(trace, slow, fast, float(CADENCE_SMOOTH_S), v_mps=v)
    )


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
