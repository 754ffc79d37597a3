"""Answers a runner or a coach would catch as wrong, checked on the real files against
what the watch itself recorded (its lap records, read with fitparse / ElementTree), the
MANIFEST's notes and arithmetic a runner can do by hand -- never against our own output.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import fitparse
import numpy as np
import pytest
from click.testing import CliRunner

from conftest import REAL
from splitcheck.analysis import analyze_file
from splitcheck.cli import cli
from splitcheck.io import read_bytes
from splitcheck.scoring.stats import lap_stats
from splitcheck.units import MILE_M

MILE_LAPS = REAL / "tormoder-fit" / "mornindew-broken.fit"  # MANIFEST: 10 auto 1 mile laps
TRACK_200S = REAL / "activityio" / "c2eb1b_6.tcx"  # MANIFEST: 8x200 m, manual laps
RACE = REAL / "TestFilesForFitnessApps" / "20180331_run_garmin_fenix_3_hr.tcx"  # one 10 km lap
PAUSED_WITH_HR = (MILE_LAPS, REAL / "workoutizer" / "with_nones.fit")
"""MANIFEST: timer stops inside laps, heart rate on every lap."""


def _invoke(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _laps_rows(text: str) -> list[list[str]]:
    """The text report's laps table, one list of cells per lap."""
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.strip().startswith("lap "))
    rows = []
    for line in lines[head + 1 :]:
        if not line.strip():
            break
        rows.append(line.split())
    return rows


def _tcx_laps(path) -> list[tuple[float, float]]:
    """(TotalTimeSeconds, DistanceMeters) of each Lap, read without splitcheck."""
    root = ET.parse(path).getroot()
    out = []
    for lap in (e for e in root.iter() if e.tag.endswith("}Lap")):
        kids = {c.tag.split("}")[1]: c.text for c in lap}
        out.append((float(kids["TotalTimeSeconds"]), float(kids["DistanceMeters"])))
    return out


def _fit_laps(path) -> list:
    laps = list(fitparse.FitFile(str(path)).get_messages("lap"))
    return sorted(
        laps, key=lambda m: (m.get_value("start_time"), m.get_value("total_elapsed_time"))
    )


# -- lap distances in the runner's unit ----------------------------------------------------


def test_mile_auto_laps_read_one_mile_under_miles_not_1609_m(tmp_path):
    watch = [m.get_value("total_distance") for m in _fit_laps(MILE_LAPS)]
    assert sum(abs(d - MILE_M) < 1 for d in watch) == 10  # the watch's 10 auto-mile laps
    text = _invoke("analyze", "--units", "mi", MILE_LAPS)
    rows = _laps_rows(text)
    assert len(rows) == len(watch)
    for row, d in zip(rows, watch, strict=True):  # the last, 680 m, is short of a mile
        assert " ".join(row[3:5]) == (f"{d / MILE_M:.2f} mi" if d > 1600 else f"{d:.0f} m")
    assert not re.search(r"\b1609 m\b", text)
    _invoke("report", "--units", "mi", "-o", tmp_path, MILE_LAPS)
    page = (tmp_path / "mornindew-broken.html").read_text(encoding="utf-8")
    table = page[page.index('id="laps-table"') : page.index("</table>", page.index("laps-table"))]
    cells = re.findall(r'data-k="distance_m"[^>]*>([^<]*)<', table)
    assert cells == [f"{d / MILE_M:.2f} mi" if d > 1600 else f"{d:.0f} m" for d in watch]


def test_track_laps_keep_metres_under_miles_and_long_laps_read_in_miles():
    watch = _tcx_laps(TRACK_200S)
    rows = _laps_rows(_invoke("analyze", "--units", "mi", TRACK_200S))
    assert len(rows) == len(watch)
    for row, (_, d) in zip(rows, watch, strict=True):
        want = f"{d:.0f} m" if d < MILE_M * 0.99 else f"{d / MILE_M:.2f} mi"
        assert " ".join(row[3:5]) == want
    assert " ".join(rows[-1][3:5]) == f"{watch[-1][1] / MILE_M:.2f} mi"  # the 1.7 km cool-down


def test_a_10_km_lap_reads_in_km_not_in_metres():
    ((_, d),) = _tcx_laps(RACE)
    assert d > 10_000
    rows = _laps_rows(_invoke("analyze", RACE))
    assert " ".join(rows[0][3:5]) == f"{d / 1000:.2f} km"


# -- reps timed as the watch timed their laps ----------------------------------------------


def test_reps_made_of_laps_show_the_watchs_lap_time_to_the_tenth():
    """The TCX's lap StartTimes are whole seconds, its TotalTimeSeconds hundredths: rep 5
    read 1:00.0 beside its lap's 1:00.7. Every rep is the lap the runner pressed, exact."""
    watch = _tcx_laps(TRACK_200S)
    reps_watch = [t for t, d in watch if d == pytest.approx(200) and t < 90]
    assert len(reps_watch) == 8  # MANIFEST: 8x200 m (~58 s) with 200 m jog (~125 s)
    (analysis,) = analyze_file(TRACK_200S)
    work = [iv for iv in analysis.structure.intervals if iv.kind == "work"]
    assert [iv.duration_s for iv in work] == pytest.approx(reps_watch, abs=0.02)
    card = analysis.pacing.to_dict()
    assert [r["time_source"] for r in card["reps"]] == ["laps"] * 8
    speeds = 200.0 / np.array(reps_watch)
    cv = speeds.std() / speeds.mean() * 100.0  # population SD (guidance.md)
    assert card["consistency_cv_pct"] == pytest.approx(cv, abs=0.05)
    assert card["consistency_cannot_tell"] is not True  # pressed laps: exact


def test_lap_heart_rate_leaves_timer_stops_out_as_the_watch_does():
    """A sample just before a stop weighed the whole stop: lap 1 of the mile-lap run
    (5:46 paused) read 143 bpm against the watch's own 139."""
    for path in PAUSED_WITH_HR:
        (activity,) = read_bytes(path.read_bytes(), path.name)
        assert activity.pauses
        laps = activity.laps
        ours = lap_stats(activity, [lap.start_s for lap in laps], [lap.end_s for lap in laps])
        watch = [m.get_value("avg_heart_rate") for m in _fit_laps(path)]
        assert len(watch) == len(ours)
        pairs = [
            (o["hr_avg_bpm"], w) for o, w in zip(ours, watch, strict=True) if w and o["hr_avg_bpm"]
        ]
        assert len(pairs) >= 5
        worst = max(abs(o - w) for o, w in pairs)
        assert worst <= 2.0, (path.name, pairs)
