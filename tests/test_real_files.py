"""Every real watch file in ../shared/real-activities is read, or refused in one clear line.

The expectations below are written from the MANIFEST's notes (what each file is, which
ones are broken and how), not from splitcheck's output. Where a file states its own
totals, the activity must agree with them:

* FIT: each session message's ``num_laps``, ``total_distance``, ``total_elapsed_time``
  and ``total_timer_time``, read here with plain fitparse. The session spans its start to
  its end, an activity spans its first to its last record; a record can only be as
  close to those ends as the watch's recording interval (1 s, or several seconds with
  smart recording; at a multisport boundary, the gap between the last record of one
  leg and the first of the next). So time must agree within 1 s plus the recording
  intervals at the activity's two ends, and distance within 0.5 % plus the distance
  covered in those intervals (at the session's average speed, or as the records'
  running distance across a multisport boundary says). For a single-session run with 1 s
  records this is 0.5 % and 1-3 s.
* TCX: the laps' ``DistanceMeters`` sum (distance within 0.5 %). A TCX lap's
  ``TotalTimeSeconds`` is timer time, which excludes pauses the file does not mark, so
  elapsed time is compared with the span of the trackpoint times (within 1 s) and must
  be at least the laps' timer time less 1 s and the recording intervals at the ends.
* GPX has no totals: elapsed time is compared with the span of the timed track points.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import fitparse
import numpy as np
import pytest

import splitcheck
from conftest import REAL, manifest
from splitcheck.errors import FileError, NotAnActivityError, NoTimedDataError

DISTANCE_REL_TOL = 0.005
"""Distance agreement with the file's own totals (the task's acceptance figure)."""
TIME_TOL_S = 1.0
"""Time agreement with the file's own totals, beyond the recording interval at the ends."""
GPS_DISTANCE_REL_TOL = 0.02
GPS_DISTANCE_ABS_TOL_M = 10.0
"""The same run as GPX (distance measured from positions) and as FIT/TCX (the watch's
distance): consumer GPS fixes wander 3-5 m, so a tiny track may differ by ~10 m."""


@dataclass(frozen=True)
class Expect:
    """``read`` (complete), ``salvaged`` (damaged, read with a warning) or an error class."""

    outcome: str | type[FileError]
    sessions: int = 1
    summary_matches: bool = True
    elapsed_from_clock: bool = False
    """The session's ``total_elapsed_time`` is not wall-clock time: compare elapsed with its
    ``timestamp - start_time`` instead."""


READ = Expect("read")
SALVAGED = Expect("salvaged")

