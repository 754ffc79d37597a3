"""TCX reader: every real TCX against the laps and trackpoints it states, crafted files."""

from __future__ import annotations

import datetime as dt
import re
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REAL
from splitcheck.errors import (
    CorruptFileError,
    Damage,
    FileError,
    NotAnActivityError,
    NoTimedDataError,
)
from splitcheck.io.tcx import read_tcx
from splitcheck.io.xmlsafe import UNSAFE_XML_REASON, iso_to_unix_s

UTC = dt.UTC
GOOD_TCX = [
    "runpandas/run_garmin.tcx",
    "runpandas/stopped_example.tcx",
    "runpandas/2020-12-20T05_50_47-300_Running.tcx",
    "runpandas/2020-12-26T06_03_49-300_Running.tcx",
    "activityio/c2eb1b_2.tcx",
    "activityio/c2eb1b_6.tcx",
    "sweatpy/3173437224.tcx",
    "heartandsole/testdata.tcx",
]
LAP_HEAD = re.compile(
    r'<Lap[^>]*StartTime="([^"]+)"[^>]*>\s*<TotalTimeSeconds>([\d.]+)</TotalTimeSeconds>'
    r"\s*<DistanceMeters>([\d.]+)</DistanceMeters>"
)
"""A lap's own first values, in the schema's order (independent of the reader)."""


def read_real(rel: str):
    data = (REAL / rel).read_bytes()
    return read_tcx(data, rel), data.decode("utf-8")


def stated_points(text: str) -> list[tuple[str, str]]:
    """(time, heart rate or '') per trackpoint, the first of each time stamp, in order.

    Garmin repeats the boundary trackpoint at the start of the next lap with the same
    time; the reader keeps the first.
    """
    seen, out = set(), []
    for block in re.findall(r"<Trackpoint>(.*?)</Trackpoint>", text, re.S):
        stamp = re.search(r"<Time>([^<]+)</Time>", block).group(1)
        hr = re.search(r"<HeartRateBpm>\s*<Value>(\d+)</Value>", block)
        if stamp not in seen:
            seen.add(stamp)
            out.append((stamp, hr.group(1) if hr else ""))
    return sorted(out)


@pytest.mark.parametrize("rel", GOOD_TCX)
def test_laps_and_totals_match_what_the_file_states(rel):
    (act,), text = read_real(rel)
    stated = LAP_HEAD.findall(text)
    assert len(act.laps) == len(stated) > 0
    for lap, (_, timer, distance) in zip(act.laps, stated, strict=True):
        assert lap.distance_m == pytest.approx(float(distance))
        assert lap.timer_s == pytest.approx(float(timer))
    assert act.file_summary.distance_m == pytest.approx(sum(float(d) for *_, d in stated))
    # the activity's distance is the watch's cumulative DistanceMeters
    last = float(
        re.findall(
            r"<DistanceMeters>([\d.]+)</DistanceMeters>\s*(?:<Heart|<Ext|<Cad|</Track)", text
        )[-1]
    )
    assert act.distance_m == pytest.approx(last, abs=10)
    assert act.distance_m == pytest.approx(act.file_summary.distance_m, rel=0.01)
    # every trackpoint has a time in these files; repeated time stamps count once
    assert len(act.samples) == len(stated_points(text))
    assert act.elapsed_s == act.file_summary.elapsed_s
    assert act.sport == "running"
    assert act.source_format == "tcx"
    laps_end = [lap.end_s for lap in act.laps]
    assert laps_end[:-1] == [lap.start_s for lap in act.laps[1:]]  # contiguous
    assert all(0 <= lap.start_s <= lap.end_s <= act.elapsed_s for lap in act.laps)


@pytest.mark.parametrize("rel", GOOD_TCX)
def test_heart_rate_where_the_file_has_it(rel):
    (act,), text = read_real(rel)
    stated = np.array([float(hr) if hr else np.nan for _, hr in stated_points(text)])
    stated[stated == 0] = np.nan  # 0 bpm: strap not in contact
    assert np.array_equal(act.samples.heart_rate_bpm, stated, equal_nan=True)


def test_run_cadence_is_doubled_to_steps_per_minute():
    (act,), text = read_real("runpandas/run_garmin.tcx")
    raw = np.array(re.findall(r"<ns3:RunCadence>(\d+)<", text), dtype=float)
    assert len(raw) == len(act.samples)
    assert np.array_equal(act.samples.cadence_spm, 2 * raw)


