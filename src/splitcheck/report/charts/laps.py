"""Laps and splits as deviations from even pace.

Two charts share one drawing (``bars.draw_deviation``): the mile effort's four laps, in
seconds per lap faster or slower than an even mile (a too-fast first lap and the kick
marked, the goal as a second line), and the session's distance splits in seconds per km
or mile against the run's even pace. Bars start at zero, the even pace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...metrics.laps import (
    KICK_MIN_PCT,
    evenness_cv_pct,
    half_split_pct,
    kick_pct,
    pacing_shape,
    went_out_too_fast,
)
from ...units import MILE_M, UNIT_M, format_distance, format_duration
from .data import Bar, ChartData, goal_line, pace_label, pace_s_per_unit

if TYPE_CHECKING:  # pragma: no cover
    from ...segment.types import Effort, Split

MIN_PARTIAL_FRAC = 0.2
"""A last partial split shorter than a fifth of a split is left off the chart: over a few
dozen metres GPS pace is mostly noise (pacing-science.md, 'Tracks, GPS and watches')."""


def mile_data(
    analysis: Any, *, profile: Any = None, unit: str = "km", goal_mile_s: float | None = None
) -> ChartData:
    """The mile effort's four laps: each lap's time against an even mile's lap [s per
    lap, positive = faster], the goal as a second line, too-fast and kick marks. An empty
    ChartData (with a note) when the activity has no mile effort.

    The effort is the scorecard's (``scoring.mile_effort``: the segmentation's, else a
    single rep of 1500 m to a mile cut into quarters), and so are its verdicts."""
    effort = _mile_effort(analysis)
    if effort is None or len(effort.laps) != 4:
        why = ("no mile effort in this run",)
        return ChartData("laps", "No mile effort in this run", unit, notes=why)
    lines, extra, notes = goal_line(analysis, profile, goal_mile_s, unit)
    goal_s = extra.get("goal_mile_s") if extra.get("goal_name") == "goal mile pace" else None
    too_fast, kick, shape = _mile_flags(analysis, effort, goal_s)
    card = getattr(analysis, "pacing", None)
    unsure = set((card.metrics.get("cannot_tell") or ()) if card is not None else ())
    too_fast = too_fast and "start" not in unsure  # the card's verdict: GPS cannot tell
    even = pace_s_per_unit(effort.duration_s, effort.distance_m, unit)
    lap_m = effort.distance_m / len(effort.laps)
    scale = lap_m / UNIT_M[unit]  # s per unit of pace -> s per lap
    bars = []
    for i, lap in enumerate(effort.laps, start=1):
        flag = "too_fast" if (i == 1 and too_fast) else None
        if i == 4 and kick >= KICK_MIN_PCT and "kick" not in unsure:
            flag = "kick"
        pace = pace_s_per_unit(lap.duration_s, lap.distance_m, unit)
        bars.append(
            Bar(
                label=f"lap {i}\n{pace_label(pace)} /{unit}",
                value=(even - pace) * scale,
                flag=flag,
                text=format_duration(lap.duration_s, decimals=1),
                x=float(i),
                pace=pace,
            )
        )
    lines = {"even": even} | lines
    speeds = [lap.distance_m / lap.duration_s for lap in effort.laps]
    extra |= {"kick_pct": kick, "too_fast": too_fast, "shape": shape}
    extra["cv_pct"] = evenness_cv_pct(speeds)
    extra |= {
        "reference": "even",
        "reference_name": "even pace",
        "reference_note": f" ({format_duration(effort.duration_s / 4, decimals=1)} a lap)",
        "delta_scale": scale,
        "delta_label": "lap time vs even (s)",
    }
    title = _mile_title(effort, too_fast, kick, shape, kick_told="kick" not in unsure)
    return ChartData("laps", title, unit, tuple(bars), lines, notes=notes, extra=extra)


def splits_data(
    analysis: Any, *, profile: Any = None, unit: str = "km", goal_mile_s: float | None = None
) -> ChartData:
    """The session's distance splits as their pace against the even pace of the full
    splits [s per unit, positive = faster]. A short last split is marked ``partial``."""
    every, split_m = _splits_in(analysis, unit)
    splits = tuple(
        s
        for s in every
        if s.duration_s > 0 and s.distance_m >= (MIN_PARTIAL_FRAC * split_m if s.partial else 0)
    )
    if not splits:
        return ChartData("splits", "No splits in this run", unit, notes=("no distance to split",))
    full = [s for s in splits if not s.partial] or list(splits)
    even = pace_s_per_unit(sum(s.duration_s for s in full), sum(s.distance_m for s in full), unit)
    bars = []
    for i, s in enumerate(splits, start=1):
        pace = pace_s_per_unit(s.duration_s, s.distance_m, unit)
        bars.append(
            Bar(
                label=f"{i}" if not s.partial else format_distance(s.distance_m, unit),
                value=even - pace,
                flag="partial" if s.partial else None,
                text=format_duration(s.duration_s),
                x=float(i),
                pace=pace,
            )
        )
    # No goal line: the goal mile pace judges reps (guidance.md section 2), not the km
    # of a continuous run, and drawn it only squashed the splits toward zero.
    extra: dict[str, Any] = {}
    x_label = f"{_split_name(split_m)} split"
    title = _splits_title(analysis, every, unit)
    extra |= {
        "reference": "even",
        "reference_name": "even pace",
        "delta_scale": 1.0,
        "delta_label": f"pace vs even (s/{unit})",
    }
    return ChartData(
        "splits",
        title,
        unit,
        tuple(bars),
        {"even": even},
        x_label=x_label,
        extra=extra,
    )


def _splits_in(analysis: Any, unit: str) -> tuple[tuple[Split, ...], float]:
    """The structure's splits when they are per ``unit`` (km or mile), else the
    segmentation's ``distance_splits`` per ``unit`` from the activity: a runner in miles
    reads mile splits. Returns (splits, split distance [m])."""
    structure = getattr(analysis, "structure", None)
    splits = tuple(getattr(structure, "splits", ()) or ())
    split_m = float(getattr(structure, "split_distance_m", 1000.0))
    activity = getattr(analysis, "activity", None)
    if abs(split_m - UNIT_M[unit]) < 1 or not splits or activity is None:
        return splits, split_m
    from ...segment.splits import distance_splits
    from ...segment.trace import build_trace

    trace = build_trace(activity)
    if trace is None:
        return splits, split_m
    return distance_splits(trace, UNIT_M[unit]), UNIT_M[unit]


def _mile_effort(analysis: Any) -> Effort | None:
    from ...scoring import mile_effort

    structure = getattr(analysis, "structure", None)
    if structure is None:
        return None
    return mile_effort(analysis.activity, structure)


def _mile_flags(analysis: Any, effort: Effort, goal_mile_s: float | None):
    """(went out too fast, kick %, shape): the scorecard's when it scored this mile, else
    the same metrics (guidance.md section 1) computed from the effort's laps."""
    card = getattr(analysis, "pacing", None)
    if getattr(card, "kind", None) == "mile":
        mx = card.metrics
        return bool(mx["went_out_too_fast"]), float(mx["kick_pct"]), str(mx["shape"])
    d = [lap.distance_m for lap in effort.laps]
    t = [lap.duration_s for lap in effort.laps]
    speeds = [di / ti for di, ti in zip(d, t, strict=True)]
    goal_speed = MILE_M / goal_mile_s if goal_mile_s else None
    too_fast = went_out_too_fast(d, t, goal_speed).too_fast
    return bool(too_fast), float(kick_pct(speeds)), pacing_shape(speeds, half_split_pct(d, t))


