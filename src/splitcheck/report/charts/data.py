"""What a chart shows, as plain numbers: the contract between analysis and drawing.

Every chart is built in two steps: a ``*_data`` function turns an analysis into a
:class:`ChartData` (no matplotlib involved), then a ``draw_*`` function draws it. Tests check
the ChartData against the analysis, and that the drawing shows exactly the ChartData, so
no test has to look at pixels.

Paces are seconds per the chart's ``unit`` (km or mi); distances on an x axis are in that
unit too, times in minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...units import UNIT_M, format_distance, format_duration


@dataclass(frozen=True)
class Bar:
    """One bar: a lap, split, rep or week.

    On the laps, splits and reps charts ``value`` is the deviation from the chart's
    reference pace (``ChartData.extra["reference"]``), positive when faster, in the units
    of ``extra["delta_unit"]`` (seconds per lap, or per km or mile), and ``pace`` the
    bar's own pace [s per unit]; on weekly charts ``value`` is a count or a distance.
    ``flag`` says how it is marked (``too_fast``, ``kick``, ``partial``, ``at_goal``,
    ``off_goal``, or None); ``text`` is the label printed at the bar's end; ``group``
    what it is coloured by (the rep's distance or duration).
    """

    label: str
    value: float
    flag: str | None = None
    text: str = ""
    group: str = ""
    x: float = math.nan
    stack: str = ""
    base: float = 0.0
    pace: float = math.nan


@dataclass(frozen=True, eq=False)
class Series:
    """A line: ``x`` and ``y`` arrays of equal length (NaN breaks the line)."""

    x: np.ndarray
    y: np.ndarray
    label: str = ""


@dataclass(frozen=True)
class Shade:
    """A shaded stretch of the x axis (a work interval), with its label."""

    start: float
    end: float
    label: str = ""


@dataclass(frozen=True, eq=False)
class ChartData:
    """Everything one chart shows.

    Attributes
    ----------
    kind : str
        ``laps``, ``splits``, ``trace``, ``reps`` or ``weekly``.
    title : str
        What the runner did, in a few words (the chart's headline).
    unit : str
        ``km`` or ``mi``: paces are seconds per this unit.
    bars : tuple of Bar
    lines : dict of str to float
        Horizontal reference lines by name (``even``, ``goal``): paces [s per unit].
    series : dict of str to Series
        Lines through the data (``pace``, ``heart_rate``, ``fade 400 m``...).
    shades : tuple of Shade
        Work intervals on trace charts, in x-axis units.
    x_label : str
    notes : tuple of str
        What could not be shown and why ("no goal pace: give --goal-mile").
    """

    kind: str
    title: str
    unit: str = "km"
    bars: tuple[Bar, ...] = ()
    lines: dict[str, float] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    shades: tuple[Shade, ...] = ()
    x_label: str = ""
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw: ``notes`` say why, and ``chart_activity``
        raises :class:`~splitcheck.errors.NothingToChartError` rather than draw it."""
        return not self.bars and not self.series


def workout_words(structure: Any, unit: str = "km") -> str:
    """The structure's workout in runner's words and ``unit`` ("continuous run: 9.99 mi in
    1:53:11"); "" when there is none."""
    from ..structure_text import workout_label

    workout = getattr(structure, "workout", None)
    return workout_label(workout, unit) if workout is not None else ""


def pace_s_per_unit(duration_s: float, distance_m: float, unit: str) -> float:
    """Pace [s per km or mile] of covering ``distance_m`` in ``duration_s``."""
    if not (distance_m > 0 and duration_s > 0):
        return math.nan
    return duration_s / distance_m * UNIT_M[unit]


def pace_label(seconds: float) -> str:
    """``4:05`` for a pace or time in seconds; seconds only below a minute never occur
    on a pace axis, so ``m:ss`` always."""
    return format_duration(seconds) if math.isfinite(seconds) else ""


NO_GOAL_NOTE = "no goal mile time (give --goal-mile or a profile): no goal line"


def goal_mile(analysis: Any, profile: Any = None, goal_mile_s: float | None = None):
    """The mile time [s] the reps are judged against and its name, or (None, a note).

    The order is the scorecard's (``scoring.intervals``): an explicit ``goal_mile_s``,
    the profile's goal mile, else its best mile; charts never guess one.
    """
    card = getattr(analysis, "pacing", None)
    card_goal = (getattr(card, "metrics", None) or {}).get("goal_mile_s")
    candidates = (
        (goal_mile_s, "goal mile pace"),
        (getattr(profile, "goal_mile_s", None), "goal mile pace"),
        (card_goal, "goal mile pace"),
        (getattr(profile, "best_mile_s", None), "best mile pace"),
    )
    for value, name in candidates:
        if value is not None and math.isfinite(float(value)) and float(value) > 0:
            return float(value), name
    return None, NO_GOAL_NOTE


def rep_name(interval: Any, unit: str = "km") -> str:
    """A rep's nominal name ("400 m", "3:00"), else its measured distance ("437 m")."""
    if getattr(interval, "nominal", None):
        return str(interval.nominal)
    if interval.distance_m >= 1000:
        return format_distance(interval.distance_m, unit)
    return f"{interval.distance_m:.0f} m"


def goal_line(analysis: Any, profile: Any, goal_mile_s: float | None, unit: str):
    """(lines, extra, notes) for a chart: ``{"goal": pace [s per unit]}``, the goal's
    name and mile time in ``extra``, or a note saying why there is no goal line."""
    seconds, name = goal_mile(analysis, profile, goal_mile_s)
    if seconds is None:
        return {}, {}, (name,)
    pace = pace_s_per_unit(seconds, UNIT_M["mi"], unit)
    return {"goal": pace}, {"goal_name": name, "goal_mile_s": seconds}, ()
