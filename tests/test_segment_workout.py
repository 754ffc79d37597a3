"""Workout recognition: snapping, the session's shape and its label in runner's words."""

from __future__ import annotations

import pytest

from segment_synth import reps_session, session
from splitcheck.report.structure_text import workout_label
from splitcheck.segment import find_structure
from splitcheck.segment.types import Interval
from splitcheck.segment.workout import (
    DISTANCE_TOLERANCE,
    TRACK_DISTANCES_M,
    snap,
    with_nominals,
    workout_type,
)
from splitcheck.units import MILE_M


def _reps(distances, speed=5.0):
    return [Interval(0.0, d / speed, float(d)) for d in distances]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(203.0, 200.0), (391.0, 400.0), (1612.0, MILE_M), (1597.0, 1600.0), (700.0, None)],
)
def test_snap_to_track_distances(value, expected):
    assert snap(value, TRACK_DISTANCES_M, DISTANCE_TOLERANCE) == expected


@pytest.mark.parametrize(
    ("distances", "kind"),
    [
        ([200] * 8, "repeats"),
        ([200] * 4 + [400] * 2 + [600] * 2 + [800], "ladder_ascending"),
        ([800, 600, 600, 400, 400, 200, 200], "ladder_descending"),
        ([200, 400, 600, 800, 600, 400, 200], "pyramid"),
        ([400, 200, 400, 1000], "mixed"),
        ([400, 400, 800, 800, 400], "mixed"),  # up and down, but not back down its steps
        ([1609], "time_trial"),
        ([1500], "time_trial"),
        ([], "continuous"),
    ],
)
def test_workout_types_from_rep_distances(distances, kind):
    assert workout_type(with_nominals(_reps(distances))) == kind


def test_time_reps_are_read_by_duration():
    """10 x 30 s at 5.6 m/s = 168 m: no track distance, a round duration."""
    reps = [Interval(0.0, 30.4, 170.0)] * 10
    named = with_nominals(reps)
    assert {r.nominal for r in named} == {"30 s"}
    assert workout_type(named) == "time_reps"


def test_a_rep_fitting_nothing_is_marked_so():
    named = with_nominals([Interval(0.0, 150.0, 700.0)])
    assert named[0].nominal is None


def test_the_article_ladder_label_from_the_trace():
    activity, _ = reps_session([200] * 4 + [400] * 2 + [600] * 2 + [800], warm_s=902.0)
    s = find_structure(activity)
    assert s.workout.type == "ladder_ascending"
    assert s.workout.label.startswith("15:0")
    assert "warm-up; 4x200, 2x400, 2x600, 1x800 m with jog recoveries; " in s.workout.label
    assert s.workout.label.endswith("cool-down")
    assert [r.rep for r in s.work] == list(range(1, 10))


def test_the_article_pyramid_label_lists_the_rungs():
    activity, _ = reps_session([200, 400, 600, 800, 600, 400, 200], warm_s=600.0)
    s = find_structure(activity)
    assert s.workout.type == "pyramid"
    assert "200, 400, 600, 800, 600, 400, 200 m with jog recoveries" in s.workout.label


def test_mile_time_trial_label_and_laps():
    laps_s = (92.0, 95.0, 94.0, 88.0)
    segs = [(900.0, 3.0), (90.0, 0.0)] + [(t, MILE_M / 4 / t) for t in laps_s] + [(600.0, 2.8)]
    activity, edges = session(segs, noise_m=0.3)
    s = find_structure(activity)
    assert s.workout.type == "time_trial"
    assert s.workout.label.startswith("mile time trial: 1:3")
    assert s.mile_effort is not None
    assert [lap.duration_s for lap in s.mile_effort.laps] == pytest.approx(laps_s, abs=1.0)
    assert s.mile_effort.start_s == pytest.approx(edges[2], abs=1.5)


def test_structure_json_has_the_documented_keys():
    activity, _ = reps_session([400] * 4)
    doc = find_structure(activity).to_dict()
    assert {"splits", "intervals", "workout", "efforts"} <= set(doc)
    work = [i for i in doc["intervals"] if i["kind"] == "work"]
    assert len(work) == 4
    assert {"kind", "start_s", "end_s", "duration_s", "distance_m", "pace_s_per_km"} <= set(work[0])
    assert work[0]["nominal"] == "400 m"
    # the structure's words need no unit; the analysis adds the label in the runner's units
    assert {"type", "words", "run", "race", "tempo"} == set(doc["workout"])
    assert "4x400 m with jog recoveries" in doc["workout"]["words"]
    assert set(doc["efforts"]["mile"]) >= {"start_s", "end_s", "duration_s", "distance_m", "laps"}
    assert len(doc["efforts"]["mile"]["laps"]) == 4
    assert {"duration_s", "distance_m"} <= set(doc["efforts"]["mile"]["laps"][0])


def test_strides_in_the_warm_up_leave_a_mile_time_trial():
    segs = [(600.0, 3.0)]
    for _ in range(4):
        segs += [(16.0, 6.0), (45.0, 2.5)]
    segs += [(240.0, 3.0), (400.0, MILE_M / 400.0), (600.0, 2.8)]
    activity, edges = session(segs, noise_m=0.3)
    s = find_structure(activity)
    assert s.workout.type == "time_trial", s.workout.label
    assert len(s.work) == 1
    assert s.work[0].start_s == pytest.approx(edges[-3], abs=1.5)
    assert any("strides" in n for n in s.notes)


