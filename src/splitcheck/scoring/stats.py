"""Heart rate, cadence and power over each lap or rep: average and maximum.

Averages are time-weighted over the samples inside the span (smart recording logs at
irregular intervals, pacing-science.md), over the timer (its stops left out) as the watch
averages; cadence is steps per minute as the model stores it (FIT's running cadence, per
leg, is doubled by the reader), its zeros (standing) counted as the watch counts them.
"""

from __future__ import annotations

import numpy as np

from ..model import paused_within_s

COLUMNS = (
    ("heart_rate_bpm", "hr_avg_bpm", "hr_max_bpm"),
    ("cadence_spm", "cadence_avg_spm", "cadence_max_spm"),
    ("power_w", "power_avg_w", "power_max_w"),
)
"""(sample column, average key, maximum key) for each stream shown per lap and rep."""
STAT_KEYS = tuple(k for _, avg, mx in COLUMNS for k in (avg, mx))
ZERO_COUNTS = frozenset({"cadence_spm", "power_w"})
"""Columns whose zeros are readings, averaged in: standing still is 0 steps/min and 0 W,
and the watch's lap ``avg_running_cadence`` and ``avg_power`` count it over the lap's
timer. On the real FIT laps, mean |difference| to the watch with zeros left out, then in:
cadence (201 laps) 6.05 -> 1.71 spm, and 1.34 with each reading weighted over half the
intervals either side (:func:`_centred`: the cadence is a rate measured across samples);
power (24 laps) 12.6 -> 0.5 W (garmin-stamina.fit's first lap read 106 W high). A heart
rate of 0 is a lost strap, not a reading: left out."""


def lap_stats(activity, starts_s, ends_s) -> list[dict[str, float | None]]:
    """For each span [start, end], the average and maximum of heart rate, cadence and
    power (keys :data:`STAT_KEYS`; None where the file has no such values)."""
    s = activity.samples
    t = s.elapsed_s
    starts = np.asarray(starts_s, dtype=np.float64)
    ends = np.asarray(ends_s, dtype=np.float64)
    lo = np.searchsorted(t, starts, side="left")
    hi = np.searchsorted(t, ends, side="right")
    dt = np.diff(t, append=t[-1]) if len(t) else t
    if len(t) and activity.pauses:
        # a sample before a timer pause stands for the time up to the pause, not through
        # it: a 6-minute stop would weigh it as 6 minutes of the lap (the watch averages
        # over its timer; mornindew-broken.fit lap 1 read 143 bpm against the watch's 139)
        dt = dt - paused_within_s(t, t + dt, activity.pauses)
    weights_of = {col: dt for col, _, _ in COLUMNS}
    weights_of["cadence_spm"] = _centred(t, dt, activity.pauses)
    out: list[dict[str, float | None]] = [{} for _ in starts]
    for col, avg_key, max_key in COLUMNS:
        values = getattr(s, col) if s.has(col) else None
        for k, (a, b) in enumerate(zip(lo, hi, strict=True)):  # one slice per span
            if values is None:
                out[k][avg_key] = out[k][max_key] = None
                continue
            v, w = values[a:b], weights_of[col][a:b]
            ok = np.isfinite(v) & ((v > 0) | (col in ZERO_COUNTS))
            if not (ok & (v > 0)).any():  # no reading at all (a zero stream): no average
                ok &= v > 0
            if not ok.any():
                out[k][avg_key] = out[k][max_key] = None
                continue
            weights = w[ok] if w[ok].sum() > 0 else np.ones(ok.sum())
            out[k][avg_key] = float(np.average(v[ok], weights=weights))
            out[k][max_key] = float(v[ok].max())
    return out


def _centred(t: np.ndarray, forward_s: np.ndarray, pauses) -> np.ndarray:
    """Each sample's weight as half the interval before it plus half the one after (timer
    pauses left out): a cadence reading is a rate across the samples around it. A lap's
    last reading then counts for its half of the lap's last interval, not for nothing (a
    9.7 s lap of two readings, 0 and 117 spm, read 0 where its watch says 72)."""
    if not len(t):
        return forward_s
    back = np.diff(t, prepend=t[0])
    if pauses:
        back = back - paused_within_s(t - back, t, pauses)
    return (forward_s + back) / 2