def test_polar_cadence_element_is_per_leg_too():
    (act,), text = read_real("sweatpy/3173437224.tcx")
    raw = np.array(re.findall(r"<Trackpoint>.*?<Cadence>(\d+)<", text), dtype=float)
    assert np.array_equal(act.samples.cadence_spm, 2 * raw)
    assert act.device == "Polar M400"
    assert [round(lap.distance_m) for lap in act.laps] == [143, 4366]  # MANIFEST


def test_interval_session_laps():
    """MANIFEST: 783 m warm-up + 8x200 m (~58 s) with 200 m jog (~125 s) + cool-down."""
    (act,), _ = read_real("activityio/c2eb1b_6.tcx")
    assert act.device == "Garmin Forerunner 410"
    reps, jogs = act.laps[1:17:2], act.laps[2:17:2]
    assert len(reps) == len(jogs) == 8
    assert all(lap.distance_m == 200 for lap in reps + jogs)
    assert all(55 <= lap.timer_s <= 62 for lap in reps)
    assert all(115 <= lap.timer_s <= 135 for lap in jogs)
    assert {lap.trigger for lap in act.laps} == {"manual"}
    assert {lap.intensity for lap in act.laps} == {"active"}


def test_stopped_run_elapsed_longer_than_timer():
    (act,), _ = read_real("runpandas/stopped_example.tcx")
    assert act.device is None  # no Creator
    assert act.file_summary.elapsed_s - act.file_summary.timer_s > 300  # the long stop
    assert act.laps[1].distance_m == pytest.approx(2.9, abs=0.1)  # the 3 m / 2 s lap
    assert act.laps[1].timer_s == 2


def test_start_times_and_devices():
    (act,), _ = read_real("runpandas/2020-12-20T05_50_47-300_Running.tcx")
    assert act.start_utc == dt.datetime(2020, 12, 20, 8, 50, 48, tzinfo=UTC)  # 1st point
    assert len(act.laps) == 17
    (fr220,), _ = read_real("heartandsole/testdata.tcx")
    assert fr220.device == "Garmin Forerunner 220"


def test_malformed_tcx_without_its_root_reads_with_a_warning():
    """MANIFEST: the root element is missing, so ``xsi:type`` at line 4653 uses an
    undeclared prefix; 3 laps inside. Other readers take it; so does splitcheck, saying
    so. Cut in the middle of line 4653, with damage=RAISE, it is refused with the line."""
    (act,), _ = read_real("runpandas/malformed.tcx")
    assert len(act.laps) == 3
    assert act.warnings == ("namespace prefix xsi used without a declaration",)
    data = (REAL / "runpandas/malformed.tcx").read_bytes()
    cut = data[: data.index(b"xsi:type") + 3]
    with pytest.raises(CorruptFileError, match=r"not well-formed XML at line 4653, column \d+"):
        read_tcx(cut, "malformed.tcx", damage=Damage.RAISE)


def test_largest_tcx_reads_in_reasonable_time():
    data = (REAL / "sweatpy/3173437224.tcx").read_bytes()
    started = time.perf_counter()
    (act,) = read_tcx(data, "big.tcx")
    assert len(act.samples) == 3507
    assert time.perf_counter() - started < 2.0  # ~0.1-0.2 s; catches a per-point blow-up


# -- crafted files ----------------------------------------------------------------------
def tcx(activities: str, *, header: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>' + header + "<TrainingCenterDatabase"
        ' xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
        ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        f"<Activities>{activities}</Activities></TrainingCenterDatabase>"
    ).encode()


def trackpoint(second: int, *, distance: float | None, extra: str = "", zone: str = "Z") -> str:
    dist = f"<DistanceMeters>{distance}</DistanceMeters>" if distance is not None else ""
    return f"<Trackpoint><Time>2024-05-01T06:00:{second:02d}{zone}</Time>{dist}{extra}</Trackpoint>"


def lap(start: int, n: int, *, trigger="Manual", intensity="Active", extra="", speed=3.0) -> str:
    points = "".join(
        trackpoint(start + i, distance=(start + i) * speed, extra=extra) for i in range(n)
    )
    return (
        f'<Lap StartTime="2024-05-01T06:00:{start:02d}Z"><TotalTimeSeconds>{n}</TotalTimeSeconds>'
        f"<DistanceMeters>{n * speed}</DistanceMeters><Intensity>{intensity}</Intensity>"
        f"<TriggerMethod>{trigger}</TriggerMethod><Track>{points}</Track></Lap>"
    )


def activity(laps: str, sport="Running", creator="") -> str:
    name = f"<Creator><Name>{creator}</Name></Creator>" if creator else ""
    return f'<Activity Sport="{sport}"><Id>2024-05-01T06:00:00Z</Id>{laps}{name}</Activity>'


