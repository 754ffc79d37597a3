"""Result types of the segmentation: splits, intervals, efforts, the workout's shape.

Every time is seconds from the activity's first sample (``Activity.samples.elapsed_s``),
every distance metres. Results are frozen and know how to become JSON (``to_dict``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

WORKOUT_TYPES = (
    "time_trial",  # one hard continuous effort of about a mile (1500 m - 1 mile)
    "repeats",  # reps of one distance or duration: 8x200 m, 4x600 m
    "ladder_ascending",  # 4x200, 2x400, 2x600, 1x800
    "ladder_descending",
    "pyramid",  # 200, 400, 600, 800, 600, 400, 200
    "time_reps",  # time-based reps: 10x30 s / 60 s, 4x5 min, 4x3 min
    "mixed",  # work reps of several kinds that form none of the shapes above
    "continuous",  # easy, tempo or long run: no work intervals
)
INTERVAL_KINDS = ("warmup", "work", "recovery", "cooldown")


def _r(value: float | None, digits: int = 2) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


@dataclass(frozen=True)
class Span:
    """A stretch of an activity from start_s to end_s covering distance_m.

    ``paused_s`` is the watch's timer pause inside it: ``duration_s`` (the time shown,
    and the one every pace uses) leaves it out, as Garmin Connect and Strava do;
    ``elapsed_s`` keeps it; ``moving_s`` is the time spent moving in it.
    """

    start_s: float
    end_s: float
    distance_m: float
    paused_s: float = 0.0
    moving_s: float | None = None
    """Seconds moving faster than a walk's shuffle (``model.MOVING_SPEED_MPS``) outside
    pauses, when measured."""

    @property
    def elapsed_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s - self.paused_s

    @property
    def speed_mps(self) -> float:
        return self.distance_m / self.duration_s if self.duration_s > 0 else math.nan

    @property
    def pace_s_per_km(self) -> float:
        v = self.speed_mps
        return 1000.0 / v if v and math.isfinite(v) and v > 0 else math.nan

    def span_dict(self) -> dict[str, Any]:
        return {
            "start_s": _r(self.start_s),
            "end_s": _r(self.end_s),
            "duration_s": _r(self.duration_s),
            "elapsed_s": _r(self.elapsed_s),
            "moving_s": _r(self.moving_s),
            "distance_m": _r(self.distance_m),
            "pace_s_per_km": _r(self.pace_s_per_km),
        }


@dataclass(frozen=True)
class Split(Span):
    """A distance split (per km, per mile, per 400 m...); ``partial`` when short."""

    index: int = 0
    partial: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, **self.span_dict(), "partial": self.partial}


@dataclass(frozen=True)
class Interval(Span):
    """A bout of the session: warm-up, work rep, recovery or cool-down.

    ``nominal`` is the rep's standard distance or round duration in runner's words
    ("400 m", "mile", "3:00"), or None when it fits none; ``source`` says whether the
    boundaries came from the device's laps or from the pace trace.
    """

    kind: str = "work"
    rep: int | None = None
    nominal: str | None = None
    nominal_distance_m: float | None = None
    nominal_duration_s: float | None = None
    source: str = "trace"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rep": self.rep,
            **self.span_dict(),
            "nominal": self.nominal,
            "nominal_distance_m": _r(self.nominal_distance_m),
            "nominal_duration_s": _r(self.nominal_duration_s),
            "source": self.source,
        }


@dataclass(frozen=True)
class Effort(Span):
    """The fastest stretch of a given distance (best effort), or the mile effort.

    For a mile effort, ``laps`` are its four equal quarters (by distance).
    """

    name: str = ""
    laps: tuple[Span, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, **self.span_dict()}
        if self.laps:
            out["laps"] = [lap.span_dict() for lap in self.laps]
        return out


@dataclass(frozen=True)
class DeviceLap(Span):
    """A device lap, cleaned and typed.

    ``trigger`` as the file says (manual, distance, time, position, workout_step,
    session_end, ...); ``intensity`` normalised to active, rest, warmup or cooldown (None
    when the file does not say); ``empty`` when it covers under a metre, ``sub_second`` when
    it lasts under a second; ``auto_split`` when it is one of the watch's automatic (or
    regular manual) km / mile / time splits; ``role`` (warmup, work, recovery, cooldown)
    when the laps mark the session's reps, else None.
    """

    index: int = 0
    trigger: str = "unknown"
    intensity: str | None = None
    workout_step: int | None = None
    empty: bool = False
    sub_second: bool = False
    auto_split: bool = False
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            **self.span_dict(),
            "trigger": self.trigger,
            "intensity": self.intensity,
            "workout_step": self.workout_step,
            "empty": self.empty,
            "sub_second": self.sub_second,
            "auto_split": self.auto_split,
            "role": self.role,
        }


@dataclass(frozen=True)
class Workout:
    """The session's shape: ``type`` from :data:`WORKOUT_TYPES` and ``label``, the words
    that need no unit ("15:02 warm-up; 4x200, 2x400, 2x600, 1x800 m with jog recoveries;
    10:00 cool-down", "mile time trial: 1:32.1, ...", "continuous run", "10 km race / time
    trial": rep and race names are track and road distances, metric in every unit).

    What a runner reads in their own units is kept here as numbers, in SI: ``run`` (a
    continuous run: its distance and time), ``race`` (a race's time and pace) and
    ``tempo`` (the tempo stretch of a tempo run). The report layer puts them into words
    in km or miles (``splitcheck.report.structure_text.workout_label``).
    """

    type: str
    label: str
    run: Span | None = None
    race: Span | None = None
    tempo: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        """``type``, the SI parts (``run``, ``race``, ``tempo``: spans or None) and
        ``words``: the label's unit-free words (the analysis adds ``label``, in units)."""
        return {
            "type": self.type,
            "words": self.label,
            **{k: None if v is None else v.span_dict() for k, v in self.parts().items()},
        }

    def parts(self) -> dict[str, Span | None]:
        return {"run": self.run, "race": self.race, "tempo": self.tempo}


@dataclass(frozen=True)
class Structure:
    """Everything the segmentation found in one activity."""

    workout: Workout
    splits: tuple[Split, ...] = ()
    split_distance_m: float = 1000.0
    intervals: tuple[Interval, ...] = ()
    efforts: dict[str, Effort] = field(default_factory=dict)
    mile_effort: Effort | None = None
    notes: tuple[str, ...] = ()
    laps: tuple[DeviceLap, ...] = ()
    laps_mode: str = "auto"
    structure_source: str = "none"
    """Where the reps came from: ``laps`` (the device's laps), ``trace`` (the pace trace
    alone), ``laps+trace`` (laps, plus reps the runner did not lap) or ``none``
    (a continuous run); ``laps_mode`` is the ``laps`` option asked for."""

    @property
    def work(self) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if i.kind == "work")

    def __repr__(self) -> str:  # one line: the full structure is in to_dict()
        return (
            f"Structure({self.workout.type}: {self.workout.label!r}, "
            f"{len(self.intervals)} intervals, {len(self.splits)} splits)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "workout": self.workout.to_dict(),
            "splits": [s.to_dict() for s in self.splits],
            "split_distance_m": self.split_distance_m,
            "intervals": [i.to_dict() for i in self.intervals],
            "efforts": {k: e.to_dict() for k, e in self.efforts.items()},
            "mile_effort": self.mile_effort.to_dict() if self.mile_effort else None,
            "structure_notes": list(self.notes),
            "structure_source": {"laps_mode": self.laps_mode, "used": self.structure_source},
            "device_laps": [lap.to_dict() for lap in self.laps],
        }
