"""Is it a run? A session saved as running but faster than any human has run, or a
session of no stated sport at a walker's speed.

A bike ride saved as a run (the watch left on its last sport) would otherwise be scored
against mile guidance and predict a 3:30 mile. A session that holds, for some stretch of
5 minutes or more, a speed beyond the running world record for that duration is
"probably not a run": its likely sport comes from that speed, and it is not segmented,
scored or counted as a run. Without positions (a treadmill, a foot pod) the distance is
what is wrong: the session stays a run, segmented, but without score or best efforts.

A file that names no sport (most GPX tracks) and moves at a walker's speed nearly all its
moving time is "probably a walk or a hike" (:func:`check_walking`): it is analysed as a
FIT saved as walking is (splits and best efforts, no running score or mile prediction),
and counts as cross-training, not as a run. A file that names running keeps it (the
runner said so; a mountain trail run is walked uphill: sports-lib/6910052863.fit, "a
mountain trail run/hike at walking speeds"), and is said to be at walking pace, without
the pacing verdicts (trend, grade-adjusted pace, decoupling, mile prediction) that
assume a running gait.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import MOVING_SPEED_MPS, Activity, interval_speeds_mps
from .units import MILE_M, format_duration, format_pace, format_speed

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
UNSTATED_SPORTS = frozenset({"unknown", "generic"})
"""What a file says when it names no sport (a GPX track without ``<type>``, a FIT
``generic`` activity): only these are told apart from walks by their speed."""
WALK_RUN_MPS = 2.0
"""People walk below about 2.0 m/s (7.2 km/h, 8:20 /km) and run above it: the preferred
walk-run transition speed, 2.06 +- 0.09 m/s on a level treadmill (Hreljac 1993, Med Sci
Sports Exerc 25:1158), about 2 m/s across studies, and slower uphill (Ortiz, Giovanelli
& Kram 2021, J Exp Biol 224:jeb233056)."""
WALK_SPEED_WINDOW_S = 60.0
"""Speed is judged over a minute of moving time: a whole-metre watch's 1 s steps (0 m,
3 m, 0 m...) read as a run's 3 m/s, while a walk/run's running bouts of 1-2 min stay
visible (elevate/20171011_run_2088390344.fit)."""
WALK_MAX_RUNNING_SHARE = 0.10
"""A session with under 10 % of its moving time at running speed is a walk or a hike (as
``segment.intervals.MIN_RUNNING_FRACTION``). Real runs spend 31-100 % there: the walk/run
of elevate/20171011_run_2088390344.fit 37 %, runpandas/run.fit 31 %; the hike of
gpxpy/korita-zbevnica.gpx 0 %, the mountain trail "run" of sports-lib/6910052863.fit 3 %."""
WALK_MIN_MOVING_S = 300.0
"""Under 5 minutes of moving there is too little to tell a walk from a run's warm-up."""


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


@dataclass(frozen=True)
class WalkCheck:
    """A session at a walker's speed (see the module docstring): of no stated sport, it is
    analysed as a walk (``likely_sport`` walking); saved as a run, it stays one, said to
    be at walking pace, without the pacing verdicts that assume running."""

    recorded_sport: str
    running_share: float
    """Share of the moving time at or above :data:`WALK_RUN_MPS` (0-1)."""

    @property
    def likely_sport(self) -> str:
        return "walking" if self.recorded_sport in UNSTATED_SPORTS else self.recorded_sport

    @property
    def indoor(self) -> bool:
        return False

    @property
    def message(self) -> str:
        return self.describe()

    def describe(self, unit: str = "km") -> str:
        """Why this is read as a walk (or a run at walking pace), speeds in ``unit``."""
        slower = (
            f"{(1 - self.running_share) * 100:.0f} % of its moving time was slower than "
            f"{format_speed(WALK_RUN_MPS, unit)} ({format_pace(WALK_RUN_MPS, unit)}), where "
            "people break into a run"
        )
        if self.likely_sport == "walking":
            return (
                f"probably a walk or a hike, not a run: the file names no sport, and {slower};"
                " analysed as a walk: no running score or mile prediction"
            )
        return (
            f"at walking pace: saved as {self.recorded_sport.replace('_', ' ')}, but {slower}"
            ": a walk or a hike on the clock; no pacing verdicts or mile prediction, which"
            " assume running"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "recorded_sport": self.recorded_sport,
            "likely_sport": self.likely_sport,
            "running_share": round(self.running_share, 3),
            "walk_run_speed_mps": WALK_RUN_MPS,
            "message": self.message,
        }


def walking_share(activity: Activity) -> tuple[float, float] | None:
    """(share of the moving time at or above :data:`WALK_RUN_MPS`, moving time [s]), speeds
    over :data:`WALK_SPEED_WINDOW_S` of moving time (timer
    stops and standing left out); None without distance."""
    s = activity.samples
    ok = np.isfinite(s.elapsed_s) & np.isfinite(s.distance_m)
    if ok.sum() < 3:
        return None
    t, d = s.elapsed_s[ok], np.maximum.accumulate(s.distance_m[ok])
    dt = np.diff(t)
    with np.errstate(invalid="ignore"):
        moving = (interval_speeds_mps(t, d) > MOVING_SPEED_MPS) & (dt > 0)
    step_s = np.where(moving, dt, 0.0)
    move_t = np.concatenate([[0.0], np.cumsum(step_s)])
    move_d = np.concatenate([[0.0], np.cumsum(np.where(moving, np.diff(d), 0.0))])
    total_s = float(move_t[-1])
    if total_s <= 0:
        return None
    window = min(WALK_SPEED_WINDOW_S, total_s)
    lo = np.clip((move_t[:-1] + move_t[1:] - window) / 2, 0.0, total_s - window)
    speed = (np.interp(lo + window, move_t, move_d) - np.interp(lo, move_t, move_d)) / window
    share = float(step_s[speed >= WALK_RUN_MPS].sum() / total_s)
    return share, total_s


def check_walking(activity: Activity) -> WalkCheck | None:
    """A :class:`WalkCheck` when the activity, of no stated sport or saved as a run, spends
    under :data:`WALK_MAX_RUNNING_SHARE` of at least :data:`WALK_MIN_MOVING_S` of moving
    time at running speed; else None."""
    if activity.sport not in CHECKED_SPORTS:
        return None
    measured = walking_share(activity)
    if measured is None:
        return None
    share, moving_s = measured
    if moving_s < WALK_MIN_MOVING_S or share >= WALK_MAX_RUNNING_SHARE:
        return None
    return WalkCheck(activity.sport, share)
