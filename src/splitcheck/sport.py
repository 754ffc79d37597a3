"""Is it a run? A session saved as running but faster than any human has run.

A bike ride saved as a run (the watch left on its last sport) would otherwise be scored
against mile guidance and predict a 3:30 mile. A session that holds, for some stretch of
5 minutes or more, a speed beyond the running world record for that duration is
"probably not a run": its likely sport comes from that speed, and it is not segmented,
scored or counted as a run. Without positions (a treadmill, a foot pod) the distance is
what is wrong: the session stays a run, segmented, but without score or best efforts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import Activity
from .units import MILE_M, format_duration, format_speed

WORLD_RECORDS = (
    (1500.0, 206.00),  # Hicham El Guerrouj 3:26.00, 1998
    (MILE_M, 223.13),  # Hicham El Guerrouj 3:43.13, 1999
    (3000.0, 440.67),  # Daniel Komen 7:20.67, 1996
    (5000.0, 755.36),  # Joshua Cheptegei 12:35.36, 2020
    (10000.0, 1571.00),  # Joshua Cheptegei 26:11.00, 2020
    (21097.5, 3451.0),  # Jacob Kiplimo 57:31, 2021 (half marathon)
    (42195.0, 7235.0),  # Kelvin Kiptum 2:00:35, 2023 (marathon)
    (100000.0, 21935.0),  # Aleksandr Sorokin 6:05:35, 2022 (100 km road)
)
"""Men's running world records (World Athletics): (distance m, time s). Between them the
record speed for a duration is interpolated in log time; beyond them the end value holds."""
WINDOWS_S = (300.0, 1200.0, 3600.0, 7200.0)
"""Stretches the sustained speed is measured over: from 5 minutes (shorter bursts may be
GPS glitches) up to two hours."""
CHECKED_SPORTS = frozenset({"running", "trail_running", "track_running", "generic", "unknown"})
"""Sports a session is checked for: those scored against running guidance."""
VEHICLE_MPS = 25.0
"""Sustained 90 km/h and more is no bicycle either: a car, a bus or a train."""


@dataclass(frozen=True)
class SportCheck:
    """A session whose speed rules out running (see the module docstring)."""

    recorded_sport: str
    likely_sport: str
    window_s: float
    speed_mps: float
    record_speed_mps: float

    @property
    def indoor(self) -> bool:
        """No positions: the distance (foot pod, treadmill) is wrong, not the sport."""
        return self.likely_sport == self.recorded_sport

    @property
    def message(self) -> str:
        """:meth:`describe` in km/h."""
        return self.describe()

    def describe(self, unit: str = "km") -> str:
        """Why this is not a run, with its speeds in ``unit`` (km/h, or mph for ``mi``)."""
        speed = format_speed(self.speed_mps, unit)
        record = format_speed(self.record_speed_mps, unit)
        if self.indoor:
            return (
                f"the distance is not a runner's: {format_duration(self.window_s)} at "
                f"{speed} is faster than the running world record for "
                f"that time ({record}), without GPS: the foot pod "
                "or treadmill distance is probably too long, so no mile prediction, score or "
                "best efforts; paces are as recorded"
            )
        return (
            f"probably not a run: {format_duration(self.window_s)} at "
            f"{speed} is faster than the running world record for "
            f"that time ({record}); likely {self.likely_sport}, "
            f"so no mile prediction, score or best efforts (recorded as {self.recorded_sport})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "recorded_sport": self.recorded_sport,
            "likely_sport": self.likely_sport,
            "window_s": self.window_s,
            "speed_mps": round(self.speed_mps, 3),
            "record_speed_mps": round(self.record_speed_mps, 3),
            "message": self.message,
        }


def best_distance_m(t: np.ndarray, d: np.ndarray, window_s: float) -> float:
    """The most distance covered in any ``window_s`` seconds of the recording, with the
    distance ``d`` (non-decreasing) linear between the samples' times ``t`` (increasing).

    Between samples the distance covered in a sliding window changes linearly, so its
    maximum is at a window that starts or ends on a sample: both are tried. Exact, and
    memory in the number of samples, not in the recording's span (a clock that jumped
    years must not make a grid of seconds across them)."""
    inside = t + window_s <= t[-1]
    from_start = np.interp(t[inside] + window_s, t, d) - d[inside]
    inside = t - window_s >= t[0]
    to_end = d[inside] - np.interp(t[inside] - window_s, t, d)
    return float(max(from_start.max(initial=0.0), to_end.max(initial=0.0)))


def record_speed_mps(duration_s: float) -> float:
    """The running world record's average speed for an effort lasting ``duration_s``."""
    t = np.log([time for _, time in WORLD_RECORDS])
    v = np.array([d / time for d, time in WORLD_RECORDS])
    return float(np.interp(math.log(max(duration_s, 1.0)), t, v))


def check_sport(activity: Activity) -> SportCheck | None:
    """A :class:`SportCheck` when the activity, saved as a run (or of unknown sport), holds
    a speed beyond the running world record for 5 minutes or more; else None."""
    if activity.sport not in CHECKED_SPORTS:
        return None
    s = activity.samples
    ok = np.isfinite(s.elapsed_s) & np.isfinite(s.distance_m)
    if ok.sum() < 2:
        return None
    t, d = s.elapsed_s[ok], np.maximum.accumulate(s.distance_m[ok])
    worst: SportCheck | None = None
    for window in WINDOWS_S:
        if t[-1] - t[0] < window:
            break
        best = best_distance_m(t, d, window) / window
        record = record_speed_mps(window)
        ratio = best / record
        if ratio > 1 and (worst is None or ratio > worst.speed_mps / worst.record_speed_mps):
            likely = "driving" if best >= VEHICLE_MPS else "cycling"
            if not s.has("lat_deg"):
                likely = activity.sport
            worst = SportCheck(activity.sport, likely, window, best, record)
    return worst
