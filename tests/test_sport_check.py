"""A session saved as a run but faster than the running world record is probably not a run.

Truth: the watch's own sport for the same legs (a triathlon's bike leg), the MANIFEST's
note on a file without sport ("likely cycling: ~29 km/h"), and the world records.
"""

from __future__ import annotations

import json

import pytest

from splitcheck.analysis import analyze
from splitcheck.io import read
from splitcheck.report.text import render_analysis
from splitcheck.sport import WORLD_RECORDS, check_sport, record_speed_mps
from splitcheck.units import format_for_sport


def test_record_speed_meets_each_world_record():
    for distance_m, time_s in WORLD_RECORDS:
        assert record_speed_mps(time_s) == pytest.approx(distance_m / time_s)
    assert record_speed_mps(1800) > record_speed_mps(3600) > record_speed_mps(7200)


def _bike_leg(real):
    legs = read(real / "muktihari-fit/triathlon_summary_last.fit")
    (bike,) = [a for a in legs if a.sport == "cycling"]
    return bike


def test_a_ride_saved_as_running_gets_no_prediction_score_or_efforts(real):
    ride = _bike_leg(real).with_changes(sport="running")
    a = analyze(ride)
    assert a.sport_check is not None and a.sport_check.likely_sport == "cycling"
    assert a.activity.sport == "cycling"  # not a run in the weekly review
    assert a.pacing is None and a.structure is None
    doc = json.loads(json.dumps(a.to_dict()))
    assert doc["sport"] == "cycling" and doc["sport_check"]["recorded_sport"] == "running"
    assert "efforts" not in doc and "pacing" not in doc
    assert any("probably not a run" in w for w in doc["warnings"])
    text = render_analysis([a], "ride.fit")
    assert "probably not a run" in text and "km/h" in text
    for absent in ("pacing score", "VDOT", "best efforts:", "would predict", "/km"):
        assert absent not in text


@pytest.mark.parametrize("saved_as", ["running", "unknown", "generic"])
def test_a_sigma_ride_at_29_kmh_saved_as_a_run_or_nothing_is_likely_cycling(real, saved_as):
    """MANIFEST: nick.fit, a Sigma ride, 'likely cycling: ~29 km/h, 113 km'."""
    (activity,) = read(real / "python-fitparse/nick.fit")
    check = check_sport(activity.with_changes(sport=saved_as))
    assert check is not None and check.likely_sport == "cycling"


def test_real_runs_are_runs(real):
    """Every real running session with GPS passes (none is faster than a world record)."""
    checked = 0
    for path in sorted(real.rglob("*")):
        if path.suffix.lower() not in (".fit", ".tcx", ".gpx"):
            continue
        try:
            activities = read(path)
        except Exception:  # refused files are test_real_files' business
            continue
        for act in activities:
            if act.sport == "running" and act.samples.has("lat_deg"):
                checked += 1
                assert check_sport(act) is None, path.name
    assert checked >= 30


def test_a_treadmill_run_with_a_pod_reading_too_long_stays_a_run_without_a_score(real):
    """MANIFEST: the 30 km progression's foot-pod distances are ~2.3x too long."""
    (activity,) = read(real / "tcxmill/30km-progression-2019-09-25_activity.tcx")
    a = analyze(activity)
    assert a.sport_check is not None and a.sport_check.indoor
    assert a.activity.sport == "running" and a.pacing is None
    assert a.structure is not None and not a.structure.efforts


@pytest.mark.parametrize(
    ("sport", "unit", "text"),
    [
        ("cycling", "km", "36.0 km/h"),
        ("cycling", "mi", "22.4 mph"),
        ("swimming", "km", "0:10 /100 m"),
        ("swimming", "mi", "0:09 /100 yd"),
        ("walking", "km", "1:40 /km"),
    ],
)
def test_speeds_are_shown_the_way_each_sport_counts(sport, unit, text):
    assert format_for_sport(10.0, sport, unit) == text


def test_a_clock_jumping_decades_costs_no_memory_and_keeps_the_verdict(real):
    """Fuzzing found the check allocating a float per second of the recording's span:
    7 GiB for a TCX whose clock jumped 30 years. The readers now re-time such a jump
    (tests/test_xml_clock.py), but a span of decades still reaches the check (a GPX
    chaining two recordings decades apart is read as it is), so the run's samples after
    the 1500th are put 30 years later here. The check costs memory in samples.
    Truth: the real run is a run, before the jump and after it."""
    import dataclasses
    import tracemalloc

    (run,) = read(real / "tcxmill/10km-2019-10-18_activity.tcx")
    t = run.samples.elapsed_s.copy()
    t[1500:] += 30 * 365 * 86400
    activity = dataclasses.replace(run, samples=run.samples.replace(elapsed_s=t))
    assert activity.samples.elapsed_s[-1] > 30 * 365 * 86400  # the span the check must survive
    tracemalloc.start()
    try:
        assert check_sport(activity) is None
        _, peak_b = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak_b < 20 * 2**20


def test_best_distance_is_the_exact_sliding_window_maximum(real):
    """Against the brute force on a 1 s grid of a real run (1 s recording): never less,
    and no more than the grid's rounding, 0.01 m/s."""
    import numpy as np

    from splitcheck.sport import WINDOWS_S, best_distance_m

    (activity,) = read(real / "tcxmill/10km-2019-10-18_activity.tcx")
    s = activity.samples
    t, d = s.elapsed_s, np.maximum.accumulate(s.distance_m)
    grid = np.arange(t[0], t[-1] + 0.5, 1.0)
    on_grid = np.interp(grid, t, d)
    windows = [w for w in WINDOWS_S if w < t[-1] - t[0]]
    assert len(windows) >= 2
    for window in windows:
        n = int(window)
        brute = float(np.max(on_grid[n:] - on_grid[:-n]))
        exact = best_distance_m(t, d, window)
        assert brute - 1e-9 <= exact <= brute + 0.01 * window
