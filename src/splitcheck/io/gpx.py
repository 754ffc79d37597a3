"""Reading GPX 1.0/1.1 tracks (Garmin Connect, Strava, TomTom, Nike, GPSBabel exports).

Choices, for the files watches and apps really write:

* **One activity per file.** The timed points of every track and segment are joined in
  time order: an export of one run may split it into several segments (signal lost, GPX
  1.1 spec) or tracks, and a GPX has no sessions to separate. Several tracks joined are
  reported in a warning.
* **Points without a time** are left out. A track where fewer than half the points have
  a time (:data:`MIN_TRACK_TIMED_SHARE`) is a route or a saved copy of a log, not a
  recording, and is left out whole; a file with no recorded track raises
  :class:`~splitcheck.errors.NoTimedDataError` ("only 5 of 296 points have a time").
* **Sport** comes from the first track's ``<type>`` (Garmin and Strava words, Strava's
  numeric codes); without one it is ``unknown``. Cadence is then still read as a
  runner's, since splitcheck analyses runs, and a warning says so.
* **Heart rate, cadence and power** come from the extensions: Garmin TrackPointExtension
  v1/v2 (``gpxtpx:hr``, ``ns3:cad``...), Cluetrust ``gpxdata:hr``/``cadence``, plain
  ``<heartrate>``/``<hr>``/``<cadence>``, ``<power>``, Garmin ``PowerInWatts``. Speed
  from extensions is not used: it comes from distance, the same way for every GPX.
* **Distance** is measured from the positions by
  :func:`~splitcheck.io.common.build_activity` (jitter-gated, see derive.py).
* **Device** is the ``creator`` attribute (the app or watch that wrote the file).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError

import numpy as np

from ..errors import CorruptFileError, Damage, NotAnActivityError, NoTimedDataError
from ..model import Activity
from .common import FOOT_SPORTS, build_activity
from .xmlsafe import (
    cadence_to_spm,
    decode_document,
    local_name,
    parse_leniently,
)
from .xmlvalues import MAX_OFFSET_H, MAX_UNIX_S, MIN_UNIX_S, number, sane

if TYPE_CHECKING:
    import gpxpy.gpx

MIN_TRACK_TIMED_SHARE = 0.5
"""A track with fewer timed points than this share is a route or a saved track (Garmin
eTrex 'saved' tracks lose their times; GPSBabel dumps keep a few), not a recording."""

GPX_SPORTS: dict[str, tuple[str, str | None]] = {
    "running": ("running", None),
    "run": ("running", None),
    "9": ("running", None),  # Strava's numeric activity type for Run
    "street_running": ("running", "street"),
    "track_running": ("running", "track"),
    "treadmill_running": ("running", "treadmill"),
    "trail_running": ("running", "trail"),
    "virtual_run": ("running", "virtual_activity"),
    "walking": ("walking", None),
    "walk": ("walking", None),
    "10": ("walking", None),
    "hiking": ("hiking", None),
    "hike": ("hiking", None),
    "4": ("hiking", None),
    "cycling": ("cycling", None),
    "biking": ("cycling", None),
    "ride": ("cycling", None),
    "1": ("cycling", None),
    "road_biking": ("cycling", "road"),
    "mountain_biking": ("cycling", "mountain"),
    "swimming": ("swimming", None),
    "swim": ("swimming", None),
}
"""``<type>`` text (lower case, spaces as underscores) -> (sport, sub_sport)."""

EXTENSION_COLUMNS = {
    "hr": "heart_rate_bpm",
    "heartrate": "heart_rate_bpm",
    "heart_rate": "heart_rate_bpm",
    "cad": "cadence",
    "cadence": "cadence",
    "runcadence": "cadence",
    "power": "power_w",
    "powerinwatts": "power_w",
    "watts": "power_w",
}
"""Local extension element names (lower case) -> column; ``cadence`` is raw (per leg)."""


def read_gpx(data: bytes, source: str, *, damage: Damage = Damage.SALVAGE) -> list[Activity]:
    """Read a GPX file's recorded tracks as one activity.

    Parameters
    ----------
    data : bytes
        The file's content (already gunzipped).
    source : str
        The file's name, for messages.
    damage : Damage
        SALVAGE reads a damaged (truncated) file up to the damage, with a warning
        (:mod:`.xmlsafe`); RAISE refuses it.

    Returns
    -------
    list of Activity
        One activity (see the module docstring for how tracks are joined).

    Raises
    ------
    FileError
        The XML declares a DOCTYPE or entities (refused as unsafe).
    CorruptFileError
        Not well-formed XML or invalid GPX values.
    NotAnActivityError
        No track points (a route or waypoint file).
    NoTimedDataError
        No track with times on most of its points.
    """
    doc = decode_document(data, source)
    warnings = list(doc.warnings)
    from .gpx_fast import read_gpx_fast  # builds on this module

    fast = read_gpx_fast(doc.text, source, warnings)
    if fast is not None:  # the usual well-formed GPX, read as gpxpy reads it (gpx_fast.py)
        return fast
    parse = functools.partial(_parse_text, source=source)
    gpx, salvage = parse_leniently(doc, source, parse, warnings, damage=damage)
    tracks = [t for t in gpx.tracks if any(s.points for s in t.segments)]
    if not tracks and salvage is not None:
        raise salvage.nothing_left(source)
    if not tracks:
        raise NotAnActivityError(source, "a GPX without track points (a route or waypoints)")
    if salvage is not None:
        warnings.append(salvage.warning(sum(len(s.points) for t in tracks for s in t.segments)))
    try:
        points = _recorded_points(tracks, source, warnings)
    except NoTimedDataError:
        if salvage is not None:
            raise salvage.nothing_left(source) from None
        raise
    sport, sub_sport = sport_of([t.type for t in tracks], warnings)
    columns = _columns(points, sport, warnings)
    return [
        build_activity(
            source=source,
            source_format="gpx",
            time_unix_s=_unix_s(points, warnings),
            columns=columns,
            sport=sport,
            sub_sport=sub_sport,
            device=(gpx.creator or "").strip() or None,
            warnings=warnings,
            utc_offset_s=_utc_offset_s(points),
        )
    ]


def _utc_offset_s(points: list) -> float | None:
    """The offset of the first point's time when written with a non-UTC offset."""
    t = next((p.time for p in points if p.time is not None), None)
    try:
        offset = t.utcoffset() if t is not None and t.tzinfo is not None else None
    except (ValueError, OverflowError):  # "-25:00": no zone (the point is left out)
        return None
    if offset is None or abs(offset) > dt.timedelta(hours=MAX_OFFSET_H):
        return None
    return offset.total_seconds() or None


