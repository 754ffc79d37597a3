"""Heart rate: aerobic decoupling of steady runs, and effort as % of max heart rate.

pacing-science.md, "Definitions": aerobic decoupling (Friel) compares r = speed / HR in
the two halves of a steady effort, (r1 - r2) / r1 x 100; < 5 % good, 5-10 % moderate,
> 10 % a weak aerobic base. Only for steady aerobic runs: check steadiness first.
"""

from __future__ import annotations

import math

import numpy as np

DECOUPLING_GOOD_PCT = 5.0
"""Below this the aerobic base held up (Friel; pacing-science.md)."""
DECOUPLING_WEAK_PCT = 10.0
"""Above this, a weak aerobic base (Friel; pacing-science.md)."""
STEADY_CV_PCT = 8.0
"""A run is steady when its split speeds vary by at most this CV, % (default; loose
enough for rolling terrain, tight enough to exclude intervals and fartlek)."""
STEADY_MIN_S = 20 * 60.0
"""Decoupling needs at least this long a steady run (Friel uses 20 min and up)."""


def is_steady(split_speeds_mps, duration_s: float) -> bool:
    """True when the run is long enough and its split speeds vary by <= STEADY_CV_PCT."""
    v = np.asarray(split_speeds_mps, dtype=np.float64)
    v = v[np.isfinite(v)]
    if duration_s < STEADY_MIN_S or len(v) < 2 or v.mean() <= 0:
        return False
    return bool(v.std(ddof=0) / v.mean() * 100.0 <= STEADY_CV_PCT)


def aerobic_decoupling_pct(elapsed_s, distance_m, heart_rate_bpm) -> float:
    """(r1 - r2) / r1 x 100 with r = speed / mean HR in each half (by time), %.

    Speed of a half is its distance over its time; HR its time-weighted mean. NaN when
    heart rate is missing from either half.
    """
    t = np.asarray(elapsed_s, dtype=np.float64)
    d = np.asarray(distance_m, dtype=np.float64)
    hr = np.asarray(heart_rate_bpm, dtype=np.float64)
    if len(t) < 4 or t[-1] <= t[0]:
        return math.nan
    mid = (t[0] + t[-1]) / 2.0
    ratios = []
    for lo, hi in ((t[0], mid), (mid, t[-1])):
        speed = _span_distance(t, d, lo, hi) / (hi - lo)
        sel = (t >= lo) & (t <= hi) & np.isfinite(hr) & (hr > 0)
        if sel.sum() < 2:
            return math.nan
        ratios.append(speed / float(hr[sel].mean()))
    r1, r2 = ratios
    return (r1 - r2) / r1 * 100.0


def _span_distance(t: np.ndarray, d: np.ndarray, lo: float, hi: float) -> float:
    ok = np.isfinite(d)
    return float(np.interp(hi, t[ok], d[ok]) - np.interp(lo, t[ok], d[ok]))


def peak_hr_pct_of_max(
    elapsed_s, heart_rate_bpm, start_s, end_s, max_hr_bpm: float, *, lag_s: float = 10.0
) -> np.ndarray:
    """Peak heart rate of each window [start, end + lag] as % of max HR (NaN without HR).

    Heart rate lags effort by several seconds, so a short rep's peak comes just after it.
    """
    t = np.asarray(elapsed_s, dtype=np.float64)
    hr = np.asarray(heart_rate_bpm, dtype=np.float64)
    starts = np.atleast_1d(np.asarray(start_s, dtype=np.float64))
    ends = np.atleast_1d(np.asarray(end_s, dtype=np.float64)) + lag_s
    lo = np.searchsorted(t, starts, side="left")
    hi = np.searchsorted(t, ends, side="right")
    out = np.full(len(starts), np.nan)
    for k, (a, b) in enumerate(zip(lo, hi, strict=True)):  # one slice per rep, not per sample
        window = hr[a:b]
        window = window[np.isfinite(window)]
        if len(window):
            out[k] = window.max() / max_hr_bpm * 100.0
    return out
