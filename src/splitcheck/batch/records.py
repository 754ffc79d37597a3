"""Records (the fastest 400 m to marathon across the archive, all-time and per year, each
with the activity it came from) and the same workout over time (every "6x400 m": mean rep
pace, fade, recoveries, session by session).

Best efforts come from each run's analysis (:mod:`splitcheck.segment.efforts`: the fastest
stretch of each distance inside the run, wherever it starts), so a 5 km record can be the
middle of a 10 km race.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .weekly import RUNNING_SPORTS

WORLD_RECORD_S = {
    "400m": 43.03,
    "800m": 100.91,
    "1km": 131.96,
    "mile": 223.13,
    "5km": 755.36,
    "10km": 1571.0,
    "half_marathon": 3450.0,
    "marathon": 7235.0,
}
"""Men's world records (World Athletics, 2024: track to 10 000 m, road half and marathon).
A best effort faster than one is not a run: a ride saved as a run, a foot pod reading
2.3x long, GPS jumps; it is left out of records and of the threshold-pace estimate."""
RACE_DISTANCES = ("mile", "5km", "10km", "half_marathon", "marathon")
RACE_DISTANCE_TOLERANCE = 0.03
"""A race is run over a standard distance: the activity's distance within 3 % of it (GPS
reads 1-2 % long on a certified course)."""
RACE_MARGIN = 0.03
"""... and its best effort at that distance within 3 % of the runner's record there (a run
of 5 km at easy pace is not a race). Time trials found by the segmentation are races too."""
MIN_SESSIONS = 2
"""A workout is followed over time once it was run at least twice."""


@dataclass(frozen=True)
class Record:
    """The fastest ``effort`` in ``year`` (None: all-time), and where it was run."""

    effort: str
    distance_m: float
    duration_s: float
    year: int | None
    date: str | None
    source: str
    session_index: int = 0
    start_s: float | None = None

    @property
    def pace_s_per_km(self) -> float:
        return self.duration_s / self.distance_m * 1000.0

    def __repr__(self) -> str:
        when = "all-time" if self.year is None else str(self.year)
        return f"Record({self.effort}, {self.duration_s:.1f} s, {when}, {self.date})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "effort": self.effort,
            "year": self.year,
            "distance_m": self.distance_m,
            "duration_s": round(self.duration_s, 2),
            "pace_s_per_km": round(self.pace_s_per_km, 2),
            "date": self.date,
            "source": self.source,
            "session_index": self.session_index,
            "start_s": self.start_s,
        }


@dataclass(frozen=True)
class WorkoutSession:
    """One session of a repeated workout."""

    workout: str
    date: str | None
    source: str
    session_index: int
    reps: int
    mean_rep_s: float
    mean_rep_pace_s_per_km: float | None
    fade_pct: float | None
    mean_recovery_s: float | None

    def __repr__(self) -> str:
        return f"WorkoutSession({self.workout}, {self.date}, reps={self.reps})"

    def to_dict(self) -> dict[str, Any]:
        r = _round
        return {
            "workout": self.workout,
            "date": self.date,
            "source": self.source,
            "session_index": self.session_index,
            "reps": self.reps,
            "mean_rep_s": r(self.mean_rep_s),
            "mean_rep_pace_s_per_km": r(self.mean_rep_pace_s_per_km),
            "fade_pct": r(self.fade_pct),
            "mean_recovery_s": r(self.mean_recovery_s),
        }


def plausible(effort: Mapping[str, Any]) -> bool:
    """False for an effort faster than the world record at its distance."""
    t = effort.get("duration_s")
    limit = WORLD_RECORD_S.get(str(effort.get("effort")))
    return bool(t) and (limit is None or float(t) >= limit)


def records(
    efforts: Iterable[Mapping[str, Any]], activities: Iterable[Mapping[str, Any]]
) -> list[Record]:
    """All-time records (``year`` None) then each year's, by distance; runs only, and
    only efforts of activities listed (duplicates already dropped)."""
    acts = {_key(a): a for a in activities if (a.get("sport") or "") in RUNNING_SPORTS}
    best: dict[tuple[str, int | None], Record] = {}
    for e in efforts:
        act = acts.get(_key(e))
        t, d = e.get("duration_s"), e.get("distance_m")
        if act is None or not t or not d or t <= 0:
            continue
        date = act.get("date")
        year = int(date[:4]) if date else None
        for y in {None, year}:
            slot = (e["effort"], y)
            if slot not in best or t < best[slot].duration_s:
                best[slot] = _record(e, act, y)
    from ..segment.efforts import BEST_EFFORTS_M  # here: the segmentation is a heavy import

    order = {name: i for i, name in enumerate(BEST_EFFORTS_M)}
    return sorted(
        best.values(),
        key=lambda r: (r.year is not None, -(r.year or 0), order.get(r.effort, 99)),
    )


def races(
    efforts: Iterable[Mapping[str, Any]],
    activities: Iterable[Mapping[str, Any]],
    best: Iterable[Record],
) -> list[Record]:
    """The runs that were races or time trials (:data:`RACE_DISTANCE_TOLERANCE`,
    :data:`RACE_MARGIN`), each as the effort at its distance, by date."""
    acts = {_key(a): a for a in activities if (a.get("sport") or "") in RUNNING_SPORTS}
    record = {r.effort: r.duration_s for r in best if r.year is None}
    efforts = [e for e in efforts if e.get("effort") in RACE_DISTANCES and e.get("duration_s")]
    # a time trial over a race distance (a 10 km race read as one) is that race, not the
    # mile inside it; a time trial matching none is a mile with warm-up and cool-down
    over_distance = {_key(e) for e in efforts if _key(e) in acts and _run_over(e, acts[_key(e)])}
    out = []
    for e in efforts:
        act = acts.get(_key(e))
        name, t = e.get("effort"), e.get("duration_s")
        if act is None or name not in record:
            continue
        if act.get("workout_type") == "time_trial":
            if _run_over(e, act) or (name == "mile" and _key(e) not in over_distance):
                out.append(_record(e, act, None))
            continue
        if _run_over(e, act) and t <= record[name] * (1.0 + RACE_MARGIN):
            out.append(_record(e, act, None))
    return sorted(out, key=lambda r: r.date or "")


def _run_over(effort: Mapping[str, Any], act: Mapping[str, Any]) -> bool:
    """Whether the whole activity is the effort's distance (:data:`RACE_DISTANCE_TOLERANCE`)."""
    distance = float(act.get("distance_m") or 0.0)
    effort_m = float(effort.get("distance_m") or math.inf)
    return abs(distance / effort_m - 1.0) <= RACE_DISTANCE_TOLERANCE


