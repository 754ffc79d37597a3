"""The best-mile trend takes only miles run hard (time trials, races, mile reps, runs at
threshold heart rate): the fastest mile inside an easy run is shown apart and never
trended, so an easy week does not read as lost fitness (guidance.md section 3).

Truth: the simulator's own mile time trials (their true mile times), and the real files'
MANIFEST notes (a 10 km road race; an easy run; a 6x400 m session) with the race's own lap.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import splitcheck
from conftest import REAL, SAMPLES
from splitcheck.analysis import analyze_file
from splitcheck.batch.miles import HARD_RUN_HR_FRACTION, hard_mile, with_hard_run
from splitcheck.batch.tables import rows_from_document
from splitcheck.simulate import simulate, workout
from splitcheck.units import MILE_M

RACE = REAL / "TestFilesForFitnessApps" / "20180331_run_garmin_fenix_3_hr.tcx"  # 10 km race
EASY = REAL / "elevate" / "portland.fit"  # easy 16.1 km urban run
REPS = REAL / "run-stats" / "6840589159_ACTIVITY.fit"  # 6x400 m / 200 m
HARD_RUN = REAL / "tcx-test-files" / "running_activity_1.tcx"  # hard effort, HR ~178


def _row(path) -> dict:
    (analysis,) = analyze_file(path)
    return rows_from_document(analysis.to_dict())["activities"][0]


def test_a_race_is_a_hard_mile_and_an_easy_run_or_short_reps_are_not():
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    lap = ET.parse(RACE).getroot().find(".//t:Lap", ns)
    race_mile_s = float(lap.find("t:TotalTimeSeconds", ns).text) / (
        float(lap.find("t:DistanceMeters", ns).text) / MILE_M
    )  # the race's average mile
    row = _row(RACE)
    assert row["hard_mile_kind"] == "race"
    # its fastest mile: no slower than its average, and an even race is not 5 % faster
    assert 0.95 * race_mile_s <= row["hard_mile_s"] <= race_mile_s + 1.0
    for path in (EASY, REPS):
        row = _row(path)
        assert row["best_mile_s"] is not None  # a fastest mile is found inside...
        assert (row["hard_mile_s"], row["hard_mile_kind"]) == (None, None)  # ...not run hard


def test_a_mile_time_trial_is_a_hard_mile_at_its_true_time():
    path = SAMPLES / "mile_time_trial_even_kick.fit"
    truth = json.loads(path.with_suffix(".truth.json").read_text())["mile_effort"]
    row = _row(path)
    assert row["hard_mile_kind"] == "time_trial"
    assert row["hard_mile_s"] == pytest.approx(truth["duration_s"], abs=2.0)


def test_a_continuous_run_at_threshold_heart_rate_is_run_hard():
    (analysis,) = analyze_file(HARD_RUN)
    row = rows_from_document(analysis.to_dict())["activities"][0]
    assert row["hard_mile_s"] is None  # no race distance: the file alone cannot tell
    row["avg_hr_bpm"] = float(np.nanmean(analysis.activity.samples.heart_rate_bpm))  # ~178
    hard = with_hard_run(row, max_hr_bpm=row["avg_hr_bpm"] / HARD_RUN_HR_FRACTION)
    assert (hard["hard_mile_s"], hard["hard_mile_kind"]) == (row["best_mile_s"], "hard_run")
    easy = with_hard_run(row, max_hr_bpm=row["avg_hr_bpm"] / (HARD_RUN_HR_FRACTION - 0.05))
    assert easy["hard_mile_s"] is None
    assert with_hard_run({**_row(EASY), "avg_hr_bpm": 118.0}, 190.0)["hard_mile_s"] is None


def test_mile_reps_are_hard_miles():
    doc = {
        "workout": {"type": "repeats"},
        "intervals": [
            {"kind": "work", "duration_s": 400.0, "distance_m": 1600.0},
            {"kind": "recovery", "duration_s": 300.0, "distance_m": 600.0},
            {"kind": "work", "duration_s": 395.0, "distance_m": 1610.0},
        ],
    }
    mile_s, kind = hard_mile(doc)
    assert kind == "mile_rep" and mile_s == pytest.approx(395.0 * MILE_M / 1610.0, abs=0.01)


MONDAY = dt.date(2026, 3, 2)
TT_LAPS_S = ((98.0, 98.0, 98.0, 96.0), (96.5, 96.5, 96.5, 95.5), (95.0, 95.0, 95.0, 94.0))
"""Three weeks of mile time trials getting faster (6:30, 6:25, 6:19), then two easy weeks."""


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("miles")
    true_miles = {}
    for week in range(5):
        monday = MONDAY + dt.timedelta(weeks=week)
        plans = [(monday + dt.timedelta(days=3), workout.easy(2400))]
        if week < len(TT_LAPS_S):
            plans.append((monday + dt.timedelta(days=1), workout.mile_tt(TT_LAPS_S[week])))
        for day, plan in plans:
            start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
            sim = simulate(plan, seed=100 + day.toordinal() % 1000, start_utc=start)
            sim.write_fit(folder / f"{day.isoformat()}.fit")
            if sim.truth.mile_effort is not None:
                true_miles[monday] = sim.truth.mile_effort.duration_s
    return splitcheck.batch(folder, cache_dir=None, jobs=1, timezone="UTC"), true_miles


def test_easy_weeks_do_not_turn_the_trend_slower(archive):
    arc, true_miles = archive
    trend = arc.view.mile_trend
    assert [m for m, _, _ in trend.weeks] == sorted(true_miles)  # the time-trial weeks only
    for monday, seconds, kind in trend.weeks:
        assert kind == "time_trial" and seconds == pytest.approx(true_miles[monday], abs=2.0)
    days = [(m - MONDAY).days for m in sorted(true_miles)]
    true_slope = np.polyfit(days, [true_miles[m] for m in sorted(true_miles)], 1)[0] * 7
    assert trend.trend_s_per_week == pytest.approx(true_slope, abs=0.5)
    assert trend.trend_s_per_week < 0  # faster: the easy weeks after are no loss of fitness
    # what the old trend mixed in: each week's fastest mile, easy weeks included, reads slower
    weeks = [w for w in arc.view.review.weeks if w.best_mile_s]
    old = np.polyfit([(w.monday - MONDAY).days for w in weeks], [w.best_mile_s for w in weeks], 1)
    assert old[0] > 0
    rows = {w["week"]: w for w in arc.view.to_dict()["weeks"]}
    assert [w["hard_mile_kind"] for w in rows.values()] == ["time_trial"] * 3 + [None] * 2
    words = arc.view.to_dict()["mile_trend"]["words"]
    assert words.startswith("best mile effort")
    assert "faster a week, from the 3 weeks with a hard mile" in words


def test_the_chart_draws_easy_miles_apart_and_off_the_trend(archive):
    from splitcheck.report.charts.weekly import best_mile_data, chart_weekly

    arc, true_miles = archive
    data = best_mile_data(arc.view.review, activities=list(arc.view.activities))
    assert len(data.series["best_mile"].x) == len(true_miles)
    assert len(data.series["other_runs"].x) == 2  # the two easy weeks, apart
    assert data.extra["trend_s_per_week"] == arc.view.mile_trend.trend_s_per_week
    assert "faster a week" in data.title
    fig = chart_weekly(arc.view.review, "best_mile", activities=list(arc.view.activities))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("mile run hard" in t for t in labels) and any("other runs" in t for t in labels)


def test_the_terminal_and_the_index_say_which_miles_count(tmp_path):
    from click.testing import CliRunner

    from splitcheck.cli import cli

    folder = tmp_path / "runs"
    folder.mkdir()
    for path in (RACE, EASY, REPS):
        (folder / path.name).write_bytes(path.read_bytes())
    args = ["batch", folder, "--no-cache", "-j", "1", "--out", tmp_path / "out"]
    result = CliRunner().invoke(cli, [str(a) for a in [*args, "--html", tmp_path / "web"]])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index(next(x for x in lines if x.startswith("Mile trend (hard miles only")))
    trend = lines[at + 1].strip()
    assert trend.startswith("best mile effort") and "(race, week of" in trend
    assert "a trend needs hard miles in 2 weeks" in trend  # one race: no trend
    index = (tmp_path / "web" / "index.html").read_text(encoding="utf-8")
    assert '<section id="mile-trend">' in index and "Only miles run hard count" in index
