"""More answers a runner would catch as wrong, checked on the real files against what the
watch itself recorded (its session and lap records, read with fitparse / ElementTree) and
the MANIFEST's notes -- never against our own output."""

from __future__ import annotations

import csv
import datetime as dt
import re
import xml.etree.ElementTree as ET

import fitparse
import numpy as np
import pytest
from click.testing import CliRunner

import splitcheck
from conftest import REAL
from splitcheck.analysis import analyze, analyze_file
from splitcheck.cli import cli
from splitcheck.metrics.terrain import running_altitude_m
from splitcheck.metrics.trend import EVEN_RUN_PCT
from splitcheck.scoring.continuous import run_trend_of
from splitcheck.scoring.stats import lap_stats
from splitcheck.sport import check_walking
from splitcheck.units import format_duration

MORNINDEW = REAL / "tormoder-fit" / "mornindew-broken.fit"  # ~30 min of timer stops
TIMER_STOPS_FIT = (
    MORNINDEW,
    REAL / "connectstats" / "activity_234979239.fit",  # MANIFEST: 9 timer stops
    REAL / "connectstats" / "track_cs_5611.fit",  # MANIFEST: 10 timer stops
    REAL / "elevate" / "portland.fit",  # MANIFEST: 13 timer stops
)
TIMER_STOPS_TCX = (
    REAL / "connectstats" / "activity_234979239.tcx",
    REAL / "runpandas" / "stopped_example.tcx",  # MANIFEST: long stop mid-run
)
TIMER_TOLERANCE_S = 2.0


