"""Synthetic activities with exactly known structure, for the segmentation tests.

Speed is piecewise constant per segment, changing over a short linear ramp after each edge;
distance is its integral on a 0.1 s grid, sampled every ``step_s`` (or at random gaps),
with optional independent GPS-like noise on the distance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from splitcheck.model import Activity, Lap, Samples

START = dt.datetime(2024, 5, 1, 7, 0, tzinfo=dt.UTC)


def session(
    segments: Sequence[tuple[float, float]],
    *,
    noise_m: float = 0.0,
    step_s: float | Sequence[int] = 1.0,
    seed: int = 0,
    ramp_s: float = 3.0,
    laps: Sequence[Lap] = (),
    altitude_m: np.ndarray | None = None,
) -> tuple[Activity, np.ndarray]:
    """An activity of (duration s, speed m/s) segments and the segments' edge times [s]."""
    rng = np.random.default_rng(seed)
    edges = np.cumsum([0.0] + [seg[0] for seg in segments])
    t = np.arange(0.0, edges[-1] + 1e-9, 0.1)
    idx = np.clip(np.searchsorted(edges, t, side="right") - 1, 0, len(segments) - 1)
    v = np.array([seg[1] for seg in segments])[idx]
    k = max(int(ramp_s / 0.1), 1)
    # a causal ramp: the runner changes pace over ramp_s after each edge, as runners do
    v = np.convolve(np.pad(v, (k - 1, 0), mode="edge"), np.ones(k) / k, "valid")
    d = np.concatenate([[0.0], np.cumsum((v[1:] + v[:-1]) / 2 * 0.1)])
    if np.ndim(step_s) == 0:
        ts = np.arange(0.0, t[-1] + 1e-9, float(step_s))
    else:
        ts = np.concatenate([[0.0], np.cumsum(rng.choice(step_s, size=int(t[-1])))])
        ts = ts[ts <= t[-1]]
    ds = np.maximum.accumulate(np.interp(ts, t, d) + rng.normal(0.0, noise_m, len(ts)))
    cols = {"elapsed_s": ts, "distance_m": ds}
    if altitude_m is not None:
        cols["altitude_m"] = np.interp(ts, t, altitude_m(d))
    activity = Activity(
        samples=Samples.from_columns(**cols), start_utc=START, sport="running", laps=tuple(laps)
    )
    return activity, edges


def reps_session(
    rep_m: Sequence[float],
    *,
    rep_mps: float = 5.0,
    rec_s: float = 90.0,
    rec_mps: float = 2.5,
    warm_s: float = 600.0,
    easy_mps: float = 3.0,
    **kw,
) -> tuple[Activity, list[tuple[float, float]]]:
    """Warm-up, reps of the given distances with recoveries, cool-down; true rep spans."""
    segs = [(warm_s, easy_mps)]
    for i, dist in enumerate(rep_m):
        segs.append((dist / rep_mps, rep_mps))
        segs.append((rec_s, rec_mps) if i < len(rep_m) - 1 else (warm_s, easy_mps))
    activity, edges = session(segs, **kw)
    spans = [(edges[1 + 2 * i], edges[2 + 2 * i]) for i in range(len(rep_m))]
    return activity, spans
