"""More answers a runner would catch as wrong, checked on the real files against what the
watch itself recorded (its session and lap records, read with fitparse / ElementTree) and
the MANIFEST's notes -- never against our own output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import fitparse
import pytest
from click.testing import CliRunner

from conftest import REAL
from splitcheck.analysis import analyze_file
from splitcheck.cli import cli
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
