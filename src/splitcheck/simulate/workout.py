"""Workout descriptions: what the simulated runner sets out to do.

A :class:`WorkoutPlan` is a sequence of :class:`Step` s (warm-up, work reps, recoveries,
cool-down), each ending after a distance or a duration, run at a target speed. A work rep
can be cut into equal-distance pieces at different speeds (a mile time trial's four laps).
The presets build the sessions of ``../shared/docs/guidance.md``: mile time trials,
repeats, ladders, the pyramid, time-based reps, easy and hilly tempo runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..units import MILE_M, format_duration

STEP_KINDS = ("warmup", "work", "recovery", "cooldown")

EASY_PACE_S_PER_KM = 360.0
"""Default warm-up/cool-down jog: 6:00 /km, a conversational pace for a 7-8 min miler."""
JOG_PACE_S_PER_KM = 420.0
"""Default jog recovery between reps: 7:00 /km."""


@dataclass(frozen=True)
class Step:
    """One bout of a workout.

    Exactly one of ``distance_m`` and ``duration_s`` ends the step. ``speed_mps`` is the
    target speed (0 for a standing rest); ``piece_speeds_mps`` optionally splits the step
    into equal-distance pieces run at those speeds (it overrides ``speed_mps``).
    ``nominal`` names a work rep in runner's words ("400 m", "3:00").
    """

    kind: str
    speed_mps: float
    distance_m: float | None = None
    duration_s: float | None = None
    piece_speeds_mps: tuple[float, ...] = ()
    nominal: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in STEP_KINDS:
            raise ValueError(f"step kind must be one of {STEP_KINDS}, got {self.kind!r}")
        if (self.distance_m is None) == (self.duration_s is None):
            raise ValueError("a step ends after a distance or a duration: give exactly one")
        if self.distance_m is not None and self.speed_mps <= 0 and not self.piece_speeds_mps:
            raise ValueError("a step ending after a distance needs a positive speed")

    @property
    def standing(self) -> bool:
        return self.speed_mps <= 0 and not self.piece_speeds_mps


@dataclass(frozen=True)
class WorkoutPlan:
    """A session: its type (one of ``segment.types.WORKOUT_TYPES``), label and steps."""

    type: str
    label: str
    steps: tuple[Step, ...]
    params: dict = field(default_factory=dict, compare=False)


def pace_to_speed(pace_s_per_km: float) -> float:
    """Speed in m/s from a pace in seconds per km."""
    return 1000.0 / pace_s_per_km


def _recovery(recovery: float | str, distance_or_time: str = "time") -> Step:
    """A jog recovery of ``recovery`` seconds (or metres), or a standing rest."""
    jog = pace_to_speed(JOG_PACE_S_PER_KM)
    if distance_or_time == "distance":
        return Step("recovery", jog, distance_m=float(recovery))
    if distance_or_time == "stand":
        return Step("recovery", 0.0, duration_s=float(recovery))
    return Step("recovery", jog, duration_s=float(recovery))


def _frame(
    work: Sequence[Step],
    recoveries: Sequence[Step],
    warmup_s: float,
    cooldown_s: float,
) -> tuple[Step, ...]:
    easy = pace_to_speed(EASY_PACE_S_PER_KM)
    steps: list[Step] = []
    if warmup_s > 0:
        steps.append(Step("warmup", easy, duration_s=warmup_s))
    for i, rep in enumerate(work):
        steps.append(rep)
        if i < len(work) - 1:
            steps.append(recoveries[i])
    if cooldown_s > 0:
        steps.append(Step("cooldown", easy, duration_s=cooldown_s))
    return tuple(steps)


def _dist_name(distance_m: float) -> str:
    return "mile" if abs(distance_m - MILE_M) < 1 else f"{distance_m:g} m"


def mile_tt(
    lap_s: Sequence[float] = (90.0, 92.0, 92.0, 88.0),
    *,
    warmup_s: float = 900.0,
    cooldown_s: float = 600.0,
    start_rest_s: float = 90.0,
    label: str = "mile time trial",
) -> WorkoutPlan:
    """A mile time trial run in four equal-distance quarters taking ``lap_s`` seconds.

    Lap times are the runner's intended quarter times; acceleration from the standing
    start and the transitions between quarter speeds make the real ones differ slightly
    (the truth records the real ones).
    """
    if len(lap_s) != 4:
        raise ValueError(f"a mile has four laps, got {len(lap_s)} lap times")
    speeds = tuple(MILE_M / 4 / t for t in lap_s)
    rep = Step("work", speeds[0], distance_m=MILE_M, piece_speeds_mps=speeds, nominal="mile")
    steps = _frame([rep], [], warmup_s, cooldown_s)
    if start_rest_s > 0 and warmup_s > 0:  # stand at the start line after the warm-up
        steps = (steps[0], Step("recovery", 0.0, duration_s=start_rest_s), *steps[1:])
    params = {"lap_s": list(lap_s), "warmup_s": warmup_s, "cooldown_s": cooldown_s}
    return WorkoutPlan("time_trial", label, steps, params)


def repeats(
    n: int,
    distance_m: float,
    pace_s_per_km: float,
    *,
    recovery: float = 90.0,
    recovery_mode: str = "time",
    fade_s_per_km_per_rep: float = 0.0,
    warmup_s: float = 900.0,
    cooldown_s: float = 600.0,
) -> WorkoutPlan:
    """``n`` reps of ``distance_m`` at a pace, with jog/standing/distance recoveries.

    ``recovery_mode`` is ``time`` (jog ``recovery`` s), ``distance`` (jog ``recovery`` m)
    or ``stand`` (stand ``recovery`` s). ``fade_s_per_km_per_rep`` slows each rep.
    """
    work = [
        Step(
            "work",
            pace_to_speed(pace_s_per_km + i * fade_s_per_km_per_rep),
            distance_m=distance_m,
            nominal=_dist_name(distance_m),
        )
        for i in range(n)
    ]
    recs = [_recovery(recovery, recovery_mode) for _ in range(n - 1)]
    label = f"{n}x{distance_m:g} m"
    params = {"n": n, "distance_m": distance_m, "pace_s_per_km": pace_s_per_km}
    return WorkoutPlan("repeats", label, _frame(work, recs, warmup_s, cooldown_s), params)


def ladder(
    distances_m: Sequence[float],
    pace_s_per_km: float,
    *,
    workout_type: str | None = None,
    recovery_s_per_100m: float = 30.0,
    recovery_mode: str = "time",
    warmup_s: float = 900.0,
    cooldown_s: float = 600.0,
) -> WorkoutPlan:
    """Reps of varying distance (ladder or pyramid) at one pace.

    Recovery after each rep lasts ``recovery_s_per_100m`` per 100 m of that rep ("full
    recovery"). The type is inferred from the shape unless given.
    """
    d = [float(x) for x in distances_m]
    if workout_type is None:
        workout_type = _ladder_type(d)
    v = pace_to_speed(pace_s_per_km)
    work = [Step("work", v, distance_m=x, nominal=_dist_name(x)) for x in d]
    recs = [_recovery(x / 100 * recovery_s_per_100m, recovery_mode) for x in d[:-1]]
    label = ", ".join(f"{x:g}" for x in d) + " m"
    params = {"distances_m": d, "pace_s_per_km": pace_s_per_km}
    return WorkoutPlan(workout_type, label, _frame(work, recs, warmup_s, cooldown_s), params)


def _ladder_type(d: Sequence[float]) -> str:
    if all(a <= b for a, b in zip(d, d[1:], strict=False)):
        return "ladder_ascending"
    if all(a >= b for a, b in zip(d, d[1:], strict=False)):
        return "ladder_descending"
    peak = d.index(max(d))
    if all(a <= b for a, b in zip(d[:peak], d[1 : peak + 1], strict=False)) and all(
        a >= b for a, b in zip(d[peak:], d[peak + 1 :], strict=False)
    ):
        return "pyramid"
    return "mixed"


def ascending_ladder(pace_s_per_km: float = 225.0, **kw) -> WorkoutPlan:
    """The article's ladder: 4x200, 2x400, 2x600, 1x800 m with a full recovery."""
    return ladder([200] * 4 + [400] * 2 + [600] * 2 + [800], pace_s_per_km, **kw)


def descending_ladder(pace_s_per_km: float = 225.0, **kw) -> WorkoutPlan:
    """1x800, 2x600, 2x400, 4x200 m."""
    return ladder([800] + [600] * 2 + [400] * 2 + [200] * 4, pace_s_per_km, **kw)


def pyramid(pace_s_per_km: float = 225.0, **kw) -> WorkoutPlan:
    """200, 400, 600, 800, 600, 400, 200 m."""
    return ladder([200, 400, 600, 800, 600, 400, 200], pace_s_per_km, **kw)


def time_reps(
    n: int,
    duration_s: float,
    pace_s_per_km: float,
    *,
    recovery_s: float = 60.0,
    recovery_mode: str = "time",
    warmup_s: float = 900.0,
    cooldown_s: float = 600.0,
) -> WorkoutPlan:
    """``n`` reps of ``duration_s`` at a pace with jog (or standing) recoveries."""
    v = pace_to_speed(pace_s_per_km)
    name = format_duration(duration_s)
    work = [Step("work", v, duration_s=duration_s, nominal=name) for _ in range(n)]
    recs = [_recovery(recovery_s, recovery_mode) for _ in range(n - 1)]
    label = f"{n}x{name} / {format_duration(recovery_s)}"
    params = {"n": n, "duration_s": duration_s, "pace_s_per_km": pace_s_per_km}
    return WorkoutPlan("time_reps", label, _frame(work, recs, warmup_s, cooldown_s), params)


def mixed(
    blocks: Sequence[tuple[int, float, float, float]] = (
        (3, 600.0, 225.0, 120.0),
        (4, 150.0, 185.0, 60.0),
        (2, 300.0, 205.0, 90.0),
    ),
    *,
    block_rest_s: float = 180.0,
    warmup_s: float = 900.0,
    cooldown_s: float = 600.0,
) -> WorkoutPlan:
    """Speed-endurance reps, sprints and speed reps in one session, each block at its own
    pace (guidance.md's mixed session; by default neither a ladder nor a pyramid).

    ``blocks`` are (reps, distance m, pace s/km, jog recovery s); blocks are separated by
    a ``block_rest_s`` jog.
    """
    work, recs = [], []
    for b, (n, distance_m, pace, recovery_s) in enumerate(blocks):
        for i in range(n):
            work.append(
                Step(
                    "work",
                    pace_to_speed(pace),
                    distance_m=distance_m,
                    nominal=_dist_name(distance_m),
                )
            )
            last_in_block = i == n - 1
            if not (last_in_block and b == len(blocks) - 1):
                recs.append(_recovery(block_rest_s if last_in_block else recovery_s))
    label = ", ".join(f"{n}x{d:g}" for n, d, _, _ in blocks) + " m"
    params = {"blocks": [list(b) for b in blocks]}
    return WorkoutPlan("mixed", label, _frame(work, recs, warmup_s, cooldown_s), params)


def easy(duration_s: float = 1920.0, pace_s_per_km: float = EASY_PACE_S_PER_KM) -> WorkoutPlan:
    """A continuous easy run."""
    step = Step("work", pace_to_speed(pace_s_per_km), duration_s=duration_s)
    label = f"easy {format_duration(duration_s)}"
    return WorkoutPlan("continuous", label, (step,), {"pace_s_per_km": pace_s_per_km})


def tempo_hilly(
    tempo_s: float = 1200.0,
    pace_s_per_km: float = 270.0,
    *,
    warmup_s: float = 600.0,
    cooldown_s: float = 600.0,
) -> WorkoutPlan:
    """A tempo run between easy warm-up and cool-down (simulate it on the road route)."""
    easy_v = pace_to_speed(EASY_PACE_S_PER_KM)
    steps = (
        Step("warmup", easy_v, duration_s=warmup_s),
        Step("work", pace_to_speed(pace_s_per_km), duration_s=tempo_s, nominal="tempo"),
        Step("cooldown", easy_v, duration_s=cooldown_s),
    )
    label = f"tempo {format_duration(tempo_s)}"
    return WorkoutPlan("continuous", label, steps, {"pace_s_per_km": pace_s_per_km})