def _invoke(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _fit_session(path) -> dict:
    (session,) = fitparse.FitFile(str(path)).get_messages("session")
    return session.get_values()


def _tcx_timer_s(path) -> float:
    """The sum of the laps' TotalTimeSeconds: the watch's timer, read without splitcheck."""
    root = ET.parse(path).getroot()
    return sum(
        float(next(c.text for c in lap if c.tag.endswith("}TotalTimeSeconds")))
        for lap in root.iter()
        if lap.tag.endswith("}Lap")
    )


# -- the workout label's time is the watch's timer ---------------------------------------


@pytest.mark.parametrize("path", TIMER_STOPS_FIT, ids=lambda p: p.name)
def test_continuous_run_label_gives_the_watch_timer_time_and_its_stops(path):
    session = _fit_session(path)
    timer, elapsed = session["total_timer_time"], session["total_elapsed_time"]
    assert elapsed - timer > 60  # the watch's own stops: a minute and more
    (result,) = analyze_file(path)
    run = result.structure.workout.run
    assert abs(run.duration_s - timer) <= TIMER_TOLERANCE_S
    assert abs(run.paused_s - (elapsed - timer)) <= TIMER_TOLERANCE_S
    assert format_duration(run.duration_s) in result.workout_label
    assert format_duration(run.paused_s) + " stopped" in result.workout_label


@pytest.mark.parametrize("path", TIMER_STOPS_TCX, ids=lambda p: p.name)
def test_continuous_run_label_gives_the_tcx_laps_timer_time(path):
    (result,) = analyze_file(path)
    assert abs(result.structure.workout.run.duration_s - _tcx_timer_s(path)) <= TIMER_TOLERANCE_S


def test_mornindew_label_reads_the_watch_timer_not_the_clock():
    session = _fit_session(MORNINDEW)
    text = _invoke("analyze", MORNINDEW)
    label = next(line for line in text.splitlines() if "workout:" in line)
    assert format_duration(session["total_timer_time"]) in label  # 1:54:16
    assert format_duration(session["total_elapsed_time"]) not in label  # not 2:23:50


# -- the FIT and its TCX export agree on the run's trend ----------------------------------

SAME_RUN = tuple(REAL / "connectstats" / f"activity_234979239.{ext}" for ext in ("fit", "tcx"))


def _lap_thirds_s_per_km(path) -> list[float]:
    """The run's thirds (by distance) paced from the watch's own lap timers and distances,
    each lap at its own average speed: what the laps say, without GPS or altitude."""
    laps = [m.get_values() for m in fitparse.FitFile(str(path)).get_messages("lap")]
    dist = np.array([lap["total_distance"] for lap in laps])
    timer = np.array([lap["total_timer_time"] for lap in laps])
    edges_m = np.concatenate([[0.0], np.cumsum(dist)])
    edges_s = np.concatenate([[0.0], np.cumsum(timer)])
    thirds_m = np.linspace(0.0, edges_m[-1], 4)
    times = np.diff(np.interp(thirds_m, edges_m, edges_s))
    return list(times / np.diff(thirds_m) * 1000.0)


def test_fit_and_tcx_of_one_run_agree_on_its_trend_with_the_watchs_laps():
    first, _, last = _lap_thirds_s_per_km(SAME_RUN[0])
    laps_change_pct = (first / last - 1) * 100
    assert laps_change_pct < EVEN_RUN_PCT  # the watch's laps: the last third is no faster
    trends = []
    for path in SAME_RUN:
        (activity,) = splitcheck.read(path)
        trend = run_trend_of(activity)
        assert abs(trend.clock_change_pct - laps_change_pct) < 1.0  # same thirds as the laps
        trends.append(trend.name)
    assert trends == ["even", "even"]  # the FIT had read "progression" (7 % faster)


def test_altitude_across_a_timer_stop_is_not_climbed():
    """The FIT's climb that made the "progression": its altitude rose 28 m over a 52 s
    timer stop in which its distance grew 2 m (its position moved 144 m with the timer
    off). Taking it out of the run's climb changes nothing else: the altitude where the
    runner moved is kept to the centimetre."""
    (activity,) = splitcheck.read(SAME_RUN[0])
    s = activity.samples
    ran = running_altitude_m(s.elapsed_s, s.distance_m, s.altitude_m)
    before = np.array([np.searchsorted(s.elapsed_s, p.start_s) for p in activity.pauses])
    after = np.array([np.searchsorted(s.elapsed_s, p.end_s) for p in activity.pauses])
    assert np.all(s.elapsed_s[before] == [p.start_s for p in activity.pauses])
    jumps = s.altitude_m[after] - s.altitude_m[before]
    assert jumps.max() > 25  # the watch's altitude across its timer stops
    np.testing.assert_allclose(ran[after], ran[before])  # none of it climbed running
    moved = np.diff(s.distance_m) / np.diff(s.elapsed_s) > 1.0
    np.testing.assert_allclose(np.diff(ran)[moved], np.diff(s.altitude_m)[moved])


# -- walks and hikes of no stated sport ---------------------------------------------------

HIKE_GPX = REAL / "gpxpy" / "korita-zbevnica.gpx"  # MANIFEST: unknown (hike), no <type>
TRAIL_HIKE = REAL / "sports-lib" / "6910052863.fit"  # MANIFEST: trail run/hike, walking speeds
NO_SPORT_RUN = REAL / "runpandas" / "run.gpx"  # MANIFEST: running, 4.8 km; no <type>


def _manifest() -> dict[str, dict[str, str]]:
    with (REAL / "MANIFEST.tsv").open(encoding="utf-8") as f:
        return {row["path"]: row for row in csv.DictReader(f, delimiter="\t")}


def test_a_hike_of_no_stated_sport_is_analysed_as_a_walk_like_a_walking_fit():
    assert "hike" in _manifest()["gpxpy/korita-zbevnica.gpx"]["sport_if_known"]
    (result,) = analyze_file(HIKE_GPX)
    assert result.activity.sport == "walking"
    assert result.sport_check.likely_sport == "walking"
    assert result.pacing is None  # no running score, trend or mile prediction
    assert result.workout_label.startswith("walk: ")
    assert any(w.startswith("probably a walk or a hike") for w in result.activity.warnings)
    # exactly what a file saved as walking gets
    (activity,) = splitcheck.read(HIKE_GPX)
    walk = analyze(activity.with_changes(sport="walking"))
    assert walk.pacing is None and walk.workout_label == result.workout_label
    assert walk.structure.efforts.keys() == result.structure.efforts.keys()


def test_the_same_run_slowed_to_a_walk_is_called_one(tmp_path):
    """A real run of no stated sport stays a run; its copy with every time stretched 2.5x
    (4.8 km at ~1.35 m/s: a walker's pace) is called a walk."""
    (run,) = analyze_file(NO_SPORT_RUN)
    assert run.activity.sport == "unknown" and run.sport_check is None
    assert run.pacing is not None
    text = NO_SPORT_RUN.read_text(encoding="utf-8")
    t0 = dt.datetime(2017, 5, 27, 8, 13, 1, tzinfo=dt.UTC)

    def slower(m: re.Match) -> str:
        t = dt.datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
        return f"<time>{(t0 + (t - t0) * 2.5).strftime('%Y-%m-%dT%H:%M:%S')}Z</time>"

    slow = tmp_path / "run_walked.gpx"
    slow.write_text(re.sub(r"<time>([^<]+)</time>", slower, text), encoding="utf-8")
    (walked,) = analyze_file(slow)
    assert walked.activity.sport == "walking" and walked.pacing is None


def test_no_real_run_is_called_a_walk():
    """Every running session of the MANIFEST keeps its sport; with its sport taken away,
    only the one the MANIFEST says went at walking speeds is called a walk."""
    called, stripped = [], []
    for path, row in _manifest().items():
        if not row["sport_if_known"].startswith("running"):
            continue
        try:
            activities = splitcheck.read(REAL / path)
        except splitcheck.SplitcheckError:
            continue  # the broken-on-purpose files
        for activity in activities:
            check = check_walking(activity)
            if check is not None and check.likely_sport == "walking":
                called.append(path)
            unstated = check_walking(activity.with_changes(sport="unknown"))
            if unstated is not None:
                stripped.append(path)
    assert called == []
    walking = [p for p, r in _manifest().items() if "walking speeds" in r["notes"]]
    assert stripped == walking == ["sports-lib/6910052863.fit"]


def test_a_trail_run_at_walking_speed_stays_a_run_said_to_be_at_walking_pace():
    note = _manifest()["sports-lib/6910052863.fit"]["notes"]
    assert "walking speeds" in note
    (result,) = analyze_file(TRAIL_HIKE)
    assert result.activity.sport == "running"  # the watch was told running: not overruled
    assert result.pacing is None  # no grade-adjusted "hills cost you 502 s/km", no trend
    (warning,) = [w for w in result.activity.warnings if w.startswith("at walking pace")]
    assert "saved as running" in warning
    assert result.structure.efforts  # splits and best efforts as measured


# -- lap cadence as the watch averages it --------------------------------------------------

CADENCE_FILES = (
    REAL / "fit-parser" / "garmin-stamina.fit",  # MANIFEST: 5:00 walk/jog recoveries
    REAL / "elevate" / "portland.fit",  # 13 timer stops
    MORNINDEW,
)


@pytest.mark.parametrize("path", CADENCE_FILES, ids=lambda p: p.name)
def test_lap_cadence_is_the_watchs_lap_average_standing_counted(path):
    """The watch's lap cadence (FIT: per foot, spm = 2 x (avg_running_cadence +
    avg_fractional_cadence)) averages over the lap's timer with standing as 0 steps/min:
    leaving the zeros out read garmin-stamina's first lap 55 spm high."""
    watch = [
        2 * (lap["avg_running_cadence"] + (lap.get("avg_fractional_cadence") or 0.0))
        for lap in (m.get_values() for m in fitparse.FitFile(str(path)).get_messages("lap"))
    ]
    (activity,) = splitcheck.read(path)
    laps = activity.laps
    stats = lap_stats(activity, [lap.start_s for lap in laps], [lap.end_s for lap in laps])
    ours = [st["cadence_avg_spm"] for st in stats]  # what the laps table shows
    assert len(ours) == len(watch)
    assert max(abs(a - b) for a, b in zip(ours, watch, strict=True)) <= 1.0


def test_lap_power_is_the_watchs_lap_average_standing_counted():
    """garmin-stamina.fit's walk/jog recovery laps hold standing seconds at 0 W, which its
    watch averages in (leaving them out read its first lap 106 W high)."""
    path = CADENCE_FILES[0]
    watch = [m.get_value("avg_power") for m in fitparse.FitFile(str(path)).get_messages("lap")]
    (activity,) = splitcheck.read(path)
    laps = activity.laps
    stats = lap_stats(activity, [lap.start_s for lap in laps], [lap.end_s for lap in laps])
    ours = [st["power_avg_w"] for st in stats]
    assert len(ours) == len(watch) == 12
    assert max(abs(a - b) for a, b in zip(ours, watch, strict=True)) <= 1.0
