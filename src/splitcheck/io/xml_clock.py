"""A GPX or TCX file's clock that jumps mid-run, re-timed as a FIT file's is.

Garmin Connect and Strava export a recording whose watch clock jumped (:mod:`.clock`)
into TCX and GPX as it is: the trackpoints after the jump carry times minutes, hours or
years off. Sorted by time, a forward jump reads as a run of 30 years and a backward one
mixes the two pieces of the run. Here, on the trackpoints in file order (before any
sorting), the jumps are found and the trackpoints after each moved back in line, with
the same warning a FIT file gets; the reader moves its laps with them (a TCX lap by the
trackpoint it starts at, :func:`~.tcx_laps.lap_dicts`).

Distance is the file's (TCX ``DistanceMeters``) or, without it, the great-circle
distance between consecutive positions (a GPX): across a jump the runner covered a few
metres, not what the step's time would need. These files keep no timer events, so a
forward step needs evidence that no pause explains it (:func:`_verdict`):
a real pause, GPS lost while running and a file chaining two recordings are read as
before.

A lone trackpoint or two whose time falls outside those of the trackpoints around them
(which are in order) is a misread time stamp, not a clock that jumped and ran on: it is
left out, with a warning, as a FIT file's lone record beyond its session is.
"""

from __future__ import annotations

import numpy as np

from ..arrays import median
from ..derive import haversine_m
from .clock import (
    JUMP_MIN_S,
    JUMP_RATIO,
    MAX_JUDGED_JUMPS,
    MIN_AFTER,
    MIN_SPEED_MPS,
    PACE_WINDOW,
    RESTART_M,
    Judge,
    amount,
    find_jumps,
)

MAX_ABS_LAT_DEG = 90.0
MAX_ABS_LON_DEG = 180.0
"""WGS84 coordinate ranges: a position outside them is corrupt (adds no distance)."""

# -- what tells a forward jump from a pause in a file without timer events ---------------
MAX_PAUSE_S = 86400.0
"""A forward step of more than a day with (next to) no distance across it is a clock, not
a pause: no run's recording stands paused in one place for a day."""
ZONE_STEP_S = 900.0
"""Time zones and daylight-saving changes move a clock by whole quarter hours (IANA zones;
Nepal's +05:45 is the finest in use): a step of whole quarter hours plus one ordinary
recording interval, run straight through, is a watch that changed zone mid-run."""
HR_JUMP_MIN_S = 600.0
"""A forward step of ten minutes or more, run straight through with the heart rate
unchanged, is a clock jump: ten minutes standing would have lowered it (see
:data:`HR_STEADY_BPM`)."""
HR_STEADY_BPM = 6.0
"""Heart rate across a step (median of three samples each side) within this is unchanged.
A minute's standing after running lowers it by more than 12 bpm in a healthy adult (heart
rate recovery, Cole et al. 1999, N Engl J Med 341:1351), twice this; across an ordinary
step of the real files it changes by under 3 bpm nine times in ten."""
HR_SIDE = 3
"""Heart-rate samples each side of a step compared."""
STRIDE_STEPS = 10.0
"""Run straight through: the distance across the step is one at most ten recording
intervals cover at the runner's pace (real files' ordinary steps: under five)."""


