"""Constants, unit conversions and pace formatting.

Every distance is in metres and every time in seconds inside splitcheck; conversion to a
runner's units (min/km or min/mi) happens only when text is made for people.
"""

from __future__ import annotations

import math
import re

from .errors import ProfileError

MILE_M = 1609.344
"""International mile in metres (exact)."""
KM_M = 1000.0
TRACK_LAP_M = 400.0
"""Lap of a standard 400 m track in lane 1 (IAAF/World Athletics track geometry)."""

FIT_EPOCH_UNIX_S = 631065600
"""FIT timestamps count seconds since 1989-12-31T00:00:00Z (FIT protocol, 'date_time')."""
FIT_SEMICIRCLE_DEG = 180.0 / 2**31
"""Degrees per FIT semicircle (FIT protocol)."""

UNITS = ("km", "mi")
UNIT_M = {"km": KM_M, "mi": MILE_M}


def format_duration(seconds: float, *, decimals: int = 0) -> str:
    """Format seconds as ``h:mm:ss``, ``m:ss`` or ``m:ss.s``; NaN gives ``-``.

    Rounds once, at the requested precision, so 59.96 s with one decimal is ``1:00.0``.
    """
    if seconds is None or not math.isfinite(seconds):
        return "-"
    sign = "-" if seconds < 0 else ""
    scale = 10**decimals
    total = round(abs(seconds) * scale)
    whole, frac = divmod(total, scale)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    frac_txt = f".{frac:0{decimals}d}" if decimals else ""
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}{frac_txt}"
    return f"{sign}{minutes}:{secs:02d}{frac_txt}"


def pace_s_per_unit(speed_mps: float, unit: str = "km") -> float:
    """Pace in seconds per km or per mile from a speed in m/s (NaN when not moving)."""
    if not speed_mps or not math.isfinite(speed_mps) or speed_mps <= 0:
        return math.nan
    return UNIT_M[unit] / speed_mps


def format_pace(speed_mps: float, unit: str = "km") -> str:
    """``5:12 /km`` style pace from a speed in m/s; ``-`` when not moving."""
    pace = pace_s_per_unit(speed_mps, unit)
    if not math.isfinite(pace) or pace > 99 * 60:
        return "-"
    return f"{format_duration(pace)} /{unit}"


YARD_M = 0.9144
"""International yard in metres (exact): pools in the US are 25 yd."""
SPEED_SPORTS = frozenset({"cycling", "e_biking", "driving", "inline_skating", "rowing"})
"""Sports shown as a speed (km/h, mph), as cycling computers and Strava show rides."""
SWIM_SPORTS = frozenset({"swimming", "open_water_swimming", "lap_swimming"})
"""Sports shown as a pace per 100 m (100 yd), as swimmers count."""


def format_speed(speed_mps: float, unit: str = "km") -> str:
    """``24.7 km/h`` or ``15.3 mph``; ``-`` when not moving."""
    if not speed_mps or not math.isfinite(speed_mps) or speed_mps <= 0:
        return "-"
    if unit == "mi":
        return f"{speed_mps * 3600 / MILE_M:.1f} mph"
    return f"{speed_mps * 3.6:.1f} km/h"


def format_swim_pace(speed_mps: float, unit: str = "km") -> str:
    """``1:52 /100 m`` or ``1:42 /100 yd``; ``-`` when not moving."""
    if not speed_mps or not math.isfinite(speed_mps) or speed_mps <= 0:
        return "-"
    if unit == "mi":
        return f"{format_duration(100 * YARD_M / speed_mps)} /100 yd"
    return f"{format_duration(100 / speed_mps)} /100 m"


def format_for_sport(speed_mps: float, sport: str, unit: str = "km") -> str:
    """A speed the way the sport counts it: km/h for rides, per 100 m for swims, else
    the runner's pace per km or mile (walks and hikes too)."""
    if sport in SPEED_SPORTS:
        return format_speed(speed_mps, unit)
    if sport in SWIM_SPORTS:
        return format_swim_pace(speed_mps, unit)
    return format_pace(speed_mps, unit)


SEGMENT_METRES_BELOW_M = {"km": 10_000.0, "mi": 0.99 * MILE_M}
"""A lap, rep, recovery or split shorter than this reads in metres, longer in the runner's
unit (two decimals). In miles: everything short of a mile is a track or rep distance,
named in metres even by runners who count miles ("400 m", "6x800 m"), while a mile
auto-lap reads "1.00 mi" as Garmin Connect and Strava show it, not "1609 m" (1 % under a
mile, so a lap pressed at the mile by GPS still reads 1.00 mi). In km: metres up to
10 km (a 4000 m auto-lap), then km ("10.20 km", not "10196 m")."""


def format_segment_distance(distance_m: float | None, unit: str = "km") -> str:
    """A lap's, rep's or recovery's distance as a runner reads it: ``400 m``, ``1609 m``
    in km but ``1.00 mi`` in miles, ``10.20 km``; ``-`` when the file has none."""
    if distance_m is None or not math.isfinite(distance_m):
        return "-"
    if distance_m < SEGMENT_METRES_BELOW_M[unit]:
        return f"{distance_m:.0f} m"
    return f"{distance_m / UNIT_M[unit]:.2f} {unit}"


def format_distance(distance_m: float, unit: str = "km") -> str:
    """``5.02 km`` or ``3.12 mi``."""
    if distance_m is None or not math.isfinite(distance_m):
        return "-"
    return f"{distance_m / UNIT_M[unit]:.2f} {unit}"


FOOT_M = 0.3048
"""International foot in metres (exact)."""


def format_extent(distance_m: float, unit: str = "km") -> str:
    """A rough size, one figure after the point: ``4.4 km`` / ``2.7 mi``; under one unit
    ``650 m`` / ``2130 ft`` (a map's scale, a route's width)."""
    if distance_m is None or not math.isfinite(distance_m):
        return "-"
    if distance_m >= UNIT_M[unit]:
        return f"{distance_m / UNIT_M[unit]:.1f} {unit}"
    return f"{distance_m / FOOT_M:.0f} ft" if unit == "mi" else f"{distance_m:.0f} m"


_TIME_RE = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)\s*$|^\s*(\d+(?:\.\d+)?)\s*$")


def parse_duration(text: str) -> float:
    """Parse ``6:00``, ``5:59.4``, ``1:02:03`` or plain seconds ``360`` into seconds.

    Raises
    ------
    ProfileError
        When the text is not a time (``6:7`` is not: seconds take two digits).
    """
    m = _TIME_RE.match(str(text))
    if not m:
        raise ProfileError(f"{text!r} is not a time (expected m:ss, h:mm:ss or seconds)")
    if m.group(4) is not None:
        return float(m.group(4))
    hours = int(m.group(1) or 0)
    minutes = int(m.group(2))
    seconds = float(m.group(3))
    if seconds >= 60 or (m.group(1) and minutes >= 60):
        raise ProfileError(f"{text!r} is not a time (seconds and minutes run 0-59)")
    return hours * 3600 + minutes * 60 + seconds
