"""Real watch files with faults injected (copies in memory, never in ../shared): the clock
jumps minutes, hours or years mid-run, the closing lap and session messages are cut, the
timer is paused. Totals, laps and reps must come back as in the unmutated file, and the
repair must be said in the activity's warnings.

The truth is the unmutated file as read, and, over all real files, the watch's own lap
timer (FIT ``total_timer_time``, TCX ``TotalTimeSeconds``) read here with fitparse and
ElementTree.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import fitparse
import numpy as np
import pytest

from fit_mutate import (
    ACTIVITY,
    LAP,
    SESSION,
    TOTAL_ELAPSED_TIME,
    add_pause,
    drop_messages,
    jump_clock,
    record_times,
    set_uint32,
)
from splitcheck.analysis import analyze
from splitcheck.io import read_bytes
from splitcheck.io.common import TAIL_LAP_MIN_S

MINUTES, HOURS, YEARS = 7 * 60, 485 * 3600, 3 * 365 * 86400
FILES = (
    "elevate/portland.fit",  # 1 s records, 13 timer stops, km laps
    "run-stats/6761214480_ACTIVITY.fit",  # laps marking 12 reps
    "connectstats/track_cs_5611.fit",  # smart recording, 10 stops
    "workoutizer/with_nones.fit",  # 3 s records, reps with walk recoveries, pauses
)


def _read(data: bytes, name: str):
    (activity,) = read_bytes(data, name)
    return activity


def _facts(activity):
    s = analyze(activity).structure
    return {
        "distance_m": activity.distance_m,
        "elapsed_s": activity.elapsed_s,
        "timer_s": activity.timer_s,
        "laps": [lap.shown_s for lap in activity.laps],
        "lap_starts": [lap.start_s for lap in activity.laps],
        "reps": [rep.duration_s for rep in (s.work if s else ())],
    }


def _same(got: dict, want: dict, *, laps: int | None = None) -> None:
    """Back by minutes, the times after the jump repeat earlier ones: the laps and the
    timer's pauses must still land where they were."""
    assert got["distance_m"] == pytest.approx(want["distance_m"], abs=1.0)
    assert got["elapsed_s"] == pytest.approx(want["elapsed_s"], abs=2.0)
    assert got["timer_s"] == pytest.approx(want["timer_s"], abs=2.0)
    n = laps if laps is not None else len(want["laps"])
    assert got["laps"][:n] == pytest.approx(want["laps"][:n], abs=1.0)
    assert got["lap_starts"][:n] == pytest.approx(want["lap_starts"][:n], abs=1.0)
    assert got["reps"] == pytest.approx(want["reps"], abs=1.0)


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("shift_s", [MINUTES, HOURS, YEARS, -MINUTES, -YEARS])
def test_a_clock_jump_mid_run_is_re_timed(real, name, shift_s):
    data = (real / name).read_bytes()
    want = _facts(_read(data, name))
    mid = len(record_times(data)) // 2
    got = _read(jump_clock(data, mid, shift_s), name)
    assert any("clock jumped" in w for w in got.warnings)
    assert len(got.samples) == len(_read(data, name).samples)  # nothing dropped
    _same(_facts(got), want)


