"""Splits and best efforts: interpolated boundaries against hand-computed times."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segment_synth import session
from splitcheck.model import Activity, Samples
from splitcheck.segment.efforts import best_efforts, fastest_stretch, with_laps
from splitcheck.segment.splits import distance_splits
from splitcheck.segment.trace import build_trace
from splitcheck.segment.types import Effort
from splitcheck.units import MILE_M


def _constant(speed_mps: float, duration_s: float, step_s: float = 1.0) -> Activity:
    t = np.arange(0.0, duration_s + 1e-9, step_s)
    return Activity(
        Samples.from_columns(elapsed_s=t, distance_m=speed_mps * t),
        start_utc=None,
        sport="running",
    )


def test_km_splits_of_a_steady_run_with_a_partial_last_split():
    trace = build_trace(_constant(3.0, 1200.0))  # 3600 m
    splits = distance_splits(trace, 1000.0)
    assert [round(s.duration_s, 6) for s in splits] == [333.333333] * 3 + [200.0]
    assert [s.partial for s in splits] == [False, False, False, True]
    assert splits[-1].distance_m == pytest.approx(600.0)


def test_split_boundaries_are_interpolated_between_sparse_samples():
    """Samples every 7 s: the 400 m mark at 4 m/s is at exactly 100 s, between samples."""
    trace = build_trace(_constant(4.0, 700.0, step_s=7.0))
    splits = distance_splits(trace, 400.0)
    assert splits[0].end_s == pytest.approx(100.0)
    assert splits[1].end_s == pytest.approx(200.0)


def test_mile_splits_and_bad_split_distance():
    trace = build_trace(_constant(4.0, 900.0))
    assert distance_splits(trace, MILE_M)[0].duration_s == pytest.approx(MILE_M / 4.0)
    with pytest.raises(ValueError, match="positive"):
        distance_splits(trace, 0.0)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.floats(30, 400), st.floats(1.5, 6.5)), min_size=1, max_size=6),
    st.sampled_from([200.0, 400.0, 1000.0, MILE_M]),
)
def test_split_times_add_up_to_the_run(segments, split_m):
    activity, edges = session(segments, ramp_s=0.1)
    trace = build_trace(activity)
    if trace is None:
        return
    splits = distance_splits(trace, split_m)
    assert sum(s.duration_s for s in splits) == pytest.approx(trace.raw_t_s[-1], abs=1e-6)
    assert sum(s.distance_m for s in splits) == pytest.approx(trace.raw_d_m[-1], abs=1e-6)
    assert all(not s.partial for s in splits[:-1])


def test_fastest_400_m_is_the_fast_stretch():
    activity, edges = session([(300.0, 3.0), (70.0, 6.0), (300.0, 3.0)], ramp_s=0.1)
    best = fastest_stretch(build_trace(activity), 400.0, name="400m")
    # 420 m at 6 m/s inside: the best 400 m lies within it, 66.7 s long
    assert best.duration_s == pytest.approx(400.0 / 6.0, abs=0.1)
    assert edges[1] - 0.1 <= best.start_s and best.end_s <= edges[2] + 0.1


def test_best_efforts_and_the_best_mile_laps():
    laps_s = (70.0, 75.0, 72.0, 66.0)
    segs = [(600.0, 3.0)] + [(t, MILE_M / 4 / t) for t in laps_s] + [(600.0, 3.0)]
    activity, _ = session(segs, ramp_s=0.1)
    efforts = best_efforts(build_trace(activity))
    assert set(efforts) == {"400m", "800m", "1km", "mile", "5km"}
    mile = efforts["mile"]
    assert mile.duration_s == pytest.approx(sum(laps_s), abs=0.3)
    assert [lap.duration_s for lap in mile.laps] == pytest.approx(laps_s, abs=0.3)
    assert sum(lap.duration_s for lap in mile.laps) == pytest.approx(mile.duration_s)


def test_a_short_run_has_no_long_efforts():
    efforts = best_efforts(build_trace(_constant(3.0, 300.0)))  # 900 m
    assert set(efforts) == {"400m", "800m"}


def test_with_laps_splits_by_distance_not_time():
    activity, _ = session([(100.0, 4.0), (100.0, 2.0)], ramp_s=0.1)  # 400 m, then 2 m/s
    trace = build_trace(activity)
    whole = Effort(start_s=0.0, end_s=150.0, distance_m=500.0, name="x")
    laps = with_laps(trace, whole, laps=5).laps
    assert [lap.duration_s for lap in laps] == pytest.approx([25, 25, 25, 25, 50], abs=0.2)
