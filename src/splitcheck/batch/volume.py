"""Training volume per ISO week and per calendar month: runs, distance, time, climb, the
long run, hard minutes, load and time in heart-rate zones.

Sums over the activity rows as :mod:`splitcheck.batch.archive` prepares them (each with its
local ``date``, ``load`` and ``z1_s``..``z5_s``). Running volume (runs, distance, time,
climb, long run, hard minutes) counts runs only; load and zones count every activity
(a ride tires the legs too). ``duration_s`` is moving time, as Strava and intervals.icu
add up a week.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .weekly import RUNNING_SPORTS

ZONES = 5


@dataclass(frozen=True)
class Period:
    """One week (``2026-W10``) or month (``2026-03``) of training; metres and seconds."""

    period: str
    start: dt.date
    end: dt.date
    activities: int = 0
    runs: int = 0
    distance_m: float = 0.0
    duration_s: float = 0.0
    elevation_gain_m: float = 0.0
    long_run_m: float | None = None
    long_run_s: float | None = None
    hard_s: float = 0.0
    load: float = 0.0
    zone_s: tuple[float, ...] = (0.0,) * ZONES

    def __repr__(self) -> str:
        return (
            f"Period({self.period}, runs={self.runs}, {self.distance_m / 1000:.1f} km, "
            f"{self.duration_s / 3600:.2f} h)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "activities": self.activities,
            "runs": self.runs,
            "distance_m": round(self.distance_m, 1),
            "duration_s": round(self.duration_s, 1),
            "elevation_gain_m": round(self.elevation_gain_m, 1),
            "long_run_m": None if self.long_run_m is None else round(self.long_run_m, 1),
            "long_run_s": None if self.long_run_s is None else round(self.long_run_s, 1),
            "hard_min": round(self.hard_s / 60.0, 1),
            "load": round(self.load, 1),
            **{f"z{i + 1}_s": round(z, 1) for i, z in enumerate(self.zone_s)},
        }


def week_key(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def period_bounds(day: dt.date, kind: str) -> tuple[dt.date, dt.date]:
    """First and last day of the week (Monday-Sunday) or month holding ``day``."""
    if kind == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def volume(
    activities: Iterable[Mapping[str, Any]], kind: str, first: dt.date, last: dt.date
) -> list[Period]:
    """Every week or month (``kind``) from the one holding ``first`` to the one holding
    ``last``, empty ones included, summed from rows with a ``date`` (ISO) in that span."""
    key = week_key if kind == "week" else month_key
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for act in activities:
        if act.get("date"):
            day = dt.date.fromisoformat(act["date"])
            if first <= day <= last:
                groups[key(day)].append(act)
    out = []
    day = period_bounds(first, kind)[0]
    while day <= last:
        start, end = period_bounds(day, kind)
        out.append(_period(key(start), start, end, groups.get(key(start), [])))
        day = end + dt.timedelta(days=1)
    return out


def _period(name: str, start: dt.date, end: dt.date, rows: list[Mapping[str, Any]]) -> Period:
    runs = [a for a in rows if (a.get("sport") or "") in RUNNING_SPORTS]
    longest = max(runs, key=lambda a: a.get("distance_m") or 0.0, default=None)
    zones = tuple(sum(float(a.get(f"z{i + 1}_s") or 0.0) for a in rows) for i in range(ZONES))
    return Period(
        period=name,
        start=start,
        end=end,
        activities=len(rows),
        runs=len(runs),
        distance_m=sum(float(a.get("distance_m") or 0.0) for a in runs),
        duration_s=sum(float(a.get("moving_s") or 0.0) for a in runs),
        elevation_gain_m=sum(float(a.get("elevation_gain_m") or 0.0) for a in runs),
        long_run_m=None if longest is None else float(longest.get("distance_m") or 0.0),
        long_run_s=None if longest is None else float(longest.get("moving_s") or 0.0),
        hard_s=sum(float(a.get("hard_s") or 0.0) for a in runs),
        load=sum(float(a.get("load") or 0.0) for a in rows),
        zone_s=zones,
    )
