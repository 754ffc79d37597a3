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
forward step needs evidence that no pause explains it (:func:`.clock._unrecorded_verdict`):
a real pause, GPS lost while running and a file chaining two recordings are read as
before.

A lone trackpoint or two whose time falls outside those of the trackpoints around them
(which are in order) is a misread time stamp, not a clock that jumped and ran on: it is
left out, with a warning, as a FIT file's lone record beyond its session is.
"""

from __future__ import annotations

import numpy as np

from ..derive import haversine_m
from .clock import BACK_JUMP_MIN_S, MAX_PAUSE_S, MIN_AFTER, amount, find_jumps

MAX_ABS_LAT_DEG = 90.0
MAX_ABS_LON_DEG = 180.0
"""WGS84 coordinate ranges: a position outside them is corrupt (adds no distance)."""


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
    if misread.any():
        warnings.append(_misread_warning(t, misread))
        t[misread] = np.nan
    fix = find_jumps(
        t,
        _distance_m(columns),
        heart_rate_bpm=columns.get("heart_rate_bpm"),
        pauses_recorded=False,
    )
    if fix is None or not fix.jumps:
        return t, zero
    warnings.extend(jump.warning("trackpoint") for jump in fix.jumps)
    shifts = fix.row_shifts(len(t))
    return t + shifts, shifts


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
    :data:`~.clock.MIN_AFTER`) whose times all fall more than
    :data:`~.clock.BACK_JUMP_MIN_S` outside those of the trackpoints either side, while
    those are in order. At the start (end) of the recording: times later (earlier) than
    the next (last) trackpoint's, or a day (:data:`~.clock.MAX_PAUSE_S`) before (after)."""
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
        out = (hi >= lo) & ((inner_lo > hi + BACK_JUMP_MIN_S) | (inner_hi < lo - BACK_JUMP_MIN_S))
        for i in np.flatnonzero(out) + 1:
            bad[i : i + k] = True
        # at the start: the run before tf[k], which is in order with tf[k + 1]
        if tf[k + 1] >= tf[k] and (
            lo_run[0] > tf[k] + BACK_JUMP_MIN_S or hi_run[0] < tf[k] - MAX_PAUSE_S
        ):
            bad[:k] = True
        # at the end: the run after tf[-k - 1], in order with tf[-k - 2]
        if tf[-k - 1] >= tf[-k - 2] and (
            hi_run[-1] < tf[-k - 1] - BACK_JUMP_MIN_S or lo_run[-1] > tf[-k - 1] + MAX_PAUSE_S
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