SHAPE_TITLE = {
    "even": "even laps",
    "positive": "positive split",
    "negative": "negative split",
    "U": "fast start and finish",
    "reverse-J": "quick start, fastest finish",
    "J": "fastest start",
    "variable": "uneven laps",
}
"""The pacing shape (metrics.laps.SHAPES) in a title's few words."""


def _mile_title(
    effort: Effort, too_fast: bool, kick: float, shape: str, kick_told: bool = True
) -> str:
    """ "Mile in 5:58: went out too fast, kicked +4% on lap 4" (the kick's part says "GPS
    cannot tell" when the scorecard does)."""
    what = "Mile" if effort.name in ("", "mile") else effort.name.capitalize()
    start = "went out too fast" if too_fast else SHAPE_TITLE.get(shape, shape)
    finish = f"kicked {kick - 100:+.0f}% on lap 4" if kick >= KICK_MIN_PCT else "no kick"
    if not kick_told:
        finish = "kick: GPS cannot tell"
    return f"{what} in {format_duration(effort.duration_s)}: {start}, {finish}"


def _split_name(split_m: float) -> str:
    for name, metres in (("km", UNIT_M["km"]), ("mile", UNIT_M["mi"])):
        if abs(split_m - metres) < 1:
            return name
    return f"{split_m:g} m"


def _splits_title(analysis: Any, splits: tuple[Split, ...], unit: str) -> str:
    """ "16.90 km in 1:18:03: progression, last third 23 % faster": the trend is the
    scorecard's (``scoring.continuous.run_trend_of``, first against last third), so the
    title and the findings never disagree."""
    distance = sum(s.distance_m for s in splits)
    duration = sum(s.duration_s for s in splits)
    head = f"{format_distance(distance, unit)} in {format_duration(duration)}"
    activity = getattr(analysis, "activity", None)
    if activity is None:
        return head
    from ...scoring.continuous import run_trend_of
    from ...scoring.words import trend_title

    trend = run_trend_of(activity)
    if trend is None:
        return head
    tail = " (grade-adjusted)" if trend.grade_adjusted and trend.sign else ""
    return f"{head}: {trend_title(trend)}{tail}"
