"""Beginner interval sessions read from the pace trace alone (no laps): reps only 15-25 %
faster than the warm-up, walk, jog or standing recoveries, auto-pause, smart recording;
compared with the simulator's truth. Continuous beginner runs must stay continuous."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from splitcheck.segment import find_structure
from splitcheck.segment.intervals import Bout
from splitcheck.segment.regular import is_regular
from splitcheck.segment.trace import build_trace
from splitcheck.simulate import simulate
from splitcheck.simulate import workout as wk

WARM_PACE_S_PER_KM = 480.0
"""A beginner's warm-up and cool-down: 8:00 /km."""
JOG_PACE_S_PER_KM = 510.0
"""A beginner's jog recovery: 8:30 /km."""
WALK_MPS = 1.4
"""Walking, about 12:00 /km."""


def _plan(
    n: int,
    rep: float,
    pace_s_per_km: float,
    rec_s: float,
    rec_mps: float,
    *,
    by: str = "distance",
    warm_pace_s_per_km: float = WARM_PACE_S_PER_KM,
) -> wk.WorkoutPlan:
    """Warm-up, ``n`` reps (metres or seconds) with recoveries, cool-down (10 min each)."""
    easy = wk.pace_to_speed(warm_pace_s_per_km)
    steps = [wk.Step("warmup", easy, duration_s=600.0)]
    for i in range(n):
        speed = wk.pace_to_speed(pace_s_per_km)
        if by == "distance":
            steps.append(wk.Step("work", speed, distance_m=rep, nominal=f"{rep:g} m"))
        else:
            steps.append(wk.Step("work", speed, duration_s=rep, nominal=f"{rep:g} s"))
        if i < n - 1:
            steps.append(wk.Step("recovery", rec_mps, duration_s=rec_s))
    steps.append(wk.Step("cooldown", easy, duration_s=600.0))
    kind = "repeats" if by == "distance" else "time_reps"
    return wk.WorkoutPlan(kind, f"{n}x{rep:g}", tuple(steps))


JOG = wk.pace_to_speed(JOG_PACE_S_PER_KM)
CASES = {
    "4x800 m at 6:30, jog 8:30, track": (_plan(4, 800, 390, 120, JOG), {}, 2),
    "4x800 m at 6:30, standing, auto-pause, smart": (
        _plan(4, 800, 390, 120, 0.0),
        {"recording": "smart", "auto_pause": True},
        1,
    ),
    "4x800 m at 6:30, walk, smart": (_plan(4, 800, 390, 120, WALK_MPS), {"recording": "smart"}, 1),
    "8x1 min at 6:15, walk, hilly road": (
        _plan(8, 60, 375, 90, WALK_MPS, by="time"),
        {"route": "road"},
        1,
    ),
    "8x1 min at 6:15, jog, hilly road": (
        _plan(8, 60, 375, 90, JOG, by="time"),
        {"route": "road"},
        2,
    ),
    "6x400 m at 6:30, walk, track": (_plan(6, 400, 390, 120, WALK_MPS), {}, 1),
    "6x400 m at 6:45, walk, road, smart": (
        _plan(6, 400, 405, 120, WALK_MPS),
        {"route": "road", "recording": "smart"},
        2,
    ),
    "6x2 min at 6:45, standing, auto-pause, road": (
        _plan(6, 120, 405, 90, 0.0, by="time"),
        {"route": "road", "auto_pause": True},
        1,
    ),
}


@functools.cache
def _edge_errors_s(name: str) -> tuple[float, ...]:
    """Absolute start and end errors [s] of the reps found in case ``name``."""
    plan, options, seed = CASES[name]
    sim = simulate(plan, seed=seed, laps="none", **options)
    s = find_structure(sim.to_activity())
    got, truth = list(s.work), list(sim.truth.reps)
    assert len(got) == len(truth), s.workout.label
    assert s.workout.type == plan.type, s.workout.label
    err = [abs(g.start_s - t.start_s) for g, t in zip(got, truth, strict=True)]
    err += [abs(g.end_s - t.end_s) for g, t in zip(got, truth, strict=True)]
    return tuple(err)


@pytest.mark.parametrize("name", list(CASES))
def test_beginner_reps_found_with_their_edges(name):
    """Every rep found and typed; a 20 % change of pace is a soft edge under GPS noise
    (jog recoveries: the worst). Since the simulated runner eases off over 3-6 s around
    the press, as the real ones do (simulate/transitions.py), a session's slow 800 m reps
    can end 4 s off (median 3.7 s with jogs, 3.0 s with walks), as soft real edges are
    found: garmin-stamina.fit's ends 5.5-6.2 s early, track_cs_728599.fit's starts
    4.5-5.8 s late (scripts/evaluate_segmentation.py --reps). Was 3.0 s with the runner
    switching pace at the press."""
    err = _edge_errors_s(name)
    assert np.median(err) <= 4.0
    assert max(err) <= 15.0


def test_beginner_rep_edges_median_within_two_seconds():
    err = np.concatenate([_edge_errors_s(name) for name in CASES])
    assert np.median(err) <= 2.0
    assert np.percentile(err, 90) <= 5.0


def _steady(pace_s_per_km: float, duration_s: float) -> wk.Step:
    return wk.Step("work", wk.pace_to_speed(pace_s_per_km), duration_s=duration_s)


def _continuous(name: str, steps: list[wk.Step]) -> wk.WorkoutPlan:
    return wk.WorkoutPlan("continuous", name, tuple(steps))


CONTINUOUS = {
    "easy 8:00 /km": _continuous("easy", [_steady(480, 2400)]),
    "progression 8:00 to 6:30 /km": _continuous(
        "progression", [_steady(p, 480) for p in (480, 450, 420, 390)]
    ),
    "tempo 6:45 /km after an 8:00 warm-up": _continuous(
        "tempo", [_steady(480, 600), _steady(405, 1200), _steady(480, 600)]
    ),
    "surges of random length and spacing": _continuous(
        "fartlek",
        [_steady(480, 600)]
        + [
            x
            for on, off in ((30, 200), (90, 60), (45, 150), (120, 240), (20, 90), (60, 300))
            for x in (_steady(400, on), _steady(480, off))
        ],
    ),
}


@pytest.mark.parametrize("recording", ["1s", "smart"])
@pytest.mark.parametrize("name", list(CONTINUOUS))
def test_beginner_continuous_runs_on_hilly_roads_have_no_reps(name, recording):
    for seed in (1, 2):
        sim = simulate(CONTINUOUS[name], seed=seed, laps="none", route="road", recording=recording)
        s = find_structure(sim.to_activity())
        assert s.workout.type == "continuous", (seed, s.workout.label)
        assert not s.work


def test_regular_alternation_needs_alike_bouts_and_alike_gaps():
    sim = simulate(_plan(4, 800, 390, 120, WALK_MPS), seed=1, laps="none")
    trace = build_trace(sim.to_activity())
    reps = [Bout(r.start_s, r.end_s) for r in sim.truth.reps]
    assert is_regular(trace, reps)
    assert not is_regular(trace, reps[:3])  # three can be alike by chance
    uneven_gaps = [reps[0], reps[1], Bout(reps[2].start_s + 90, reps[2].end_s + 90), reps[3]]
    assert not is_regular(trace, uneven_gaps)
    one_long = [*reps[:3], Bout(reps[3].start_s, reps[3].end_s + 400)]
    assert not is_regular(trace, one_long)