_PREFIXED_ROOT = re.compile(
    r"<([A-Za-z_][\w.-]*):gpx\b[^>]*\bxmlns:\1\s*=\s*[\"']http://www\.topografix\.com/GPX/"
)


def _unprefixed(text: str) -> str:
    """``<g:gpx xmlns:g="...topografix.com/GPX/1/1">`` rewritten to the default-namespace
    form gpxpy reads (it finds no tracks under a prefix): the same XML document."""
    m = _PREFIXED_ROOT.search(text[:4096])
    if m is None:
        return text
    prefix = re.escape(m.group(1))
    text = re.sub(rf"(</?){prefix}:", r"\1", text)
    return re.sub(rf"\bxmlns:{prefix}(\s*=)", r"xmlns\1", text, count=1)


def _parse_text(text: str, source: str) -> gpxpy.gpx.GPX:
    """gpxpy's GPX; XML errors as the ParseError expat raised (for the repairs)."""
    import gpxpy  # only for the files the fast path declines: not at start-up
    import gpxpy.gpx

    try:
        with stdlib_backend():  # with lxml installed too: gpxpy is slower on it
            return gpxpy.parse(_unprefixed(text))
    except gpxpy.gpx.GPXXMLSyntaxException as err:
        cause = getattr(err, "original_exception", None) or err.__cause__ or err.__context__
        if isinstance(cause, ParseError):
            raise cause from None
        raise CorruptFileError(source, "not well-formed XML") from err
    except (gpxpy.gpx.GPXException, ValueError, TypeError, OverflowError) as err:
        raise CorruptFileError(source, f"invalid GPX ({err})") from err


def _recorded_points(tracks: list, source: str, warnings: list[str]) -> list:
    """Timed points of the recorded tracks, in file order."""
    recorded, skipped, n_all, n_timed_all = [], 0, 0, 0
    for track in tracks:
        pts = [p for s in track.segments for p in s.points]
        timed = [p for p in pts if p.time is not None]
        n_all += len(pts)
        n_timed_all += len(timed)
        if len(timed) >= MIN_TRACK_TIMED_SHARE * len(pts):
            recorded.append((pts, timed))
        else:
            skipped += 1
    if not recorded:
        raise NoTimedDataError(
            source, f"only {n_timed_all} of {n_all} points have a time (a route, not a recording)"
        )
    if skipped:
        warnings.append(f"{skipped} track(s) without times left out (routes or saved copies)")
    if len(recorded) > 1:
        warnings.append(f"{len(recorded)} tracks joined into one activity")
    n_kept = sum(len(pts) for pts, _ in recorded)
    points = [p for _, timed in recorded for p in timed]
    if len(points) < n_kept:
        warnings.append(f"{n_kept - len(points)} of {n_kept} points have no time; left out")
    return points


