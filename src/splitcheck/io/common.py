"""What every reader does after decoding: one place to turn raw columns into an Activity."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

import numpy as np

from ..derive import (
    distance_from_positions,
    distance_from_speed,
    monotonic_distance,
    speed_from_distance,
)
from ..errors import NoTimedDataError
from ..model import Activity, FileSummary, Lap, Pause, Samples, paused_within_s
from ..units import format_duration
from .pauses import infer_pauses

MIN_TIMED_SAMPLES = 2
"""An activity needs at least two timed samples to have a duration."""

MAX_ABS_LAT_DEG = 90.0
MAX_ABS_LON_DEG = 180.0
"""WGS84 coordinate ranges: a position outside them is corrupt."""

PAUSES_FROM_SAMPLES = frozenset({"tcx", "gpx"})
"""Formats that keep no timer events: their pauses are placed from the samples
(:mod:`.pauses`)."""

LAP_TIMER_TOL_S = 2.0
"""A file's lap timer longer than its elapsed time less the pauses by more than this
counts a stop (lap edges and whole-second times explain up to a second or two)."""
TAIL_LAP_MIN_S = 30.0
"""Records running on this long past the last lap's end (a watch that stopped before
writing its final lap) become one more lap, so the laps cover the whole recording."""

FOOT_SPORTS = frozenset({"running", "walking", "hiking", "trail_running", "generic"})


def build_activity(
    *,
    source: str,
    source_format: str,
    time_unix_s: np.ndarray,
    columns: dict[str, np.ndarray],
    laps_unix: Sequence[dict] = (),
    pauses_unix: Sequence[tuple[float, float]] = (),
    sport: str = "unknown",
    sub_sport: str | None = None,
    device: str | None = None,
    session_index: int = 0,
    file_summary: FileSummary | None = None,
    warnings: Sequence[str] = (),
    relative_times: bool = False,
    utc_offset_s: float | None = None,
) -> Activity:
    """Make an :class:`Activity` from a reader's raw columns.

    Parameters
    ----------
    time_unix_s : array
        Sample times, seconds since the Unix epoch (UTC); NaN for untimed samples, which
        are dropped. With ``relative_times`` the values are only relative (no date known).
    columns : dict
        Any of the model's columns except ``elapsed_s``, aligned with ``time_unix_s``.
    laps_unix : sequence of dict
        Each with ``start_unix_s``, ``end_unix_s``, ``distance_m`` and optionally
        ``timer_s``, ``trigger``, ``intensity``, ``workout_step``.
    pauses_unix : sequence of (start, end)
        Timer stopped intervals, Unix seconds.

    Sorting by time, dropping duplicate time stamps, distance from positions when the file
    has none, monotonic distance and speed from distance all happen here; for a GPX, first
    the repair of a watch clock that jumped mid-run (:mod:`.xml_clock`; a TCX is repaired
    in its reader, which moves its laps with the trackpoints).
    """
    t = np.asarray(time_unix_s, dtype=np.float64)
    warnings = list(warnings)
    if source_format == "gpx":  # in file order, before sorting (a GPX has no laps to move)
        from .xml_clock import repair_xml_clock  # GPX only: not on a FIT analysis's start-up

        t, _ = repair_xml_clock(t, columns, warnings)
    timed = np.isfinite(t)
    if timed.sum() < MIN_TIMED_SAMPLES:
        raise NoTimedDataError(
            source, f"only {int(timed.sum())} of {len(t)} points have a time; need at least 2"
        )
    order = np.argsort(t[timed], kind="stable")
    t = t[timed][order]
    cols = {k: np.asarray(v, dtype=np.float64)[timed][order] for k, v in columns.items()}
    keep = np.ones(len(t), dtype=bool)
    keep[1:] = np.diff(t) > 0  # duplicate time stamps: keep the first
    if not keep.all():
        t = t[keep]
        cols = {k: v[keep] for k, v in cols.items()}
    t0 = t[0]
    elapsed = t - t0
    cols = _complete_columns(cols, elapsed, warnings)
    samples = Samples.from_columns(elapsed_s=elapsed, **cols)
    laps = tuple(_lap(lap, t0) for lap in laps_unix)
    pauses = tuple(
        Pause(start_s=max(a - t0, 0.0), end_s=min(b - t0, elapsed[-1]))
        for a, b in pauses_unix
        if b > a and b > t0 and a < t[-1]
    )
    if not pauses and source_format in PAUSES_FROM_SAMPLES:
        pauses = infer_pauses(elapsed, samples.distance_m, laps)
    laps = _with_tail_lap(laps, samples, warnings)
    inferred = source_format in PAUSES_FROM_SAMPLES
    laps = tuple(
        _with_timer(i, lap, pauses, warnings, inferred) for i, lap in enumerate(laps, start=1)
    )
    start_utc = None if relative_times else _utc_or_none(t0)
    if relative_times:
        warnings.append("the file has relative time stamps only: the start date is unknown")
    elif start_utc is None:
        warnings.append("the start time is not a possible date: the start date is unknown")
    return Activity(
        samples=samples,
        start_utc=start_utc,
        sport=sport,
        sub_sport=sub_sport,
        device=device,
        source=source,
        source_format=source_format,
        session_index=session_index,
        laps=laps,
        pauses=pauses,
        file_summary=file_summary,
        warnings=tuple(warnings),
        utc_offset_s=None if relative_times else utc_offset_s,
    )


def _utc_or_none(unix_s: float) -> dt.datetime | None:
    """The UTC time of ``unix_s``, None when it is no date (year 0 or past 9999)."""
    try:
        return dt.datetime.fromtimestamp(unix_s, tz=dt.UTC)
    except (OverflowError, ValueError, OSError):
        return None


MAX_UTC_OFFSET_S = 14 * 3600
"""Local clocks run from UTC-12:00 to UTC+14:00 (IANA zones); an offset beyond is a
broken field."""
OFFSET_STEP_S = 900
"""Offsets are whole quarter hours (Nepal's +05:45 is the finest in use)."""


def utc_offset_s(local_s: float | None, utc_s: float | None) -> float | None:
    """The local clock's offset from UTC, rounded to a quarter hour, from the same instant
    on both clocks; None when either is missing or the offset is impossible."""
    if local_s is None or utc_s is None or not np.isfinite(local_s - utc_s):
        return None
    offset = round((local_s - utc_s) / OFFSET_STEP_S) * OFFSET_STEP_S
    return float(offset) if abs(offset) <= MAX_UTC_OFFSET_S else None


_ISO_OFFSET = re.compile(r"T[0-9:.]+\s*([+-])(\d{2}):?(\d{2})?\s*$")


def iso_utc_offset_s(texts: Sequence[str]) -> float | None:
    """The UTC offset of the first time stamp written with one (``...T05:50:47-03:00``);
    None when the times are UTC (``Z``) or have no zone."""
    for text in texts:
        if not text:
            continue
        m = _ISO_OFFSET.search(text.strip())
        if m is None:
            return None
        offset = (int(m.group(2)) * 3600 + int(m.group(3) or 0) * 60) * (
            -1 if m.group(1) == "-" else 1
        )
        return float(offset) if abs(offset) <= MAX_UTC_OFFSET_S else None
    return None


def _complete_columns(cols: dict, elapsed: np.ndarray, warnings: list[str]) -> dict:
    cols = dict(cols)
    _drop_impossible_positions(cols, warnings)
    has_dist = "distance_m" in cols and np.isfinite(cols["distance_m"]).any()
    has_pos = all(k in cols for k in ("lat_deg", "lon_deg")) and np.isfinite(cols["lat_deg"]).any()
    has_speed = "speed_mps" in cols and np.isfinite(cols["speed_mps"]).any()
    if not has_dist and has_pos:
        cols["distance_m"] = distance_from_positions(cols["lat_deg"], cols["lon_deg"], elapsed)
    elif not has_dist and has_speed:
        cols["distance_m"] = distance_from_speed(elapsed, cols["speed_mps"])
        warnings.append("no distance or positions in the file: distance is speed x time")
    elif has_dist:
        d = cols["distance_m"]
        if (np.diff(d[np.isfinite(d)]) < 0).any():
            warnings.append("distance went backwards in places; jumps that came back ignored")
        cols["distance_m"] = monotonic_distance(d)
    has_dist = "distance_m" in cols and np.isfinite(cols["distance_m"]).any()
    has_speed = "speed_mps" in cols and np.isfinite(cols["speed_mps"]).any()
    if has_dist and not has_speed:
        cols["speed_mps"] = speed_from_distance(elapsed, cols["distance_m"])
    return cols


def _drop_impossible_positions(cols: dict, warnings: list[str]) -> None:
    """Positions off the globe (|lat| > 90 deg, |lon| > 180 deg: a corrupt file) and at
    exactly (0, 0) (some watches and apps write it before the GPS has a fix: "null
    island", in the Gulf of Guinea) become NaN, so they add no distance (ten such points
    made a 4 km run 11 000 km long)."""
    if not all(k in cols for k in ("lat_deg", "lon_deg")):
        return
    lat, lon = cols["lat_deg"], cols["lon_deg"]
    with np.errstate(invalid="ignore"):
        bad = (np.abs(lat) > MAX_ABS_LAT_DEG) | (np.abs(lon) > MAX_ABS_LON_DEG)
    null_island = (lat == 0) & (lon == 0)
    if bad.any():
        n = int(bad.sum())
        warnings.append(f"{n} points off the globe (bad latitude or longitude) left out")
    if null_island.any():
        n = int(null_island.sum())
        warnings.append(f"{n} points at (0, 0), written before a GPS fix, left out")
    bad |= null_island
    if bad.any():
        cols["lat_deg"] = np.where(bad, np.nan, lat)
        cols["lon_deg"] = np.where(bad, np.nan, lon)


def _lap(lap: dict, t0: float) -> Lap:
    return Lap(
        start_s=float(lap["start_unix_s"] - t0),
        end_s=float(lap["end_unix_s"] - t0),
        distance_m=float(lap.get("distance_m", np.nan)),
        timer_s=lap.get("timer_s"),
        trigger=lap.get("trigger") or "unknown",
        intensity=lap.get("intensity"),
        workout_step=lap.get("workout_step"),
    )


def _with_timer(
    index: int, lap: Lap, pauses: tuple[Pause, ...], warnings: list[str], inferred: bool
) -> Lap:
    """A lap's timer: the file's, or its elapsed time less the pauses in it when the file
    has none, or (pauses placed from the samples) when the file's counts a stop the
    recording shows (then said). A FIT lap's timer always stands: its pauses come from
    the same watch's timer events."""
    if not pauses or (lap.timer_s is not None and not inferred):
        return lap
    paused = float(paused_within_s(lap.start_s, lap.end_s, pauses)[0])
    if not paused:
        return lap
    timer = lap.duration_s - paused
    if lap.timer_s is not None and lap.timer_s <= timer + LAP_TIMER_TOL_S:
        return lap
    if lap.timer_s is not None:
        warnings.append(
            f"lap {index}'s timer ({format_duration(lap.timer_s)}) counts "
            f"{format_duration(lap.timer_s - timer)} of stops the recording shows (no samples, "
            f"no distance): shown as {format_duration(timer)}"
        )
    return dataclasses.replace(lap, timer_s=timer)


def _with_tail_lap(laps: tuple[Lap, ...], samples: Samples, warnings: list[str]) -> tuple:
    """The laps, plus one from the last lap's end to the last sample when the recording
    runs on past the laps by :data:`TAIL_LAP_MIN_S` or more (see there)."""
    if not laps:
        return laps
    t = samples.elapsed_s
    start = max(lap.end_s for lap in laps)
    if t[-1] - start < TAIL_LAP_MIN_S:
        return laps
    d = samples.distance_m
    ok = np.isfinite(d)
    dist = (
        float(np.interp(t[-1], t[ok], d[ok]) - np.interp(start, t[ok], d[ok]))
        if ok.any()
        else np.nan
    )
    tail = f"{dist / 1000:.2f} km" if np.isfinite(dist) else "part"  # no distance: no "nan"
    warnings.append(
        f"the file's laps end {format_duration(t[-1] - start)} before its records do (no "
        f"closing lap message): the last {tail} is shown as lap {len(laps) + 1}"
    )
    return (*laps, Lap(start_s=start, end_s=float(t[-1]), distance_m=dist, trigger="unknown"))
