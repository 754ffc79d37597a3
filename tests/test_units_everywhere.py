"""A runner who asks for miles reads miles everywhere: the workout's label in the text,
the JSON, the HTML page, the archive index and chart titles (rep and race names are track
and road distances and stay metric: "6x400 m", "10 km race").

Truth: each file's own records, laps and session totals, read with fitparse or the TCX's
own Lap elements, never our output.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET

import fitparse
import pytest
from click.testing import CliRunner

from conftest import REAL
from splitcheck.analysis import analyze_file
from splitcheck.cli import cli
from splitcheck.units import FOOT_M, MILE_M, format_duration, parse_duration

PORTLAND = REAL / "elevate" / "portland.fit"  # easy 16.1 km urban run
FENIX2 = REAL / "python-fitparse" / "activity-small-fenix2-run.fit"  # laps 2-3: a tempo
RACE = REAL / "TestFilesForFitnessApps" / "20180331_run_garmin_fenix_3_hr.tcx"  # 10 km race
TREADMILL = REAL / "tcxmill" / "30km-progression-2019-09-25_activity.tcx"  # foot pod too long
EFFORT_NAMES = re.compile(r"\b(1|5|10) km\s+\d")  # best efforts are named by distance
CONTINUOUS = re.compile(r"continuous run: ([\d.]+) (mi|km) in ([\d:]+)")


def _invoke(*args) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _fit(path):
    """(session distance [m], first and last record times [s], laps (timer s, distance m))."""
    fit = fitparse.FitFile(str(path))
    session = next(fit.get_messages("session"))
    times = [m.get_value("timestamp") for m in fit.get_messages("record")]
    laps = [
        (m.get_value("total_timer_time"), m.get_value("total_distance"))
        for m in fit.get_messages("lap")
    ]
    span_s = (times[-1] - times[0]).total_seconds()
    return session.get_value("total_distance"), span_s, laps


def _timer_s(path) -> float:
    """The session's timer [s]: its stops left out, as the watch gives a run's time."""
    return next(fitparse.FitFile(str(path)).get_messages("session")).get_value("total_timer_time")


def _altitudes(path) -> list:
    fit = fitparse.FitFile(str(path))
    return [
        m.get_value("enhanced_altitude") or m.get_value("altitude")
        for m in fit.get_messages("record")
    ]


def _label_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.strip().startswith("workout:"))


def test_a_continuous_run_reads_in_miles_in_the_text_and_in_km_without():
    distance_m, _, _ = _fit(PORTLAND)
    timer_s = _timer_s(PORTLAND)
    mi = _invoke("analyze", "--units", "mi", PORTLAND)
    miles, unit, time = CONTINUOUS.search(_label_line(mi)).groups()
    assert unit == "mi"
    assert float(miles) * MILE_M == pytest.approx(distance_m, rel=0.005)
    assert parse_duration(time) == pytest.approx(timer_s, abs=1.0)
    # nothing else in km: only the best efforts' names (1 km, 5 km, 10 km)
    assert "km" not in EFFORT_NAMES.sub("", mi)
    km = _invoke("analyze", PORTLAND)
    kms, unit, _ = CONTINUOUS.search(_label_line(km)).groups()
    assert unit == "km" and float(kms) * 1000 == pytest.approx(distance_m, rel=0.005)
    assert "/mi" not in km


def test_the_json_label_is_in_the_runners_units_beside_si_numbers():
    distance_m, _, _ = _fit(PORTLAND)
    doc = json.loads(_invoke("analyze", "--json", "--units", "mi", PORTLAND))
    act = doc["activities"][0]
    workout = act["workout"]
    assert act["units"] == "mi"
    assert workout["label"].startswith("continuous run: ") and " mi in " in workout["label"]
    assert "km" not in workout["label"]
    assert workout["words"] == "continuous run"
    assert workout["run"]["distance_m"] == pytest.approx(distance_m, rel=0.005)
    assert workout["run"]["duration_s"] == pytest.approx(_timer_s(PORTLAND), abs=1.0)
    km = json.loads(_invoke("analyze", "--json", PORTLAND))["activities"][0]
    assert km["units"] == "km" and " km in " in km["workout"]["label"]
    assert km["workout"]["run"] == workout["run"]  # the numbers do not depend on the units


def test_a_tempo_is_worded_in_miles_and_matches_the_watchs_tempo_laps():
    _, _, laps = _fit(FENIX2)
    tempo_s = laps[1][0] + laps[2][0]  # the runner's laps 2 and 3 are the tempo
    tempo_mi = (laps[1][1] + laps[2][1]) / MILE_M
    (analysis,) = analyze_file(FENIX2, units="mi")
    label = analysis.workout_label
    found = re.search(r"with a ([\d:]+) tempo at (\d+):(\d\d) /mi$", label)
    assert found, label
    assert parse_duration(found.group(1)) == pytest.approx(tempo_s, abs=3.0)
    pace = int(found.group(2)) * 60 + int(found.group(3))
    assert pace == pytest.approx(tempo_s / tempo_mi, abs=3.0)
    assert "km" not in label


def _tcx_laps(path):
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    root = ET.parse(path).getroot()
    return [
        (
            float(lap.find("t:TotalTimeSeconds", ns).text),
            float(lap.find("t:DistanceMeters", ns).text),
        )
        for lap in root.iterfind(".//t:Lap", ns)
    ]


def test_a_race_keeps_its_name_and_gives_its_pace_in_miles():
    ((lap_s, lap_m),) = _tcx_laps(RACE)  # one lap: the race
    (analysis,) = analyze_file(RACE, units="mi")
    found = re.fullmatch(
        r"10 km race / time trial: ([\d:]+) \((\d+):(\d\d) /mi\)", analysis.workout_label
    )
    assert found, analysis.workout_label
    assert parse_duration(found.group(1)) == pytest.approx(lap_s, abs=2.0)
    assert int(found.group(2)) * 60 + int(found.group(3)) == pytest.approx(
        lap_s / (lap_m / MILE_M), abs=2.0
    )
    note = next(n for n in analysis.structure.notes if "race" in n)
    assert "10 km race" in note and not re.search(r"\d km\b", note.replace("10 km race", ""))
    (in_km,) = analyze_file(RACE)
    assert in_km.workout_label.endswith(f"({format_duration(lap_s / lap_m * 1000)} /km)")


def test_rep_names_stay_metric_in_miles():
    path = REAL / "run-stats" / "6840589159_ACTIVITY.fit"  # 6x400 m / 200 m
    (analysis,) = analyze_file(path, units="mi")
    assert "6x400 m with jog recoveries" in analysis.workout_label


def test_the_sport_check_speaks_mph_in_miles():
    (analysis,) = analyze_file(TREADMILL, units="mi")
    (warning,) = [w for w in analysis.activity.warnings if "world record" in w]
    assert " mph " in warning and "km/h" not in warning
    assert "mph" in analysis.to_dict()["sport_check"]["message"]
    (in_km,) = analyze_file(TREADMILL)
    assert "km/h" in in_km.to_dict()["sport_check"]["message"]


def _visible(html: str) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"<[^>]*>", " ", html)


def test_the_html_page_and_chart_titles_are_in_miles(tmp_path):
    from splitcheck.report.charts.trace import trace_data

    distance_m, _, _ = _fit(PORTLAND)
    _invoke("report", "--units", "mi", "-o", tmp_path, PORTLAND)
    page = (tmp_path / "portland.html").read_text(encoding="utf-8")
    workout = re.search(r'<p class="workout">([^<]*)</p>', page).group(1)
    miles = float(re.search(r"Continuous run: ([\d.]+) mi in ", workout).group(1))
    assert miles * MILE_M == pytest.approx(distance_m, rel=0.005)
    assert re.search(r"[\d.]+ (mi|ft) across", page)  # the route's scale
    # heights in feet beside miles, inside the altimeter's own range
    lo_ft, hi_ft = (int(v) for v in re.search(r"elevation (\d+)\u2013(\d+) ft<", page).groups())
    altitude = [a for a in _altitudes(PORTLAND) if a is not None]
    assert min(altitude) - 1 <= lo_ft * FOOT_M < hi_ft * FOOT_M <= max(altitude) + 1
    assert "km" not in EFFORT_NAMES.sub("", _visible(page))
    (analysis,) = analyze_file(PORTLAND, units="mi")
    title = trace_data(analysis, unit="mi").title
    assert " mi in " in title and "km" not in title


def test_the_archive_index_lists_each_workout_in_miles(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    for path in (PORTLAND, RACE):
        shutil.copy(path, folder / path.name)
    web = tmp_path / "web"
    args = ["batch", folder, "--no-cache", "-j", "1", "--out", tmp_path / "out", "--html", web]
    _invoke(*args, "--units", "mi")
    index = (web / "index.html").read_text(encoding="utf-8")
    whats = re.findall(r'<td class="what"><a [^>]*>([^<]*)</a>', index)
    run = r"continuous run: [\d.]+ mi in [\d:]+( plus [\d:]+ stopped)?"  # timer, stops
    assert any(re.fullmatch(run, w) for w in whats), whats
    assert any(re.fullmatch(r"10 km race / time trial: [\d:]+ \([\d:]+ /mi\)", w) for w in whats)
    rows = json.loads((tmp_path / "out" / "activities.json").read_text())
    assert all("km in" not in (r.get("workout_label") or "") for r in rows)


def test_the_drawn_trace_titles_heights_and_route_in_miles():
    from splitcheck.report.charts import chart_activity

    (analysis,) = analyze_file(PORTLAND, units="mi")
    fig = chart_activity(analysis, "trace", units="mi")
    texts = [
        t.get_text()
        for ax in fig.axes
        for t in (ax.title, ax._left_title, ax._right_title, ax.yaxis.label, *ax.texts)
    ]
    texts = [t.replace("\xa0", " ") for t in texts + [t.get_text() for t in fig.texts]]
    assert any(" mi in " in t for t in texts), texts
    assert "elevation\n(ft)" in texts
    assert any(re.match(r"route, [\d.]+ (mi|ft)\nacross", t) for t in texts), texts
    assert not [t for t in texts if re.search(r"\bkm\b", t)]
