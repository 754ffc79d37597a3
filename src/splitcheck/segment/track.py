"""Distance along a 400 m track, from positions projected onto a fitted lane-1 oval.

A watch sums distance along its (smoothed, noisy) positions. On a track's bends a GPS
error that pushes the fixes a metre outward or inward for a few tens of seconds makes the
bend a metre longer or shorter in radius: pi x 1 m = 3 m more or less per bend, adding up
like a random walk from bend to bend. Quarter-mile marks of that distance are off by
3 m (rms, simulated watch), ~0.6 s at mile pace. Projected onto the track's own lane, a
position error only moves the runner along the lane by its along-track part, which does
not accumulate: the marks are off by ~1.5 m. The lane distance then keeps its slow
changes and takes the quick ones from the watch's own distance (:data:`FUSE_SIGMA_S`),
which errs little over a few seconds: ~1.2 m (``scripts/evaluate_segmentation.py``).

The track is fitted to the effort's positions (centre and orientation; the lane's shape
is the standard one, pacing-science.md "Tracks, GPS and watches"); efforts whose
positions do not lie on such an oval (roads, other tracks) get None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Activity
from ..units import MILE_M
from .trace import Trace, time_grid

TRACK_STRAIGHT_M = 84.39
"""Length of each straight of a standard 400 m track (pacing-science.md)."""
LANE1_RADIUS_M = 36.5 + 0.30
"""Radius of lane 1's measured line: kerb radius 36.5 m + 0.30 m (pacing-science.md);
2 x 84.39 + 2 pi x 36.8 = 400.0 m."""
EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), as in ``splitcheck.derive``."""
MAX_FIT_RMS_M = 3.0
"""Positions within 3 m (rms) of the fitted lane are on a track: consumer GPS errs by
2-5 m (pacing-science.md), and an effort on a road loop that only resembles an oval
misses it by tens of metres."""
MIN_LAPS = 2.0
"""The effort must go round the fitted oval at least twice: a straight road or one bend
can fit part of an oval."""
MIN_POSITIONS = 30
PAD_S = 30.0
"""Lane distance is also measured this long [s] before and after the effort, so that its
edges can move a little (:func:`snap_end`)."""
FUSE_SIGMA_S = 20.0
"""The lane distance is trusted for changes slower than a 20 s Gaussian, the watch's own
summed distance for quicker ones: summing errs little over a few seconds and a lot over
bends (see the module docstring), the lane the other way round. On 160 simulated track
miles with GPS noise the median lap error falls from 0.40 to 0.35 s (laps of 80-120 s)
and from 0.23 to 0.17 s (55-65 s); 10 s and 30 s did a little worse."""
SNAP_DISTANCES_M = (1500.0, MILE_M)
AMBIGUOUS_M = 1600.0
END_SNAP_M = 20.0
"""A track time trial ends at its distance: when the lane distance between the detected
edges is within 20 m of 1500 m or a mile (4-5 s at mile pace, several times the detected
end's typical error), the end is where that distance is reached. The speed-based end
lands anywhere in the runner's easing off; the lane distance is good to ~1.5 m. A
distance nearer 1600 m keeps its detected end: the detected edges measure a simulated
mile to +-6 m (IQR 1603-1611 m), too loosely to tell it from a 1600 m 9 m shorter, and
snapping a mile to 1600 m makes every lap 0.5 s fast."""
FIT_ITERATIONS = 20
FIT_STEP_M = 1e-4
"""Gauss-Newton on (centre east, centre north, orientation, bend radius): numeric
derivatives with this step; 20 iterations converge from the positions' principal axes."""
LANE1_FIT_RADIUS_M = (35.3, 37.2)
"""The fitted bend radius [m] of a lane-1 runner: a watch's smoothing cuts bends, more
the faster the runner (simulated lane-1 miles fit 35.9-37.1 m, 55-120 s laps). A runner
in lane 2 (37.9 m) or beyond fits wider: lane-1 distances would run 7 m short per lap,
so such efforts keep the watch's distance."""


@dataclass(frozen=True)
class TrackFit:
    """A fitted lane-1 oval: centre [m east, m north of the positions' mean], orientation
    of the straights [rad from east], rms distance of the positions from the lane [m]."""

    centre_e_m: float
    centre_n_m: float
    angle_rad: float
    rms_m: float

    @property
    def lap_m(self) -> float:
        return 2 * TRACK_STRAIGHT_M + 2 * np.pi * LANE1_RADIUS_M


