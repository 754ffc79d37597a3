"""The pace trace: distance and a robust speed on a regular 1 s time grid.

Watches record at 1 s or at irregular "smart recording" intervals, and pause or drop out;
segmentation works on one regular grid built from the timestamps (never from row counts),
so every file looks alike to the detectors. Speed is distance over a time window, then a
rolling median: instant GPS speed is too noisy to time a lap (pacing-science.md, "Tracks,
GPS and watches").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..arrays import isin, median
from ..model import Activity
from .index import first_reach

GRID_S = 1.0
"""Spacing of the regular time grid, seconds."""
SPEED_HALF_WINDOW_S = 2.0
"""Speed at t is distance covered over [t - 2 s, t + 2 s] / 4 s: long enough to average
1 Hz GPS jitter, short enough to keep a 30 s rep's edges within a couple of seconds."""
MEDIAN_WINDOW_S = 5
"""Rolling median over 5 s of grid speed: removes single-sample spikes and dropouts."""
MIN_TRACE_S = 60.0
"""Shorter activities are too short to segment."""
MAX_GRID_GAP_S = 3 * 3600.0
"""A gap between two samples longer than 3 h (a marathon's length standing still) is left
out of the grid: an overnight stop, a watch left paused, or a clock that jumped. The grid
then follows the samples, not the clock, and one bad time stamp of year 2089 costs
nothing (it was a 14.5 GB grid)."""
MAX_GRID_POINTS = int(48 * 3600 / GRID_S)
"""At most 48 h of grid (about 3 s and 100 MB of segmentation): a longer recording, or
samples spread thinly over days by a broken clock, is not segmented (with a note)."""
MAX_TRACE_DISTANCE_M = 1_000_000.0
"""1000 km in one recording is no run, walk or hike (a 24-hour record is ~320 km):
a broken distance field; not segmented (with a note)."""
GRADE_HALF_BASE_M = 40.0
"""Grade at a point is the altitude change over +-40 m of distance: long enough that
barometric or GPS altitude noise of a metre or two gives under 3 % of grade error."""
MAX_GRADE = 0.10
"""Grades are clipped to +-10 %: steeper readings on a run are mostly altitude noise."""
GRADE_EXPONENT = 0.5
"""Flat-equivalent speed = speed x (C(grade) / C(0)) ** 0.5, with C Minetti's energy cost
of running (J/kg/m, Minetti et al. 2002, J Appl Physiol 93:1039): runners holding an
effort slow about half as much uphill as equal metabolic power would demand (a 5 % climb
costs ~12 % of speed)."""
MIN_ALTITUDE_FRACTION = 0.5
"""Grade adjustment needs altitude on at least half of the samples."""
MIN_CADENCE_FRACTION = 0.5
"""Cadence joins the trace when at least half of the samples carry one."""


@dataclass(frozen=True, eq=False)
class Trace:
    """Distance and speed of one activity on a regular grid, plus its raw samples.

    Attributes
    ----------
    t_s, d_m, v_mps : ndarray
        Grid times [s from the first sample], cumulative distance [m], smoothed speed [m/s].
    raw_t_s, raw_d_m : ndarray
        The samples with a finite distance (times [s], distance [m]), for exact fits.
    pause_ends_s : ndarray
        When the timer restarted after each pause [s]: an auto-paused runner restarting
        is the start of the next bout, and the watch stores nothing before it.
    pause_starts_s : ndarray
        When the timer stopped for each pause [s]: a runner stopping the watch at a rep's
        end ends the rep there, and nothing is stored after it.
    cadence_spm : ndarray or None
        Cadence [steps/min] on the grid, None when under half of the samples carry one:
        a second witness of effort that GPS noise does not touch (:mod:`.cadence`).
    """

    t_s: np.ndarray
    d_m: np.ndarray
    v_mps: np.ndarray
    raw_t_s: np.ndarray
    raw_d_m: np.ndarray
    pause_ends_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    cadence_spm: np.ndarray | None = None
    pause_starts_s: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def distance_at(self, t_s: float | np.ndarray) -> np.ndarray:
        """Distance [m] at any time [s], interpolated between samples."""
        return np.interp(t_s, self.raw_t_s, self.raw_d_m)

    def time_at(self, d_m: float | np.ndarray, *, last: bool = False) -> np.ndarray:
        """Time [s] at which distance ``d_m`` is first reached (``last``: last left)."""
        d, t = first_reach(self, last=last)  # built once per trace
        return np.interp(d_m, d, t)


def build_trace(activity: Activity) -> Trace | None:
    """The activity's pace trace, or None when it has no usable distance or is too short."""
    s = activity.samples
    ok = np.isfinite(s.elapsed_s) & np.isfinite(s.distance_m)
    if ok.sum() < 2:
        return None
    raw_t, raw_d = _with_pause_ends(
        s.elapsed_s[ok], np.maximum.accumulate(s.distance_m[ok]), activity
    )
    if raw_t[-1] - raw_t[0] < MIN_TRACE_S or raw_d[-1] - raw_d[0] <= 0:
        return None
    if raw_d[-1] - raw_d[0] > MAX_TRACE_DISTANCE_M:
        return None
    t = time_grid(raw_t)
    if t is None:
        return None
    d = np.interp(t, raw_t, raw_d)
    v = grid_speed(d) * effort_factor(activity, t, d)
    ends = np.array([p.end_s for p in activity.pauses], dtype=np.float64)
    return Trace(
        t_s=t, d_m=d, v_mps=v, raw_t_s=raw_t, raw_d_m=raw_d, pause_ends_s=ends,
        cadence_spm=_grid_cadence(activity, t),
        pause_starts_s=np.array([p.start_s for p in activity.pauses], dtype=np.float64),
    )  # fmt: skip


