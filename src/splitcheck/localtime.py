"""The activity's local start time: "my Tuesday 6 am run", not 04:00 UTC.

Where the offset comes from, first found wins:

1. ``--timezone NAME`` (an IANA name such as ``Europe/Berlin``, or ``UTC``): the runner
   says so;
2. the file: FIT ``activity.local_timestamp`` less its ``timestamp``, the UTC offset of a
   TCX / GPX time stamp written with one (``2020-12-20T05:50:47-03:00``); a zero offset
   gives way to the position's zone when that differs (a watch writing UTC as local);
3. the start position's time zone, looked up offline with ``timezonefinder`` (time-zone
   polygons from timezone-boundary-builder, the data IANA zones are drawn from; away
   from borders its index is read directly, :mod:`.zonecells`, without its ~130 ms
   import) and
   turned into an offset at the start instant by the standard library's ``zoneinfo``
   (daylight saving included);
4. else UTC, and the report says so.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ProfileError
from .model import Activity

SOURCES = ("override", "file", "position", "utc")


@dataclass(frozen=True)
class LocalStart:
    """When the activity started on the runner's clock.

    ``source`` is one of :data:`SOURCES`; ``timezone`` the IANA name when known (from
    ``--timezone`` or the position), None for an offset read from the file.
    """

    start_local: dt.datetime | None
    utc_offset_s: float | None
    timezone: str | None
    source: str

    def words(self) -> str:
        """``2016-12-29 20:05 (UTC+01:00, Europe/Berlin from the start position)``."""
        if self.start_local is None:
            return "unknown date"
        when = self.start_local.strftime("%Y-%m-%d %H:%M")
        if self.source == "utc":
            return f"{when} UTC (no time zone in the file or from a position)"
        zone = f", {self.timezone}" if self.timezone else ""
        how = {"override": "", "file": " from the file", "position": " from the start position"}
        return f"{when} ({offset_words(self.utc_offset_s)}{zone}{how[self.source]})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_local": self.start_local.isoformat() if self.start_local else None,
            "utc_offset_s": self.utc_offset_s,
            "timezone": self.timezone,
            "local_time_source": self.source,
        }


def offset_words(offset_s: float | None) -> str:
    """``UTC+01:00``, ``UTC-03:30``."""
    if offset_s is None:
        return "UTC"
    sign = "-" if offset_s < 0 else "+"
    minutes = int(round(abs(offset_s) / 60))
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def zone(name: str) -> dt.tzinfo:
    """The time zone called ``name`` (IANA, or ``UTC``).

    Raises
    ------
    ProfileError
        No such time zone.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name.strip().upper() in ("UTC", "Z", "GMT"):
        return dt.UTC
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ProfileError(f"unknown time zone {name!r} (use an IANA name: Europe/Berlin)") from err


def local_start(activity: Activity, timezone: str | None = None) -> LocalStart:
    """The activity's local start (see the module docstring for the order of sources).

    Raises
    ------
    ProfileError
        ``timezone`` names no time zone.
    """
    start = activity.start_utc
    if timezone:
        tz = zone(timezone)
        if start is None:
            return LocalStart(None, None, str(tz), "override")
        local = start.astimezone(tz)
        return LocalStart(local, _offset_s(local), str(tz), "override")
    if start is None:
        return LocalStart(None, None, None, "utc")
    name = None
    if activity.utc_offset_s is not None:
        # some watches (a COROS among the real files) write UTC as their local time: a
        # zero offset gives way to the position's zone when that has another
        name = zone_at_start(activity) if activity.utc_offset_s == 0 else None
        if name is None or _offset_s(start.astimezone(zone(name))) == 0:
            tz = dt.timezone(dt.timedelta(seconds=activity.utc_offset_s))
            return LocalStart(start.astimezone(tz), activity.utc_offset_s, None, "file")
    name = name or zone_at_start(activity)
    if name is not None:
        local = start.astimezone(zone(name))
        return LocalStart(local, _offset_s(local), name, "position")
    return LocalStart(start, 0.0, None, "utc")


def zone_at_start(activity: Activity) -> str | None:
    """The IANA time zone at the activity's first position, or None (no position, or
    ``timezonefinder`` not installed)."""
    s = activity.samples
    ok = np.flatnonzero(np.isfinite(s.lat_deg) & np.isfinite(s.lon_deg))
    if not len(ok):
        return None
    lat, lon = float(s.lat_deg[ok[0]]), float(s.lon_deg[ok[0]])
    from .zonecells import ASK_TIMEZONEFINDER, zone_in_cell

    name = zone_in_cell(lat, lon)  # most places: timezonefinder's own index, read cheaply
    if name != ASK_TIMEZONEFINDER:
        return name
    finder = _finder()
    if finder is None:
        return None
    return finder.timezone_at(lng=lon, lat=lat)


@functools.cache
def _finder() -> Any:
    try:
        from timezonefinder import TimezoneFinder
    except ImportError:  # an optional dependency: without it, positions say nothing
        return None
    return TimezoneFinder()


def _offset_s(local: dt.datetime) -> float:
    offset = local.utcoffset()
    return offset.total_seconds() if offset is not None else 0.0
