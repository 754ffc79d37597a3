"""Device laps: typing, and reading the reps they mark."""

from __future__ import annotations

import numpy as np
import pytest

from segment_synth import reps_session
from splitcheck.model import Lap
from splitcheck.segment import find_structure


def _laps_at(activity, bounds, **kw):
    d = np.interp(bounds, activity.samples.elapsed_s, activity.samples.distance_m)
    return tuple(
        Lap(start_s=a, end_s=b, distance_m=float(d[i + 1] - d[i]), **kw)
        for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:], strict=True))
    )


def _step_bounds(activity, spans):
    inner = [x for span in spans for x in span]
    return [0.0, *inner, float(activity.samples.elapsed_s[-1])]


def test_manual_laps_mark_the_reps_and_agree_with_the_trace():
    activity, spans = reps_session([400] * 6, noise_m=0.5)
    laps = _laps_at(activity, _step_bounds(activity, spans), trigger="manual")
    s = find_structure(activity.with_changes(laps=laps))
    got = [x for w in s.work for x in (w.start_s, w.end_s)]
    assert got == pytest.approx([x for span in spans for x in span])
    assert {w.source for w in s.work} == {"laps"}
    assert s.workout.label.endswith("cool-down") and "6x400 m" in s.workout.label
    assert any("pace trace alone finds 6" in n for n in s.notes)
    assert [lap.role for lap in s.laps][:3] == ["warmup", "work", "recovery"]


def test_workout_step_laps_with_intensity():
    activity, spans = reps_session([200] * 3, rec_s=60.0)
    bounds = _step_bounds(activity, spans)
    kinds = ["warmup", "active", "rest", "active", "rest", "active", "cooldown"]
    laps = tuple(
        Lap(lap.start_s, lap.end_s, lap.distance_m, trigger="distance", intensity=k, workout_step=i)
        for i, (lap, k) in enumerate(zip(_laps_at(activity, bounds), kinds, strict=True))
    )
    s = find_structure(activity.with_changes(laps=laps))
    assert len(s.work) == 3
    assert [lap.intensity for lap in s.laps] == [
        "warmup",
        "active",
        "rest",
        "active",
        "rest",
        "active",
        "cooldown",
    ]


def test_auto_km_laps_are_ignored_for_structure():
    activity, spans = reps_session([400] * 6, noise_m=0.5)
    d = activity.samples.distance_m
    marks = np.arange(1000.0, d[-1], 1000.0)
    t_marks = np.interp(marks, d, activity.samples.elapsed_s)
    bounds = [0.0, *t_marks, float(activity.samples.elapsed_s[-1])]
    laps = _laps_at(activity, bounds, trigger="distance")
    s = find_structure(activity.with_changes(laps=laps))
    assert all(lap.auto_split for lap in s.laps)
    assert {w.source for w in s.work} == {"trace"}
    assert len(s.work) == 6


def test_empty_and_sub_second_laps_are_recognised():
    activity, _ = reps_session([400] * 2)
    end = float(activity.samples.elapsed_s[-1])
    laps = (
        Lap(0.0, 0.4, 1.5, trigger="manual"),
        Lap(0.4, end - 5, 4000.0, trigger="manual"),
        Lap(end - 5, end, 0.0, trigger="session_end"),
    )
    typed = find_structure(activity.with_changes(laps=laps)).laps
    assert [(lap.empty, lap.sub_second) for lap in typed] == [
        (False, True),
        (False, False),
        (True, False),
    ]
