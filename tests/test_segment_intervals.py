"""Interval detection from the pace trace alone, against synthetic sessions whose rep
edges are known exactly."""

from __future__ import annotations

import numpy as np
import pytest

from segment_synth import reps_session, session
from splitcheck.report.structure_text import workout_label
from splitcheck.segment import find_structure
from splitcheck.segment.intervals import find_bouts, hinge_kink, hysteresis, runs
from splitcheck.segment.trace import build_trace
from splitcheck.units import format_pace


def _edge_errors(found, spans):
    assert len(found) == len(spans)
    return np.abs(
        [[f.start_s - a, f.end_s - b] for f, (a, b) in zip(found, spans, strict=True)]
    ).ravel()


def test_hysteresis_holds_state_between_levels():
    v = np.array([1, 3, 5, 3, 1.9, 3, 5, 5, 1])
    on = hysteresis(v, enter=4, leave=2)
    assert on.tolist() == [False, False, True, True, False, False, True, True, False]
    assert runs(on) == [(2, 4), (6, 8)]


def test_hinge_kink_finds_a_pace_change_to_a_tenth_of_a_second():
    activity, _ = session([(100.0, 2.5), (100.0, 5.0)], ramp_s=0.1)
    trace = build_trace(activity)
    assert hinge_kink(trace, 95.0, 12.0) == pytest.approx(100.0, abs=0.25)


@pytest.mark.parametrize(
    ("noise_m", "step_s"), [(0.0, 1.0), (1.0, 1.0), (1.0, (1, 2, 3, 4, 5, 6, 7))]
)
def test_six_by_400_edges_within_two_seconds(noise_m, step_s):
    activity, spans = reps_session([400] * 6, noise_m=noise_m, step_s=step_s, seed=3)
    err = _edge_errors(find_bouts(build_trace(activity)), spans)
    assert np.median(err) <= 1.0
    assert err.max() <= 3.0


def test_standing_recoveries_and_short_reps():
    activity, spans = reps_session([200] * 8, rep_mps=6.0, rec_s=60.0, rec_mps=0.0, noise_m=0.5)
    err = _edge_errors(find_bouts(build_trace(activity)), spans)
    assert np.median(err) <= 1.0


def test_treadmill_distance_only_file_with_auto_pause_gap():
    """No positions, a 40 s hole in the samples during a recovery (auto-pause)."""
    activity, spans = reps_session([800] * 3, rec_s=120.0, rec_mps=0.0, seed=5)
    t = activity.samples.elapsed_s
    gap = (t > spans[0][1] + 40) & (t < spans[0][1] + 80)
    activity = activity.with_changes(samples=activity.samples.select(~gap))
    err = _edge_errors(find_bouts(build_trace(activity)), spans)
    assert err.max() <= 3.0


def _hilly_session(altitude: bool):
    """4 x 200 s reps on a rolling loop (+-7 % grades); speed follows the grade as a
    runner holding effort (Minetti cost, exponent 0.5): ~17 % slower up, faster down."""
    from splitcheck.model import Activity, Samples
    from splitcheck.segment.trace import minetti_cost

    def alt(d):
        return 20.0 * np.sin(2 * np.pi * d / 1800.0)

    segs = [(900.0, 3.0)] + [(200.0, 4.6), (120.0, 2.4)] * 4 + [(600.0, 3.0)]
    edges = np.cumsum([0.0] + [seg[0] for seg in segs])
    t = np.arange(0.0, edges[-1], 0.1)
    base = np.array([seg[1] for seg in segs])[np.searchsorted(edges, t, side="right") - 1]
    d = base * t
    for _ in range(4):  # speed depends on where the runner is
        grade = np.gradient(alt(d), d, edge_order=1)
        v = base * (minetti_cost(np.zeros(1)) / minetti_cost(grade)) ** 0.5
        d = np.concatenate([[0.0], np.cumsum(v[:-1] * 0.1)])
    ts = np.arange(0.0, t[-1], 1.0)
    cols = {"elapsed_s": ts, "distance_m": np.interp(ts, t, d)}
    if altitude:
        cols["altitude_m"] = alt(cols["distance_m"])
    activity = Activity(Samples.from_columns(**cols), start_utc=None, sport="running")
    return activity, [(edges[1 + 2 * i], edges[2 + 2 * i]) for i in range(4)]


def test_reps_up_and_down_hills_stay_whole_when_altitude_is_known():
    activity, spans = _hilly_session(altitude=True)
    err = _edge_errors(find_bouts(build_trace(activity)), spans)
    assert np.median(err) <= 2.0


@pytest.mark.parametrize("speed", [2.8, 3.6])
def test_steady_and_progression_runs_have_no_reps(speed):
    steady, _ = session([(2400.0, speed)], noise_m=1.0)
    assert find_bouts(build_trace(steady)) == []
    progression, _ = session([(600.0, speed), (600.0, speed * 1.05), (600.0, speed * 1.1)])
    assert find_structure(progression).workout.type == "continuous"


def test_a_lone_stride_in_the_warm_up_is_not_a_rep():
    segs = [(300.0, 3.0), (15.0, 5.5), (300.0, 3.0)]
    for _ in range(5):
        segs += [(120.0, 5.0), (90.0, 2.4)]
    segs[-1] = (600.0, 3.0)
    activity, _ = session(segs, noise_m=0.5)
    assert len(find_bouts(build_trace(activity))) == 5


def test_a_tempo_run_is_continuous():
    activity, _ = session([(600.0, 2.8), (1200.0, 3.9), (600.0, 2.8)], noise_m=0.5)
    s = find_structure(activity)
    assert s.workout.type == "continuous"
    assert s.work == ()
    tempo = s.workout.tempo  # kept in SI; the report words it in the runner's units
    assert tempo is not None and tempo.duration_s == pytest.approx(1200.0, abs=30.0)
    assert tempo.speed_mps == pytest.approx(3.9, rel=0.03)
    km, mi = workout_label(s.workout), workout_label(s.workout, "mi")
    assert "/mi" not in km and km.endswith(f"tempo at {format_pace(tempo.speed_mps)}")
    assert "km" not in mi and mi.endswith(f"tempo at {format_pace(tempo.speed_mps, 'mi')}")


def test_a_rep_after_an_auto_pause_starts_at_the_timer_restart():
    """Standing recoveries auto-paused: nothing stored while paused, and the first sample
    after the restart comes 4 s late (smart recording)."""
    from splitcheck.model import Pause

    activity, spans = reps_session([400] * 4, rec_s=60.0, rec_mps=0.0, ramp_s=1.0)
    t = activity.samples.elapsed_s
    pauses = tuple(
        Pause(a_end + 3.0, b_start)
        for (_, a_end), (b_start, _) in zip(spans[:-1], spans[1:], strict=True)
    )
    hidden = np.zeros(len(t), dtype=bool)
    for p in pauses:
        hidden |= (t > p.start_s) & (t < p.end_s + 4.0)
    activity = activity.with_changes(samples=activity.samples.select(~hidden), pauses=pauses)
    found = find_bouts(build_trace(activity))
    starts = np.array([b.start_s for b in found[1:]])
    assert starts == pytest.approx([s for s, _ in spans[1:]], abs=0.01)
