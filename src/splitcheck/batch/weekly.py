"""The training week by week, judged against guidance.md section 3 (article tips #1, #6, #7).

Per ISO week (Monday to Sunday, in the runner's time zone) from the batch's activity and rep
rows: sprint and speed-endurance sessions, the longest continuous run, back-to-back running
days, hard minutes and their jump over the previous weeks, cross-training, and the best
and predicted mile. Rules that depend on the runner's level say "not judged" when the level
is unknown, rather than guessing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .review_words import FLAG_WORDS
from .sessions import (
    MIN_REPS_PER_SESSION,
    SPEED_ENDURANCE_MIN_REP_M,
    SPEED_ENDURANCE_MIN_REP_S,
    SPRINT_MAX_REP_M,
    SPRINT_MAX_REP_S,
    rep_kinds,
    session_kinds,
)
from .tables import clock_words, local_day

__all__ = [
    "HARD_JUMP_PCT",
    "Week",
    "WeeklyReview",
    "rep_kinds",
    "session_kinds",
    "weekly_review",
]

SPRINTS_PER_WEEK = 1
SPEED_ENDURANCE_PER_WEEK = 1
""""Once a week, add short, super fast sprint intervals ... and at least once a week add
the longer running intervals" (article tips #1 and #6)."""
LONG_RUN_MIN_S = 30 * 60.0
""""Build up to at least one 30-minute run per week" (beginners; article tip #7)."""
HARD_JUMP_PCT = 30.0
HARD_JUMP_HISTORY_WEEKS = 3
"""Flag weekly hard minutes more than 30 % above the mean of the previous 3 weeks
(guidance.md default for "build the intensity of your workouts gradually")."""
BREAK_MIN_WEEKS = 2
"""Two or more weeks in a row without a run are a break: the hard-minutes jump after it is
measured against the weeks before it, and the break is named (one week off is a rest
week, counted as a week of zero hard minutes)."""
RUNNING_SPORTS = frozenset({"running", "trail_running"})
NOT_CROSS_TRAINING = frozenset({"transition", "unknown", "generic", "multisport", ""})
"""Sports that are neither running nor cross-training (triathlon transitions, untyped)."""
CONTINUOUS_TYPES = frozenset({"continuous"})
"""Workout types that are one continuous run (None, before the workout is known, counts
too when the activity has no work reps)."""


@dataclass(frozen=True)
class Week:
    """One ISO week of training; times in seconds, miles in seconds."""

    week: str
    monday: dt.date
    activities: int = 0
    runs: int = 0
    run_days: tuple[str, ...] = ()
    sprint_sessions: int = 0
    speed_endurance_sessions: int = 0
    longest_continuous_run_s: float | None = None
    back_to_back: tuple[tuple[str, str], ...] = ()
    hard_s: float = 0.0
    hard_previous_s: float | None = None
    hard_change_pct: float | None = None
    cross_training: int = 0
    best_mile_s: float | None = None
    predicted_mile_s: float | None = None
    flags: tuple[str, ...] = ()
    break_weeks: int = 0
    """Weeks without a run just before this one, when they were a break (else 0)."""

    def __repr__(self) -> str:
        return f"Week({self.week}, runs={self.runs}, review={self.words()!r})"

    def words(self) -> list[str]:
        """The week's review in words (empty: nothing to say)."""
        out = []
        for flag in self.flags:
            text = FLAG_WORDS.get(flag, flag.replace("_", " "))
            if flag == "back_after_break":
                text = f"first week back after a {self.break_weeks}-week break"
            elif flag == "hard_minutes_jump":
                if self.hard_change_pct is not None:
                    text = f"hard minutes up {self.hard_change_pct:.0f} %"
                    text += " on the weeks before the break" if self.break_weeks else ""
                elif self.break_weeks:  # not "after weeks without any on the weeks before"
                    text = "hard minutes, where the weeks before the break had none"
                else:
                    text = "hard minutes after weeks without any"
            out.append(text)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week,
            "monday": self.monday.isoformat(),
            "activities": self.activities,
            "runs": self.runs,
            "run_days": list(self.run_days),
            "sprint_sessions": self.sprint_sessions,
            "speed_endurance_sessions": self.speed_endurance_sessions,
            "longest_continuous_run_s": _r(self.longest_continuous_run_s),
            "has_30_min_run": self.has_long_run,
            "back_to_back_days": [list(p) for p in self.back_to_back],
            "hard_min": _minutes(self.hard_s),
            "hard_previous_mean_min": _minutes(self.hard_previous_s),
            "hard_change_pct": _r(self.hard_change_pct, 1),
            "cross_training": self.cross_training,
            "best_mile_s": _r(self.best_mile_s),
            "predicted_mile_s": _r(self.predicted_mile_s),
            "flags": list(self.flags),
            "review": self.words(),
            "break_weeks": self.break_weeks,
        }

    @property
    def has_long_run(self) -> bool:
        return (self.longest_continuous_run_s or 0.0) >= LONG_RUN_MIN_S


