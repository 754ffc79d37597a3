"""Real TCX and GPX files whose watch clock jumps mid-run (mutated copies written to a tmp
dir, never into ../shared): re-timed as FIT files are, laps moved with their piece, the
jump said; a real gap, a pause and a file chaining two recordings left as they were.

Truth: the unmutated file as read (it has no jump, so its reading does not depend on the
repair), TRUTH.json's reps and the MANIFEST notes. Every test here fails on a reader that
only sorts the trackpoints by time (each mutated file holds a jump to repair).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import xml_mutate as xm
from splitcheck.analysis import analyze
from splitcheck.io import read

HOUR, YEARS, BACK = 3600.0, 30 * xm.YEAR_S, -600.0
SHIFTS = pytest.mark.parametrize("shift_s", [HOUR, YEARS, BACK], ids=["+1h", "+30y", "-10min"])
TCX = (
    "tcxmill/30km-progression-2019-09-25_activity.tcx",  # treadmill ladder, foot pod, HR
    "activityio/c2eb1b_6.tcx",  # 8x200 m, smart recording, manual laps, no HR
    "runpandas/stopped_example.tcx",  # GPS and HR, four real stops
)
GPX = (
    "runpandas/run.gpx",  # TomTom, 1 s, positions only (no HR)
    "runpandas/nike_run.gpx",  # Nike Run Club, 3-4 s, HR on two thirds
)


def _read(path: Path):
    (activity,) = read(path)
    return activity


def _mutated(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / Path(name).name
    path.write_bytes(data)
    return _read(path)


def _facts(activity) -> dict:
    s = analyze(activity).structure
    work = s.work if s else ()
    return {
        "distance_m": activity.distance_m,
        "elapsed_s": activity.elapsed_s,
        "timer_s": activity.timer_s,
        "laps": [lap.shown_s for lap in activity.laps],
        "lap_starts": [lap.start_s for lap in activity.laps],
        "reps": [rep.duration_s for rep in work],
        "rep_starts": [rep.start_s for rep in work],
        "samples": len(activity.samples),
    }


def _same(got: dict, want: dict, tol_s: float = 1.0) -> None:
    assert got["samples"] == want["samples"]  # nothing dropped
    assert got["distance_m"] == pytest.approx(want["distance_m"], abs=1.0)
    for key in ("elapsed_s", "timer_s", "laps", "lap_starts", "reps", "rep_starts"):
        assert got[key] == pytest.approx(want[key], abs=tol_s), key


def _jumps(activity) -> list[str]:
    return [w for w in activity.warnings if "clock jumped" in w]


@pytest.mark.parametrize("name", TCX + GPX)
@SHIFTS
def test_a_clock_jump_mid_run_is_re_timed(real, tmp_path, name, shift_s):
    """Every time from a trackpoint mid-run on (its lap's StartTime too when the lap
    starts after it) moved: the run reads as the unmutated file does, with a warning
    saying where and by how much."""
    data = (real / name).read_bytes()
    original = _read(real / name)
    k = xm.running_point(data, len(xm.points(data)) // 2)
    got = _mutated(tmp_path, name, xm.jump_at(data, k, shift_s))
    (warning,) = _jumps(got)
    assert f"(trackpoint {k + 1})" in warning
    assert ("back" if shift_s < 0 else "forward") in warning
    assert got.start_utc == original.start_utc
    _same(_facts(got), _facts(original))


@SHIFTS
def test_the_ladder_keeps_its_hand_truth_reps(real, tmp_path, shift_s):
    """The treadmill ladder (TRUTH.json: 6/5/4/3/2/1 km reps) with its clock jumping in
    the 4 km rep: the six reps start and last what the hand truth says."""
    name = TCX[0]
    truth = json.loads((real / "TRUTH.json").read_text())[name]
    data = (real / name).read_bytes()
    k = xm.running_point(data, len(xm.points(data)) // 2)
    s = analyze(_mutated(tmp_path, name, xm.jump_at(data, k, shift_s))).structure
    assert s is not None
    assert len(s.work) == truth["n_work"]
    for rep, want in zip(s.work, truth["reps"], strict=True):
        assert rep.start_s == pytest.approx(want["start_s"], abs=2.0)
        assert rep.duration_s == pytest.approx(want["duration_s"], abs=2.0)


@SHIFTS
def test_the_track_session_keeps_its_eight_200s(real, tmp_path, shift_s):
    """MANIFEST: 783 m warm-up, 8 x 200 m (~58 s) with 200 m jogs (~125 s); the jump
    lands in the reps (smart recording, no heart rate)."""
    name = TCX[1]
    data = (real / name).read_bytes()
    k = xm.running_point(data, len(xm.points(data)) // 2)
    s = analyze(_mutated(tmp_path, name, xm.jump_at(data, k, shift_s))).structure
    assert s is not None
    assert len(s.work) == 8
    assert all(50 <= rep.duration_s <= 65 for rep in s.work)
    ends = [rep.start_s + rep.duration_s for rep in s.work[:-1]]
    jogs = [rep.start_s - end for rep, end in zip(s.work[1:], ends, strict=True)]
    assert all(100 <= jog <= 160 for jog in jogs)  # the ~125 s jogs, none an hour long


@pytest.mark.parametrize(("name", "km"), [(GPX[0], 4.8), (GPX[1], 8.3)])
def test_a_gpx_jumped_back_keeps_its_route_in_order(real, tmp_path, name, km):
    """Back by ten minutes, sorting alone mixes the two pieces: the trackpoints after the
    jump would land among the ones before and the distance between them zig-zag. Re-timed
    in file order, the distance is the route's (MANIFEST) and nothing runs backwards."""
    data = (real / name).read_bytes()
    k = xm.running_point(data, len(xm.points(data)) // 2)
    got = _mutated(tmp_path, name, xm.jump_at(data, k, BACK))
    assert got.distance_m == pytest.approx(km * 1000, rel=0.01)
    assert got.distance_m == pytest.approx(_read(real / name).distance_m, abs=1.0)


@pytest.mark.parametrize(
    ("name", "cut_s"),
    [("runpandas/2020-12-20T05_50_47-300_Running.tcx", 120.0), (GPX[0], 120.0)],
)
def test_gps_lost_for_two_minutes_stays_a_gap_while_a_jump_is_re_timed(real, tmp_path, name, cut_s):
    """Two minutes of trackpoints cut out at a third (GPS lost while running: the
    distance runs on across the gap by what the runner covered), and the clock jumping
    thirty years at two thirds: only the jump is re-timed; the gap keeps its time."""
    data = (real / name).read_bytes()
    original = _read(real / name)
    t = xm.point_times(data)
    n = len(t)
    first = xm.running_point(data, n // 3)
    stop = next(i for i in range(first, n) if t[i] - t[first] >= cut_s)
    k = xm.running_point(data, 2 * n // 3)
    mutated = xm.cut_points(xm.jump_at(data, k, YEARS), first, stop)
    got = _mutated(tmp_path, name, mutated)
    assert len(_jumps(got)) == 1
    assert len(got.samples) == len(original.samples) - (stop - first)
    # the jump's step from the distance across it (as a FIT's): within the 2 s FIT is held to
    assert got.elapsed_s == pytest.approx(original.elapsed_s, abs=2.0)
    after_gap = t[stop] - t[0]  # the first trackpoint after the gap keeps its time
    assert np.isclose(got.samples.elapsed_s, after_gap, atol=0.01).any()
    assert after_gap - (t[first - 1] - t[0]) >= cut_s


@pytest.mark.parametrize(
    ("name", "stop_s", "more_s"),
    [
        ("runpandas/stopped_example.tcx", 2761.0, 1020.0),  # 155 s stop, HR 155 -> 113
        ("tcx-test-files/running_activity_2.tcx", 1341.0, 1500.0),  # 95 s stop, no HR
        (GPX[1], 1490.0, 1200.0),  # Nike: 167 s stop, HR 185 -> 135
    ],
)
def test_a_stop_made_longer_stays_a_pause_while_a_jump_is_re_timed(
    real, tmp_path, name, stop_s, more_s
):
    """A real stop in the file (the runner stood, the recording stopped: its gap
    ``stop_s`` into the run) made 17-25 minutes longer, and the clock jumping back ten
    minutes later on: the jump is re-timed, the stop stays a pause of its new length."""
    data = (real / name).read_bytes()
    original = _read(real / name)
    t = xm.point_times(data)
    s = next(i for i in range(len(t) - 1) if abs(t[i] - t[0] - stop_s) < 1.5)
    assert xm.gap_after(data, s) > 60  # the real stop is there
    k = xm.running_point(data, (s + len(t)) // 2)
    mutated = xm.jump_at(xm.jump_at(data, k, BACK), s + 1, more_s)
    got = _mutated(tmp_path, name, mutated)
    assert len(_jumps(got)) == 1
    want = _facts(original)
    facts = _facts(got)
    # the jump's step from the distance across it (as a FIT's): within the 2 s FIT is held to
    assert facts["elapsed_s"] == pytest.approx(want["elapsed_s"] + more_s, abs=2.0)
    assert facts["distance_m"] == pytest.approx(want["distance_m"], abs=1.0)
    if original.laps:  # the watch's lap timers (TotalTimeSeconds) still say the time run
        assert facts["timer_s"] == pytest.approx(want["timer_s"], abs=2.0)
    after = t[s + 1] - t[0] + more_s  # the stop kept its length
    assert np.isclose(got.samples.elapsed_s, after, atol=0.01).any()


@pytest.mark.parametrize("days", [2.0, -2.0, 0.5], ids=["2 days on", "2 days before", "12 h on"])
def test_a_gpx_chaining_two_recordings_is_not_re_timed(real, tmp_path, days):
    """The same route run on another day, joined into the file as a second track (before
    or after the first in time): the seam between them is no clock jump and reads as it
    did (the recordings in time order, the time between them kept); a clock that jumps
    back ten minutes inside the second recording is re-timed."""
    name = GPX[0]
    data = (real / name).read_bytes()
    second = xm.shift_from(data, 0, days * 86400)
    clean = _mutated(tmp_path, "clean.gpx", xm.chain_gpx(data, second))
    k = xm.running_point(second, len(xm.points(second)) // 2)
    got = _mutated(tmp_path, name, xm.chain_gpx(data, xm.jump_at(second, k, BACK)))
    assert not _jumps(clean)
    assert len(_jumps(got)) == 1
    one = _read(real / name).elapsed_s
    assert clean.elapsed_s == pytest.approx(abs(days) * 86400 + one, abs=1.0)
    assert got.elapsed_s == pytest.approx(clean.elapsed_s, abs=1.0)
    assert got.distance_m == pytest.approx(clean.distance_m, abs=1.0)


@pytest.mark.parametrize("name", [TCX[1], GPX[0]])
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_lone_misread_time_is_left_out(real, tmp_path, name, where):
    """The fuzzer's find: one trackpoint's time 30 years off (the rest in order) read as a
    30-year run, its laps 262 967 hours in. It is a misread time stamp: that trackpoint
    is left out, with a warning, and the run reads as before."""
    data = (real / name).read_bytes()
    original = _read(real / name)
    n = len(xm.points(data))
    k = {"first": 0, "middle": xm.running_point(data, n // 2), "last": n - 1}[where]
    shift = YEARS if where != "last" else -YEARS
    found = xm.points(data)
    one = xm.shift_from(data, found[k].start(), shift)
    if k + 1 < n:  # only that trackpoint: the ones after it back as they were
        one = xm.shift_from(one, xm.points(one)[k + 1].start(), -shift)
    got = _mutated(tmp_path, name, one)
    assert any("misread time" in w and "30.0 years" in w for w in got.warnings)
    assert not _jumps(got)
    assert len(got.samples) == len(original.samples) - 1
    assert got.start_utc.year == original.start_utc.year
    e = original.samples.elapsed_s
    lost_s = {"first": e[1] - e[0], "middle": 0.0, "last": e[-1] - e[-2]}[where]
    assert got.elapsed_s == pytest.approx(original.elapsed_s - lost_s, abs=0.01)


def test_a_jump_while_the_runner_stands_is_re_timed_back_and_left_forward(real, tmp_path):
    """The Polar M400 walk (1 s records, the watch's distance standing still for minutes):
    the clock jumping back while the runner stands repeats times already seen, as a copy
    of the recording would, but not its distances, so it is re-timed (ten minutes back:
    sorting would mix the pieces; 19.6 years back, a GPS week rollover: the watch's own
    distance runs on across it, so it is one recording). Forward by an hour there, nothing
    tells the jump from a pause of an hour (standing, no timer events in a TCX): it is left
    as the pause it may be, as before."""
    name = "sweatpy/3173437224.tcx"
    data = (real / name).read_bytes()
    original = _read(real / name)
    want = _facts(original)
    k = xm.standing_point(data, len(xm.points(data)) // 2)
    for shift in (BACK, -1024 * 7 * 86400.0):
        got = _mutated(tmp_path, name, xm.jump_at(data, k, shift))
        (warning,) = _jumps(got)
        assert f"(trackpoint {k + 1})" in warning
        assert got.start_utc == original.start_utc
        _same(_facts(got), want)
    got = _mutated(tmp_path, name, xm.jump_at(data, k, HOUR))
    assert not _jumps(got)
    assert got.elapsed_s == pytest.approx(original.elapsed_s + HOUR, abs=0.01)


def test_a_jump_of_hours_is_told_from_a_pause_by_the_heart_rate(real, tmp_path):
    """2 h 13 min forward (no whole quarter hours, under a day) mid-run: with the heart
    rate recorded and unchanged across it (ten minutes standing would have lowered it by
    tens of beats), a jump, re-timed; in a file without heart rate (TomTom GPX) nothing
    tells it from a pause, and it is left as one, as before."""
    shift = 2 * 3600 + 13 * 60.0
    name = "runpandas/2020-12-20T05_50_47-300_Running.tcx"
    data = (real / name).read_bytes()
    k = xm.running_point(data, len(xm.points(data)) // 2)
    got = _mutated(tmp_path, name, xm.jump_at(data, k, shift))
    assert len(_jumps(got)) == 1
    _same(_facts(got), _facts(_read(real / name)), tol_s=2.0)
    name = GPX[0]
    data = (real / name).read_bytes()
    k = xm.running_point(data, len(xm.points(data)) // 2)
    got = _mutated(tmp_path, name, xm.jump_at(data, k, shift))
    assert not _jumps(got)
    assert got.elapsed_s == pytest.approx(_read(real / name).elapsed_s + shift, abs=0.01)


@pytest.mark.parametrize("shift_s", [YEARS, BACK], ids=["+30y", "-10min"])
@pytest.mark.parametrize("where", ["at", "after"])
def test_a_jump_at_a_lap_start_keeps_the_lap_where_it_was(real, tmp_path, shift_s, where):
    """The clock jumps at a lap's first trackpoint, its ``StartTime`` written just before
    it on the old clock ("at"), or with the lap's start on the new clock too ("after"):
    every lap starts where it did."""
    name = TCX[1]  # 18 manual laps
    data = (real / name).read_bytes()
    lap = data.index(b"<Lap ", data.index(b"<Lap ", len(data) // 2) + 1)
    k = next(i for i, p in enumerate(xm.points(data)) if p.start() > lap)
    at = xm.points(data)[k].start() if where == "at" else lap
    got = _mutated(tmp_path, name, xm.shift_from(data, at, shift_s))
    assert len(_jumps(got)) == 1
    _same(_facts(got), _facts(_read(real / name)))