# -- a mile time trial barely faster than its warm-up (simulated, laps hidden) -------------
def test_a_slow_mile_trial_rolled_into_from_the_warm_up_is_still_a_time_trial():
    """A 7:48 mile straight out of 6:00 /km jogging: the fast cluster is only 23 %
    faster, below the two-cluster ratio, yet the mile stands out from the rest."""
    from splitcheck.simulate import simulate
    from splitcheck.simulate import workout as wk

    sim = simulate(wk.mile_tt((116.0, 118.0, 115.0, 119.0), start_rest_s=0.0), seed=2)
    s = find_structure(sim.to_activity())
    truth = sim.truth.mile_effort
    assert s.workout.type == "time_trial"
    assert s.mile_effort is not None
    assert s.mile_effort.duration_s == pytest.approx(truth.duration_s, rel=0.03)


def test_a_run_finishing_with_fast_kilometres_is_not_a_time_trial():
    """30 min easy, then 2 km at 5:10 /km to the end: its fastest mile is 16 % faster
    than the rest, but lies inside a longer fast stretch (the 200 m before it are as
    fast), so it is no lone mile."""
    from splitcheck.simulate import simulate
    from splitcheck.simulate.workout import Step, WorkoutPlan, pace_to_speed

    steps = (
        Step("work", pace_to_speed(360.0), duration_s=1800.0),
        Step("work", pace_to_speed(310.0), distance_m=2000.0),
    )
    sim = simulate(WorkoutPlan("continuous", "progression", steps), seed=4)
    s = find_structure(sim.to_activity())
    assert s.workout.type == "continuous"
    assert s.mile_effort is None


def test_round_durations_of_two_minutes_or_more_make_a_timed_set():
    """4 x 3 min at a pace that also covers ~800 m: each rep within 1.5 s of 3:00 (a timed
    step or a press at the beep) is a timed set; 800 m reps vary by seconds with pace."""
    timed = with_nominals(
        [Interval(0.0, t, d) for t, d in [(180.7, 803), (180.0, 797), (180.3, 800), (179.3, 798)]]
    )
    assert {r.nominal for r in timed} == {"3 min"}
    assert workout_type(timed) == "time_reps"
    paced = with_nominals(
        [Interval(0.0, t, d) for t, d in [(176.0, 801), (181.0, 799), (184.5, 800), (179.0, 802)]]
    )
    assert {r.nominal for r in paced} == {"800 m"}


def test_a_set_off_every_standard_size_is_named_by_its_own():
    """5 x ~850 m at ~3:12: a few reps within 5 % of 800 m do not make it 800 m reps."""
    reps = with_nominals([Interval(0.0, d / 4.4, d) for d in (834.0, 841, 845, 850, 854)])
    assert {r.nominal for r in reps} == {"~850 m"}
    assert workout_type(reps) == "repeats"


def test_unnamed_reps_stepping_down_at_one_pace_are_a_ladder():
    """A treadmill's 6-5-4-3-2-1 km at 14.0-14.5 km/h, measured by a foot pod reading 2.34
    times long (tcxmill/30km-progression): no rung fits a standard size, the shape is a
    ladder; three steps are not enough to tell one from chance."""
    km = [6, 5, 4, 3, 2, 1]
    speed = [14.0, 14.1, 14.2, 14.3, 14.4, 14.5]
    reps = [Interval(0.0, k * 3600 / v, k * 2340.0) for k, v in zip(km, speed, strict=True)]
    assert workout_type(with_nominals(reps)) == "ladder_descending"
    assert workout_type(with_nominals(reps[:3])) == "mixed"
    jumbled = [reps[i] for i in (0, 2, 1, 3, 4, 5)]
    assert workout_type(with_nominals(jumbled)) == "mixed"


@pytest.mark.parametrize(
    ("segments", "kind", "words"),
    [
        ([(900, 2.8), (600, 4.0), (180, 2.6), (600, 4.0), (600, 2.8)], "time_reps", "2x10 min"),
        (
            [(1200, 2.8), (900, 3.7), (300, 2.9), (600, 3.8), (300, 2.9), (300, 3.9), (1200, 2.8)],
            "ladder_descending",
            "15 min, 10 min, 5 min",
        ),
        ([(900, 2.8), (1200, 3.9), (600, 2.8)], "continuous", "20:00 tempo"),
    ],
)
def test_reps_of_ten_minutes_or_more_inside_a_session_are_reps(segments, kind, words):
    """2 x 10 min, and a long run's 15-10-5 min ladder of tempo blocks, are reps; one
    20 min block is a tempo run."""
    activity, _ = session(segments, noise_m=0.5)
    s = find_structure(activity)
    assert s.workout.type == kind, s.workout.label
    assert words in workout_label(s.workout)


def test_a_pyramids_last_rep_short_on_gps_keeps_the_sessions_distance():
    """200-400-600-800-600-400-200 m at 4.44 m/s with the last 200 m measured 188 m (GPS,
    6 % short) in exactly 45 s: it is the pyramid's 200 m, not a "45 s" rep (the session
    names its reps by distance, and 200 m is one of them)."""
    speed = 800 / 180
    reps = [Interval(0.0, d / speed, float(d)) for d in (200, 400, 600, 800, 600, 400)]
    reps.append(Interval(0.0, 45.0, 188.0))
    named = with_nominals(reps)
    assert [r.nominal_distance_m for r in named] == [200, 400, 600, 800, 600, 400, 200]
    assert workout_type(named) == "pyramid"