@dataclass(frozen=True)
class WeeklyReview:
    """Weeks in order (gaps included, so the hard-minutes history is honest), the runner's
    level the rules were judged for, and what could not be judged."""

    weeks: tuple[Week, ...]
    level: str | None
    timezone: str
    not_judged: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    thresholds: dict[str, float] = field(default_factory=dict)

    def __repr__(self) -> str:
        span = f"{self.weeks[0].week}..{self.weeks[-1].week}" if self.weeks else "no weeks"
        return f"WeeklyReview({len(self.weeks)} weeks, {span}, level={self.level})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "timezone": self.timezone,
            "thresholds": self.thresholds,
            "not_judged": list(self.not_judged),
            "notes": list(self.notes),
            "weeks": [w.to_dict() for w in self.weeks],
        }


def weekly_review(
    activities: Iterable[Mapping[str, Any]],
    reps: Iterable[Mapping[str, Any]] = (),
    *,
    level: str | None = None,
    tz: dt.tzinfo | None = dt.UTC,
) -> WeeklyReview:
    """Judge the training week by week (guidance.md section 3).

    Parameters
    ----------
    activities, reps : iterables of dict
        Rows of the batch's ``activities`` and ``reps`` tables (duplicates already removed
        from ``activities``; reps of activities not listed are ignored).
    level : {"beginner", "experienced"}, optional
        Which rules apply: the 30-minute run and back-to-back days are beginners' rules,
        cross-training the experienced runner's; unknown: those are reported, not judged.
    tz : tzinfo or None
        The runner's time zone: days and ISO weeks are local (a run at 20:00 in New York
        belongs to that day, not the next UTC day). None: each activity's own local time
        (its ``utc_offset_s``, from the file or its start position), else UTC.
    """
    acts = [a for a in activities if a.get("start_utc")]
    work = _work_reps_by_activity(reps)
    by_week: dict[str, list[tuple[dt.date, Mapping[str, Any]]]] = defaultdict(list)
    for act in acts:
        day = local_day(act, tz) or dt.date.min
        by_week[_iso_week(day)].append((day, act))
    run_days = sorted({day for rows in by_week.values() for day, a in rows if _is_run(a)})
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pair in _back_to_back(run_days):  # a pair belongs to the week of its second day
        pairs[_iso_week(dt.date.fromisoformat(pair[1]))].append(pair)
    weeks: list[Week] = []
    for monday in _mondays(by_week):
        key = _iso_week(monday)
        week = _week(key, monday, by_week.get(key, []), work, pairs.get(key, []))
        weeks.append(_with_flags(week, weeks, level))
    return WeeklyReview(
        weeks=tuple(weeks),
        level=level,
        timezone=clock_words(acts, tz),
        not_judged=_not_judged(level),
        notes=_notes(acts),
        thresholds=_thresholds(),
    )


def _week(key, monday, rows, work, pairs) -> Week:
    runs = [(day, a) for day, a in rows if _is_run(a)]
    sprint = speed_endurance = 0
    continuous: list[float] = []
    for _, act in runs:
        reps = work.get((act.get("source"), act.get("session_index", 0)), [])
        kinds = session_kinds(reps)
        sprint += "sprint" in kinds
        speed_endurance += "speed_endurance" in kinds
        if not reps and act.get("workout_type") in (CONTINUOUS_TYPES | {None}):
            continuous.append(float(act.get("moving_s") or act.get("timer_s") or 0.0))
    days = sorted({day.isoformat() for day, _ in runs})
    return Week(
        week=key,
        monday=monday,
        activities=len(rows),
        runs=len(runs),
        run_days=tuple(days),
        sprint_sessions=sprint,
        speed_endurance_sessions=speed_endurance,
        longest_continuous_run_s=max(continuous) if continuous else None,
        back_to_back=tuple(pairs),
        hard_s=sum(float(a.get("hard_s") or 0.0) for _, a in runs),
        cross_training=sum(1 for _, a in rows if _is_cross_training(a)),
        best_mile_s=_min(a.get("best_mile_s") for _, a in runs),
        predicted_mile_s=_min(a.get("predicted_mile_s") for _, a in runs),
    )


def _with_flags(week: Week, previous: list[Week], level: str | None) -> Week:
    """Flags from the week's runs (a week without runs is a break: no session to judge);
    the hard-minutes jump from the weeks before, leaving out the weeks of a break."""
    history, gap = _history(previous)
    before = _hard_previous_s(history)
    change = None
    if before is not None and before > 0:
        change = (week.hard_s - before) / before * 100.0
    flags: list[str] = []
    back = week.runs > 0 and gap >= BREAK_MIN_WEEKS
    if back:
        flags.append("back_after_break")
    if week.runs:
        if week.sprint_sessions < SPRINTS_PER_WEEK:
            flags.append("no_sprint_session")
        if week.speed_endurance_sessions < SPEED_ENDURANCE_PER_WEEK:
            flags.append("no_speed_endurance_session")
        if level == "beginner" and not week.has_long_run:
            flags.append("no_30_min_run")
        if level == "beginner" and week.back_to_back:
            flags.append("back_to_back_days")
        if level == "experienced" and week.cross_training == 0:
            flags.append("no_cross_training")
    jump_from_none = before == 0 and week.hard_s > 0  # any hard time after none is a jump
    if (change is not None and change > HARD_JUMP_PCT) or jump_from_none:
        flags.append("hard_minutes_jump")
    return dataclasses.replace(
        week,
        hard_previous_s=before,
        hard_change_pct=change,
        flags=tuple(flags),
        break_weeks=gap if back else 0,
    )


