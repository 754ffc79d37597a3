"""The training week by week (a batch): sessions by kind, and the best mile with its trend.

guidance.md section 3: once a week a sprint session and a speed-endurance session, and the
best mile over time "so a runner sees the trend the training is for". The week counts are
the weekly review's (``batch.weekly``); continuous runs are counted from the activity rows
by the same rule the review uses for its longest continuous run.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...batch.weekly import CONTINUOUS_TYPES, RUNNING_SPORTS
from ...metrics.series import ols_slope
from ...units import format_duration
from . import style
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
MIN_WEEKS_FOR_TREND = 2


def week_x(monday: dt.date) -> float:
    """A week's x position: its Monday as days since :data:`EPOCH`."""
    return float((monday - EPOCH).days)


def sessions_data(review: Any, activities: Iterable[Mapping[str, Any]] = ()) -> ChartData:
    """Stacked bars per ISO week: sprint and speed-endurance sessions (the review's counts)
    and continuous runs (from the activity rows, when given)."""
    weeks = list(review.weeks)
    if not weeks:
        return ChartData("sessions", "No activities", notes=("no weeks",))
    continuous = _continuous_by_week(activities)
    bars = []
    for w in weeks:
        counts = {
            "sprint": w.sprint_sessions,
            "speed_endurance": w.speed_endurance_sessions,
            "continuous": continuous.get(w.week, 0),
        }
        base = 0
        for kind in SESSION_KINDS:
            bars.append(
                Bar(
                    w.week, float(counts[kind]), None, "", kind, week_x(w.monday), kind, float(base)
                )
            )
            base += counts[kind]
    n = len(weeks)
    sprint = sum(w.sprint_sessions > 0 for w in weeks)
    endurance = sum(w.speed_endurance_sessions > 0 for w in weeks)
    title = f"Sprints {sprint} of {n} weeks, speed endurance {endurance} of {n}"
    notes = () if activities else ("continuous runs not counted (no activity rows given)",)
    return ChartData("sessions", title, bars=tuple(bars), x_label="week", notes=notes)


def best_mile_data(review: Any, goal_mile_s: float | None = None) -> ChartData:
    """The best mile [s] of each week that has one, its least-squares trend over the
    weeks (``extra["trend_s_per_week"]``, negative = getting faster), and the goal mile
    [s] as a line when given."""
    pts = [(week_x(w.monday), w.best_mile_s) for w in review.weeks if w.best_mile_s]
    if not pts:
        return ChartData("best_mile", "No mile efforts yet", notes=("no best mile in any week",))
    x = np.array([p[0] for p in pts])
    y = np.array([p[1] for p in pts], dtype=np.float64)
    series = {"best_mile": Series(x, y, "best mile of the week")}
    extra: dict[str, Any] = {"trend_s_per_week": None}
    title = f"Best mile {format_duration(float(y.min()))}"
    if len(pts) >= MIN_WEEKS_FOR_TREND:
        slope_per_day = ols_slope(x, y)
        fit = y.mean() + slope_per_day * (x - x.mean())
        series["trend"] = Series(x.copy(), fit, "trend")
        per_week = slope_per_day * 7
        extra["trend_s_per_week"] = per_week
        way = "faster" if per_week < 0 else "slower"
        title += f", trend {abs(per_week):.1f} s {way} a week"
    lines = {"goal": float(goal_mile_s)} if goal_mile_s else {}
    return ChartData(
        "best_mile", title, "mi", series=series, lines=lines, x_label="week", extra=extra
    )


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
    """Stacked session bars per week, coloured by kind."""
    from .laps import draw_empty

    ax = fig.subplots()
    if data.empty:
        draw_empty(ax, data)
        return [ax]
    for kind in SESSION_KINDS:
        bars = [b for b in data.bars if b.stack == kind]
        ax.bar(
            [b.x for b in bars],
            [b.value for b in bars],
            bottom=[b.base for b in bars],
            width=5,
            color=KIND_COLOURS[kind],
            label=KIND_WORDS[kind],
            gid=f"bars:{kind}",
            zorder=2,
        )
    top = max((b.base + b.value for b in data.bars), default=1.0)
    ax.set_ylim(0, max(top, 1.0) * 1.08)
    ax.set_ylabel("sessions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    _week_axis(ax, [b.x for b in data.bars])
    ax.set_title(style.wrap_title(data.title), loc="left")
    fig.legend(loc="outside lower center", ncol=3)
    return [ax]


def draw_best_mile(fig: Figure | SubFigure, data: ChartData) -> list[Axes]:
    """Best mile per week as points (faster up) with the trend line."""
    from .laps import draw_empty

    ax = fig.subplots()
    if data.empty:
        draw_empty(ax, data)
        return [ax]
    best = data.series["best_mile"]
    ax.plot(
        best.x,
        best.y,
        "o",
        color=style.BLUE,
        ms=8,
        label=best.label,
        zorder=3,
        gid="series:best_mile",
    )
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
    slow, fast = style.pace_limits([*best.y, *data.lines.values()])
    ax.set_ylim(slow, fast)
    style.pace_axis(ax, "mi", label="mile time (min:sec)")
    _week_axis(ax, list(best.x))
    ax.set_title(style.wrap_title(data.title), loc="left")
    fig.legend(loc="outside lower center", ncol=3)
    return [ax]


MAX_WEEK_TICKS = 7


def _week_axis(ax: Axes, xs: list[float]) -> None:
    """Ticks on Mondays ("2 Mar"), every few weeks so at most :data:`MAX_WEEK_TICKS`."""
    from matplotlib.dates import MO, DateFormatter, WeekdayLocator

    span_weeks = (max(xs) - min(xs)) / 7 + 1 if xs else 1
    every = max(1, math.ceil(span_weeks / MAX_WEEK_TICKS))
    ax.xaxis.set_major_locator(WeekdayLocator(byweekday=MO, interval=every))
    ax.xaxis.set_major_formatter(DateFormatter("%-d %b\n%Y" if span_weeks > 52 else "%-d %b"))
    ax.set_xlim(min(xs) - 4, max(xs) + 4)
    ax.set_xlabel("week starting")


def chart_weekly(
    review: Any,
    kind: str = "sessions",
    *,
    activities: Iterable[Mapping[str, Any]] = (),
    goal_mile_s: float | None = None,
):
    """A Figure of the weekly ``sessions`` or ``best_mile`` chart (``figure.chart_data``
    holds its ChartData)."""
    import matplotlib

    if kind == "sessions":
        data, drawer = sessions_data(review, list(activities)), draw_sessions
    elif kind == "best_mile":
        data, drawer = best_mile_data(review, goal_mile_s), draw_best_mile
    else:
        raise ValueError(f"weekly chart kind must be sessions or best_mile, got {kind!r}")
    with matplotlib.rc_context(style.rc()):
        fig = style.new_figure()
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
