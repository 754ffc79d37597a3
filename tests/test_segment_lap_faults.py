"""Lap faults on real sessions: skip presses, decoy presses, a forgotten press. The laps
of real files (../shared/real-activities) are split or merged the way a runner's presses
go wrong (the samples stay as recorded); the structure must stay the truth's
(TRUTH.json / tests/data/truth_manifest.json)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from conftest import REAL
from splitcheck.io import read
from splitcheck.model import Lap
from splitcheck.segment import find_structure


def _activity(rel: str):
    if not (REAL / rel).exists():
        pytest.fail(f"real file {rel} missing from {REAL}")
    return read(REAL / rel)[0]


def _split_lap(activity, index: int, at_s: float, trigger: str = "manual"):
    """The activity with lap ``index`` split ``at_s`` seconds after its start (a press)."""
    laps = list(activity.laps)
    lap = laps[index]
    cut = lap.start_s + at_s
    d = np.interp(
        cut, activity.samples.elapsed_s, np.nan_to_num(activity.samples.distance_m, nan=0.0)
    )
    d0 = np.interp(
        lap.start_s, activity.samples.elapsed_s, np.nan_to_num(activity.samples.distance_m)
    )
    first_m = float(d - d0)
    first = dataclasses.replace(lap, end_s=cut, distance_m=first_m, trigger=trigger)
    second = dataclasses.replace(lap, start_s=cut, distance_m=lap.distance_m - first_m)
    return activity.with_changes(laps=tuple(laps[:index] + [first, second] + laps[index + 1 :]))


def _work(activity):
    s = find_structure(activity)
    return s, [(round(w.start_s), round(w.duration_s)) for w in s.work]


SIX_400 = "run-stats/6761214480_ACTIVITY.fit"


@pytest.mark.parametrize("at_s", [3.0, 7.0, 11.0])
@pytest.mark.parametrize("where", ["rep start", "rep end", "recovery start", "recovery end"])
def test_skip_presses_of_2_to_11_s_leave_the_reps(where, at_s):
    """A runner skipping a workout step presses lap a few seconds after the last press
    (or twice): a 3-11 s lap at the start or end of a rep or a recovery."""
    activity = _activity(SIX_400)
    base, reps = _work(activity)
    index = {"rep start": 6, "rep end": 6, "recovery start": 7, "recovery end": 7}[where]
    lap = activity.laps[index]
    cut = at_s if where.endswith("start") else lap.duration_s - at_s
    s, got = _work(_split_lap(activity, index, cut))
    assert s.workout.type == base.workout.type == "repeats", s.workout.label
    assert len(got) == 6
    # a rep's edge may move by at most the skip press's few seconds (whose side they
    # were run on is read from their speed)
    err = np.abs(np.array(got, dtype=float) - np.array(reps, dtype=float))
    assert err.max() <= at_s + 1.0, (got, reps)
    assert (err > 1.0).any(axis=1).sum() <= 1  # only the rep beside the skip press


def test_a_decoy_press_mid_rep_and_mid_warm_up_leave_the_reps():
    activity = _activity(SIX_400)
    base, reps = _work(activity)
    mutated = _split_lap(_split_lap(activity, 8, 40.0), 1, 100.0)
    s, got = _work(mutated)
    assert s.workout.type == "repeats", s.workout.label
    assert got == reps


def test_one_decoy_press_in_a_continuous_run_makes_no_reps():
    activity = _activity("activityio/c2eb1b_2.tcx")  # 10 x 1 km laps, last km slow
    s, got = _work(_split_lap(activity, 4, 200.0))
    assert s.workout.type == "continuous", s.workout.label
    assert got == []


def test_a_lap_lost_to_a_forgotten_press_is_found_from_the_trace():
    """c2eb1b_6 (8 x 200 m, manual laps): the press that started rep 4 is lost (its
    recovery lap and rep lap merge); the rep is still found, from the trace."""
    activity = _activity("activityio/c2eb1b_6.tcx")
    laps = list(activity.laps)
    rec, rep = laps[6], laps[7]  # recovery 746-866, rep 866-926
    merged = Lap(rec.start_s, rep.end_s, rec.distance_m + rep.distance_m, trigger="manual")
    mutated = activity.with_changes(laps=tuple(laps[:6] + [merged] + laps[8:]))
    s = find_structure(mutated)
    assert len(s.work) == 8, s.workout.label
    assert s.structure_source == "laps+trace"
    assert abs(s.work[3].start_s - rep.start_s) <= 3.0


def test_a_press_forgotten_at_the_start_of_a_rep_after_a_jog():
    """run-stats 6 x 400 m / 200 m jog, workout laps: the press between a jog and the rep
    lost, so one lap holds the jog and the rep. The rep is cut out of it by the trace."""
    activity = _activity(SIX_400)
    base, reps = _work(activity)
    laps = list(activity.laps)
    rec, rep = laps[7], laps[8]  # jog 1350-1427, rep 1427-1512
    merged = Lap(rec.start_s, rep.end_s, rec.distance_m + rep.distance_m, trigger="distance")
    s, got = _work(activity.with_changes(laps=tuple(laps[:7] + [merged] + laps[9:])))
    assert s.workout.type == "repeats", s.workout.label
    assert len(got) == 6 and "6x400 m" in s.workout.label
    assert abs(s.work[2].start_s - rep.start_s) <= 4.0
