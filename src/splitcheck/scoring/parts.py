"""The parts and rows of a scored card: named parts with their thresholds and points,
the laps of a mile effort, the reps of an interval session (:class:`Scorecard`'s ``parts``,
``laps`` and ``reps``).

Only the mile and interval scoring make them, so a continuous run's analysis does not
import this module (start-up: each frozen dataclass costs ~0.7 ms to create).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .card import clean


def ramp(value: float, full_at: float, zero_at: float) -> float:
    """Fraction of a part's points: 1 at ``full_at`` or better, 0 at ``zero_at`` or worse,
    linear between (works whichever way "better" runs)."""
    if not math.isfinite(value):
        return 0.0
    frac = (value - zero_at) / (full_at - zero_at)
    return min(1.0, max(0.0, frac))


@dataclass(frozen=True)
class Part:
    """One named part of the score. ``points`` is None when the part was not judged
    (a value the runner did not give, or data the file lacks); ``value`` then says why."""

    name: str
    points: float | None
    max_points: float
    value: str
    threshold: str
    passed: bool | None = None

    @property
    def judged(self) -> bool:
        return self.points is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "points": clean(self.points, 1),
            "max_points": self.max_points,
            "value": self.value,
            "threshold": self.threshold,
            "passed": self.passed,
        }


@dataclass(frozen=True)
class LapResult:
    """One lap (quarter) of a mile effort."""

    index: int
    start_s: float
    time_s: float
    distance_m: float
    vs_goal_pct: float | None = None
    vs_mean_pct: float | None = None
    uncertainty_s: float = 0.0
    time_source: str = "laps"
    stats: dict[str, float | None] = field(default_factory=dict)

    @property
    def speed_mps(self) -> float:
        return self.distance_m / self.time_s if self.time_s > 0 else math.nan

    def to_dict(self) -> dict[str, Any]:
        v = self.speed_mps
        return {
            "lap": self.index,
            "start_s": clean(self.start_s),
            "time_s": clean(self.time_s),
            "distance_m": clean(self.distance_m),
            "speed_mps": clean(v, 3),
            "pace_s_per_km": clean(1000.0 / v if v > 0 else math.nan),
            "vs_goal_pct": clean(self.vs_goal_pct),
            "vs_mean_pct": clean(self.vs_mean_pct),
            "uncertainty_s": clean(self.uncertainty_s),
            "time_source": self.time_source,
            **{k: clean(v, 1) for k, v in self.stats.items()},
        }


@dataclass(frozen=True)
class RepResult:
    """One work rep of an interval session and the recovery after it."""

    rep: int
    nominal: str | None
    start_s: float
    time_s: float
    distance_m: float
    vs_goal_pct: float | None = None
    recovery_s: float | None = None
    recovery_distance_m: float | None = None
    peak_hr_pct_max: float | None = None
    uncertainty_s: float = 0.0
    time_source: str = "laps"
    stats: dict[str, float | None] = field(default_factory=dict)

    @property
    def pace_s_per_km(self) -> float:
        return self.time_s / self.distance_m * 1000.0 if self.distance_m > 0 else math.nan

    def to_dict(self) -> dict[str, Any]:
        rec_speed = (
            self.recovery_distance_m / self.recovery_s
            if self.recovery_s and self.recovery_distance_m is not None
            else math.nan
        )
        return {
            "rep": self.rep,
            "nominal": self.nominal,
            "start_s": clean(self.start_s),
            "time_s": clean(self.time_s),
            "distance_m": clean(self.distance_m),
            "pace_s_per_km": clean(self.pace_s_per_km),
            "vs_goal_pct": clean(self.vs_goal_pct),
            "recovery_s": clean(self.recovery_s),
            "recovery_distance_m": clean(self.recovery_distance_m),
            "recovery_pace_s_per_km": clean(1000.0 / rec_speed if rec_speed > 0 else math.nan),
            "peak_hr_pct_max": clean(self.peak_hr_pct_max, 1),
            "uncertainty_s": clean(self.uncertainty_s),
            "time_source": self.time_source,
            **{k: clean(v, 1) for k, v in self.stats.items()},
        }


def total_score(parts: tuple[Part, ...]) -> int | None:
    """0-100: points of the judged parts over their maxima; None when none was judged."""
    judged = [p for p in parts if p.judged]
    top = sum(p.max_points for p in judged)
    if not judged or top <= 0:
        return None
    return round(100.0 * sum(p.points for p in judged) / top)  # type: ignore[misc]


def first_failed(parts: tuple[Part, ...], advice: dict[str, str]) -> str | None:
    """The advice for the first failed part, in the advice's order of priority (the
    cause before its effects: a fast start before the uneven laps it causes)."""
    failed = {p.name for p in parts if p.judged and p.passed is False}
    return next((text for name, text in advice.items() if name in failed and text), None)
