"""Grade-adjusted pace (Minetti et al. 2002, J Appl Physiol 93:1039) and a track check.

pacing-science.md, "Grade-adjusted pace": the energy cost of running on a gradient i
(rise/run) is C(i) = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6 J/kg/m,
measured for -0.45 <= i <= 0.45 (clamped outside). The flat-equivalent speed is
v x C(i) / C(0). Altitude is taken only where the runner moved (:func:`running_altitude_m`)
and smoothed over distance before taking gradients, and GAP is
left off on a track, where wrist altimeters wander 4-7 m per 1200 m.
"""

from __future__ import annotations

import numpy as np

from ..arrays import median, percentile
from ..model import MOVING_SPEED_MPS, interval_speeds_mps

MINETTI_COEFFS = (155.4, -30.4, -43.3, 46.3, 19.5, 3.6)
"""C(i) polynomial coefficients, highest power first (Minetti et al. 2002)."""
MINETTI_GRADE_LIMIT = 0.45
"""The study measured gradients of -45 % to +45 %: clamp outside."""
ALTITUDE_SMOOTHING_M = 50.0
"""Half-width of the distance window altitude is averaged over before gradients: wider
than GPS/barometric jitter, shorter than a real hill."""
GRADE_BASE_M = 50.0
"""Gradients are rise over this run (metres of distance), centred."""
TRACK_RADIUS_M = 120.0
"""95 % of positions within this radius of their centre: the runner stayed on a track
(a 400 m track is 176.9 m x 92.5 m, pacing-science.md track geometry)."""
EARTH_RADIUS_M = 6_371_008.8


def minetti_cost_j_per_kg_m(grade) -> np.ndarray:
    """Energy cost of running, J/kg/m, at gradient ``grade`` (rise/run), clamped to +-0.45."""
    i = np.clip(np.asarray(grade, dtype=np.float64), -MINETTI_GRADE_LIMIT, MINETTI_GRADE_LIMIT)
    return np.polyval(MINETTI_COEFFS, i)


def smooth_altitude_m(distance_m, altitude_m, half_window_m: float = ALTITUDE_SMOOTHING_M):
    """Altitude averaged over +-``half_window_m`` of distance (NaN altitudes ignored)."""
    d = np.asarray(distance_m, dtype=np.float64)
    a = np.asarray(altitude_m, dtype=np.float64)
    ok = np.isfinite(d) & np.isfinite(a)
    out = np.full(len(a), np.nan)
    if ok.sum() < 2:
        return out
    dd, aa = d[ok], a[ok]
    csum = np.concatenate([[0.0], np.cumsum(aa)])
    lo = np.searchsorted(dd, dd - half_window_m, side="left")
    hi = np.searchsorted(dd, dd + half_window_m, side="right")
    out[ok] = (csum[hi] - csum[lo]) / (hi - lo)
    return out


def running_altitude_m(elapsed_s, distance_m, altitude_m) -> np.ndarray:
    """Altitude [m] as the runner climbed it: the change over each interval between samples
    in which the runner did not move (standing, or across a timer stop) left out.

    A watch's altitude moves while its runner stands (GPS altitude wanders 10-20 m), and
    across a timer stop it jumps to wherever the runner went with the timer off: neither
    is climbing done running. connectstats/activity_234979239.fit (GPS altitude, no
    barometer) rises 28 m over a 52 s timer stop in which its position moves 144 m: its
    last third's net climb was 38 m with the stops, 20 m without (its TCX export, with
    Garmin Connect's altitude: 17 m), and the third read as a 7 % progression
    grade-adjusted, while the watch's own mile laps are even. NaN where the altitude,
    distance or time is missing."""
    t = np.asarray(elapsed_s, dtype=np.float64)
    d = np.asarray(distance_m, dtype=np.float64)
    a = np.asarray(altitude_m, dtype=np.float64)
    ok = np.isfinite(t) & np.isfinite(d) & np.isfinite(a)
    out = np.full(len(a), np.nan)
    if ok.sum() < 2:
        out[ok] = a[ok]
        return out
    aa = a[ok]
    with np.errstate(invalid="ignore"):
        moving = interval_speeds_mps(t[ok], d[ok]) > MOVING_SPEED_MPS
    climbed = np.where(moving, np.diff(aa), 0.0)
    out[ok] = aa[0] + np.concatenate([[0.0], np.cumsum(climbed)])
    return out


def grade_from_altitude(distance_m, altitude_m, base_m: float = GRADE_BASE_M) -> np.ndarray:
    """Gradient (rise/run) at each sample from smoothed altitude, over a centred base."""
    d = np.asarray(distance_m, dtype=np.float64)
    a = smooth_altitude_m(d, altitude_m)
    ok = np.isfinite(d) & np.isfinite(a)
    out = np.full(len(d), np.nan)
    if ok.sum() < 2:
        return out
    dd, aa = d[ok], a[ok]
    a_hi = np.interp(dd + base_m / 2, dd, aa)
    a_lo = np.interp(dd - base_m / 2, dd, aa)
    run = np.minimum(dd + base_m / 2, dd[-1]) - np.maximum(dd - base_m / 2, dd[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        out[ok] = np.where(run > 0, (a_hi - a_lo) / run, 0.0)
    return out


def grade_adjusted_speed_mps(speed_mps, grade) -> np.ndarray:
    """Flat-equivalent speed v x C(i) / C(0), m/s (Minetti et al. 2002)."""
    v = np.asarray(speed_mps, dtype=np.float64)
    c0 = MINETTI_COEFFS[-1]
    return v * minetti_cost_j_per_kg_m(np.nan_to_num(grade, nan=0.0)) / c0


def on_track(lat_deg, lon_deg, radius_m: float = TRACK_RADIUS_M) -> bool:
    """True when 95 % of positions lie within ``radius_m`` of their median: a track."""
    lat = np.asarray(lat_deg, dtype=np.float64)
    lon = np.asarray(lon_deg, dtype=np.float64)
    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.sum() < 10:
        return False
    lat0, lon0 = median(lat[ok]), median(lon[ok])
    y = np.radians(lat[ok] - lat0) * EARTH_RADIUS_M
    x = np.radians(lon[ok] - lon0) * EARTH_RADIUS_M * np.cos(np.radians(lat0))
    return bool(percentile(np.hypot(x, y), 95) <= radius_m)
