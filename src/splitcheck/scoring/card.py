"""The scorecard's types: named parts with their thresholds, findings tied to guidance.

A :class:`Scorecard` is what ``splitcheck analyze`` shows under "pacing" and what
``--json`` prints as the ``pacing`` object (docs/pacing.md lists every key). The parts
and the lap / rep rows of a scored card (a mile effort, an interval session) are in
:mod:`.parts`, imported by the scoring that makes them: a continuous run's card has none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .parts import LapResult, Part, RepResult

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


@dataclass(frozen=True)
class Finding:
    """One sentence in runner's words and the guidance it applies (``guidance.md 1``...)."""

    text: str
    guidance: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "guidance": self.guidance}


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