def test_treadmill_without_positions_keeps_the_device_distance():
    (act,) = read_tcx(tcx(activity(lap(0, 30), creator="FR 255")), "treadmill.tcx")
    assert not act.samples.has("lat_deg")
    assert act.distance_m == pytest.approx(87)  # 29 s at 3 m/s
    assert act.samples.speed_mps[15] == pytest.approx(3.0)
    assert act.device == "FR 255"


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [
        ("Manual", "manual"),
        ("Distance", "distance"),
        ("Location", "position"),
        ("Time", "time"),
        ("HeartRate", "unknown"),
    ],
)
def test_trigger_methods(trigger, expected):
    laps = lap(0, 10, trigger=trigger) + lap(10, 10, intensity="Resting")
    (act,) = read_tcx(tcx(activity(laps)), "t.tcx")
    assert act.laps[0].trigger == expected
    assert [lap.intensity for lap in act.laps] == ["active", "rest"]
    assert [(lap.start_s, lap.end_s) for lap in act.laps] == [(0, 10), (10, 19)]


def test_several_activities_give_several_sessions():
    body = activity(lap(0, 10)) + activity(lap(30, 10), sport="Biking")
    first, second = read_tcx(tcx(body), "two.tcx")
    assert (first.session_index, second.session_index) == (0, 1)
    assert (first.sport, second.sport) == ("running", "cycling")
    assert second.start_utc == dt.datetime(2024, 5, 1, 6, 0, 30, tzinfo=UTC)


def test_extensions_and_cadence_units_by_sport():
    ext = (
        "<HeartRateBpm><Value>151</Value></HeartRateBpm><Cadence>80</Cadence>"
        "<Extensions><ns3:TPX><ns3:Speed>3.5</ns3:Speed><ns3:Watts>260</ns3:Watts>"
        "</ns3:TPX></Extensions>"
    )
    run, bike = read_tcx(
        tcx(activity(lap(0, 10, extra=ext)) + activity(lap(20, 10, extra=ext), sport="Biking")),
        "ext.tcx",
    )
    assert np.all(run.samples.heart_rate_bpm == 151)
    assert np.all(run.samples.power_w == 260)
    assert np.all(run.samples.speed_mps == 3.5)  # the device's speed, not derived
    assert np.all(run.samples.cadence_spm == 160)  # per leg, doubled
    assert np.all(bike.samples.cadence_spm == 80)  # rpm stays rpm


def test_positions_give_lat_lon():
    pos = (
        "<Position><LatitudeDegrees>45.5</LatitudeDegrees>"
        "<LongitudeDegrees>7.25</LongitudeDegrees></Position><AltitudeMeters>300</AltitudeMeters>"
    )
    (act,) = read_tcx(tcx(activity(lap(0, 5, extra=pos))), "p.tcx")
    assert np.all(act.samples.lat_deg == 45.5)
    assert np.all(act.samples.lon_deg == 7.25)
    assert np.all(act.samples.altitude_m == 300)


def test_lap_totals_do_not_leak_into_trackpoints():
    """A lap's DistanceMeters/Cadence/AverageHeartRateBpm sit before its Track."""
    laps = lap(0, 5).replace(
        "<Intensity>",
        "<AverageHeartRateBpm><Value>199</Value></AverageHeartRateBpm>"
        "<Cadence>99</Cadence><Intensity>",
    )
    (act,) = read_tcx(tcx(activity(laps + lap(5, 5))), "l.tcx")
    assert not act.samples.has("heart_rate_bpm")
    assert not act.samples.has("cadence_spm")
    assert act.samples.distance_m[4] == 12  # 4 s at 3 m/s, not the lap's 15 m


def test_times_with_offsets_and_without_zone():
    points = (
        trackpoint(0, distance=0, zone="+02:00").replace("T06:", "T08:")
        + trackpoint(1, distance=3)
        + trackpoint(2, distance=6, zone="")
    )
    body = activity(f'<Lap StartTime="2024-05-01T06:00:00Z"><Track>{points}</Track></Lap>')
    (act,) = read_tcx(tcx(body), "tz.tcx")
    assert act.start_utc == dt.datetime(2024, 5, 1, 6, 0, 0, tzinfo=UTC)
    assert list(act.samples.elapsed_s) == [0, 1, 2]
    assert any("no time zone" in w for w in act.warnings)


def test_course_file_is_not_an_activity():
    data = tcx("").replace(b"<Activities></Activities>", b"<Courses><Course/></Courses>")
    with pytest.raises(NotAnActivityError, match="without activities"):
        read_tcx(data, "course.tcx")


