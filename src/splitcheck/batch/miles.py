"""The mile run hard: which activities' best mile says something about fitness, and the
trend over the weeks of those alone.

guidance.md section 3 asks for "the best mile effort per week over time ... so a runner
sees the trend the training is for", and section 1 calls a mile effort "any hard
continuous effort of about a mile (a time trial, a race, the fastest mile inside a longer
run, a 1600 m)". The fastest mile found inside an easy run is none of these: mixed into the
trend, an easy week reads as lost fitness. So the trend takes only miles run hard:

- ``time_trial``: a mile (or 1500 m - 1600 m) time trial, its mile effort;
- ``race``: the fastest mile inside a race of 3 km to the marathon;
- ``mile_rep``: the fastest rep of about a mile in an interval session;
- ``hard_run``: the fastest mile of a continuous run whose average heart rate is at least
  :data:`HARD_RUN_HR_FRACTION` of the runner's maximum (a race the file cannot name).

The fastest mile inside other runs (easy, long, tempo, interval sessions with shorter reps,
whose mile window holds recoveries) stays in ``best_mile_s``, shown apart and never trended.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..metrics.series import ols_slope
from ..units import MILE_M, format_duration

HARD_MILE_KINDS = {
    "time_trial": "time trial",
    "race": "race",
    "mile_rep": "mile rep",
    "hard_run": "run at threshold heart rate or above",
}
"""Kinds of hard mile (see the module docstring) and their words."""
HARD_RUN_HR_FRACTION = 0.88
"""A continuous run averaging 88 % of max heart rate or more was run hard: threshold (T)
running is "roughly equal to 88-92 % of max HR", above marathon pace's 80-89 % (J. Daniels,
Daniels' Running Formula, ch. 4 "Types of Training and Intensities"; checked against a
chapter summary, cbaca.blog/reading-daniels-running-formula-chapter-4, 2026-12-03).
88 % sits at the top of the marathon band, so a marathon-paced long run averaging it
counts: a mile run that hard is a fair fitness point too."""
MILE_TOLERANCE = 0.05
"""A rep or effort within 5 % of a mile is a mile (1600 m reps included)."""
MIN_WEEKS_FOR_TREND = 2
EPOCH = dt.date(1970, 1, 1)
RUNNING_SPORTS = frozenset({"running", "trail_running"})
"""As ``batch.weekly.RUNNING_SPORTS`` (not imported: the weekly review imports the tables,
which import this module)."""
HARD_MILES_WORDS = "time trials, races, mile reps and runs at 88 % of max heart rate or more"


def hard_mile(doc: Mapping[str, Any]) -> tuple[float | None, str | None]:
    """The mile this activity ran hard [s, scaled to exactly a mile] and its kind (one of
    :data:`HARD_MILE_KINDS`), from its JSON document (``Analysis.to_dict()``); (None,
    None) when it ran none (the heart-rate rule needs the archive's max HR: see
    :func:`with_hard_run`)."""
    workout = doc.get("workout") or {}
    if workout.get("type") == "time_trial" and doc.get("mile_effort"):
        return _mile_s(doc["mile_effort"]), "time_trial"
    race = workout.get("race")
    best = (doc.get("efforts") or {}).get("mile")
    if race and best and _within(best, race):
        return _mile_s(best), "race"
    reps = [
        _mile_s(i)
        for i in doc.get("intervals") or []
        if i.get("kind") == "work" and _is_mile(i.get("distance_m"))
    ]
    reps = [t for t in reps if t is not None]
    if reps:
        return min(reps), "mile_rep"
    return None, None


def with_hard_run(row: dict[str, Any], max_hr_bpm: float | None) -> dict[str, Any]:
    """``row`` with its best mile as a ``hard_run`` mile when it is a continuous run
    averaging :data:`HARD_RUN_HR_FRACTION` of ``max_hr_bpm`` or more (a new dict; the row
    unchanged when it has a hard mile already, or no heart rate, or no max HR)."""
    hr, best = row.get("avg_hr_bpm"), row.get("best_mile_s")
    if row.get("hard_mile_s") is not None or not max_hr_bpm or not _finite(hr) or not best:
        return row
    if row.get("workout_type") != "continuous" or row.get("work_reps"):
        return row
    if (row.get("sport") or "") not in RUNNING_SPORTS:
        return row
    if float(hr) < HARD_RUN_HR_FRACTION * max_hr_bpm:
        return row
    return {**row, "hard_mile_s": best, "hard_mile_kind": "hard_run"}


@dataclass(frozen=True)
class MileTrend:
    """The best hard mile of each week that ran one (``weeks``: Monday, seconds, kind),
    and the least-squares trend over them [s per week, negative = getting faster]; None
    with fewer than :data:`MIN_WEEKS_FOR_TREND` such weeks."""

    weeks: tuple[tuple[dt.date, float, str], ...]
    trend_s_per_week: float | None

    @property
    def best_s(self) -> float | None:
        return min((s for _, s, _ in self.weeks), default=None)

    def fit_s(self, day: dt.date) -> float | None:
        """The trend line's mile time on ``day`` [s]."""
        if self.trend_s_per_week is None:
            return None
        x = [(d - EPOCH).days for d, _, _ in self.weeks]
        y = [s for _, s, _ in self.weeks]
        mid_x, mid_y = sum(x) / len(x), sum(y) / len(y)
        return mid_y + self.trend_s_per_week / 7 * ((day - EPOCH).days - mid_x)

    def words(self) -> str:
        """``best mile effort 6:39.0 (race, week of 2018-03-26); trend 1.2 s faster a
        week, from the 5 weeks with a hard mile between 2018-02-26 and 2018-03-26``."""
        if not self.weeks:
            return f"no mile run hard yet ({HARD_MILES_WORDS}): no trend"
        monday, best, kind = min(self.weeks, key=lambda w: w[1])
        text = (
            f"best mile effort {format_duration(best, decimals=1)} "
            f"({HARD_MILE_KINDS.get(kind, kind)}, week of {monday.isoformat()})"
        )
        if self.trend_s_per_week is None:
            return text + f"; a trend needs hard miles in {MIN_WEEKS_FOR_TREND} weeks or more"
        way = "faster" if self.trend_s_per_week < 0 else "slower"
        first, last = min(w[0] for w in self.weeks), max(w[0] for w in self.weeks)
        return (
            text + f"; trend {abs(self.trend_s_per_week):.1f} s {way} a week, from the "
            f"{len(self.weeks)} weeks with a hard mile between {first.isoformat()} and "
            f"{last.isoformat()}"
        )


