"""The training week by week (a batch): sessions by kind, the distance run, and the best
mile with its trend; month by month when the archive spans more than a year.

guidance.md section 3: once a week a sprint session and a speed-endurance session, and the
best mile over time "so a runner sees the trend the training is for". The week counts are
the weekly review's (``batch.weekly``); continuous runs and distance are counted from the
activity rows by the same rule the review uses for its longest continuous run. Kinds are
side by side, never stacked: one session of sprints and speed endurance counts once in
each, and a stack would add them into sessions that never happened.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...batch.miles import HARD_MILES_WORDS, MIN_WEEKS_FOR_TREND, mile_trend
from ...batch.weekly import CONTINUOUS_TYPES, RUNNING_SPORTS
from ...units import UNIT_M, format_duration
from . import labels, style
from .data import Bar, ChartData, Series

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

SESSION_KINDS = ("sprint", "speed_endurance", "continuous")
KIND_WORDS = {"sprint": "sprint", "speed_endurance": "speed endurance", "continuous": "continuous"}
KIND_COLOURS = {
    "sprint": style.VERMILLION,
    "speed_endurance": style.BLUE,
    "continuous": style.SKY_BLUE,
}
EPOCH = dt.date(1970, 1, 1)
"""Weeks sit on the x axis as days since this date (matplotlib's date numbers)."""
HARD_SHORT = "time trial, race, mile rep, HR \u2265 88 % of max"
"""``batch.miles.HARD_MILES_WORDS`` short enough for a legend."""


def week_x(monday: dt.date) -> float:
    """A week's x position: its Monday as days since :data:`EPOCH`."""
    return float((monday - EPOCH).days)


MONTHS_AFTER_DAYS = 366
"""An archive spanning more than a year is charted by month: a bar a week over years is a
hairline (687 of them over 13 years)."""


def _period(review: Any) -> str:
    weeks = list(review.weeks)
    if not weeks:
        return "week"
    span = (weeks[-1].monday - weeks[0].monday).days
    return "month" if span > MONTHS_AFTER_DAYS else "week"


def _month_of(monday: dt.date) -> dt.date:
    """The month an ISO week belongs to: its Thursday's (ISO 8601's rule for years)."""
    thursday = monday + dt.timedelta(days=3)
    return thursday.replace(day=1)


def _period_key(monday: dt.date, period: str) -> dt.date:
    return _month_of(monday) if period == "month" else monday


def _period_width_days(period: str) -> float:
    return 30.4 if period == "month" else 7.0


def sessions_data(
    review: Any, activities: Iterable[Mapping[str, Any]] = (), *, unit: str = "km"
) -> ChartData:
    """Per week (per month over more than a year): sprint sessions, speed-endurance
    sessions (the review's counts) and continuous runs (from the activity rows) as bars
    side by side, and the running distance [unit] as a series."""
    weeks = list(review.weeks)
    if not weeks:
        return ChartData("sessions", "No activities", notes=("no weeks",))
    rows = list(activities)
    period = _period(review)
    monday_of = {w.week: w.monday for w in weeks}
    continuous = _continuous_by_week(rows)
    distance_m = _distance_by_week(rows, weeks)
    counts: dict[dt.date, dict[str, float]] = {}
    for w in weeks:
        c = counts.setdefault(_period_key(w.monday, period), dict.fromkeys(SESSION_KINDS, 0.0))
        c["sprint"] += w.sprint_sessions
        c["speed_endurance"] += w.speed_endurance_sessions
        c["continuous"] += continuous.get(w.week, 0)
    dist: dict[dt.date, float] = {}
    for week, metres in distance_m.items():
        if week in monday_of:
            key = _period_key(monday_of[week], period)
            dist[key] = dist.get(key, 0.0) + metres
    slot = _period_width_days(period) * 0.84 / len(SESSION_KINDS)
    bars = []
    for start, c in sorted(counts.items()):
        centre = float((start - EPOCH).days) + _period_width_days(period) / 2
        for k, kind in enumerate(SESSION_KINDS):
            x = centre + (k - (len(SESSION_KINDS) - 1) / 2) * slot
            label = start.strftime("%Y-%m") if period == "month" else _week_key(start)
            bars.append(Bar(label, c[kind], None, "", kind, x, kind, 0.0))
    series = {}
    if dist:
        half = _period_width_days(period) / 2
        xs = np.array([float((k - EPOCH).days) + half for k in sorted(dist)])
        ys = np.array([dist[k] / UNIT_M[unit] for k in sorted(dist)])
        series["distance"] = Series(xs, ys, f"distance ({unit})")
    n = len(weeks)
    sprint = sum(w.sprint_sessions > 0 for w in weeks)
    endurance = sum(w.speed_endurance_sessions > 0 for w in weeks)
    title = f"Sprints {sprint} of {n} weeks, speed endurance {endurance} of {n}"
    notes = () if rows else ("continuous runs and distance not counted (no activity rows)",)
    extra = {"period": period, "bar_width_days": slot}
    return ChartData(
        "sessions",
        title,
        unit,
        tuple(bars),
        series=series,
        x_label=period,
        notes=notes,
        extra=extra,
    )


def _week_key(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _distance_by_week(rows: list[Mapping[str, Any]], weeks: list) -> dict[str, float]:
    """Running distance [m] per ISO week: the weeks' own (``distance_m``) when the review
    has it, else summed from the activity rows."""
    own = {w.week: float(w.distance_m) for w in weeks if getattr(w, "distance_m", None)}
    if own:
        return own
    out: dict[str, float] = {}
    for a in rows:
        week, metres = a.get("iso_week"), a.get("distance_m")
        if not week or (a.get("sport") or "") not in RUNNING_SPORTS or not metres:
            continue
        if isinstance(metres, int | float) and math.isfinite(metres):
            out[week] = out.get(week, 0.0) + float(metres)
    return out


def best_mile_data(
    review: Any,
    goal_mile_s: float | None = None,
    activities: Iterable[Mapping[str, Any]] = (),
) -> ChartData:
    """The best mile run hard (``batch.miles``: time trials, races, mile reps, runs at
    threshold heart rate) of each week (month over a long archive) that ran one, with the
    least-squares trend over those weeks (``extra["trend_s_per_week"]``, negative =
    getting faster); apart and never trended, the fastest mile inside the other weeks' runs
    (easy ones too: an easy week is not lost fitness); the goal mile [s] as a line."""
    period = _period(review)
    trend = mile_trend(activities)
    hard: dict[dt.date, float] = {}
    for monday, seconds, _ in trend.weeks:
        key = _period_key(monday, period)
        hard[key] = min(hard.get(key, math.inf), seconds)
    other: dict[dt.date, float] = {}
    for w in review.weeks:
        key = _period_key(w.monday, period)
        if w.best_mile_s and key not in hard:
            other[key] = min(other.get(key, math.inf), float(w.best_mile_s))
    if not hard and not other:
        return ChartData("best_mile", "No mile efforts yet", notes=("no best mile in any week",))
    series = {}
    if hard:
        series["best_mile"] = _points(hard, f"mile run hard ({HARD_SHORT})")
    if other:
        series["other_runs"] = _points(other, f"fastest mile in the {period}'s other runs")
    extra: dict[str, Any] = {"trend_s_per_week": trend.trend_s_per_week, "period": period}
    extra["hard_miles"] = HARD_MILES_WORDS
    if trend.trend_s_per_week is not None:
        x = series["best_mile"].x
        fit = [trend.fit_s(EPOCH + dt.timedelta(days=float(v))) for v in x]
        series["trend"] = Series(x.copy(), np.array(fit, dtype=np.float64), "trend")
    title = _best_mile_title(trend, hard)
    lines = {"goal": float(goal_mile_s)} if goal_mile_s else {}
    notes = (f"hard miles: {HARD_MILES_WORDS}",)
    return ChartData(
        "best_mile", title, "mi", series=series, lines=lines, x_label=period, notes=notes,
        extra=extra,
    )  # fmt: skip


def _points(best: dict[dt.date, float], label: str) -> Series:
    days = sorted(best)
    x = np.array([float((k - EPOCH).days) for k in days])
    return Series(x, np.array([best[k] for k in days], dtype=np.float64), label)


def _best_mile_title(trend: Any, hard: dict[dt.date, float]) -> str:
    if not hard:
        return "No mile run hard yet: no trend"
    title = f"Best mile run hard {format_duration(min(hard.values()))}"
    if trend.trend_s_per_week is None:
        return title + f", no trend (hard miles in under {MIN_WEEKS_FOR_TREND} weeks)"
    way = "faster" if trend.trend_s_per_week < 0 else "slower"
    return title + f", trend {abs(trend.trend_s_per_week):.1f} s {way} a week"


def _continuous_by_week(activities: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Continuous runs per ISO week: runs without work reps whose workout is continuous
    (or unknown), as ``batch.weekly`` counts them."""
    out: dict[str, int] = {}
    for a in activities:
        week = a.get("iso_week")
        if not week or (a.get("sport") or "") not in RUNNING_SPORTS:
            continue
        if not a.get("work_reps") and a.get("workout_type") in (CONTINUOUS_TYPES | {None}):
            out[week] = out.get(week, 0) + 1
    return out


def draw_sessions(fig: Figure | SubFigure, data: ChartData) -> list[Axes]:
    """Sessions by kind side by side per week (or month), counted from zero; the distance
    run below on the same dates."""
    from matplotlib.ticker import MaxNLocator

    from .bars import draw_empty

    if data.empty:
        ax = fig.subplots()
        draw_empty(ax, data)
        return [ax]
    dist = data.series.get("distance")
    if dist is not None:
        ax, dax = fig.subplots(2, 1, sharex=True, height_ratios=(1.6, 1.0))
    else:
        ax, dax = fig.subplots(), None
    width = data.extra.get("bar_width_days", 2.0)
    for kind in SESSION_KINDS:
        bars = [b for b in data.bars if b.stack == kind]
        ax.bar([b.x for b in bars], [b.value for b in bars], width=width * 0.95, bottom=0.0,
               color=KIND_COLOURS[kind], label=KIND_WORDS[kind], gid=f"bars:{kind}",
               zorder=2)  # fmt: skip
    top = max((b.value for b in data.bars), default=1.0)
    ax.set_ylim(0, max(top, 1.0) * 1.1)
    per = data.extra.get("period", "week")
    ax.set_ylabel(f"sessions\na {per}")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes = [ax]
    if dax is not None:
        dax.bar(dist.x, dist.y, width=_period_width_days(per) * 0.8, bottom=0.0,
                color=style.GREY, gid="bars:distance", zorder=2)  # fmt: skip
        dax.set_ylim(0, max(float(np.nanmax(dist.y)), 1.0) * 1.1)
        dax.set_ylabel(f"{data.unit}\na {per}")
        dax.yaxis.set_major_locator(MaxNLocator(nbins=4))
        axes.append(dax)
    xs = [b.x for b in data.bars] + (list(dist.x) if dist is not None else [])
    _date_axis(axes[-1], xs, per)
    fig.legend(loc="outside lower center", ncol=3)
    labels.fit_title(ax, data.title)
    return axes


def draw_best_mile(fig: Figure | SubFigure, data: ChartData) -> list[Axes]:
    """Best mile run hard per week as points (faster up) with its trend line; the fastest
    mile inside other weeks' runs as hollow grey points, off the trend."""
    from .bars import draw_empty

    ax = fig.subplots()
    if data.empty:
        draw_empty(ax, data)
        return [ax]
    other = data.series.get("other_runs")
    if other is not None:  # context only: hollow and grey, never on the trend
        ax.plot(other.x, other.y, "o", mfc="none", mec=style.GREY, ms=7, label=other.label,
                zorder=2, gid="series:other_runs")  # fmt: skip
    best = data.series.get("best_mile")
    if best is not None:
        ax.plot(best.x, best.y, "o", color=style.BLUE, ms=8, label=best.label, zorder=3,
                gid="series:best_mile")  # fmt: skip
    shown = [s for s in (best, other) if s is not None]
    if "trend" in data.series:
        t = data.series["trend"]
        ax.plot(
            t.x, t.y, "--", color=style.BLACK, lw=2, label="trend", zorder=2, gid="series:trend"
        )
    for key, value in data.lines.items():
        ax.axhline(
            value,
            color=style.GOAL,
            ls=":",
            lw=2.4,
            gid=f"line:{key}",
            label=f"goal mile {format_duration(value)}",
        )
    slow, fast = style.pace_limits([*(y for s in shown for y in s.y), *data.lines.values()])
    ax.set_ylim(slow, fast)
    style.pace_axis(ax, "mi", label="mile time (min:sec)")
    _date_axis(ax, [x for s in shown for x in s.x], data.extra.get("period", "week"))
    fig.legend(loc="outside lower center", ncol=1)
    labels.fit_title(ax, data.title)
    return [ax]


MAX_DATE_TICKS = 7


def _date_axis(ax: Axes, xs: list[float], period: str) -> None:
    """Dates on x: Mondays ("2 Mar") every few weeks, or months and years over a long
    archive, at most :data:`MAX_DATE_TICKS` ticks."""
    from matplotlib.dates import MO, AutoDateLocator, ConciseDateFormatter, WeekdayLocator

    lo, hi = min(xs), max(xs)
    pad = _period_width_days(period) * 0.6
    ax.set_xlim(lo - pad, hi + pad)
    if period == "month":
        locator = AutoDateLocator(minticks=3, maxticks=MAX_DATE_TICKS)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator, show_offset=False))
        ax.set_xlabel("month")
        return
    from matplotlib.dates import DateFormatter

    span_weeks = (hi - lo) / 7 + 1
    every = max(1, math.ceil(span_weeks / MAX_DATE_TICKS))
    ax.xaxis.set_major_locator(WeekdayLocator(byweekday=MO, interval=every))
    ax.xaxis.set_major_formatter(DateFormatter("%-d %b\n%Y" if span_weeks > 52 else "%-d %b"))
    ax.set_xlabel("week starting")


def chart_weekly(
    review: Any,
    kind: str = "sessions",
    *,
    activities: Iterable[Mapping[str, Any]] = (),
    goal_mile_s: float | None = None,
    unit: str = "km",
):
    """A Figure of the weekly ``sessions`` or ``best_mile`` chart (``figure.chart_data``
    holds its ChartData)."""
    import matplotlib

    if kind == "sessions":
        data, drawer = sessions_data(review, list(activities), unit=unit), draw_sessions
    elif kind == "best_mile":
        data, drawer = best_mile_data(review, goal_mile_s, list(activities)), draw_best_mile
    else:
        raise ValueError(f"weekly chart kind must be sessions or best_mile, got {kind!r}")
    with matplotlib.rc_context(style.rc()):
        fig = style.new_figure(height_in=5.4 if kind == "sessions" else None)
        drawer(fig, data)
    fig.chart_data = [data]
    return fig


def save_weekly_charts(
    review: Any,
    out_dir: str | Path,
    *,
    activities: Iterable[Mapping[str, Any]] = (),
    fmt: str = "png",
    goal_mile_s: float | None = None,
) -> list[Path]:
    """Write ``weekly-sessions.<fmt>`` and ``weekly-best-mile.<fmt>`` into ``out_dir``."""
    from . import save_figure

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = list(activities)
    written = []
    for kind, name in (("sessions", "weekly-sessions"), ("best_mile", "weekly-best-mile")):
        fig = chart_weekly(review, kind, activities=rows, goal_mile_s=goal_mile_s)
        path = out / f"{name}.{fmt}"
        save_figure(fig, path, fmt)
        written.append(path)
    return written
