"""Columns derived when a file lacks them: distance from positions, speed from distance.

Shared by every reader, so a GPX and a FIT of the same run get the same treatment.
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), metres: the haversine distance's sphere."""
STILL_RADIUS_M = 4.0
"""GPS jitter radius while standing: a consumer watch's position wanders a few metres
(pacing-science.md, 'Tracks, GPS and watches'). Steps inside this radius of the last
counted point add no distance, so a standing rest does not grow the total."""
SPEED_WINDOW_S = 5.0
"""Half-width of the window for speed from distance (instant 1 Hz GPS speed is noisy)."""


def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray):
    """Great-circle distance in metres between points in degrees (element-wise)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_from_positions(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """Cumulative distance (m) along a track, without jitter while standing still.

    A point adds distance only once it is more than :data:`STILL_RADIUS_M` from the last
    point that added distance; points without a position repeat the previous total.
    The gate needs a running anchor, so it walks the valid points once; the arithmetic
    inside is scalar and cheap (a one-hour run is 3,600 points).
    """
    lat = np.asarray(lat_deg, dtype=np.float64)
    lon = np.asarray(lon_deg, dtype=np.float64)
    n = len(lat)
    out = np.full(n, np.nan)
    valid = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if len(valid) == 0:
        return out
    # Project to local metres once (equirectangular around the track's mean latitude:
    # error < 0.1 % over a few km), then gate in the plane.
    lat0 = np.radians(np.nanmean(lat[valid]))
    y = np.radians(lat[valid]) * EARTH_RADIUS_M
    x = np.radians(lon[valid]) * EARTH_RADIUS_M * np.cos(lat0)
    cum = _gated_path_length(x, y, STILL_RADIUS_M)
    out[valid] = cum
    # carry the total forward over points without a position; before the first: 0
    filled = _ffill(out)
    filled[~np.isfinite(filled)] = 0.0
    return filled


def _gated_path_length(x: np.ndarray, y: np.ndarray, radius_m: float) -> np.ndarray:
    cum = np.zeros(len(x))
    ax, ay, total = x[0], y[0], 0.0
    r2 = radius_m * radius_m
    xs, ys = x.tolist(), y.tolist()
    for i in range(1, len(xs)):
        dx, dy = xs[i] - ax, ys[i] - ay
        d2 = dx * dx + dy * dy
        if d2 > r2:
            total += d2**0.5
            ax, ay = xs[i], ys[i]
        cum[i] = total
    return cum


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


def monotonic_distance(distance_m: np.ndarray) -> np.ndarray:
    """Distance made non-decreasing (a watch's stored distance never goes back)."""
    d = _ffill(distance_m)
    finite = np.isfinite(d)
    if finite.any():
        d[finite] = np.maximum.accumulate(d[finite])
    return d