EXPECTED: dict[str, Expect] = {
    "python-fitparse/2013-02-06-12-11-14.fit": READ,
    "python-fitparse/activity-small-fenix2-run.fit": READ,
    "python-fitparse/developer-types-sample.fit": READ,
    "python-fitparse/compressed-speed-distance.fit": READ,
    "python-fitparse/antfs-dump.63.fit": READ,
    "python-fitparse/garmin-fenix-5-run.fit": READ,
    "python-fitparse/garmin-fenix-5-walk.fit": READ,
    "python-fitparse/Activity.fit": READ,
    # broken on purpose: the data before the damage is all there
    "python-fitparse/activity-unexpected-eof.fit": SALVAGED,
    "python-fitparse/activity-settings-corruptheader.fit": SALVAGED,
    "python-fitparse/activity-filecrc.fit": SALVAGED,
    # the same activity chained twice, the second copy with a bad CRC: read once
    "python-fitparse/activity-activity-filecrc.fit": SALVAGED,
    "python-fitparse/activity-settings-nodata.fit": SALVAGED,
    # real-world damage: only the first part is readable; the session says 11.3 km
    "python-fitparse/strava-android-app-201.10-b1218918.fit": Expect(
        "salvaged", summary_matches=False
    ),
    "python-fitparse/sample_mulitple_header.fit": Expect("read", sessions=5),
    # unterminated, no session message: salvaged as one activity without a summary
    "python-fitparse/nick.fit": Expect("salvaged", summary_matches=False),
    "python-fitparse/MonitoringFile.fit": Expect(NotAnActivityError),
    "python-fitparse/WorkoutRepeatSteps.fit": Expect(NotAnActivityError),
    "tormoder-fit/mornindew-broken.fit": READ,
    "muktihari-fit/triathlon_summary_first.fit": Expect("read", sessions=5),
    "muktihari-fit/triathlon_summary_last.fit": Expect("read", sessions=5),
    "run-stats/6761214480_ACTIVITY.fit": READ,
    "run-stats/6840589159_ACTIVITY.fit": READ,
    "run-stats/7119384558_ACTIVITY.fit": READ,
    "sport-activities-features/fit_format_test_File.FIT": READ,
    "runpandas/run.fit": READ,
    "runpandas/run.gpx": READ,
    "runpandas/nike_run.gpx": READ,
    "runpandas/run_garmin.tcx": READ,
    # root element lost, so "xsi:" is an undeclared prefix: read with a warning (issue 12)
    "runpandas/malformed.tcx": SALVAGED,
    "runpandas/stopped_example.tcx": READ,
    "runpandas/2020-12-20T05_50_47-300_Running.tcx": READ,
    "runpandas/2020-12-26T06_03_49-300_Running.tcx": READ,
    "activityio/c2eb1b_6.tcx": READ,
    "activityio/c2eb1b_2.tcx": READ,
    "heartandsole/testdata.fit": READ,
    "heartandsole/testdata.tcx": READ,
    "heartandsole/testdata.gpx": READ,
    "heartandsole/B47I2852.FIT": READ,
    "sweatpy/3173437224.tcx": READ,
    "sweatpy/6471559601_ACTIVITY.fit": Expect("read", sessions=3),
    # only 5 of 296 points have a time: nothing to time an activity by
    "gpxpy/cerknicko-without-times.gpx": Expect(NoTimedDataError),
    "gpxpy/korita-zbevnica.gpx": READ,
    "gpxpy/track-with-empty-segment.gpx": READ,
    # -- round 2: real sessions with hand truth in TRUTH.json (all running, all complete)
    "connectstats/track_cs_728599.fit": READ,
    "connectstats/track_cs_5611.fit": READ,
    "connectstats/activity_234979239.fit": READ,
    "connectstats/activity_234979239.tcx": READ,
    "fit-parser/garmin-stamina.fit": READ,
    "tcxmill/30km-progression-2019-09-25_activity.tcx": READ,
    "tcxmill/10km-2019-10-18_activity.tcx": READ,
    "TestFilesForFitnessApps/20210604_track_run_coros_pace_2.fit": READ,
    "TestFilesForFitnessApps/20210604_track_run_garmin_fenix_6.fit": READ,
    "TestFilesForFitnessApps/20180331_run_garmin_fenix_3_hr.tcx": READ,
    "elevate/kaiteriteri.fit": READ,
    "elevate/20171011_run_2088390344.fit": READ,
    "elevate/portland.fit": READ,
    "rust_fit_file/20210610_track_garmin_fenix_6.fit": READ,
    # Forerunner 25: total_elapsed_time (2401 s) leaves out part of its auto-paused stops
    # (lap 5 runs 17:54:39-17:56:03, 84 s of wall clock, and says 61.1 s elapsed); the
    # session's own start_time-to-timestamp (17:41:27-18:22:01) is the elapsed time
    "workoutizer/with_nones.fit": Expect("read", elapsed_from_clock=True),
    "tcx-test-files/running_activity_1.tcx": READ,
    "tcx-test-files/running_activity_2.tcx": READ,
    "sports-lib/6910052863.fit": READ,
}

ROWS = {row["path"]: row for row in manifest()}


def test_expectations_cover_the_manifest():
    assert set(EXPECTED) == set(ROWS)


@pytest.mark.parametrize("path", sorted(ROWS))
def test_real_file(path):
    expect = EXPECTED[path]
    file = REAL / path
    if not isinstance(expect.outcome, str):
        with pytest.raises(expect.outcome) as caught:
            splitcheck.read(file)
        message = str(caught.value)
        assert message.startswith(f"{file}: ") and "\n" not in message
        assert len(message) < 200
        return
    activities = splitcheck.read(file)
    assert len(activities) == expect.sessions
    for activity in activities:
        assert len(activity.samples) >= 2 and activity.elapsed_s > 0
        if expect.outcome == "salvaged":
            assert activity.warnings
        else:
            assert not _damage_warnings(activity)
    fmt = ROWS[path]["format"]
    if fmt == "FIT" and expect.summary_matches:
        _check_fit_sessions(file, activities, expect.elapsed_from_clock)
    elif fmt == "TCX":
        _check_tcx_laps(file, activities[0])
    elif fmt == "GPX":
        _check_gpx_times(file, activities[0])


def _damage_warnings(activity) -> list[str]:
    words = ("truncated", "CRC", "undecodable", "damaged", "header")
    return [w for w in activity.warnings if any(k in w for k in words)]


# -- FIT: the session messages, read with plain fitparse --------------------------------------


def fit_sessions(file) -> list[dict]:
    """Session messages, each distinct one once, in start order (fitparse, no splitcheck)."""
    fit = fitparse.FitFile(io.BytesIO(file.read_bytes()), check_crc=False)
    out: list[dict] = []
    try:
        for message in fit.get_messages("session"):
            values = message.get_values()
            if values not in out:
                out.append(values)
    except fitparse.FitParseError:
        pass  # damaged files: the sessions before the damage are what the file says
    return sorted(out, key=lambda s: s["start_time"])


def _edge_intervals_s(activity) -> float:
    t = activity.samples.elapsed_s
    return float((t[1] - t[0]) + (t[-1] - t[-2]))


