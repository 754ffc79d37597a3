"""The scorecard's types: named parts with their thresholds, findings tied to guidance.

A :class:`Scorecard` is what ``splitcheck analyze`` shows under "pacing" and what
``--json`` prints as the ``pacing`` object (docs/pacing.md lists every key).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

KINDS = ("mile", "intervals", "continuous")
COMMON_KEYS = (
    "evenness_cv_pct",
    "half_split_pct",
    "kick_pct",
    "went_out_too_fast",
    "shape",
    "consistency_cv_pct",
    "fade_s_per_km_per_rep",
)
"""Keys every ``pacing`` object has (null where they do not apply), docs/pacing.md."""


def clean(value: Any, digits: int = 2) -> Any:
    """JSON-ready number: rounded, NaN/inf as None; other values unchanged."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value), digits) if math.isfinite(value) else None
    return value


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
class Finding:
    """One sentence in runner's words and the guidance it applies (``guidance.md 1``...)."""

    text: str
    guidance: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "guidance": self.guidance}


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


@dataclass(frozen=True)
class Scorecard:
    """How one session was paced, judged against guidance.md.

    ``score`` is 0-100 from the judged ``parts`` (sum of points over sum of their
    maxima), or None when no part could be judged (continuous runs are not scored).
    ``metrics`` holds the named numbers (``evenness_cv_pct``, ``half_split_pct``...; see
    docs/pacing.md); ``laps`` or ``reps`` the table behind them.
    """

    kind: str
    workout_type: str
    score: int | None
    parts: tuple[Part, ...] = ()
    findings: tuple[Finding, ...] = ()
    next_time: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    laps: tuple[LapResult, ...] = ()
    reps: tuple[RepResult, ...] = ()
    units: str = "km"
    lap_stats: tuple[dict[str, Any], ...] = ()

    def __repr__(self) -> str:  # one line: the full card is in to_dict()
        return f"Scorecard({self.kind}, {self.workout_type}, score={self.score})"

    def to_dict(self) -> dict[str, Any]:
        """The ``pacing`` object of ``splitcheck analyze --json`` (docs/pacing.md)."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "workout_type": self.workout_type,
            "score": self.score,
        }
        judged = [p for p in self.parts if p.judged]
        out["score_out_of_points"] = sum(p.max_points for p in judged) if self.parts else None
        out["score_possible_points"] = sum(p.max_points for p in self.parts) if self.parts else None
        out.update(dict.fromkeys(COMMON_KEYS))
        out.update({k: clean(v) for k, v in self.metrics.items()})
        out["parts"] = [p.to_dict() for p in self.parts]
        out["findings"] = [f.to_dict() for f in self.findings]
        out["next_time"] = self.next_time
        out["laps"] = [lap.to_dict() for lap in self.laps]
        out["reps"] = [r.to_dict() for r in self.reps]
        out["lap_stats"] = [{k: clean(v, 1) for k, v in row.items()} for row in self.lap_stats]
        return out


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
