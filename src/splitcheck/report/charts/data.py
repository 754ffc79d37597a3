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

from ...units import UNIT_M


@dataclass(frozen=True)
class Bar:
    """One bar: a lap, split, rep or week.

    ``value`` is a pace [s per unit] on pace charts, a count or time [s] on weekly charts;
    ``flag`` says how it is marked (``too_fast``, ``kick``, ``partial``, ``at_goal``,
    ``off_goal``, or None); ``text`` is the label printed on the bar.
    """

    label: str
    value: float
    flag: str | None = None
    text: str = ""
    group: str = ""
    x: float = math.nan
    stack: str = ""
    base: float = 0.0


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
        """True when there is nothing to draw (the chart then says why)."""
        return not self.bars and not self.series


def pace_s_per_unit(duration_s: float, distance_m: float, unit: str) -> float:
    """Pace [s per km or mile] of covering ``distance_m`` in ``duration_s``."""
    if not (distance_m > 0 and duration_s > 0):
        return math.nan
    return duration_s / distance_m * UNIT_M[unit]


def goal_mile(analysis: Any, profile: Any = None, goal_mile_s: float | None = None):
    """The runner's goal mile time [s] and where it came from, or (None, reason).

    An explicit ``goal_mile_s`` wins, then the profile's, then the scorecard's (which may
    take it from the best recent mile); charts never guess one.
    """
    candidates = (
        (goal_mile_s, "given"),
        (getattr(profile, "goal_mile_s", None), "profile"),
        (getattr(getattr(analysis, "pacing", None), "goal_mile_s", None), "scorecard"),
    )
    for value, source in candidates:
        if value is not None and math.isfinite(float(value)) and float(value) > 0:
            return float(value), source
    return None, "no goal mile time given (--goal-mile or a profile), so no goal line"


def goal_pace_s_per_unit(goal_mile_s: float | None, unit: str) -> float | None:
    """Goal mile pace [s per unit] from a goal mile time [s]."""
    if goal_mile_s is None:
        return None
    return pace_s_per_unit(goal_mile_s, UNIT_M["mi"], unit)
