"""The known answer for a simulated activity, saved beside its file as JSON.

Schema (times in seconds from the first sample written to the file, distances in metres
the runner really covered, except lap distances, which are what the watch stored)::

    {
      "schema": "splitcheck.simulate.truth/1",
      "workout": {"type": <segment.types.WORKOUT_TYPES>, "label": "8x200 m"},
      "steps": [{"index", "kind", "start_s", "end_s", "duration_s", "distance_m",
                 "nominal", "standing", "timed"}],          # the whole plan as run
      "reps": [{"rep", "start_s", "end_s", "duration_s", "distance_m", "nominal",
                "speed_mps"}],                              # work reps (none for
                                                            # continuous runs)
      "recoveries": [{"start_s", "end_s", "duration_s", "distance_m", "standing"}],
      "laps": [{"start_s", "end_s", "duration_s", "timer_s", "distance_m", "trigger",
                "intensity", "step_index"}],                # the watch's laps
      "pauses": [{"start_s", "end_s"}],                     # auto-pause (timer stopped)
      "mile_effort": {"start_s", "end_s", "duration_s", "distance_m",
                      "laps": [{"start_s", "end_s", "duration_s", "distance_m"}]} | null,
      "params": {...}                                       # how it was simulated
    }

``mile_effort`` is the time trial's mile (its four quarters by true distance) and null for
other sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..units import MILE_M
from .trace import RunnerTrace, StepSpan
from .watch import LapRecord
from .workout import WorkoutPlan

SCHEMA = "splitcheck.simulate.truth/1"
MILE_TOLERANCE_M = 1.0


def _r(x: float, digits: int = 3) -> float:
    return round(float(x), digits)


@dataclass(frozen=True)
class TruthSpan:
    """A stretch of the run as it really happened."""

    start_s: float
    end_s: float
    distance_m: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_s": _r(self.start_s),
            "end_s": _r(self.end_s),
            "duration_s": _r(self.duration_s),
            "distance_m": _r(self.distance_m),
        }


@dataclass(frozen=True)
class TruthRep(TruthSpan):
    rep: int = 0
    nominal: str | None = None

    def to_dict(self) -> dict[str, Any]:
        speed = self.distance_m / self.duration_s if self.duration_s > 0 else 0.0
        return {
            "rep": self.rep,
            **super().to_dict(),
            "nominal": self.nominal,
            "speed_mps": _r(speed, 4),
        }


@dataclass(frozen=True)
class TruthRecovery(TruthSpan):
    standing: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "standing": self.standing}


@dataclass(frozen=True)
class MileEffort(TruthSpan):
    laps: tuple[TruthSpan, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "laps": [lap.to_dict() for lap in self.laps]}


@dataclass(frozen=True)
class Truth:
    """Everything known about a simulated activity (see the module docstring)."""

    workout_type: str
    label: str
    steps: tuple[StepSpan, ...]
    reps: tuple[TruthRep, ...]
    recoveries: tuple[TruthRecovery, ...]
    laps: tuple[LapRecord, ...]
    pauses: tuple[tuple[float, float], ...]
    mile_effort: MileEffort | None
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "workout": {"type": self.workout_type, "label": self.label},
            "steps": [_step_dict(s) for s in self.steps],
            "reps": [r.to_dict() for r in self.reps],
            "recoveries": [r.to_dict() for r in self.recoveries],
            "laps": [lap.to_dict() for lap in self.laps],
            "pauses": [{"start_s": _r(a), "end_s": _r(b)} for a, b in self.pauses],
            "mile_effort": self.mile_effort.to_dict() if self.mile_effort else None,
            "params": self.params,
        }


def _step_dict(s: StepSpan) -> dict[str, Any]:
    return {
        "index": s.index,
        "kind": s.kind,
        "start_s": _r(s.start_s),
        "end_s": _r(s.end_s),
        "duration_s": _r(s.end_s - s.start_s),
        "distance_m": _r(s.end_m - s.start_m),
        "nominal": s.nominal,
        "standing": s.standing,
        "timed": s.timed,
    }


def build_truth(
    plan: WorkoutPlan,
    trace: RunnerTrace,
    laps: tuple[LapRecord, ...],
    pauses: tuple[tuple[float, float], ...],
    end_s: float,
    params: dict[str, Any],
) -> Truth:
    """The truth of a run: its steps clipped to the recording's end ``end_s`` (s)."""
    steps = tuple(_clip(s, trace, end_s) for s in trace.steps)
    continuous = plan.type == "continuous"
    work = [s for s in steps if s.kind == "work" and not continuous]
    reps = tuple(
        TruthRep(s.start_s, s.end_s, s.end_m - s.start_m, rep=i + 1, nominal=s.nominal)
        for i, s in enumerate(work)
    )
    recs = tuple(
        TruthRecovery(s.start_s, s.end_s, s.end_m - s.start_m, standing=s.standing)
        for s in steps
        if s.kind == "recovery" and not continuous
    )
    return Truth(
        plan.type,
        plan.label,
        steps,
        reps,
        recs,
        laps,
        pauses,
        _mile(plan, trace, work),
        {**plan.params, **params},
    )


def _clip(s: StepSpan, trace: RunnerTrace, end_s: float) -> StepSpan:
    if s.end_s <= end_s:
        return s
    end_m = float(trace.distance_at(end_s))
    return StepSpan(
        s.index, s.kind, s.start_s, end_s, s.start_m, end_m, s.nominal, s.standing, s.timed
    )


def _mile(plan: WorkoutPlan, trace: RunnerTrace, work: list[StepSpan]) -> MileEffort | None:
    if plan.type != "time_trial" or len(work) != 1:
        return None
    s = work[0]
    if abs((s.end_m - s.start_m) - MILE_M) > MILE_TOLERANCE_M:
        return None
    marks = s.start_m + MILE_M / 4 * np.arange(5)
    times = trace.time_at_distance(marks)
    times[0], times[-1] = s.start_s, s.end_s
    laps = tuple(TruthSpan(float(times[k]), float(times[k + 1]), MILE_M / 4) for k in range(4))
    return MileEffort(s.start_s, s.end_s, MILE_M, laps=laps)
