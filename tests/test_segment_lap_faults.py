"""Lap faults on real sessions: skip presses, decoy presses, a forgotten press. The laps
of real files (../shared/real-activities) are split or merged the way a runner's presses
go wrong (the samples stay as recorded); the structure must stay the truth's
(TRUTH.json / tests/data/truth_manifest.json)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from conftest import REAL
from segment_synth import session
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


def test_a_pyramid_rep_with_its_jog_in_one_lap_is_cut_to_the_rep():
    """200-400-600-800-600-400-200 m with manual laps, the press ending the second 600 m
    forgotten (its lap holds the rep and the 90 s jog after it: ~830 m). The lapped
    reps' median is 400 m, so the rep is recognised by the other 600 m's size (and 600 m
    being a standard distance): cut out by the trace, the pyramid is whole."""
    speed, jog = 4.2, 2.5  # 48, 95, 143 and 190 s: no round durations
    segments = [(600.0, 3.0)]
    for i, d in enumerate((200, 400, 600, 800, 600, 400, 200)):
        segments.append((d / speed, speed))
        if i < 6:
            segments.append((90.0, jog))
    segments.append((300.0, 3.0))
    activity, edges = session(segments, step_s=1.0)
    d = np.interp(edges, activity.samples.elapsed_s, activity.samples.distance_m)
    laps = [
        Lap(float(a), float(b), float(y - x), trigger="manual")
        for a, b, x, y in zip(edges[:-1], edges[1:], d[:-1], d[1:], strict=True)
    ]
    k = 9  # the second 600 m's lap (0 warm-up, then rep/jog alternating)
    merged = Lap(laps[k].start_s, laps[k + 1].end_s, laps[k].distance_m + laps[k + 1].distance_m,
                 trigger="manual")  # fmt: skip
    s = find_structure(activity.with_changes(laps=tuple(laps[:k] + [merged] + laps[k + 2 :])))
    assert s.workout.type == "pyramid", s.workout.label
    assert [w.nominal for w in s.work] == ["200 m", "400 m", "600 m", "800 m", "600 m",
                                           "400 m", "200 m"]  # fmt: skip


def test_a_press_forgotten_after_a_rep_of_the_sessions_other_size():
    """with_nones (4 x ~60 s, then 3 x 200 m with walks, manual laps): the press ending
    the second 200 m is lost, so its lap holds the rep and the 2 min walk after it. The
    200 m is not the size of the lapped reps' median (a 60 s rep) but of the other 200 m
    reps, and fits 200 m: it is cut out by the trace (truth: TRUTH.json, lap 10)."""
    activity = _activity("workoutizer/with_nones.fit")
    laps = list(activity.laps)
    rep, walk = laps[10], laps[11]
    assert abs(rep.start_s - 1418.0) < 1.0  # the truth's 6th rep
    merged = Lap(rep.start_s, walk.end_s, rep.distance_m + walk.distance_m, trigger="manual")
    s = find_structure(activity.with_changes(laps=tuple(laps[:10] + [merged] + laps[12:])))
    assert len(s.work) == 7, s.workout.label
    sixth = s.work[5]
    assert abs(sixth.start_s - 1418.0) <= 3.0
    assert abs(sixth.end_s - (1418.0 + 40.168)) <= 3.0


def test_a_skip_press_after_a_rep_goes_with_the_jog():
    """4 x 600 m at 4.4 m/s with 2 min jogs at 2.6 m/s, the runner easing off over 10 s;
    after the second rep a second press 10 s after the first (skipping a step): those 10 s
    are the jog's start, run between both paces. Where the pace changes (the trace) puts
    them with the jog: the rep keeps its own lap's length."""
    speed, jog = 4.4, 2.6
    segments = [(600.0, 3.0)]
    for i in range(4):
        segments.append((600 / speed, speed))
        if i < 3:
            segments.append((120.0, jog))
    segments.append((300.0, 3.0))
    activity, edges = session(segments, step_s=1.0, ramp_s=10.0)
    cuts = sorted([*edges, edges[4] + 10.0])  # the second rep ends at edges[4]
    d = np.interp(cuts, activity.samples.elapsed_s, activity.samples.distance_m)
    laps = [
        Lap(float(a), float(b), float(y - x), trigger="manual")
        for a, b, x, y in zip(cuts[:-1], cuts[1:], d[:-1], d[1:], strict=True)
    ]
    s = find_structure(activity.with_changes(laps=tuple(laps)))
    assert "4x600 m" in s.workout.label, s.workout.label
    assert abs(s.work[1].end_s - edges[4]) <= 1.0
