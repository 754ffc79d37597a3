"""Pace over a series of segments: rep consistency, fade, drift, speed changes.

Definitions: pacing-science.md, "Definitions" (fade / drift as an OLS slope; the average
% change of speed between consecutive segments, Nikolaidis & Knechtle 2019).
"""

from __future__ import annotations

import math

import numpy as np

KM_M = 1000.0


def ols_slope(x, y) -> float:
    """Least-squares slope of y on x (NaN pairs dropped); NaN with fewer than 2 points."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) < 2 or np.ptp(x) == 0:
        return math.nan
    xc = x - x.mean()
    return float((xc * (y - y.mean())).sum() / (xc * xc).sum())


def pace_s_per_km(distance_m, time_s) -> np.ndarray:
    """Pace of each segment, s/km (NaN where no distance)."""
    d = np.asarray(distance_m, dtype=np.float64)
    t = np.asarray(time_s, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, t / d * KM_M, np.nan)


def consistency_cv_pct(paces_s_per_km) -> float:
    """CV of rep paces, %, population SD (guidance.md section 2: 'consistency')."""
    p = np.asarray(paces_s_per_km, dtype=np.float64)
    p = p[np.isfinite(p)]
    if len(p) < 2 or p.mean() <= 0:
        return math.nan
    return float(p.std(ddof=0) / p.mean() * 100.0)


def fade_s_per_km_per_rep(paces_s_per_km) -> float:
    """OLS slope of rep pace on rep index, s/km per rep; positive = slowing."""
    p = np.asarray(paces_s_per_km, dtype=np.float64)
    return ols_slope(np.arange(len(p), dtype=np.float64), p)


def drift_s_per_km_per_km(mid_distance_m, paces_s_per_km) -> float:
    """OLS slope of pace on distance over a continuous run, s/km per km; positive = slowing.

    ``mid_distance_m``: each segment's middle, metres from the start.
    """
    x = np.asarray(mid_distance_m, dtype=np.float64) / KM_M
    return ols_slope(x, paces_s_per_km)


def mean_speed_change_pct(speeds_mps) -> float:
    """Average % change of speed between consecutive segments (negative = slowing)."""
    v = np.asarray(speeds_mps, dtype=np.float64)
    if len(v) < 2:
        return math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.diff(v) / v[:-1] * 100.0
    change = change[np.isfinite(change)]
    return float(change.mean()) if len(change) else math.nan