def _grid_cadence(activity: Activity, t_s: np.ndarray) -> np.ndarray | None:
    """Cadence [steps/min] interpolated on the grid, None when under
    :data:`MIN_CADENCE_FRACTION` of the samples have one."""
    s = activity.samples
    ok = np.isfinite(s.cadence_spm) & np.isfinite(s.elapsed_s)
    if ok.sum() < max(MIN_CADENCE_FRACTION * len(s), 2):
        return None
    return np.interp(t_s, s.elapsed_s[ok], s.cadence_spm[ok])


def untraceable_note(activity: Activity) -> str | None:
    """Why :func:`build_trace` refuses an activity whose clock or distance is absurd
    (None when it does not): the note a runner sees instead of a structure."""
    s = activity.samples
    ok = np.isfinite(s.elapsed_s) & np.isfinite(s.distance_m)
    if ok.sum() < 2:
        return None
    t, d = s.elapsed_s[ok], s.distance_m[ok]
    if np.nanmax(d) - d[0] > MAX_TRACE_DISTANCE_M:
        km = (np.nanmax(d) - d[0]) / 1000
        return f"not segmented: {km:,.0f} km in one recording is a broken distance, not a run"
    if time_grid(t, count_only=True) is None:
        hours = (t[-1] - t[0]) / 3600
        return (
            f"not segmented: {len(t)} samples spread over {hours:,.0f} h of clock "
            f"(more than {MAX_GRID_POINTS * GRID_S / 3600:.0f} h once gaps over "
            f"{MAX_GRID_GAP_S / 3600:.0f} h are left out): a clock fault or a multi-day file"
        )
    return None


def time_grid(
    t_s: np.ndarray, step_s: float = GRID_S, *, count_only: bool = False
) -> np.ndarray | None:
    """A regular grid of ``step_s`` over sorted sample times, leaving out gaps longer
    than :data:`MAX_GRID_GAP_S`; None when it would exceed :data:`MAX_GRID_POINTS`
    (checked before anything is allocated)."""
    t_s = np.asarray(t_s, dtype=np.float64)
    gaps = np.flatnonzero(np.diff(t_s) > MAX_GRID_GAP_S)
    starts = np.concatenate([t_s[:1], t_s[gaps + 1]])
    ends = np.concatenate([t_s[gaps], t_s[-1:]])
    n = np.floor((ends - starts) / step_s + 0.5) + 1
    if not np.isfinite(n).all() or n.sum() > MAX_GRID_POINTS:
        return None
    if count_only:
        return n
    if len(gaps) == 0:
        return np.arange(t_s[0], t_s[-1] + step_s / 2, step_s)
    return np.concatenate(
        [np.arange(a, b + step_s / 2, step_s) for a, b in zip(starts, ends, strict=True)]
    )


def _with_pause_ends(
    t_s: np.ndarray, d_m: np.ndarray, activity: Activity
) -> tuple[np.ndarray, np.ndarray]:
    """Samples plus one at each timer restart, at the distance of the last sample before
    it: no distance grows while the timer is stopped, so the runner's restart is a kink
    in distance, not a slope spread over the pause."""
    ends = np.array([p.end_s for p in activity.pauses], dtype=np.float64)
    ends = ends[(ends > t_s[0]) & (ends < t_s[-1])]
    ends = ends[~isin(ends, t_s)]
    if len(ends) == 0:
        return t_s, d_m
    before = d_m[np.searchsorted(t_s, ends, side="right") - 1]
    order = np.argsort(np.concatenate([t_s, ends]), kind="stable")
    return np.concatenate([t_s, ends])[order], np.concatenate([d_m, before])[order]


def minetti_cost(grade: np.ndarray) -> np.ndarray:
    """Energy cost of running [J/kg/m] on a grade (fraction), Minetti et al. 2002."""
    i = np.asarray(grade, dtype=np.float64)
    return 155.4 * i**5 - 30.4 * i**4 - 43.3 * i**3 + 46.3 * i**2 + 19.5 * i + 3.6


def effort_factor(activity: Activity, t_s: np.ndarray, d_m: np.ndarray) -> np.ndarray:
    """Per grid point, the factor turning speed into flat-equivalent speed (1 without
    altitude): the detectors then see a rep up a hill as hard as one on the flat."""
    s = activity.samples
    ok = np.isfinite(s.altitude_m) & np.isfinite(s.elapsed_s)
    if ok.sum() < MIN_ALTITUDE_FRACTION * len(s) or ok.sum() < 2:
        return np.ones_like(t_s)
    alt = np.interp(t_s, s.elapsed_s[ok], s.altitude_m[ok])
    # altitude as a function of distance, on the distinct distances only
    d_u, idx = np.unique(d_m, return_index=True)
    if len(d_u) < 2:
        return np.ones_like(t_s)
    alt_u = alt[idx]
    ahead = np.interp(d_m + GRADE_HALF_BASE_M, d_u, alt_u)
    behind = np.interp(d_m - GRADE_HALF_BASE_M, d_u, alt_u)
    grade = np.clip((ahead - behind) / (2 * GRADE_HALF_BASE_M), -MAX_GRADE, MAX_GRADE)
    return (minetti_cost(grade) / minetti_cost(np.zeros(1))) ** GRADE_EXPONENT


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
    if width % 2 == 0 or np.isnan(x).any():
        return median(windows, axis=1)
    return np.partition(windows, half, axis=1)[:, half]  # np.median's value, without a mean
