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


# -- a distance repeated between updates is not a stop -------------------------------------

TRAIL = REAL / "sports-lib" / "6910052863.fit"  # MANIFEST: 8.2 km in 2:40 h at walking speeds
WALK_SPEED_MPS = 2.0
"""Faster than 2 m/s (8:20 /km) is no walk."""


def test_a_hike_logged_with_repeated_distances_reads_at_walking_pace():
    """The Suunto repeats each whole-metre distance for a second: 70 % of its intervals
    read 0 m, so the hike's "moving" time was 47 min of 2:39 and its average 5:45 /km."""
    (activity,) = read_bytes(TRAIL.read_bytes(), TRAIL.name)
    session = next(fitparse.FitFile(str(TRAIL)).get_messages("session"))
    assert activity.distance_m / activity.moving_s < WALK_SPEED_MPS
    assert activity.moving_s <= session.get_value("total_timer_time")
    line = next(x for x in _invoke("analyze", TRAIL).splitlines() if "average" in x)
    minutes = int(re.search(r"average (\d+):\d\d /km", line).group(1))
    assert minutes >= 1000 / WALK_SPEED_MPS / 60


def test_a_race_whose_distance_updates_every_other_second_keeps_its_moving_time(tmp_path):
    """The 10 km race (one lap, no stop: MANIFEST) with every other trackpoint's distance
    made a repeat of the one before, as such watches log it: the runner still ran the
    watch's whole lap time, at the lap's pace."""
    text = RACE.read_text(encoding="utf-8")
    ((lap_s, lap_m),) = _tcx_laps(RACE)
    pattern = re.compile(r"(<Trackpoint>.*?<DistanceMeters>)([\d.]+)(</DistanceMeters>)", re.S)
    last = ["0.0"]

    def repeat_every_other(m: re.Match, n=[0]) -> str:  # noqa: B006 - a counter
        n[0] += 1
        value = last[0] if n[0] % 2 == 0 else m.group(2)
        last[0] = m.group(2)
        return m.group(1) + value + m.group(3)

    mutated = pattern.sub(repeat_every_other, text)
    assert mutated != text
    copy = tmp_path / "race.tcx"
    copy.write_text(mutated, encoding="utf-8")
    (activity,) = read_bytes(copy.read_bytes(), copy.name)
    assert activity.moving_s == pytest.approx(lap_s, rel=0.01)
    assert activity.average_speed_mps == pytest.approx(lap_m / lap_s, rel=0.015)


# -- the run's trend: no verdict the hills turn round --------------------------------------

PORTLAND = REAL / "elevate" / "portland.fit"  # MANIFEST: easy 16.1 km urban run, 1 km laps


def test_a_run_faster_at_the_end_on_the_watch_is_not_told_it_faded():
    """Portland's last km laps ran faster than its first on the watch's own lap timers; the
    grade adjustment (200 m up early, 216 m down late) turned that into "You faded 19 %"
    and "start a little slower"."""
    laps = [(m.get_value("total_timer_time"), m.get_value("total_distance"))
            for m in _fit_laps(PORTLAND)]  # fmt: skip
    full = [(t, d) for t, d in laps if d > 990]
    third = len(full) // 3
    first = sum(t for t, _ in full[:third]) / sum(d for _, d in full[:third])
    last = sum(t for t, _ in full[-third:]) / sum(d for _, d in full[-third:])
    assert last < first * 0.97  # the watch: the last third clearly faster
    (analysis,) = analyze_file(PORTLAND)
    card = analysis.pacing
    assert card.metrics["trend"] not in ("fading", "even")
    texts = " ".join(f.text for f in card.findings) + " " + card.next_time
    assert "faded" not in texts and "slower so the last" not in texts
    trend_line = next(f.text for f in card.findings if "third" in f.text)
    assert re.search(r"last third was \d+ % faster", trend_line)


def test_no_finding_contradicts_its_own_unadjusted_paces():
    """scripts/contradiction_sweep.py also reads the clock's paces beside a grade-adjusted
    verdict: before, 6 runs said "faded" beside a faster last third (or the reverse)."""
    import verdict_sweep

    runs, found = verdict_sweep.sweep(with_charts=False)
    assert runs >= 35
    assert not [p for p in found if "unadjusted" in p[2][0].source + p[2][1].source]


# -- the predicted mile ----------------------------------------------------------------------

WALK_RUN = REAL / "elevate" / "20171011_run_2088390344.fit"  # MANIFEST: 3.2 km walk/run


def _fastest_mile_s(path) -> float:
    """The fastest 1609 m in the records, by interpolation, without splitcheck."""
    rec = [
        (m.get_value("timestamp").timestamp(), m.get_value("distance"))
        for m in fitparse.FitFile(str(path)).get_messages("record")
        if m.get_value("distance") is not None
    ]
    t, d = (np.array(x, dtype=float) for x in zip(*rec, strict=True))
    d = np.maximum.accumulate(d)
    ok = d + MILE_M <= d[-1]
    ends = np.interp(d[ok] + MILE_M, d, t)
    return float((ends - t[ok]).min())


