"""What the archive view needs from each activity's samples, measured once in the worker.

Everything here is independent of the runner's profile, so it is cached with the file's
analysis: the climb, the heart rate as seconds per beat-per-minute (TRIMP and time in zones
are computed from it later, with whatever max and resting heart rate the runner gives), and
the normalised grade-adjusted speed (running TSS, once the threshold pace is known).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..metrics.terrain import grade_adjusted_speed_mps, grade_from_altitude, smooth_altitude_m
from ..model import MOVING_SPEED_MPS, Activity, in_pauses

CLIMB_HYSTERESIS_M = 3.0
"""Elevation gain counts a rise only once the smoothed altitude has climbed 3 m above its
last low (the dead band Strava and GoldenCheetah use against altimeter jitter; with the
50 m distance smoothing of :mod:`splitcheck.metrics.terrain`)."""
HR_RANGE_BPM = (30.0, 240.0)
"""Heart-rate samples outside this range are sensor dropouts or spikes, not beats."""
MAX_HR_GAP_S = 30.0
"""A heart-rate sample stands for the time to the next one, at most this long (a longer
gap is a pause or a dropout, not time at that heart rate)."""
NORMALISED_WINDOW_S = 30
"""Rolling window of the normalised speed: 30 s, as Coggan's normalised power and
TrainingPeaks' normalised graded pace (NGP) use."""


def activity_measures(activity: Activity) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Columns for the activity row and the ``heart_rate`` table's rows (bpm, seconds)."""
    s = activity.samples
    hist = hr_seconds(s.elapsed_s, s.heart_rate_bpm)
    hr = np.asarray(s.heart_rate_bpm, dtype=np.float64)
    ok = np.isfinite(hr) & (hr >= HR_RANGE_BPM[0]) & (hr <= HR_RANGE_BPM[1])
    row = {
        "elevation_gain_m": elevation_gain_m(s.distance_m, s.altitude_m),
        "avg_hr_bpm": round(float(hr[ok].mean()), 1) if ok.any() else None,
        "normalized_speed_mps": normalized_speed_mps(activity),
    }
    return row, [{"bpm": int(b), "seconds": round(float(t), 1)} for b, t in hist.items()]


def elevation_gain_m(distance_m, altitude_m) -> float | None:
    """Total climb [m] of the smoothed altitude, with a :data:`CLIMB_HYSTERESIS_M` dead
    band; None without altitude. The loop is over turning points only, not samples."""
    a = smooth_altitude_m(distance_m, altitude_m)
    a = a[np.isfinite(a)]
    if len(a) < 2:
        return None
    # keep only turning points of the series (vectorised), then apply the dead band
    d = np.diff(a)
    nz = d != 0
    if not nz.any():
        return 0.0
    sign = np.sign(d[nz])
    idx = np.flatnonzero(nz)
    turns = np.concatenate([[0], idx[1:][sign[1:] != sign[:-1]], [len(a) - 1]])
    gain, low, high, climbing = 0.0, a[0], a[0], False
    for x in a[turns]:
        if climbing:
            if x > high:
                high = x
            elif high - x >= CLIMB_HYSTERESIS_M:
                gain += high - low
                climbing, low = False, x
        elif x < low:
            low = x
        elif x - low >= CLIMB_HYSTERESIS_M:
            climbing, high = True, x
    if climbing:
        gain += high - low
    return round(float(gain), 1)


def hr_seconds(elapsed_s, heart_rate_bpm) -> dict[int, float]:
    """Seconds spent at each whole beat per minute (each sample holds until the next, at
    most :data:`MAX_HR_GAP_S`)."""
    t = np.asarray(elapsed_s, dtype=np.float64)
    hr = np.asarray(heart_rate_bpm, dtype=np.float64)
    if len(t) < 2:
        return {}
    dt_s = np.minimum(np.diff(t), MAX_HR_GAP_S)
    h = hr[:-1]
    ok = np.isfinite(h) & np.isfinite(dt_s) & (dt_s > 0)
    ok &= (h >= HR_RANGE_BPM[0]) & (h <= HR_RANGE_BPM[1])
    if not ok.any():
        return {}
    bpm = np.rint(h[ok]).astype(int)
    sums = np.bincount(bpm, weights=dt_s[ok])
    return {int(b): float(sums[b]) for b in np.flatnonzero(sums)}


def normalized_speed_mps(activity: Activity) -> float | None:
    """Normalised grade-adjusted speed [m/s]: the fourth-power mean of the 30 s rolling
    flat-equivalent speed over the moving time (TrainingPeaks' NGP, whose ratio to the
    threshold speed is the intensity factor of running TSS). None without distance."""
    s = activity.samples
    t, d = np.asarray(s.elapsed_s), np.asarray(s.distance_m)
    ok = np.isfinite(t) & np.isfinite(d)
    if ok.sum() < 2 or t[ok][-1] - t[ok][0] < NORMALISED_WINDOW_S:
        return None
    t, d = t[ok], np.maximum.accumulate(d[ok])
    grid = np.arange(t[0], t[-1] + 0.5, 1.0)
    dist = np.interp(grid, t, d)
    grade = grade_from_altitude(d, np.asarray(s.altitude_m)[ok])
    g = np.interp(dist, d, np.nan_to_num(grade, nan=0.0))
    speed = np.diff(dist, prepend=dist[0])  # m per 1 s step
    flat = grade_adjusted_speed_mps(speed, g)
    kernel = np.ones(NORMALISED_WINDOW_S) / NORMALISED_WINDOW_S
    rolling = np.convolve(flat, kernel, mode="valid")
    moving = (speed[NORMALISED_WINDOW_S - 1 :] > MOVING_SPEED_MPS) & ~in_pauses(
        grid[NORMALISED_WINDOW_S - 1 :], activity.pauses
    )
    if not moving.any():
        return None
    return round(float(np.mean(np.clip(rolling[moving], 0, None) ** 4) ** 0.25), 4)