def _unix_s(points: list, warnings: list[str]) -> np.ndarray:
    """Unix seconds of each point; NaN (left out, with a warning) for an offset beyond
    +-14 h or a time outside 1970-2100: a corrupt field, not a recording."""
    times = [p.time for p in points]
    naive = sum(t.tzinfo is None for t in times)
    if naive:
        warnings.append(f"{naive} time stamps have no time zone; read as UTC")
    out = np.array([_timestamp(t) for t in times], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        bad = ~((out >= MIN_UNIX_S) & (out < MAX_UNIX_S))
    if bad.any():
        out[bad] = np.nan
        warnings.append(
            f"{int(bad.sum())} time stamps impossible (a zone beyond +-{MAX_OFFSET_H} h, "
            "or a year outside 1970-2100); those points left out"
        )
    return out


def _timestamp(t: dt.datetime) -> float:
    try:
        if t.tzinfo is None:
            return t.replace(tzinfo=dt.UTC).timestamp()
        offset = t.utcoffset()
        if offset is None or abs(offset) > dt.timedelta(hours=MAX_OFFSET_H):
            return np.nan
        return t.timestamp()
    except (ValueError, OverflowError, TypeError):
        return np.nan


def sport_of(types: list[str | None], warnings: list[str]) -> tuple[str, str | None]:
    """(sport, sub-sport) from the tracks' ``<type>`` texts (both GPX paths): the first
    one stated, as :data:`GPX_SPORTS` maps it; unknown with a warning otherwise."""
    kinds = [t.strip() for t in types if t and t.strip()]
    if not kinds:
        return "unknown", None
    key = kinds[0].lower().replace(" ", "_").replace("-", "_")
    if key not in GPX_SPORTS:
        warnings.append(f"track type {kinds[0]!r} is not a sport splitcheck knows")
        return "unknown", None
    return GPX_SPORTS[key]


def _columns(points: list, sport: str, warnings: list[str]) -> dict[str, np.ndarray]:
    cols = {
        "lat_deg": sane([p.latitude for p in points]),
        "lon_deg": sane([p.longitude for p in points]),
        "altitude_m": sane([np.nan if p.elevation is None else p.elevation for p in points]),
    }
    cols.update(_extension_columns(points))
    return finish_columns(cols, sport, warnings)


def finish_columns(
    cols: dict[str, np.ndarray], sport: str, warnings: list[str]
) -> dict[str, np.ndarray]:
    """The columns both GPX paths (gpxpy's and :mod:`.gpx_fast`) read, made alike: values
    beyond reason as NaN, 0 bpm as no heart rate, cadence per leg as steps/min."""
    cols = {name: sane(values) for name, values in cols.items()}
    if "heart_rate_bpm" in cols:  # 0 bpm is a strap not in contact, not a heart rate
        hr = cols["heart_rate_bpm"]
        hr[hr <= 0] = np.nan
    if "cadence" in cols:
        if sport == "unknown":
            warnings.append("sport not stated; cadence read as a runner's (doubled per leg)")
        foot = sport in FOOT_SPORTS or sport == "unknown"
        cols["cadence_spm"] = cadence_to_spm(cols.pop("cadence"), foot, warnings)
    return cols


def _extension_columns(points: list) -> dict[str, np.ndarray]:
    values = {name: np.full(len(points), np.nan) for name in set(EXTENSION_COLUMNS.values())}
    for i, point in enumerate(points):
        for extension in point.extensions:
            for element in extension.iter():
                column = _extension_column(element.tag)
                if column and element.text:
                    values[column][i] = number(element.text)
    return {name: v for name, v in values.items() if np.isfinite(v).any()}


@functools.lru_cache(maxsize=256)
def _extension_column(tag: str) -> str | None:
    return EXTENSION_COLUMNS.get(local_name(str(tag)).lower())


_BACKEND_LOCK = threading.Lock()


@contextmanager
def stdlib_backend() -> Iterator[None]:
    """gpxpy on the stdlib's ElementTree for the duration, even with lxml installed:
    gpxpy switches to lxml whenever it is importable and then reads 2-3x slower (and
    words its syntax errors differently). The module global is swapped under a lock and
    restored, so a caller's own use of gpxpy keeps its backend."""
    import xml.etree.ElementTree as stdlib_etree

    import gpxpy.parser

    with _BACKEND_LOCK:
        saved = gpxpy.parser.mod_etree
        gpxpy.parser.mod_etree = stdlib_etree
        try:
            yield
        finally:
            gpxpy.parser.mod_etree = saved
