"""The archive view: from a batch's tables to weeks and months of volume, the weekly review,
training load (fitness, fatigue, form), records and repeated workouts.

:func:`archive_view` is pure Python over the table rows (no pandas); the command prints and
writes it, :func:`splitcheck.batch` turns it into DataFrames. A period (``since`` ..
``until``) selects the weeks, months and days shown; fitness is still computed from the
first activity (the load before ``since`` is what the runner starts the period with), and
records and workouts cover the whole archive.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ProfileError
from ..profile import Profile
from .load import (
    FitnessDay,
    LoadScale,
    LoadSettings,
    activity_load,
    fitness,
    hr_by_activity,
    load_scale,
    settings_for,
    zone_seconds,
)
from .miles import HARD_MILES_WORDS, MileTrend, mile_trend, with_hard_run
from .records import Record, WorkoutSession, plausible, races, records, workouts
from .tables import local_clocks, with_local_dates
from .volume import Period, volume
from .weekly import RUNNING_SPORTS, WeeklyReview, weekly_review

_LAST = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)
_LAST_DAYS = {"d": 1, "w": 7}


@dataclass(frozen=True)
class ArchiveView:
    """Everything the archive shows, for the period asked (typed rows, JSON-ready)."""

    activities: tuple[dict[str, Any], ...]
    weeks: tuple[Period, ...]
    months: tuple[Period, ...]
    review: WeeklyReview
    fitness: tuple[FitnessDay, ...]
    records: tuple[Record, ...]
    races: tuple[Record, ...]
    workouts: tuple[WorkoutSession, ...]
    load_settings: LoadSettings
    since: dt.date | None = None
    until: dt.date | None = None
    mile_trend: MileTrend = MileTrend((), None)
    """The best mile run hard each week and its trend (:mod:`.miles`): easy runs' fastest
    miles are left out of it."""

    def __repr__(self) -> str:
        span = f"{self.weeks[0].period}..{self.weeks[-1].period}" if self.weeks else "empty"
        return (
            f"ArchiveView({len(self.activities)} activities, {len(self.weeks)} weeks {span}, "
            f"{len(self.records)} records)"
        )

    def week_rows(self) -> list[dict[str, Any]]:
        """Each week's volume and review in one dict (``weeks[]`` of the JSON output)."""
        review = {w.week: w.to_dict() for w in self.review.weeks}
        hard = {monday: (s, kind) for monday, s, kind in self.mile_trend.weeks}
        rows = []
        for p in self.weeks:
            judged = review.get(p.period, {})
            mile_s, kind = hard.get(p.start, (None, None))
            rows.append(
                {
                    "week": p.period,
                    **p.to_dict(),
                    **_review_part(judged),
                    "hard_mile_s": mile_s,
                    "hard_mile_kind": kind,
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "timezone": self.review.timezone,
            "local_times": local_clocks(self.activities),
            "level": self.review.level,
            "not_judged": list(self.review.not_judged),
            "notes": list(self.review.notes),
            "thresholds": self.review.thresholds,
            "load_settings": {
                "max_hr_bpm": self.load_settings.max_hr_bpm,
                "rest_hr_bpm": self.load_settings.rest_hr_bpm,
                "threshold_speed_mps": self.load_settings.threshold_speed_mps,
                "estimated": list(self.load_settings.sources),
            },
            "weeks": self.week_rows(),
            "months": [p.to_dict() for p in self.months],
            "fitness": [d.to_dict() for d in self.fitness],
            "records": [r.to_dict() for r in self.records],
            "races": [r.to_dict() for r in self.races],
            "workouts": [w.to_dict() for w in self.workouts],
            "mile_trend": {
                "hard_miles": HARD_MILES_WORDS,
                "best_s": self.mile_trend.best_s,
                "trend_s_per_week": self.mile_trend.trend_s_per_week,
                "weeks_with_one": len(self.mile_trend.weeks),
                "words": self.mile_trend.words(),
            },
        }


def _review_part(week: Mapping[str, Any]) -> dict[str, Any]:
    keep = (
        "sprint_sessions",
        "speed_endurance_sessions",
        "longest_continuous_run_s",
        "has_30_min_run",
        "back_to_back_days",
        "hard_previous_mean_min",
        "hard_change_pct",
        "cross_training",
        "best_mile_s",
        "predicted_mile_s",
        "flags",
        "review",
        "break_weeks",
    )
    return {k: week.get(k) for k in keep if k in week}


def parse_last(text: str, until: dt.date) -> dt.date:
    """The first day of ``--last 12w`` (days d, weeks w, months m, years y) ending ``until``:
    ``12w`` is the 12 ISO weeks up to and including ``until``'s week."""
    m = _LAST.match(text or "")
    if not m or int(m.group(1)) < 1:
        raise ProfileError(f"--last {text!r}: give a count and d, w, m or y, e.g. 12w or 6m")
    n, unit = int(m.group(1)), m.group(2).lower()
    if unit == "d":
        return until - dt.timedelta(days=n - 1)
    if unit == "w":
        return until - dt.timedelta(days=until.weekday()) - dt.timedelta(weeks=n - 1)
    months = n if unit == "m" else 12 * n
    index = until.year * 12 + until.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def archive_view(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    profile: Profile | None = None,
    tz: dt.tzinfo = dt.UTC,
    since: dt.date | None = None,
    until: dt.date | None = None,
    last: str | None = None,
) -> ArchiveView:
    """The archive's weeks, months, review, load, records and workouts (see the module).

    ``last`` (``12w``, ``90d``, ``6m``, ``1y``) sets ``since`` counting back from
    ``until`` (default: today in ``tz``).
    """
    if last:
        if since is not None:
            raise ProfileError("--last and --since both set the start: give one of them")
        until = until or dt.datetime.now(tz).date()
        since = parse_last(last, until)
    if since and until and since > until:
        raise ProfileError(f"--since {since} is after --until {until}")
    acts = _dated(tables.get("activities", []), tz)
    hists = hr_by_activity(tables.get("heart_rate", []))
    kept = {(a.get("source"), a.get("session_index", 0)): a for a in acts}
    efforts = [
        {**e, "date": kept[k].get("date")}
        for e in tables.get("efforts", [])
        if (k := (e.get("source"), e.get("session_index", 0))) in kept and plausible(e)
    ]
    days = [dt.date.fromisoformat(a["date"]) for a in acts if a.get("date")]
    runs = {k for k, a in kept.items() if (a.get("sport") or "") in RUNNING_SPORTS}
    run_efforts = [e for e in efforts if (e.get("source"), e.get("session_index", 0)) in runs]
    settings = settings_for(profile, hists, run_efforts, max(days) if days else None)
    loads = {k: activity_load(a, hists.get(k), settings)[:2] for k, a in kept.items()}
    scale = load_scale(loads.values())
    settings = dataclasses.replace(settings, sources=(*settings.sources, scale.words()))
    acts = [
        with_hard_run(_with_load(a, loads[k], hists.get(k), settings, scale), settings.max_hr_bpm)
        for k, a in kept.items()
    ]
    review = weekly_review(
        acts, tables.get("reps", []), level=getattr(profile, "level", None), tz=tz
    )
    first_day, last_day = _span(days, since, until)
    weeks: list[Period] = []
    months: list[Period] = []
    days_out: list[FitnessDay] = []
    if first_day is not None and last_day is not None:
        weeks = volume(acts, "week", first_day, last_day)
        months = volume(acts, "month", first_day, last_day)
        daily: dict[dt.date, float] = defaultdict(float)
        for a in acts:
            if a.get("date") and a.get("load"):
                daily[dt.date.fromisoformat(a["date"])] += float(a["load"])
        start = min(days) if days else first_day
        days_out = [
            d for d in fitness(daily, min(start, first_day), last_day) if d.date >= first_day
        ]
    best = records(efforts, acts)
    windowed = since is not None or until is not None
    shown = [a for a in acts if _within(a.get("date"), first_day, last_day, windowed)]
    weekly = {p.period for p in weeks}
    review = _review_within(review, weekly)
    return ArchiveView(
        activities=tuple(shown),
        weeks=tuple(weeks),
        months=tuple(months),
        review=review,
        fitness=tuple(days_out),
        records=tuple(best),
        races=tuple(races(efforts, acts, best)),
        workouts=tuple(workouts(acts, tables.get("reps", []))),
        load_settings=settings,
        since=since,
        until=until,
        mile_trend=mile_trend(shown),
    )


def _dated(rows: Sequence[Mapping[str, Any]], tz: dt.tzinfo) -> list[dict[str, Any]]:
    return with_local_dates(list(rows), tz)  # type: ignore[arg-type]


def _with_load(
    act: dict[str, Any], loads: tuple, hist, settings: LoadSettings, scale: LoadScale
) -> dict[str, Any]:
    t, r = loads
    load, load_from = scale.load(t, r)
    has_hr = hist is not None and len(hist[0]) > 0
    zones = zone_seconds(hist, settings.max_hr_bpm) if has_hr and settings.max_hr_bpm else None
    out = {
        **act,
        "trimp": None if t is None else round(t, 1),
        "rtss": None if r is None else round(r, 1),
        "load": None if load is None else round(load, 1),
        "load_from": load_from,
    }
    for i in range(5):
        out[f"z{i + 1}_s"] = None if zones is None else round(zones[i], 1)
    return out


def _span(days: list[dt.date], since, until) -> tuple[dt.date | None, dt.date | None]:
    if not days and not (since and until):
        return None, None
    first = since or min(days)
    last = until or max([*days, first])
    return first, last


def _within(date: str | None, first: dt.date | None, last: dt.date | None, windowed: bool) -> bool:
    """In the period; an activity without a date is listed unless a period was asked."""
    if not date or first is None or last is None:
        return not windowed
    return first.isoformat() <= date <= last.isoformat()


def _review_within(review: WeeklyReview, weeks: set[str]) -> WeeklyReview:
    import dataclasses

    return dataclasses.replace(review, weeks=tuple(w for w in review.weeks if w.week in weeks))
