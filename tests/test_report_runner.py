"""What a runner reads: heart rate, cadence and power per lap and rep; rules not judged
say which option supplies the value; one unit throughout; no pace for empty laps, no
negative times, partial splits with their distance.

Expectations come from the files' own notes (MANIFEST: the Stryd file's running power on
every record) and from the samples' truth files (the simulator's heart rate and reps).
"""

from __future__ import annotations

import csv
import io
import json
import re

from click.testing import CliRunner

from conftest import REAL, SAMPLES
from splitcheck.cli import cli

STRYD = REAL / "python-fitparse" / "developer-types-sample.fit"
"""MANIFEST: 'developer fields on every record (running power)'."""


def run(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_stryd_power_is_shown_in_text_json_and_csv():
    text = run("analyze", STRYD)
    header = next(line for line in text.splitlines() if line.strip().startswith("lap "))
    assert "power" in header and "avg HR" in header and "cadence" in header
    row = text.splitlines()[text.splitlines().index(header) + 1]
    watts = int(re.search(r"(\d+) W", row).group(1))
    assert 150 <= watts <= 400  # a runner's power, W
    doc = json.loads(run("analyze", "--json", STRYD))
    stats = doc["activities"][0]["pacing"]["lap_stats"][0]
    assert stats["power_avg_w"] == watts or abs(stats["power_avg_w"] - watts) <= 0.5
    assert stats["power_max_w"] >= stats["power_avg_w"]
    assert 120 <= stats["cadence_avg_spm"] <= 200  # steps (not strides) per minute
    rows = list(csv.DictReader(io.StringIO(run("analyze", "--csv", "-", STRYD))))
    assert all(float(r["power_avg_w"]) > 0 for r in rows if r["partial"] == "False")


def test_max_hr_shows_heart_rate_verdicts_in_text():
    sample = SAMPLES / "10x30s_60s_jog.fit"
    with_max = run("analyze", sample, "--max-hr", "190")
    assert re.search(r"heart rate +\d+/15 +\d+ of 10 reps reached 90 % of max", with_max)
    assert "peak HR" in with_max
    without = run("analyze", sample)
    assert "not judged: no max heart rate given (--max-hr)" in without
    assert "out of the" in without and "heart rate" in without.split("points judged")[1]


def test_age_without_sex_says_the_age_grade_is_not_judged():
    text = run("analyze", SAMPLES / "mile_time_trial_even_kick.fit", "--age", "40")
    assert "Age grade not judged: give --sex too" in text


def test_miles_mean_every_pace_and_fade_in_miles():
    text = run("analyze", SAMPLES / "8x200m_jog_200m.fit", "--units", "mi", "--goal-mile", "6:00")
    assert "/km" not in text and "s/km" not in text
    assert re.search(r"s/mi per rep", text)


def test_partial_split_shows_distance_and_empty_laps_no_pace():
    text = run("analyze", REAL / "runpandas" / "stopped_example.tcx")
    # MANIFEST: '3 laps incl. a 3 m / 2 s lap': listed, and the tail of the run as a distance
    assert re.search(r"^\s+2\s+48:35\s+0:02\.0\s+3 m", text, re.M)
    assert re.search(r"^  then 0\.\d\d km in \d+:\d\d", text, re.M)
    # no negative times (UTC-03:00 is an offset, not a time)
    assert not re.search(r"(?<![\d:C])-\d+:\d\d", text)


def test_a_partial_split_that_would_read_0_00_is_not_listed():
    # 4.00 mi on the track: the last few metres after mile 4 are no split ("then 0.00 mi")
    fit = REAL / "rust_fit_file" / "20210610_track_garmin_fenix_6.fit"
    miles = run("analyze", fit, "--units", "mi")
    assert re.search(r"splits per mile", miles) and "then 0.00" not in miles
    km = run("analyze", fit)  # 6.4 km: its last 0.4 km is listed
    assert re.search(r"^  then 0\.[1-9]\d km in \d+:\d\d", km, re.M)


def test_interval_session_prints_no_best_mile_laps():
    text = run("analyze", REAL / "run-stats" / "7119384558_ACTIVITY.fit")
    assert "best mile laps" not in text


def test_zero_second_lap_is_listed_unpaced_and_no_lap_starts_before_zero():
    """A real file's laps with a zero-second lap pressed twice at the end and a first lap
    pressed a second before recording began (both seen in watch files)."""
    import dataclasses

    from splitcheck.io import read
    from splitcheck.model import Lap
    from splitcheck.report.text import render_activity

    a = read(REAL / "runpandas" / "run_garmin.tcx")[0]
    first = dataclasses.replace(a.laps[0], start_s=-1.0)
    end = a.laps[-1].end_s
    zero = Lap(end, end, 0.4, trigger="manual")
    text = render_activity(a.with_changes(laps=(first, *a.laps[1:], zero)), "run.tcx")
    rows = [line for line in text.splitlines() if re.match(r"^\s+\d+\s+\d", line)]
    assert len(rows) == len(a.laps) + 1
    assert re.search(r"0:00\.0\s+0 m\s+-\s", rows[-1]) and rows[-1].endswith("manual")
    assert "-0:01" not in text and rows[0].split()[1] == "0:00"


def test_a_rescaled_score_says_so_in_json_too():
    doc = json.loads(run("analyze", "--json", SAMPLES / "8x200m_jog_200m.fit"))
    pacing = doc["activities"][0]["pacing"]
    goal = next(p for p in pacing["parts"] if p["name"] == "goal pace")
    assert goal["points"] is None  # no goal mile given
    assert pacing["score_out_of_points"] == pacing["score_possible_points"] - goal["max_points"]


def test_a_count_of_one_reads_in_the_singular():
    """'1 surges between slower stretches form no rep structure' was printed for a GPX
    with one surge; every 'N surge(s)' note now agrees with its number."""
    out = run("analyze", REAL / "gpxpy" / "track-with-empty-segment.gpx")
    for line in re.finditer(r"\b(\d+) (?:short )?(surges?)\b (\w+ ){0,3}", out):
        n, word = int(line.group(1)), line.group(2)
        assert (word == "surge") == (n == 1), line.group(0)
    assert "1 surges" not in out and "1 surge between slower stretches forms" in out
