"""The pace trace: distance and a robust speed on a regular 1 s time grid.

Watches record at 1 s or at irregular "smart recording" intervals, and pause or drop out;
segmentation works on one regular grid built from the timestamps (never from row counts),
so every file looks alike to the detectors. Speed is distance over a time window, then a
rolling median: instant GPS speed is too noisy to time a lap (pacing-science.md, "Tracks,
GPS and watches").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Activity

GRID_S = 1.0
"""Spacing of the regular time grid, seconds."""
SPEED_HALF_WINDOW_S = 2.0
"""Speed at t is distance covered over [t - 2 s, t + 2 s] / 4 s: long enough to average
1 Hz GPS jitter, short enough to keep a 30 s rep's edges within a couple of seconds."""
MEDIAN_WINDOW_S = 5
"""Rolling median over 5 s of grid speed: removes single-sample spikes and dropouts."""
MIN_TRACE_S = 60.0
"""Shorter activities are too short to segment."""


@dataclass(frozen=True, eq=False)
class Trace:
    """Distance and speed of one activity on a regular grid, plus its raw samples.

    Attributes
    ----------
    t_s, d_m, v_mps : ndarray
        Grid times [s from the first sample], cumulative distance [m], smoothed speed [m/s].
    raw_t_s, raw_d_m : ndarray
        The samples with a finite distance (times [s], distance [m]), for exact fits.
    """

    t_s: np.ndarray
    d_m: np.ndarray
    v_mps: np.ndarray
    raw_t_s: np.ndarray
    raw_d_m: np.ndarray

    def distance_at(self, t_s: float | np.ndarray) -> np.ndarray:
        """Distance [m] at any time [s], interpolated between samples."""
        return np.interp(t_s, self.raw_t_s, self.raw_d_m)

    def time_at(self, d_m: float | np.ndarray, *, last: bool = False) -> np.ndarray:
        """Time [s] at which distance ``d_m`` is first reached (``last``: last left)."""
        d, t = self.raw_d_m, self.raw_t_s
        if last:
            _, idx = np.unique(d[::-1], return_index=True)
            idx = len(d) - 1 - idx
        else:
            _, idx = np.unique(d, return_index=True)
        return np.interp(d_m, d[idx], t[idx])


def build_trace(activity: Activity) -> Trace | None:
    """The activity's pace trace, or None when it has no usable distance or is too short."""
    s = activity.samples
    ok = np.isfinite(s.elapsed_s) & np.isfinite(s.distance_m)
    if ok.sum() < 2:
        return None
    raw_t = s.elapsed_s[ok]
    raw_d = np.maximum.accumulate(s.distance_m[ok])
    if raw_t[-1] - raw_t[0] < MIN_TRACE_S or raw_d[-1] - raw_d[0] <= 0:
        return None
    t = np.arange(raw_t[0], raw_t[-1] + GRID_S / 2, GRID_S)
    d = np.interp(t, raw_t, raw_d)
    return Trace(t_s=t, d_m=d, v_mps=grid_speed(d), raw_t_s=raw_t, raw_d_m=raw_d)


def grid_speed(d_m: np.ndarray) -> np.ndarray:
    """Speed [m/s] from grid distance: centred window difference, then rolling median."""
    h = int(round(SPEED_HALF_WINDOW_S / GRID_S))
    padded = np.concatenate([np.full(h, d_m[0]), d_m, np.full(h, d_m[-1])])
    v = (padded[2 * h :] - padded[: -2 * h]) / (2 * h * GRID_S)
    return rolling_median(v, int(MEDIAN_WINDOW_S / GRID_S))


def rolling_median(x: np.ndarray, width: int) -> np.ndarray:
    """Centred rolling median of odd ``width`` samples; edges use the nearest full window."""
    if width <= 1 or len(x) < width:
        return x.copy()
    half = width // 2
    padded = np.concatenate([np.full(half, x[0]), x, np.full(half, x[-1])])
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    return np.median(windows, axis=1)