def _straddling_gaps_s(activities, i: int) -> float:
    """Recording gaps around activity i's ends: to the neighbouring leg's samples where
    there is one (a multisport boundary falls between two records), else the first and
    last intervals inside the activity."""
    act = activities[i]
    t = act.samples.elapsed_s
    start_gap = t[1] - t[0]
    end_gap = t[-1] - t[-2]
    if i > 0:
        start_gap = (act.start_utc - activities[i - 1].end_utc).total_seconds()
    if i + 1 < len(activities):
        end_gap = (activities[i + 1].start_utc - act.end_utc).total_seconds()
    return float(start_gap + end_gap)


def _straddling_distance_m(activities, i: int) -> float:
    """Distance the records cover across the gaps to the neighbouring legs (a multisport
    file's record distance runs on from leg to leg)."""
    gaps = 0.0
    d = activities[i].samples.distance_m
    if i > 0:
        gaps += max(d[0] - activities[i - 1].samples.distance_m[-1], 0.0)
    if i + 1 < len(activities):
        gaps += max(activities[i + 1].samples.distance_m[0] - d[-1], 0.0)
    return float(gaps)


def _check_fit_sessions(file, activities, elapsed_from_clock: bool = False) -> None:
    sessions = fit_sessions(file)
    assert len(sessions) == len(activities)
    for i, (activity, session) in enumerate(zip(activities, sessions, strict=True)):
        assert activity.sport == session["sport"]
        if session.get("num_laps") is not None:
            assert len(activity.laps) == session["num_laps"]
        edge_s = _straddling_gaps_s(activities, i)
        elapsed = session["total_elapsed_time"]
        if elapsed_from_clock:
            elapsed = (session["timestamp"] - session["start_time"]).total_seconds()
        assert abs(activity.elapsed_s - elapsed) <= TIME_TOL_S + edge_s
        assert abs(activity.timer_s - session["total_timer_time"]) <= TIME_TOL_S + edge_s
        total = session.get("total_distance")
        if total is not None:
            edge_m = max(total / elapsed * edge_s, _straddling_distance_m(activities, i))
            assert abs(activity.distance_m - total) <= DISTANCE_REL_TOL * total + edge_m


# -- TCX and GPX: totals and times read with ElementTree ------------------------------------

TCX_NS = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


def _check_tcx_laps(file, activity) -> None:
    text = file.read_text(encoding="utf-8")
    if "xmlns:xsi" not in text:  # malformed.tcx: its root (declaring xsi) is missing
        text = text.replace("<Activities>", '<Activities xmlns:xsi="urn:xsi">', 1)
    root = ET.fromstring(text)
    laps = root.findall(".//{*}Lap")
    distance = sum(float(lap.findtext("{*}DistanceMeters")) for lap in laps)
    timer = sum(float(lap.findtext("{*}TotalTimeSeconds")) for lap in laps)
    times = [_utc(t.text) for t in root.findall(".//{*}Trackpoint/{*}Time")]
    span = (max(times) - min(times)).total_seconds()
    assert activity.distance_m == pytest.approx(distance, rel=DISTANCE_REL_TOL)
    assert abs(activity.elapsed_s - span) <= TIME_TOL_S
    assert activity.elapsed_s >= timer - TIME_TOL_S - _edge_intervals_s(activity)


def _check_gpx_times(file, activity) -> None:
    root = ET.parse(file).getroot()
    times = [_utc(el.text) for el in root.iter() if el.tag.endswith("}time") and el.text]
    point_times = [
        _utc(t.text)
        for pt in root.iter()
        if pt.tag.endswith("}trkpt")
        for t in pt
        if t.tag.endswith("}time") and t.text
    ]
    assert times  # the file has times at all
    span = (max(point_times) - min(point_times)).total_seconds()
    assert abs(activity.elapsed_s - span) <= TIME_TOL_S
    assert activity.distance_m > 0


# -- one activity, three formats -----------------------------------------------------------


FORMATS = ("fit", "tcx", "gpx")


def test_heartandsole_fit_tcx_gpx_agree():
    """The same run exported as FIT, TCX and GPX gives the same distance and duration."""
    acts = {ext: splitcheck.read(REAL / f"heartandsole/testdata.{ext}") for ext in FORMATS}
    assert all(len(a) == 1 for a in acts.values())
    acts = {ext: a[0] for ext, a in acts.items()}
    reference = acts["fit"]
    for ext, activity in acts.items():
        assert activity.start_utc == reference.start_utc, ext
        assert abs(activity.elapsed_s - reference.elapsed_s) <= TIME_TOL_S, ext
        tolerance = max(GPS_DISTANCE_REL_TOL * reference.distance_m, GPS_DISTANCE_ABS_TOL_M)
        assert abs(activity.distance_m - reference.distance_m) <= tolerance, ext
    assert np.isclose(acts["tcx"].distance_m, reference.distance_m, rtol=DISTANCE_REL_TOL)