def local_en(
    lat_deg: np.ndarray, lon_deg: np.ndarray, origin_deg: tuple[float, float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """East and north [m] from ``origin_deg`` (default: the positions' mean);
    equirectangular, exact over a track."""
    lat0, lon0 = origin_deg or (float(np.mean(lat_deg)), float(np.mean(lon_deg)))
    north = np.radians(lat_deg - lat0) * EARTH_RADIUS_M
    east = np.radians(lon_deg - lon0) * EARTH_RADIUS_M * np.cos(np.radians(lat0))
    return east, north


def _frame(p: np.ndarray, e: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates along (u) and across (w) the straights, from the oval's centre [m]."""
    c, s = np.cos(p[2]), np.sin(p[2])
    return (e - p[0]) * c + (n - p[1]) * s, -(e - p[0]) * s + (n - p[1]) * c


def _off_lane(p: np.ndarray, e: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Signed distance [m] of each position from the oval ``p`` (centre east, centre
    north, orientation, bend radius), positive outside."""
    u, w = _frame(p, e, n)
    h = TRACK_STRAIGHT_M / 2
    au = np.abs(u)
    return np.where(au <= h, np.abs(w), np.hypot(au - h, w)) - p[3]


def fit_track(east_m: np.ndarray, north_m: np.ndarray) -> TrackFit | None:
    """The lane-1 oval nearest the positions, or None when they lie on no such oval (or
    on a wider lane, :data:`LANE1_FIT_RADIUS_M`)."""
    ok = np.isfinite(east_m) & np.isfinite(north_m)
    e, n = east_m[ok], north_m[ok]
    if len(e) < MIN_POSITIONS:
        return None
    cov = np.cov(np.vstack([e - e.mean(), n - n.mean()]))
    axis = np.linalg.eigh(cov)[1][:, 1]  # the long axis: along the straights
    p = np.array([e.mean(), n.mean(), np.arctan2(axis[1], axis[0]), LANE1_RADIUS_M])
    for _ in range(FIT_ITERATIONS):
        r0 = _off_lane(p, e, n)
        jac = np.stack(
            [(_off_lane(p + dp, e, n) - r0) / FIT_STEP_M for dp in np.eye(4) * FIT_STEP_M],
            axis=1,
        )
        step = np.linalg.lstsq(jac, -r0, rcond=None)[0]
        p += step
        if np.abs(step).max() < FIT_STEP_M:
            break
    rms = float(np.sqrt(np.mean(_off_lane(p, e, n) ** 2)))
    lo, hi = LANE1_FIT_RADIUS_M
    if not (rms <= MAX_FIT_RMS_M and lo <= p[3] <= hi):
        return None
    return TrackFit(float(p[0]), float(p[1]), float(p[2]), rms)


def lane_position_m(fit: TrackFit, east_m: np.ndarray, north_m: np.ndarray) -> np.ndarray:
    """Where on lane 1 [m, 0 .. lap) each position lies: its nearest point's distance
    from the start of the right-hand bend, counter-clockwise."""
    p = np.array([fit.centre_e_m, fit.centre_n_m, fit.angle_rad])
    u, w = _frame(p, east_m, north_m)
    h, r = TRACK_STRAIGHT_M / 2, LANE1_RADIUS_M
    bend = np.pi * r
    right_angle = np.arctan2(w, u - h) + np.pi / 2  # 0 .. pi along the right bend
    left_angle = np.mod(np.arctan2(w, u + h) - np.pi / 2, 2 * np.pi)  # 0 .. pi on the left
    return np.select(
        [u > h, u < -h, w >= 0],
        [right_angle * r, bend + 2 * h + left_angle * r, bend + (h - u)],
        default=2 * bend + 2 * h + (u + h),
    )


def along_track_m(fit: TrackFit, east_m: np.ndarray, north_m: np.ndarray) -> np.ndarray:
    """Distance [m] along lane 1 from the first position, in the direction of running
    (either way round); GPS noise can make it step back a little."""
    pos = lane_position_m(fit, east_m, north_m)
    lap = fit.lap_m
    step = np.mod(np.diff(pos) + lap / 2, lap) - lap / 2
    run = np.concatenate([[0.0], np.cumsum(step)])
    return -run if run[-1] < run[0] else run


def low_pass(t_s: np.ndarray, x: np.ndarray, sigma_s: float) -> np.ndarray:
    """``x`` at times ``t_s`` [s] smoothed by a centred Gaussian of SD ``sigma_s`` [s]
    (on a 1 s grid; the ends padded by odd reflection, which keeps a trend straight up
    to them)."""
    grid = time_grid(t_s, 1.0)
    if grid is None:  # a clock fault spread the samples over days: no smoothing
        return np.asarray(x, dtype=np.float64).copy()
    half = int(3 * sigma_s)
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma_s) ** 2)
    x_grid = np.interp(grid, t_s, x)
    if len(grid) <= half:  # too short to reflect: its mean
        return np.full(len(t_s), float(np.mean(x_grid)))
    padded = np.pad(x_grid, half, mode="reflect", reflect_type="odd")
    return np.interp(t_s, grid, np.convolve(padded, k / k.sum(), "valid"))


def fuse(
    t_s: np.ndarray, lane_m: np.ndarray, watch_m: np.ndarray, cuts: tuple[int, ...] = ()
) -> np.ndarray:
    """Lane distance [m] with its quick changes taken from the watch's distance (see
    :data:`FUSE_SIGMA_S`), smoothed separately between the indexes ``cuts`` (the effort's
    start and end): how far the two drift apart changes with speed (a watch adds nothing
    while its wearer stands, and cuts bends more the faster he runs), and smoothing
    across a change of pace would smear it into the first and last laps."""
    gap = lane_m - watch_m
    out = watch_m.astype(np.float64, copy=True)
    edges = [0, *cuts, len(t_s)]
    for part in (slice(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True)):
        if part.stop - part.start >= 2:
            out[part] += low_pass(t_s[part], gap[part], FUSE_SIGMA_S)
        else:
            out[part] += gap[part]
    return out


def monotonic_from(d_m: np.ndarray, i: int) -> np.ndarray:
    """``d_m`` made never decreasing outward from index ``i``: a running maximum after it,
    a running minimum (backward) before it. A runner standing at the start line wanders
    back and forth by the GPS noise; a running maximum over the whole stand would put
    the start at the furthest wander, metres on (lap 1 timed ~0.4 s slow)."""
    out = d_m.astype(np.float64, copy=True)
    out[i:] = np.maximum.accumulate(out[i:])
    out[: i + 1] = np.minimum.accumulate(out[: i + 1][::-1])[::-1]
    return out


def track_trace(
    activity: Activity, trace: Trace, start_s: float, end_s: float, pad_s: float = PAD_S
) -> Trace | None:
    """The pace trace from ``start_s - pad_s`` to ``end_s + pad_s`` [s] with distance
    measured along lane 1 of the track fitted to the positions between ``start_s`` and
    ``end_s`` (its quick changes from the watch's distance, :data:`FUSE_SIGMA_S`), or None
    when those positions are not on a track."""
    s = activity.samples
    t = s.elapsed_s
    ok = np.isfinite(t) & np.isfinite(s.lat_deg) & np.isfinite(s.lon_deg)
    inside = ok & (t >= start_s) & (t <= end_s)
    if inside.sum() < MIN_POSITIONS:
        return None
    fit = fit_track(*local_en(s.lat_deg[inside], s.lon_deg[inside]))
    if fit is None:
        return None
    sel = ok & (t >= start_s - pad_s) & (t <= end_s + pad_s)
    lat0, lon0 = float(np.mean(s.lat_deg[inside])), float(np.mean(s.lon_deg[inside]))
    along = along_track_m(fit, *local_en(s.lat_deg[sel], s.lon_deg[sel], (lat0, lon0)))
    raw_t = t[sel]
    i, j = (int(k) for k in np.searchsorted(raw_t, [start_s, end_s]))
    along = monotonic_from(fuse(raw_t, along, trace.distance_at(raw_t), (i, j)), i)
    done = np.diff(np.interp([start_s, end_s], raw_t, along))[0]
    if done < MIN_LAPS * fit.lap_m:
        return None
    d0 = float(trace.distance_at(raw_t[0]))
    grid = (trace.t_s >= raw_t[0]) & (trace.t_s <= raw_t[-1])
    return Trace(
        t_s=trace.t_s[grid],
        d_m=np.interp(trace.t_s[grid], raw_t, along) + d0,
        v_mps=trace.v_mps[grid],
        raw_t_s=raw_t,
        raw_d_m=along + d0,
        pause_ends_s=trace.pause_ends_s,
    )


def snap_end(on_track: Trace, start_s: float, end_s: float) -> float:
    """The effort's end [s] where the lane distance from ``start_s`` reaches the standard
    distance nearest to what it measures (see :data:`END_SNAP_M`); ``end_s`` when none is
    near, 1600 m is nearer, or the reach falls outside ``on_track``."""
    d = on_track.distance_at(np.array([start_s, end_s]))
    measured = float(d[1] - d[0])
    nominal = min((*SNAP_DISTANCES_M, AMBIGUOUS_M), key=lambda x: abs(x - measured))
    if nominal == AMBIGUOUS_M or abs(nominal - measured) > END_SNAP_M:
        return end_s
    if d[0] + nominal > on_track.raw_d_m[-1]:
        return end_s
    return float(on_track.time_at(d[0] + nominal))
