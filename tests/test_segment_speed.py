"""The segmentation's fast internals give the same results as the reference ones they
replaced (tests/segment_reference.py: whole-run masks, a design matrix per candidate
kink, 30 two-means steps over masks, an np.unique per look-up): whole structures compared on real
files (with their laps and with them hidden) and on simulated sessions, and the hot
functions compared one by one. Speed itself is measured in benchmarks/."""

from __future__ import annotations

import numpy as np
import pytest

import segment_reference as ref
from conftest import REAL, SAMPLES
from segment_synth import reps_session, session
from splitcheck.errors import SplitcheckError
from splitcheck.io import read
from splitcheck.segment import find_structure
from splitcheck.segment import intervals as iv
from splitcheck.segment.settle import _order_stat, _running_min
from splitcheck.segment.trace import Trace, build_trace
from splitcheck.simulate import simulate, workout

REAL_SESSIONS = [
    "run-stats/6761214480_ACTIVITY.fit",
    "activityio/c2eb1b_6.tcx",
    "TestFilesForFitnessApps/20210604_track_run_garmin_fenix_6.fit",
    "connectstats/track_cs_5611.fit",
    "heartandsole/testdata.tcx",
    "elevate/portland.fit",
]
SAMPLE_FILES = ["pyramid.fit", "10x30s_60s_jog.fit", "4x3min_standing_rest.fit", "easy_32min.gpx"]


def _both(activity, monkeypatch) -> tuple:
    fast = find_structure(activity)
    with monkeypatch.context() as m:
        ref.use_reference(m)
        slow = find_structure(activity)
    return fast, slow


def _read(path):
    if not path.exists():
        pytest.fail(f"{path} missing")
    try:
        return read(path)
    except SplitcheckError as err:
        pytest.fail(f"{path}: {err}")


@pytest.mark.parametrize("rel", REAL_SESSIONS)
def test_real_sessions_segment_identically(rel, monkeypatch):
    for activity in _read(REAL / rel):
        for act in (activity, activity.with_changes(laps=())):
            fast, slow = _both(act, monkeypatch)
            assert fast == slow


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_sample_sessions_segment_identically(name, monkeypatch):
    activity = _read(SAMPLES / name)[0].with_changes(laps=())
    fast, slow = _both(activity, monkeypatch)
    assert fast == slow
    assert fast.workout.type  # a structure was found, not an empty one


@pytest.mark.parametrize(
    ("plan", "options"),
    [
        (workout.repeats(12, 400.0, 240.0, recovery=90.0), {"recording": "smart"}),
        (
            workout.repeats(6, 800.0, 250.0, recovery=120.0, recovery_mode="stand"),
            {"auto_pause": True},
        ),
        (workout.time_reps(8, 60.0, 230.0), {"route": "road"}),
        (workout.pyramid(), {"recording": "smart", "auto_pause": True}),
        (workout.tempo_hilly(), {"route": "road"}),
        (workout.easy(7200.0), {"route": "road"}),
    ],
)
def test_simulated_sessions_segment_identically(plan, options, monkeypatch):
    sim = simulate(plan, seed=3, laps="none", **options)
    fast, slow = _both(sim.to_activity(), monkeypatch)
    assert fast == slow
    if plan.type not in ("continuous", "tempo"):  # reps were found, so the hinge fits ran
        assert fast.work


def test_hinge_kinks_match_the_design_matrix_fit():
    activity, _ = reps_session([400, 800, 200] * 3, noise_m=1.5, step_s=[1, 2, 3, 6], seed=5)
    trace = build_trace(activity)
    rng = np.random.default_rng(0)
    guesses = rng.uniform(trace.t_s[0] - 30, trace.t_s[-1] + 30, 300)
    halves = rng.choice([2.0, 4.0, 9.3, 20.0, 45.0, 60.0], 300)
    for g, h in zip(guesses, halves, strict=True):
        assert iv.hinge_kink(trace, g, h) == ref.hinge_kink(trace, g, h)


def test_hinge_kinks_on_times_out_of_order():
    activity, _ = session([(300.0, 3.0), (120.0, 5.0), (300.0, 3.0)], noise_m=1.0)
    trace = build_trace(activity)
    order = np.random.default_rng(1).permutation(len(trace.raw_t_s))
    shuffled = Trace(
        t_s=trace.t_s,
        d_m=trace.d_m,
        v_mps=trace.v_mps,
        raw_t_s=trace.raw_t_s[order],
        raw_d_m=trace.raw_d_m[order],
    )
    for guess in (300.0, 420.0, 500.0):
        assert iv.hinge_kink(shuffled, guess, 20.0) == ref.hinge_kink(shuffled, guess, 20.0)


def test_time_at_and_clusters_match():
    activity, _ = reps_session([400] * 6, noise_m=2.0, seed=2)
    trace = build_trace(activity)
    d = np.linspace(-10, trace.raw_d_m[-1] + 10, 997)
    for last in (False, True):
        assert np.array_equal(trace.time_at(d, last=last), ref.time_at(trace, d, last=last))
    for smooth, floor in ((1.0, 0.5), (15.0, 0.5), (1.0, iv.RUNNING_MPS)):
        # means from running sums of the sorted speeds: the same to float rounding
        fast = iv.speed_clusters(trace, smooth, floor)
        assert fast == pytest.approx(ref.speed_clusters(trace, smooth, floor), rel=1e-12)


def test_order_statistics_are_numpys():
    rng = np.random.default_rng(7)
    v = np.round(rng.normal(3.0, 1.0, 400), 2)  # ties, as speeds have
    a = rng.integers(0, 350, 200)
    b = np.minimum(a + rng.integers(1, 60, 200), 400)
    medians = _order_stat(v, (a, b), "median")
    p75 = _order_stat(v, (a, b), "p75")
    for i in range(200):
        assert medians[i] == np.median(v[a[i] : b[i]])
        assert p75[i] == np.percentile(v[a[i] : b[i]], 75)


def test_running_min_is_each_windows_min():
    rng = np.random.default_rng(4)
    for n, w in ((0, 5), (4, 5), (5, 5), (6, 1), (300, 5), (301, 7)):
        v = np.round(rng.normal(3.0, 1.0, n), 1)
        v[5::37] = np.nan  # a gap in the speed stays a gap
        expected = np.lib.stride_tricks.sliding_window_view(v, w).min(axis=1) if n >= w else v[:0]
        assert np.array_equal(_running_min(v, w), expected, equal_nan=True)