def repair_xml_clock(
    time_unix_s: np.ndarray, columns: dict[str, np.ndarray], warnings: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """(trackpoint times with the clock's jumps undone and misread times NaN, the shift
    each trackpoint got), both in file order; the repairs said in ``warnings``.

    ``columns`` are the reader's, aligned with the times (``distance_m``, ``lat_deg``,
    ``lon_deg`` and ``heart_rate_bpm`` are used).
    """
    t = np.array(time_unix_s, dtype=np.float64)
    zero = np.zeros(len(t))
    misread = _misread(t)
    if misread.sum() > MAX_JUDGED_JUMPS:  # not a misread or two: a file out of order
        misread[:] = False
    if misread.any():
        warnings.append(_misread_warning(t, misread))
        t[misread] = np.nan
    own = columns.get("distance_m")
    own_distance = own is not None and bool(np.isfinite(own).any())
    fix = find_jumps(
        t, _distance_m(columns), judge=_judge(columns.get("heart_rate_bpm"), own_distance)
    )
    if fix is None or not fix.jumps:
        return t, zero
    warnings.extend(jump.warning("trackpoint") for jump in fix.jumps)
    shifts = fix.row_shifts(len(t))
    return t + shifts, shifts


def _judge(heart_rate_bpm: np.ndarray | None, own_distance: bool) -> Judge:
    """The judge of :func:`~.clock.find_jumps` for these files (:func:`_verdict`)."""

    timed: dict[str, np.ndarray] = {}  # the heart rate of the timed rows, taken once

    def judge(
        cur: np.ndarray, dist: np.ndarray, rows: np.ndarray, j: int, steps: tuple[float, float]
    ) -> tuple[tuple[float, float], str] | None:
        if heart_rate_bpm is not None and "hr" not in timed:
            timed["hr"] = np.asarray(heart_rate_bpm, dtype=np.float64)[rows]
        return _verdict(cur, dist, timed.get("hr"), j, steps, own_distance)

    return judge


def _verdict(
    cur: np.ndarray,
    dist: np.ndarray,
    hr: np.ndarray | None,
    j: int,
    steps: tuple[float, float],
    own_distance: bool,
) -> tuple[tuple[float, float], str] | None:
    """Whether step ``j`` of a file without timer events is a clock jump: (true step and
    distance, how the step was found) when it is, else None. ``cur`` is the clock as
    repaired up to this step.

    Either way the runner must have run straight through the step (:func:`_through`:
    moving at both ends, a few metres across it, the heart rate not changed), unless the
    step goes back into the records before it, which sorting would mix with them (then a
    jump, as for FIT), or goes back, or forward by over :data:`MAX_PAUSE_S`, with the
    watch's own distance running on across it (a second recording's would start from
    zero; a runner may stand still when the clock jumps). A file that chains two
    recordings, the second begun days before or after the first, shows a stop at its
    seam; so do most pauses. Forwards, as for FIT, the distance across it must also need
    under a third of its time, and no pause may explain it: over :data:`MAX_PAUSE_S`; or
    whole quarter hours (:data:`ZONE_STEP_S`); or over :data:`HR_JUMP_MIN_S` with the
    heart rate recorded and unchanged. A pause with the runner moving at both ends and the
    watch's distance standing still is what real TCX files show (a Forerunner 910XT's
    stops at traffic lights): without such evidence a forward step stays the pause it may
    be.
    """
    typical, finest = steps
    a, b = float(cur[j]), float(cur[j + 1])
    true = _true_step_around(cur, dist, j, typical, finest)
    gap = b - a
    if gap < 0 and b > float(cur[: j + 1].min()):
        return true, ""
    runs_on = own_distance and 0 <= true[1] <= RESTART_M  # a second recording restarts it
    if runs_on and (gap < 0 or gap > MAX_PAUSE_S):
        return true, ""
    heart = _through(cur, dist, hr, j, typical, true)
    if heart is None or heart == "changed":
        return None
    if gap < 0:
        return true, ""
    if true[0] * JUMP_RATIO >= gap:
        return None  # GPS lost while running: the distance covers the gap
    if gap > MAX_PAUSE_S:
        return true, ""
    zones = round((gap - typical) / ZONE_STEP_S)
    rest = gap - zones * ZONE_STEP_S
    if zones >= 1 and 0.0 < rest <= STRIDE_STEPS * typical:
        return (rest, true[1]), "zone"
    if gap >= HR_JUMP_MIN_S and heart == "steady":
        return true, ""
    return None


def _through(
    cur: np.ndarray,
    dist: np.ndarray,
    hr: np.ndarray | None,
    j: int,
    typical: float,
    true: tuple[float, float],
) -> str | None:
    """Whether the runner ran straight through step ``j``: moving over the records before
    and after it, the distance across it one an ordinary step covers (at most
    :data:`STRIDE_STEPS` intervals at their pace). None when not; else what the heart
    rate did across it: ``steady`` (within :data:`HR_STEADY_BPM` of what it was doing
    over as many samples before: rising into a rep, it rises on), ``changed``, or
    ``unknown`` (not recorded there)."""
    if not np.isfinite(true[1]) or true[0] > STRIDE_STEPS * typical:
        return None
    if not _speed(cur, dist, j - PACE_WINDOW, j) > MIN_SPEED_MPS:
        return None
    if not _speed(cur, dist, j + 1, j + 1 + PACE_WINDOW) > MIN_SPEED_MPS:
        return None
    if hr is None:
        return "unknown"
    before = hr[max(j + 1 - HR_SIDE, 0) : j + 1]
    after = hr[j + 1 : j + 1 + HR_SIDE]
    before, after = before[np.isfinite(before)], after[np.isfinite(after)]
    if not len(before) or not len(after):
        return "unknown"
    earlier = hr[max(j - 2 * HR_SIDE + 1, 0) : j + 1 - HR_SIDE]
    earlier = earlier[np.isfinite(earlier)]
    drift = abs(float(median(before)) - float(median(earlier))) if len(earlier) else 0.0
    change = abs(float(median(after)) - float(median(before)))
    return "steady" if change <= HR_STEADY_BPM + drift else "changed"


def _speed(cur: np.ndarray, dist: np.ndarray, lo: int, hi: int) -> float:
    """Mean speed over records ``lo`` to ``hi`` (clipped to the recording), NaN when
    unknown."""
    lo, hi = max(lo, 0), min(hi, len(cur) - 1)
    ok = np.flatnonzero(np.isfinite(dist[lo : hi + 1])) + lo
    if len(ok) < 2 or cur[ok[-1]] <= cur[ok[0]]:
        return float("nan")
    return float((dist[ok[-1]] - dist[ok[0]]) / (cur[ok[-1]] - cur[ok[0]]))


def _true_step_around(
    cur: np.ndarray, dist: np.ndarray, j: int, typical: float, finest: float
) -> tuple[float, float]:
    """:func:`_true_step` at the runner's pace over the records both sides of the step
    (ten each), which a file without timer events has unbroken around a jump: closer
    than the pace before alone where the runner was speeding up or slowing down; at least
    the finest step the watch recorded (smart recording writes 1 s steps among 6 s ones),
    one recording interval when the distance does not say."""
    dd = float(dist[j + 1] - dist[j])
    if not np.isfinite(dd) or dd < 0:
        return typical, float("nan")
    covered = elapsed = 0.0
    for lo, hi in ((j - PACE_WINDOW, j), (j + 1, j + 1 + PACE_WINDOW)):
        lo, hi = max(lo, 0), min(hi, len(cur) - 1)
        ok = np.flatnonzero(np.isfinite(dist[lo : hi + 1])) + lo
        if len(ok) >= 2 and cur[ok[-1]] > cur[ok[0]]:
            covered += float(dist[ok[-1]] - dist[ok[0]])
            elapsed += float(cur[ok[-1]] - cur[ok[0]])
    if not elapsed or not covered / elapsed > MIN_SPEED_MPS:
        return typical, dd
    return max(dd / (covered / elapsed), finest), dd


def _distance_m(columns: dict[str, np.ndarray]) -> np.ndarray | None:
    """The file's distance, or the sum of the steps between its positions (NaN where a
    trackpoint has none, or one off the globe or at (0, 0))."""
    d = columns.get("distance_m")
    if d is not None and np.isfinite(d).any():
        return np.asarray(d, dtype=np.float64)
    lat, lon = columns.get("lat_deg"), columns.get("lon_deg")
    if lat is None or lon is None:
        return None
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(lat) & np.isfinite(lon)
        ok &= (np.abs(lat) <= MAX_ABS_LAT_DEG) & (np.abs(lon) <= MAX_ABS_LON_DEG)
        ok &= (lat != 0) | (lon != 0)
    at = np.flatnonzero(ok)
    if len(at) < 2:
        return None
    steps = haversine_m(lat[at[:-1]], lon[at[:-1]], lat[at[1:]], lon[at[1:]])
    out = np.full(len(lat), np.nan)
    out[at] = np.concatenate(([0.0], np.cumsum(steps)))
    return out


def _misread(t: np.ndarray) -> np.ndarray:
    """Trackpoints whose times are misread: a run of one or two (fewer than
    :data:`~.clock.MIN_AFTER`) whose times all fall more than :data:`~.clock.JUMP_MIN_S`
    outside those of the trackpoints either side, while those are in order (a point a
    few seconds out of order is disorder that sorting resolves). At the start (end) of
    the recording: times that much later (earlier) than the next (last) trackpoint's, or
    a day (:data:`MAX_PAUSE_S`) before (after)."""
    idx = np.flatnonzero(np.isfinite(t))
    tf = t[idx]
    n = len(tf)
    bad = np.zeros(n, dtype=bool)
    for k in range(1, MIN_AFTER):
        if n < k + 3:
            break
        runs = np.lib.stride_tricks.sliding_window_view(tf, k)  # run i: tf[i:i + k]
        lo_run, hi_run = runs.min(axis=1), runs.max(axis=1)
        # inside: runs 1 .. n - k - 1, between tf[i - 1] and tf[i + k]
        lo, hi = tf[: n - k - 1], tf[k + 1 :]
        inner_lo, inner_hi = lo_run[1 : n - k], hi_run[1 : n - k]
        out = (hi >= lo) & ((inner_lo > hi + JUMP_MIN_S) | (inner_hi < lo - JUMP_MIN_S))
        for i in np.flatnonzero(out) + 1:
            bad[i : i + k] = True
        # at the start: the run before tf[k], which is in order with tf[k + 1]
        if tf[k + 1] >= tf[k] and (
            lo_run[0] > tf[k] + JUMP_MIN_S or hi_run[0] < tf[k] - MAX_PAUSE_S
        ):
            bad[:k] = True
        # at the end: the run after tf[-k - 1], in order with tf[-k - 2]
        if tf[-k - 1] >= tf[-k - 2] and (
            hi_run[-1] < tf[-k - 1] - JUMP_MIN_S or lo_run[-1] > tf[-k - 1] + MAX_PAUSE_S
        ):
            bad[n - k :] = True
    out_rows = np.zeros(len(t), dtype=bool)
    out_rows[idx[bad]] = True
    return out_rows


def _misread_warning(t: np.ndarray, misread: np.ndarray) -> str:
    """``2 trackpoints timed 30.0 years off those around them left out (misread times)``."""
    good = np.flatnonzero(np.isfinite(t) & ~misread)
    rows = np.flatnonzero(misread)
    if len(good):
        near = good[np.clip(np.searchsorted(good, rows), 0, len(good) - 1)]
        off = float(np.max(np.abs(t[rows] - t[near])))
    else:
        off = float("nan")
    n = len(rows)
    many = n != 1
    how = f" {amount(off)} off" if np.isfinite(off) else ""
    return (
        f"{n} trackpoint{'s' if many else ''} timed{how} from the ones around "
        f"{'them' if many else 'it'} left out (misread time{'s' if many else ''})"
    )