def _history(previous: list[Week]) -> tuple[list[Week], int]:
    """The weeks a week is compared with: the previous weeks less every break (runs of
    :data:`BREAK_MIN_WEEKS` or more weeks without a run), enough of them for the mean; and
    how many weeks without a run come just before this week. Walks back from the latest
    week, so a long archive costs the same per week."""
    gap = 0
    while gap < len(previous) and not previous[-1 - gap].runs:
        gap += 1
    recent: list[Week] = []  # most recent first
    idle: list[Week] = list(previous[len(previous) - gap :][::-1])
    if gap >= BREAK_MIN_WEEKS:
        idle = []
    recent += idle
    idle = []
    j = len(previous) - gap - 1
    while j >= 0 and len(recent) < HARD_JUMP_HISTORY_WEEKS:
        w = previous[j]
        if w.runs:
            if len(idle) < BREAK_MIN_WEEKS:
                recent += idle  # a rest week counts, as zero hard minutes
            idle = []
            recent.append(w)
        else:
            idle.append(w)
        j -= 1
    if j < 0 and len(idle) < BREAK_MIN_WEEKS:
        recent += idle
    return recent[::-1], gap


def _hard_previous_s(previous: list[Week]) -> float | None:
    """Mean weekly hard time of the previous weeks [s]; None without enough history."""
    if len(previous) < HARD_JUMP_HISTORY_WEEKS:
        return None
    return sum(w.hard_s for w in previous[-HARD_JUMP_HISTORY_WEEKS:]) / HARD_JUMP_HISTORY_WEEKS


def _work_reps_by_activity(reps: Iterable[Mapping[str, Any]]) -> dict[tuple, list]:
    out: dict[tuple, list] = defaultdict(list)
    for rep in reps:
        if rep.get("kind") == "work":
            out[(rep.get("source"), rep.get("session_index", 0))].append(rep)
    return out


def _back_to_back(days: list[dt.date]) -> list[tuple[str, str]]:
    return [
        (a.isoformat(), b.isoformat())
        for a, b in zip(days, days[1:], strict=False)
        if b - a == dt.timedelta(days=1)
    ]


def _mondays(by_week: Mapping[str, Any]) -> list[dt.date]:
    """Every Monday from the first to the last week with an activity (gaps included)."""
    if not by_week:
        return []
    firsts = sorted(dt.date.fromisocalendar(*_parse_week(k), 1) for k in by_week)
    n = (firsts[-1] - firsts[0]).days // 7 + 1
    return [firsts[0] + dt.timedelta(weeks=i) for i in range(n)]


def _is_run(act: Mapping[str, Any]) -> bool:
    return (act.get("sport") or "") in RUNNING_SPORTS


def _is_cross_training(act: Mapping[str, Any]) -> bool:
    sport = act.get("sport") or ""
    return sport not in RUNNING_SPORTS and sport not in NOT_CROSS_TRAINING


def _not_judged(level: str | None) -> tuple[str, ...]:
    if level in ("beginner", "experienced"):
        return ()
    return (
        "30-minute run, back-to-back days and cross-training: the runner's level is unknown "
        "(beginner rules and experienced rules differ; give --level)",
    )


def _notes(acts: list[Mapping[str, Any]]) -> tuple[str, ...]:
    unknown = sum(1 for a in acts if (a.get("sport") or "unknown") in ("unknown", "generic"))
    if not unknown:
        return ()
    return (
        f"{unknown} activities of unknown sport were counted neither as runs nor as cross-training",
    )


def _thresholds() -> dict[str, float]:
    return {
        "sprint_max_rep_s": SPRINT_MAX_REP_S,
        "sprint_max_rep_m": SPRINT_MAX_REP_M,
        "speed_endurance_min_rep_s": SPEED_ENDURANCE_MIN_REP_S,
        "speed_endurance_min_rep_m": SPEED_ENDURANCE_MIN_REP_M,
        "min_reps_per_session": MIN_REPS_PER_SESSION,
        "long_run_min_s": LONG_RUN_MIN_S,
        "hard_jump_pct": HARD_JUMP_PCT,
        "hard_jump_history_weeks": HARD_JUMP_HISTORY_WEEKS,
        "break_min_weeks": BREAK_MIN_WEEKS,
    }


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _parse_week(key: str) -> tuple[int, int]:
    year, week = key.split("-W")
    return int(year), int(week)


def _min(values: Iterable[Any]) -> float | None:
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    return min(finite) if finite else None


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)