def mile_trend(activities: Iterable[Mapping[str, Any]]) -> MileTrend:
    """:class:`MileTrend` of the activity rows (dated: ``date``; ``hard_mile_s``,
    ``hard_mile_kind``), one point a week: its fastest hard mile."""
    best: dict[dt.date, tuple[float, str]] = {}
    for row in activities:
        mile, day = row.get("hard_mile_s"), row.get("date")
        if not _finite(mile) or not day or (row.get("sport") or "") not in RUNNING_SPORTS:
            continue
        monday = dt.date.fromisoformat(str(day)[:10])
        monday -= dt.timedelta(days=monday.weekday())
        if monday not in best or mile < best[monday][0]:
            best[monday] = (float(mile), str(row.get("hard_mile_kind") or ""))
    points = tuple((d, s, k) for d, (s, k) in sorted(best.items()))
    slope = None
    if len(points) >= MIN_WEEKS_FOR_TREND:
        x = [(d - EPOCH).days for d, _, _ in points]
        per_day = ols_slope(x, [s for _, s, _ in points])
        slope = per_day * 7 if math.isfinite(per_day) else None
    return MileTrend(points, slope)


def _within(inner: Mapping[str, Any], outer: Mapping[str, Any], slack_s: float = 1.0) -> bool:
    return (
        outer["start_s"] - slack_s <= inner["start_s"]
        and inner["end_s"] <= outer["end_s"] + slack_s
    )


def _is_mile(distance_m: Any) -> bool:
    return _finite(distance_m) and abs(float(distance_m) / MILE_M - 1.0) <= MILE_TOLERANCE


def _mile_s(effort: Mapping[str, Any]) -> float | None:
    t, d = effort.get("duration_s"), effort.get("distance_m")
    if not _finite(t) or not _is_mile(d) or t <= 0:
        return None
    return round(float(t) * MILE_M / float(d), 2)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)