def test_the_measured_fault_a_485_hour_jump_keeps_the_whole_run(real):
    """The issue's Garmin file: 1.58 km / 7:55 were reported of a 10.5 km / 56:29 run."""
    name = FILES[1]
    data = (real / name).read_bytes()
    got = _read(jump_clock(data, len(record_times(data)) // 3, HOURS), name)
    want = fitparse.FitFile(str(real / name)).get_messages("session").__next__()
    assert got.distance_m == pytest.approx(want.get_value("total_distance"), rel=0.005)
    assert got.elapsed_s == pytest.approx(want.get_value("total_elapsed_time"), abs=2.0)
    assert max(lap.start_s for lap in got.laps) < got.elapsed_s


@pytest.mark.parametrize("name", FILES)
def test_a_file_cut_before_its_final_lap_and_session_keeps_every_record(real, name):
    data = (real / name).read_bytes()
    original = _read(data, name)
    want = _facts(original)
    got = _read(drop_messages(data, {LAP, SESSION, ACTIVITY}, last_only=True), name)
    assert len(got.samples) == len(original.samples)
    assert any("no session summary" in w for w in got.warnings)
    facts = _facts(got)
    assert facts["distance_m"] == pytest.approx(want["distance_m"], abs=1.0)
    assert facts["elapsed_s"] == pytest.approx(want["elapsed_s"], abs=2.0)
    # every lap the file still has, then the records after it as one more lap
    assert facts["laps"][:-1] == pytest.approx(want["laps"][: len(facts["laps"]) - 1], abs=1.0)
    tail = got.laps[-1]
    assert got.elapsed_s - tail.end_s < TAIL_LAP_MIN_S  # the laps cover the recording
    if len(got.laps) == len(original.laps):  # the cut lap came back from the records
        assert tail.distance_m == pytest.approx(original.laps[-1].distance_m, abs=15.0)


def test_records_after_the_session_summary_are_kept_and_said(real):
    """The Suunto fault: a session summary that ends 20 minutes before the records do (the
    cool-down left out of it, no lap closing it). Every record is kept, the cool-down
    becomes a lap of its own, and the warning says how much ran past the summary."""
    name = "run-stats/6761214480_ACTIVITY.fit"
    data = (real / name).read_bytes()
    original = _read(data, name)
    short_ms = int((original.elapsed_s - 20 * 60) * 1000)
    mutated = drop_messages(data, {LAP}, last_only=True)
    mutated = set_uint32(mutated, SESSION, TOTAL_ELAPSED_TIME, short_ms)
    got = _read(mutated, name)
    assert len(got.samples) == len(original.samples)
    assert got.distance_m == pytest.approx(original.distance_m, abs=1.0)
    assert got.elapsed_s == pytest.approx(original.elapsed_s, abs=1.0)
    assert any("after the session summary's end" in w for w in got.warnings)
    assert got.laps[-1].end_s == pytest.approx(got.elapsed_s)


def _running_record(data: bytes, near: int) -> int:
    """The first record from ``near`` on with the timer running around it: a second or
    two from its neighbours, and a minute from any timer event (read with fitparse)."""
    t = record_times(data)
    events = [
        e.get_raw_value("timestamp")
        for e in fitparse.FitFile(data).get_messages("event")
        if e.get_value("event") == "timer"
    ]
    step = float(np.median(np.diff(t)))
    for k in range(near, len(t) - 1):
        calm = t[k] - t[k - 1] <= 2 * step and t[k + 1] - t[k] <= 2 * step
        if calm and all(abs(t[k] - e) > 60 for e in events):
            return k
    raise AssertionError("no running stretch to pause in")


@pytest.mark.parametrize("name", FILES)
def test_pauses_added_to_a_fit_leave_laps_reps_and_timer_as_they_were(real, name):
    """Two timer stops (95 s and 4 min) written as a watch writes them: timer events,
    later times, longer lap and session elapsed time, the same timers."""
    data = (real / name).read_bytes()
    want = _facts(_read(data, name))
    n = len(record_times(data))
    mutated = add_pause(data, _running_record(data, n // 3), 95)
    mutated = add_pause(mutated, _running_record(mutated, 2 * n // 3), 240)
    got = _read(mutated, name)
    facts = _facts(got)
    assert facts["elapsed_s"] == pytest.approx(want["elapsed_s"] + 335, abs=2.0)
    assert facts["timer_s"] == pytest.approx(want["timer_s"], abs=2.0)
    assert facts["distance_m"] == pytest.approx(want["distance_m"], abs=1.0)
    assert facts["laps"] == pytest.approx(want["laps"], abs=1.0)
    if want["reps"]:  # reps the laps mark; the pace trace alone still runs on elapsed time
        assert facts["reps"] == pytest.approx(want["reps"], abs=1.0)


# -- pauses added to a TCX file: the lap timer says how long the runner stood -----------

_TIME = re.compile(r"(<Time>|StartTime=\")([0-9T:\-.]+Z)")


def _paused_tcx(text: str, after: str, pause_s: int) -> str:
    """Every time stamp after ``after`` moved ``pause_s`` later: a timer pause there."""
    cut = dt.datetime.fromisoformat(after.replace("Z", "+00:00"))

    def shift(m: re.Match) -> str:
        t = dt.datetime.fromisoformat(m.group(2).replace("Z", "+00:00"))
        if t > cut:
            t += dt.timedelta(seconds=pause_s)
        return m.group(1) + t.strftime("%Y-%m-%dT%H:%M:%SZ")

    return _TIME.sub(shift, text)


@pytest.mark.parametrize(
    "name", ["activityio/c2eb1b_6.tcx", "runpandas/2020-12-26T06_03_49-300_Running.tcx"]
)
def test_pauses_added_to_a_tcx_leave_laps_reps_and_timer_as_they_were(real, name):
    text = (real / name).read_text(encoding="utf-8")
    times = _TIME.findall(text)
    want = _facts(_read(text.encode(), name))
    mutated = text
    for k in (len(times) // 3, 2 * len(times) // 3):  # two stops of 95 s each
        mutated = _paused_tcx(mutated, _TIME.findall(mutated)[k][1], 95)
    got = _read(mutated.encode(), name)
    facts = _facts(got)
    assert facts["elapsed_s"] == pytest.approx(want["elapsed_s"] + 190, abs=2.0)
    assert facts["timer_s"] == pytest.approx(want["timer_s"], abs=2.0)
    assert facts["distance_m"] == pytest.approx(want["distance_m"], abs=1.0)
    assert facts["laps"] == pytest.approx(want["laps"], abs=1.0)
    assert facts["reps"] == pytest.approx(want["reps"], abs=1.0)


# -- over all real files: laps and reps timed as the watch's lap timer --------------------


def _watch_lap_timers(path) -> list[float]:
    """The watch's own lap timers, read without splitcheck."""
    if path.suffix.lower() == ".fit":
        laps = fitparse.FitFile(str(path)).get_messages("lap")
        rows = [
            (lap.get_value("start_time"), lap.get_value("total_elapsed_time"), lap) for lap in laps
        ]  # in start order, as an activity lists them
        return [lap.get_value("total_timer_time") for *_, lap in sorted(rows, key=lambda r: r[:2])]
    root = ET.parse(path).getroot()
    return [float(e.text) for e in root.iter() if e.tag.endswith("}TotalTimeSeconds")]


PAUSED_FILES = (
    "workoutizer/with_nones.fit",
    "elevate/portland.fit",
    "connectstats/track_cs_5611.fit",
    "connectstats/activity_234979239.fit",
    "connectstats/activity_234979239.tcx",
    "tcx-test-files/running_activity_2.tcx",
    "activityio/c2eb1b_6.tcx",
    "runpandas/stopped_example.tcx",
    "runpandas/2020-12-20T05_50_47-300_Running.tcx",
    "sports-lib/6910052863.fit",
    "tormoder-fit/mornindew-broken.fit",
)
"""Real single-session files whose timer stopped (FIT timer events, or TCX laps whose
timer runs short of their elapsed time)."""


@pytest.mark.parametrize("name", PAUSED_FILES)
def test_laps_and_reps_show_the_watch_lap_timer_on_files_with_pauses(real, name):
    path = real / name
    watch = _watch_lap_timers(path)
    (activity,) = read_bytes(path.read_bytes(), name)
    s = analyze(activity).structure
    assert s is not None and len(s.laps) == len(watch)
    shown = [lap.duration_s for lap in s.laps]
    assert shown == pytest.approx(watch, abs=1.0)
    assert activity.to_dict()["laps"][0]["duration_s"] == pytest.approx(watch[0], abs=1.0)
    for rep in s.work:
        if rep.source != "laps":
            continue
        inside = [
            w
            for lap, w in zip(s.laps, watch, strict=True)
            if lap.start_s >= rep.start_s - 0.5 and lap.end_s <= rep.end_s + 0.5
        ]
        assert rep.duration_s == pytest.approx(sum(inside), abs=1.0)
        assert rep.pace_s_per_km == pytest.approx(1000 * rep.duration_s / rep.distance_m)
    assert np.isfinite(activity.timer_s)


def test_a_treadmill_stop_the_lap_timer_counts_is_left_out_and_said(real):
    """MANIFEST: tcxmill 10 km, constant 11.5 km/h, 'one 114 s pause', recorded every
    second; its TCX lap's TotalTimeSeconds is the lap's elapsed time. The stop (no
    samples, no distance) leaves the timer, the lap and the split it falls in."""
    (activity,) = read_bytes((real / "tcxmill/10km-2019-10-18_activity.tcx").read_bytes(), "t")
    assert activity.timer_s == pytest.approx(activity.elapsed_s - 114, abs=2.0)
    assert activity.laps[0].shown_s == pytest.approx(activity.timer_s, abs=1.0)
    assert any("counts 1:54 of stops" in w for w in activity.warnings)
    s = analyze(activity).structure
    full = [sp.duration_s for sp in s.splits if not sp.partial]
    assert max(full) < 1.1 * float(np.median(full))  # constant speed: no 10:11 split
