"""Simulated running workouts whose true structure is known, written as watches write them.

>>> from splitcheck.simulate import simulate, workout
>>> sim = simulate(workout.repeats(8, 200, 210, recovery=200, recovery_mode="distance"),
...                seed=1)
>>> path = sim.write_fit(tmp / "8x200.fit")          # doctest: +SKIP
>>> sim.truth.reps[0].distance_m                      # doctest: +SKIP
200.0

:func:`simulate` runs a :class:`~.workout.WorkoutPlan` (see the presets in
:mod:`.workout`) on a route (``track``: lane 1 of a 400 m track; ``road``: a hilly
loop), then records it with a simulated watch whose flaws can each be switched
(:mod:`.watch`). The result writes FIT (:mod:`.fit_writer`), GPX (:mod:`.gpx_writer`) and
the truth as JSON (:mod:`.truth`). Everything is deterministic for a given ``seed``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from . import workout
from .fit_writer import fit_bytes
from .gpx_writer import gpx_text
from .route import make_route
from .trace import Runner, RunnerTrace, cadence_spm, heart_rate, run
from .truth import Truth, build_truth
from .watch import Recording, WatchOptions, record
from .workout import WorkoutPlan

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Activity

__all__ = ["SimulatedActivity", "simulate", "workout", "Runner", "WorkoutPlan"]

DEFAULT_START_UTC = dt.datetime(2026, 3, 14, 7, 30, 0, tzinfo=dt.UTC)


@dataclass(frozen=True, eq=False)
class SimulatedActivity:
    """A simulated run: the plan, the runner's true trace, what the watch stored, the
    truth. ``write_fit`` / ``write_gpx`` / ``write_truth`` save it."""

    plan: WorkoutPlan
    trace: RunnerTrace
    recording: Recording
    truth: Truth

    def fit_bytes(self) -> bytes:
        return fit_bytes(self.recording)

    def write_fit(self, path: str | os.PathLike) -> Path:
        """Write the FIT activity file; returns its path."""
        p = Path(path)
        p.write_bytes(self.fit_bytes())
        return p

    def write_gpx(self, path: str | os.PathLike) -> Path:
        """Write GPX 1.1 with Garmin's heart-rate/cadence extension; returns its path."""
        p = Path(path)
        p.write_text(gpx_text(self.recording), encoding="utf-8")
        return p

    def truth_json(self) -> str:
        return json.dumps(self.truth.to_dict(), indent=1, sort_keys=False) + "\n"

    def write_truth(self, path: str | os.PathLike) -> Path:
        """Write the truth JSON (schema in :mod:`splitcheck.simulate.truth`)."""
        p = Path(path)
        p.write_text(self.truth_json(), encoding="utf-8")
        return p

    def to_activity(self) -> Activity:
        """The FIT file as splitcheck reads it (through :func:`splitcheck.io.read_bytes`)."""
        from ..io import read_bytes

        return read_bytes(self.fit_bytes(), f"simulated {self.plan.label}")[0]


def simulate(
    plan: WorkoutPlan,
    *,
    seed: int,
    route: str = "track",
    recording: str = "1s",
    laps: str = "manual",
    auto_pause: bool = False,
    gps_noise: bool | float = True,
    start_utc: dt.datetime = DEFAULT_START_UTC,
    runner: Runner | None = None,
    mile_speed_mps: float | None = None,
) -> SimulatedActivity:
    """Simulate a runner doing ``plan`` and a watch recording it.

    Parameters
    ----------
    plan : WorkoutPlan
        What to run (presets in :mod:`splitcheck.simulate.workout`).
    seed : int
        Seed of the numpy Generator: the same arguments give the same files.
    route : {"track", "road"}
        Lane 1 of a 400 m track, or a 2.4 km road loop with hills.
    recording : {"1s", "smart"}
        Every second, or Garmin-like smart recording (irregular 1-8 s gaps).
    laps : {"manual", "workout", "auto_km", "auto_mile", "none", "manual_faulty"}
        Lap button at each step boundary (with human delay), structured-workout laps
        (exact, with intensity and step index), auto laps each km or mile, one lap, or
        the lap button pressed as real runners do: a press forgotten, a skip press 2-11 s
        after one, a stray press in the warm-up (``watch.FORGOTTEN_PRESS_P``).
    auto_pause : bool
        Stop the timer (FIT timer events) and recording while the runner stands.
    gps_noise : bool or float
        Add correlated GPS position noise (off: positions on the route's line); a number
        is the SD [m] of its slowly wandering part (``watch.REAL_TRACK_GPS_SIGMA_M``: as
        noisy as real track files; True: ``watch.GPS_SIGMA_M``).
    start_utc : datetime
        Time of the first sample, timezone-aware UTC, whole seconds.
    runner : Runner, optional
        Resting and maximum heart rate.
    mile_speed_mps : float, optional
        The runner's mile race speed, m/s, for heart rate (default: the plan's fastest
        target speed, at least 4:00 /km).
    """
    if start_utc.utcoffset() != dt.timedelta(0) or start_utc.microsecond:
        raise ValueError(f"start_utc must be UTC in whole seconds, got {start_utc!r}")
    options = WatchOptions(
        recording=recording, laps=laps, auto_pause=auto_pause, gps_noise=gps_noise
    )
    rng = np.random.default_rng(seed)
    where = make_route(route)
    runner = runner or Runner()
    trace = run(plan, where, rng)
    ref = mile_speed_mps or max(
        [4.1667]
        + [s.speed_mps for s in plan.steps]
        + [v for s in plan.steps for v in s.piece_speeds_mps]
    )
    hr = heart_rate(trace, where, runner, ref, rng)
    t1 = np.arange(0.0, np.floor(trace.end_s) + 1.0)
    cadence = cadence_spm(trace.speed_at(t1), rng)
    rec = record(trace, where, hr, cadence, options, rng, start_utc)
    params = {
        "seed": seed,
        "route": route,
        "recording": recording,
        "laps": laps,
        "auto_pause": auto_pause,
        "gps_noise": gps_noise,
        "start_utc": start_utc.isoformat().replace("+00:00", "Z"),
        "hr_rest_bpm": runner.hr_rest_bpm,
        "hr_max_bpm": runner.hr_max_bpm,
    }
    truth = build_truth(plan, trace, rec.laps, rec.pauses, rec.end_s, params)
    return SimulatedActivity(plan, trace, rec, truth)
