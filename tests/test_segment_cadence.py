"""Reps that track GPS blurs, witnessed by cadence (segment/cadence.py), on real files
with their laps hidden; truth from TRUTH.json (the watch's own 400 m laps)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import REAL
from splitcheck.io import read
from splitcheck.segment import find_structure
from splitcheck.segment.cadence import cadence_speed
from splitcheck.segment.trace import build_trace
from splitcheck.segment.types import Interval
from splitcheck.segment.workout import with_nominals, workout_type

RUST = "rust_fit_file/20210610_track_garmin_fenix_6.fit"
CS = "connectstats/track_cs_728599.fit"


def _activity(rel: str):
    if not (REAL / rel).exists():
        pytest.fail(f"real file {rel} missing from {REAL}")
    return read(REAL / rel)[0]


def _truth(rel: str) -> list[dict]:
    return json.loads((REAL / "TRUTH.json").read_text(encoding="utf-8"))[rel]["reps"]


@pytest.mark.parametrize("rel", [RUST, CS])
def test_track_reps_found_from_the_trace_alone(rel):
    """400/400/800/800/400 m with floats at 3.5 m/s (400 m auto laps only) and 3 x 600 m
    with jogs: GPS speed swings +-40 % per half lap, cadence does not."""
    activity = _activity(rel)
    s = find_structure(activity, laps="ignore")
    truth = _truth(rel)
    assert len(s.work) == len(truth), s.workout.label
    for found, true in zip(s.work, truth, strict=True):
        assert abs(found.start_s - true["start_s"]) <= 15.0
        assert abs(found.end_s - (true["start_s"] + true["duration_s"])) <= 15.0
    assert any("cadence" in n for n in s.notes), s.notes  # the runner is told why
    # the starts follow the effort, not the GPS error that recurs at the start line
    # (the GPS distance alone put every start of RUST 8-12 s early)
    starts = np.array([f.start_s - t["start_s"] for f, t in zip(s.work, truth, strict=True)])
    ends = np.array(
        [f.end_s - t["start_s"] - t["duration_s"] for f, t in zip(s.work, truth, strict=True)]
    )
    assert np.abs(starts).max() <= 6.0, starts
    assert np.abs(ends).max() <= 4.0, ends
    d = np.array([f.distance_m / t["distance_m"] - 1 for f, t in zip(s.work, truth, strict=True)])
    assert np.abs(d).max() <= 0.08 and np.median(np.abs(d)) <= 0.03, d
    if rel == RUST:  # the 800 m efforts are twice the 400 m ones
        d = np.array([w.distance_m for w in s.work])
        assert np.all(d[[2, 3]] > 1.7 * d[[0, 1, 4]].max())
        assert s.workout.type == "mixed"
    else:
        assert s.workout.type == "repeats"


def test_cadence_out_of_step_with_speed_witnesses_nothing():
    """The same runner's cadence reversed in time (same values, no longer rising and
    falling with the speed): cadence no longer follows the speed, and the blurred GPS
    trace alone reads as one continuous run."""
    activity = _activity(RUST)
    c = activity.samples.cadence_spm
    mutated = activity.with_changes(samples=activity.samples.replace(cadence_spm=c[::-1].copy()))
    trace = build_trace(mutated)
    assert cadence_speed(trace) is None
    assert cadence_speed(build_trace(activity)) is not None
    assert find_structure(mutated, laps="ignore").work == ()


def test_cadence_speed_follows_the_efforts():
    """The speed cadence predicts is faster inside the watch's fast laps than in its
    float laps, lap by lap (truth: the 400 m auto laps' own speeds)."""
    activity = _activity(RUST)
    trace = build_trace(activity)
    v = cadence_speed(trace)
    fast, slow = [], []
    for lap in activity.laps[2:-2]:
        inside = (trace.t_s > lap.start_s + 15) & (trace.t_s < lap.end_s - 15)
        (fast if lap.distance_m / lap.duration_s > 4.2 else slow).append(np.median(v[inside]))
    assert min(fast) > max(slow)


def _rep(start: float, metres: float, speed: float = 4.5) -> Interval:
    return Interval(start, start + metres / speed, float(metres))


def test_two_sets_of_two_sizes_are_mixed_not_a_ladder():
    t = 0.0
    reps = []
    for m in [400] * 4 + [800] * 2:
        reps.append(_rep(t, m))
        t += 400
    assert workout_type(with_nominals(reps)) == "mixed"
    three = with_nominals([_rep(0, 400), _rep(400, 800), _rep(800, 1200)])
    assert workout_type(three) == "ladder_ascending"


COROS = "TestFilesForFitnessApps/20210604_track_run_coros_pace_2.fit"
FENIX = "TestFilesForFitnessApps/20210604_track_run_garmin_fenix_6.fit"


def test_two_watches_on_one_run_agree_on_the_rep_starts():
    """The COROS PACE 2 and the fenix 6 worn on one track run (six efforts between floats,
    tests/data/truth_corrections.json): their GPS errs differently, their runner's effort
    does not. Found from the trace alone, each watch's reps start within 5 s of the other's
    on the shared clock (the COROS's settled starts were 20-25 s late, on its GPS)."""
    coros, fenix = _activity(COROS), _activity(FENIX)
    offset = (fenix.start_utc - coros.start_utc).total_seconds()
    a = find_structure(coros, laps="ignore").work
    b = find_structure(fenix, laps="ignore").work
    assert len(a) == len(b) == 6
    gap = np.array([x.start_s - offset - y.start_s for x, y in zip(a, b, strict=True)])
    assert np.abs(gap).max() <= 5.0, gap


def test_coros_efforts_last_as_long_as_the_note_says():
    """truth_corrections.json: four efforts of ~400 m (85-90 s) and two of ~800 m
    (~180 s); they came out 64-77 s and were named "1x1:30, 3x1:05, 2x3 min"."""
    s = find_structure(_activity(COROS), laps="ignore")
    durations = np.array([w.duration_s for w in s.work])
    assert np.all((durations[:4] >= 80) & (durations[:4] <= 95)), durations
    assert np.all((durations[4:] >= 170) & (durations[4:] <= 200)), durations
    assert [w.nominal for w in s.work] == ["400 m"] * 4 + ["800 m"] * 2, s.workout.label
