"""Columns derived when a file lacks them: distance from positions, speed from distance.

Shared by every reader, so a GPX and a FIT of the same run get the same treatment.
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), metres: the haversine distance's sphere."""
STILL_WINDOW_S = 5.0
"""Half-width of the time window over which standing still is judged."""
STILL_RADIUS_M = 5.0
"""Net displacement across the window below which the runner counts as standing (5 m in
10 s is 0.5 m/s, the model's MOVING_SPEED_MPS). GPS jitter while standing wanders a few
metres (pacing-science.md, 'Tracks, GPS and watches'); summing every jittery step would
grow the distance by ~1-2 m per second of rest, so steps inside still stretches add none.
Over a longer span (sparse smart recording) the radius grows with the span at 0.5 m/s, so
a slow walk sampled every 15 s is not taken for standing."""
STILL_SPEED_MPS = STILL_RADIUS_M / (2 * STILL_WINDOW_S)
SPEED_WINDOW_S = 5.0
"""Half-width of the window for speed from distance (instant 1 Hz GPS speed is noisy)."""


def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray):
    """Great-circle distance in metres between points in degrees (element-wise)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_from_positions(
    lat_deg: np.ndarray, lon_deg: np.ndarray, elapsed_s: np.ndarray | None = None
) -> np.ndarray:
    """Cumulative distance (m) along a track, without jitter while standing still.

    Steps are great-circle distances between consecutive positions; a step inside a
    stretch where the net displacement over ±:data:`STILL_WINDOW_S` stays under
    :data:`STILL_RADIUS_M` adds nothing. Points without a position repeat the previous
    total. ``elapsed_s`` (seconds) makes the window time-based; without it, one row is
    taken as one second.
    """
    lat = np.asarray(lat_deg, dtype=np.float64)
    lon = np.asarray(lon_deg, dtype=np.float64)
    n = len(lat)
    t_all = np.arange(n, dtype=np.float64) if elapsed_s is None else np.asarray(elapsed_s, float)
    out = np.full(n, np.nan)
    valid = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if len(valid) == 0:
        return out
    lat_v, lon_v, t = lat[valid], lon[valid], t_all[valid]
    steps = np.zeros(len(valid))
    steps[1:] = haversine_m(lat_v[:-1], lon_v[:-1], lat_v[1:], lon_v[1:])
    still = _standing(lat_v, lon_v, t)
    steps[1:][still[1:] & still[:-1]] = 0.0
    out[valid] = np.cumsum(steps)
    filled = _ffill(out)
    filled[~np.isfinite(filled)] = 0.0  # before the first position
    return filled


def _standing(lat: np.ndarray, lon: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Per point: True where net displacement across the window is below the radius."""
    lo = np.searchsorted(t, t - STILL_WINDOW_S, side="left")
    hi = np.searchsorted(t, t + STILL_WINDOW_S, side="right") - 1
    # Sparse (smart) recording leaves a point alone in its window (net 0: "standing"
    # for a whole hike sampled every 11 s): always reach the neighbours.
    idx = np.arange(len(t))
    hi = np.maximum(hi, np.minimum(idx + 1, len(t) - 1))
    lo = np.minimum(lo, np.maximum(idx - 1, 0))
    net = haversine_m(lat[lo], lon[lo], lat[hi], lon[hi])
    radius = np.maximum(STILL_RADIUS_M, STILL_SPEED_MPS * (t[hi] - t[lo]))
    return net < radius


MAX_SPEED_STEP_S = 15.0
"""Distance from speed adds nothing across a gap between samples longer than this: the
watch was paused or lost the sensor (smart recording leaves gaps of up to ~8 s)."""


def distance_from_speed(elapsed_s: np.ndarray, speed_mps: np.ndarray) -> np.ndarray:
    """Cumulative distance (m) integrating speed (m/s) over time (s) by the trapezoid
    rule, for files with speed but neither distance nor positions (a foot pod, a
    treadmill app). Missing speeds count as 0; see :data:`MAX_SPEED_STEP_S` for gaps."""
    v = np.nan_to_num(np.asarray(speed_mps, dtype=np.float64), nan=0.0)
    dt = np.diff(np.asarray(elapsed_s, dtype=np.float64))
    step = np.where(dt <= MAX_SPEED_STEP_S, 0.5 * (v[1:] + v[:-1]) * dt, 0.0)
    return np.concatenate([[0.0], np.cumsum(step)])


def speed_from_distance(elapsed_s: np.ndarray, distance_m: np.ndarray) -> np.ndarray:
    """Speed (m/s) as distance over time across a centred window of ±SPEED_WINDOW_S.

    Uses timestamps, not row counts, so smart (irregular) recording gives the same speed
    as 1 s recording.
    """
    t = np.asarray(elapsed_s, dtype=np.float64)
    d = _ffill(np.asarray(distance_m, dtype=np.float64))
    n = len(t)
    if n < 2 or not np.isfinite(d).any():
        return np.full(n, np.nan)
    lo = np.searchsorted(t, t - SPEED_WINDOW_S, side="left")
    hi = np.searchsorted(t, t + SPEED_WINDOW_S, side="right") - 1
    hi = np.maximum(hi, np.minimum(np.arange(n) + 1, n - 1))
    lo = np.minimum(lo, np.maximum(np.arange(n) - 1, 0))
    span = t[hi] - t[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        v = (d[hi] - d[lo]) / span
    v[~(span > 0)] = np.nan
    return v


def _ffill(a: np.ndarray) -> np.ndarray:
    """Forward-fill NaNs (leading NaNs stay NaN)."""
    a = np.array(a, dtype=np.float64, copy=True)
    idx = np.where(np.isfinite(a), np.arange(len(a)), 0)
    np.maximum.accumulate(idx, out=idx)
    out = a[idx]
    if len(a) and not np.isfinite(a[0]):
        first = np.flatnonzero(np.isfinite(a))
        out[: first[0] if len(first) else len(a)] = np.nan
    return out


DISTANCE_SPIKE_M = 50.0
"""A stored distance more than this above every later one is a glitch (a corrupt record
or a GPS jump the watch took back), not progress: holding it would add the jump to every
later sample (a single 100 km record made a 4 km run 100 km long)."""
MAX_SPIKE_SHARE = 0.02
"""Glitches are rare: when more than this share of samples would be glitches, the
distance really went back (a counter reset) and is held at its previous value instead."""


def monotonic_distance(distance_m: np.ndarray) -> np.ndarray:
    """Distance made non-decreasing (a watch's stored distance never goes back).

    Isolated spikes (:data:`DISTANCE_SPIKE_M` above all later values) are dropped first;
    other backward steps are held at the previous value. Metres in, metres out.
    """
    d = _ffill(distance_m)
    finite = np.isfinite(d)
    if finite.any():
        d[finite] = np.maximum.accumulate(_drop_spikes(d[finite]))
    return d


def _drop_spikes(d: np.ndarray) -> np.ndarray:
    """``d`` (all finite) with its isolated upward glitches replaced by the value before."""
    later_min = np.append(np.minimum.accumulate(d[::-1])[::-1][1:], np.inf)
    spike = d - later_min > DISTANCE_SPIKE_M
    if not spike.any() or spike.mean() > MAX_SPIKE_SHARE:
        return d
    out = np.where(spike, np.nan, d)
    filled = _ffill(out)
    return np.where(np.isfinite(filled), filled, later_min)