def _record(e: Mapping[str, Any], act: Mapping[str, Any], year: int | None) -> Record:
    return Record(
        effort=e["effort"],
        distance_m=float(e["distance_m"]),
        duration_s=float(e["duration_s"]),
        year=year,
        date=act.get("date"),
        source=act.get("source") or "",
        session_index=int(act.get("session_index") or 0),
        start_s=e.get("start_s"),
    )


def workout_name(label: str | None) -> str | None:
    """``6x400 m`` from ``20:03 warm-up; 6x400 m with jog recoveries; 8:15 cool-down``."""
    if not label:
        return None
    parts = [p.strip() for p in label.split(";")]
    core = [p for p in parts if not re.search(r"(warm-up|cool-down)$", p)]
    core = [re.sub(r"\s+with .* recover(y|ies)$", "", p) for p in core]
    name = "; ".join(p for p in core if p)
    return name or None


def workouts(
    activities: Iterable[Mapping[str, Any]], reps: Iterable[Mapping[str, Any]]
) -> list[WorkoutSession]:
    """Every session of a workout run :data:`MIN_SESSIONS` times or more, by workout then
    date."""
    by_act: dict[tuple, list[Mapping[str, Any]]] = defaultdict(list)
    for rep in reps:
        by_act[_key(rep)].append(rep)
    sessions = []
    for act in activities:
        name = workout_name(act.get("workout_label"))
        rows = by_act.get(_key(act), [])
        work = [r for r in rows if r.get("kind") == "work" and r.get("duration_s")]
        if name is None or len(work) < 2:
            continue
        sessions.append(_session(name, act, work, rows))
    counts: dict[str, int] = defaultdict(int)
    for s in sessions:
        counts[s.workout] += 1
    kept = [s for s in sessions if counts[s.workout] >= MIN_SESSIONS]
    return sorted(kept, key=lambda s: (s.workout, s.date or ""))


def _session(name: str, act: Mapping[str, Any], work: list, rows: list) -> WorkoutSession:
    paces = [
        r["duration_s"] / r["distance_m"] * 1000.0 for r in work if (r.get("distance_m") or 0) > 0
    ]
    half = len(paces) // 2
    fade = None
    if half:
        first, second = paces[:half], paces[-half:]
        fade = (sum(second) / half - sum(first) / half) / (sum(first) / half) * 100.0
    recoveries = [
        r["duration_s"] for r in rows if r.get("kind") == "recovery" and r.get("duration_s")
    ]
    return WorkoutSession(
        workout=name,
        date=act.get("date"),
        source=act.get("source") or "",
        session_index=int(act.get("session_index") or 0),
        reps=len(work),
        mean_rep_s=sum(r["duration_s"] for r in work) / len(work),
        mean_rep_pace_s_per_km=sum(paces) / len(paces) if paces else None,
        fade_pct=fade,
        mean_recovery_s=sum(recoveries) / len(recoveries) if recoveries else None,
    )


def _key(row: Mapping[str, Any]) -> tuple:
    return (row.get("source"), row.get("session_index", 0) or 0)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)