def test_no_predicted_mile_slower_than_a_mile_run_inside_the_same_run():
    best = _fastest_mile_s(WALK_RUN)
    text = _invoke("analyze", WALK_RUN)
    for m in re.finditer(r"predict an? (\d+):(\d\d) mile", text):
        assert int(m.group(1)) * 60 + int(m.group(2)) <= best
    assert "No mile prediction from this run" in text
    assert "Run all-out," not in text  # read as an order, not a condition


# -- words -----------------------------------------------------------------------------------


def test_units_never_change_whether_decoupling_is_judged():
    """Steadiness was judged on the splits of the runner's unit: c2eb1b_2's mile splits
    made it unsteady, so miles dropped its decoupling finding."""
    path = REAL / "activityio" / "c2eb1b_2.tcx"
    km = [x for x in _invoke("analyze", path).splitlines() if "decoupling" in x.lower()]
    mi = [x for x in _invoke("analyze", "--units", "mi", path).splitlines() if "decoupl" in x]
    assert km == mi and "drifted" in km[0]


def test_one_surge_and_two_halves():
    text = _invoke("analyze", REAL / "gpxpy" / "track-with-empty-segment.gpx")
    assert "1 surge between" in text and "1 surges" not in text
    half_run = REAL / "python-fitparse" / "strava-android-app-201.10-b1218918.fit"
    text = _invoke("analyze", half_run) + _invoke("analyze", "--units", "mi", half_run)
    assert "halfs" not in text


# -- the archive ------------------------------------------------------------------------------


def test_a_10_km_race_is_listed_as_a_10_km_race_not_as_a_mile(tmp_path):
    """MANIFEST: "10 km road race ..., single lap 10196 m in 44:19". The batch listed it
    among races as "mile 6:39.0", the fastest mile inside it."""
    import shutil

    folder = tmp_path / "runs"
    folder.mkdir()
    shutil.copy(RACE, folder / RACE.name)
    shutil.copy(MILE_LAPS, folder / MILE_LAPS.name)  # an easy long run beside it
    ((lap_s, lap_m),) = _tcx_laps(RACE)
    out = tmp_path / "out"
    text = _invoke("batch", folder, "--out", out, "--jobs", "1")
    head = text.index("Races and time trials")
    lines = text[head:].split("\n\n")[0].splitlines()[1:]
    assert len(lines) == 1, lines
    m = re.search(r"10 km\s+(\d+):(\d\d)\.\d", lines[0])
    assert m and RACE.name in lines[0], lines
    seconds = int(m.group(1)) * 60 + int(m.group(2))
    # the fastest 10 000 m inside the 10 196 m lap: no faster than its average, no slower
    assert lap_s * 10_000 / lap_m - 60 <= seconds <= lap_s
    # the threshold pace reads as every other pace does ("4:44.8/km" before)
    line = next(x for x in text.splitlines() if "threshold pace" in x)
    assert re.search(r"threshold pace \d+:\d\d /km: estimated", line), line


def test_hard_minutes_back_after_a_break_read_as_a_sentence():
    """The real archive's week 2026-W20 (garmin-stamina.fit, 140 weeks after the run
    before) read "hard minutes after weeks without any on the weeks before the break"."""
    import datetime as dt

    from splitcheck.batch.weekly import Week

    week = Week(
        "2026-W20",
        dt.date(2026, 5, 11),
        runs=1,
        hard_s=906.0,
        hard_change_pct=None,
        flags=("back_after_break", "hard_minutes_jump"),
        break_weeks=140,
    )
    words = week.words()
    assert words[0] == "first week back after a 140-week break"
    assert words[1] == "hard minutes, where the weeks before the break had none"


def test_time_reps_consistency_names_the_reps_not_a_distance():
    """TRUTH.json: garmin-stamina.fit is 5 x ~3:00 time reps of 743-808 m. Its consistency
    finding said "Rep paces within each distance", and the reps had no one distance."""
    import json

    truth = json.loads((REAL / "TRUTH.json").read_text(encoding="utf-8"))
    reps = truth["fit-parser/garmin-stamina.fit"]["reps"]
    assert all(abs(r["duration_s"] - 180) <= 5 for r in reps)
    assert max(r["distance_m"] for r in reps) / min(r["distance_m"] for r in reps) > 1.05
    text = _invoke("analyze", REAL / "fit-parser" / "garmin-stamina.fit")
    assert "Rep paces over the 3 min reps varied" in text
    assert "within each distance" not in text


@pytest.mark.parametrize(
    ("name", "why"),
    [
        # MANIFEST: "degenerate: 41 s, 7 records, no GPS, 0 distance, 4 manual laps"
        ("heartandsole/B47I2852.FIT", "records no distance"),
        # MANIFEST: "57 min; single lap; no GPS, no distance (HR only)"
        ("python-fitparse/antfs-dump.63.fit", "records no distance"),
        # MANIFEST: "tiny: 158 m in 57 s, 21 records"
        ("python-fitparse/garmin-fenix-5-run.fit", "under a minute"),
    ],
)
def test_a_run_with_nothing_to_analyse_says_why(name, why):
    """These printed their laps and stopped: no splits, reps or score, and no word why."""
    text = _invoke("analyze", REAL / name)
    assert re.search(rf"! no splits, reps or score: [^\n]*{why}", text), text