def test_activity_without_trackpoints_has_no_timed_data():
    body = activity(
        '<Lap StartTime="2024-05-01T06:00:00Z"><TotalTimeSeconds>60</TotalTimeSeconds></Lap>'
    )
    with pytest.raises(NoTimedDataError, match="no trackpoints"):
        read_tcx(tcx(body), "manual.tcx")


def test_empty_activity_beside_a_good_one_is_skipped():
    body = activity("") + activity(lap(0, 10))
    (act,) = read_tcx(tcx(body), "mixed.tcx")
    assert len(act.samples) == 10


# -- safety -----------------------------------------------------------------------------
def test_xxe_is_refused(tmp_path):
    header = '<!DOCTYPE TrainingCenterDatabase [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    body = activity(lap(0, 5)).replace("<Id>", "<Notes>&x;</Notes><Id>")
    path = tmp_path / "xxe.tcx"
    path.write_bytes(tcx(body, header=header))
    with pytest.raises(FileError, match=re.escape(UNSAFE_XML_REASON)) as info:
        read_tcx(path.read_bytes(), path.name)
    assert "root:" not in str(info.value)


def test_billion_laughs_is_refused_quickly(tmp_path):
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    header = f"<!DOCTYPE TrainingCenterDatabase [{entities}]>"
    body = activity(lap(0, 5)).replace("<Id>", "<Notes>&a9;</Notes><Id>")
    path = tmp_path / "laughs.tcx"
    path.write_bytes(tcx(body, header=header))
    started = time.perf_counter()
    with pytest.raises(FileError, match="refused"):
        read_tcx(path.read_bytes(), path.name)
    assert time.perf_counter() - started < 1.0


# -- ISO times (xmlsafe.iso_to_unix_s, used for every TCX time) ---------------------------
@given(
    moment=st.datetimes(
        min_value=dt.datetime(1990, 1, 1),  # noqa: DTZ001 (naive bounds, as hypothesis wants)
        max_value=dt.datetime(2040, 1, 1),  # noqa: DTZ001
        timezones=st.none(),
    ),
    offset_min=st.integers(-12 * 4, 14 * 4).map(lambda q: q * 15),
    zulu=st.booleans(),
)
def test_iso_times_round_trip(moment, offset_min, zulu):
    zone = dt.timezone(dt.timedelta(minutes=0 if zulu else offset_min))
    aware = moment.replace(tzinfo=zone)
    text = aware.isoformat().replace("+00:00", "Z") if zulu else aware.isoformat()
    seconds, n_naive = iso_to_unix_s([text])
    assert seconds[0] == pytest.approx(aware.timestamp(), abs=1e-6)
    assert n_naive == 0


def test_iso_times_forms_missing_and_bad():
    base = dt.datetime(2020, 12, 20, 8, 50, 47, tzinfo=UTC).timestamp()
    texts = [
        "2020-12-20T08:50:47Z",
        "2020-12-20T08:50:47.250Z",
        "2020-12-20T05:50:47-0300",
        "2020-12-20T10:50:47+02",
        " 2020-12-20 08:50:47Z\n",
        "2020-12-20T08:50:47",  # no zone: UTC, counted
        "",
        "yesterday",
    ]
    seconds, n_naive = iso_to_unix_s(texts)
    assert list(seconds[:6] - base) == [0, 0.25, 0, 0, 0, 0]
    assert np.isnan(seconds[6:]).all()
    assert n_naive == 1


def test_iso_times_are_vectorised():
    texts = [
        f"2024-05-01T{h:02d}:{m:02d}:{s:02d}.000Z"
        for h in (6, 7)
        for m in range(60)
        for s in range(30)
    ]
    started = time.perf_counter()
    seconds, _ = iso_to_unix_s(texts)
    assert time.perf_counter() - started < 0.1  # ~3 ms for 3,600 times
    assert (np.diff(seconds) > 0).all()


def test_multisport_session_gives_one_activity_per_sport():
    body = (
        "<MultiSportSession><Id>2024-05-01T06:00:00Z</Id>"
        f"<FirstSport>{activity(lap(0, 10), sport='Biking')}</FirstSport>"
        f"<NextSport><Transition><TotalTimeSeconds>5</TotalTimeSeconds></Transition>"
        f"{activity(lap(20, 10))}</NextSport></MultiSportSession>"
    )
    bike, run = read_tcx(tcx(body), "brick.tcx")
    assert (bike.sport, run.sport) == ("cycling", "running")
    assert (bike.session_index, run.session_index) == (0, 1)
