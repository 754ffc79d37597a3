"""The FIT reader: decoding with fitparse (damage, chained files) and messages to activities.

Unit tests build FitMessages by hand (values computed here, by hand) or damage real files
byte by byte; one test per deliberately broken file in the MANIFEST checks what the
MANIFEST says about it.
"""

from __future__ import annotations

import datetime as dt
import io
import struct

import fitparse
import numpy as np
import pytest
from fitparse.records import Crc

import splitcheck
from conftest import REAL
from splitcheck.errors import (
    CorruptFileError,
    Damage,
    FileError,
    NotAnActivityError,
    NoTimedDataError,
)
from splitcheck.io.fit import activities_from_messages, read_fit
from splitcheck.io.fit_decode import decode_fitparse
from splitcheck.io.fit_device import device_name
from splitcheck.io.fit_messages import FitMessages
from splitcheck.units import FIT_EPOCH_UNIX_S

FITPARSE = REAL / "python-fitparse"
T0 = 1_000_000_000.0
"""A FIT time (2021-09-09): records in these tests start here."""
FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
SEMI_90_DEG = 2.0**30
"""90 degrees in FIT semicircles (2^31 semicircles = 180 degrees)."""


def messages(n: int = 10, *, sessions=None, **overrides) -> FitMessages:
    """A one-session running file with n 1 s records at 3 m/s; fields overridable."""
    t = T0 + np.arange(n, dtype=float)
    records = {"timestamp": t, "distance": 3.0 * np.arange(n, dtype=float)}
    records |= {k: np.asarray(v, dtype=float) for k, v in overrides.pop("records", {}).items()}
    session = {
        "start_time": T0,
        "total_elapsed_time": float(n - 1),
        "total_timer_time": float(n - 1),
        "total_distance": 3.0 * (n - 1),
        "sport": "running",
        "sub_sport": "generic",
    }
    msgs = FitMessages(
        records=records,
        sessions=[session] if sessions is None else sessions,
        file_ids=[{"type": "activity", "manufacturer": "garmin", "garmin_product": "fr920xt"}],
        files=1,
    )
    for key, value in overrides.items():
        setattr(msgs, key, value)
    return msgs


def only(activities):
    assert len(activities) == 1
    return activities[0]


# -- messages to activities ------------------------------------------------------------------


def test_times_are_utc_from_the_fit_epoch():
    act = only(activities_from_messages(messages(), "x.fit"))
    assert act.start_utc == dt.datetime.fromtimestamp(T0 + FIT_EPOCH_UNIX_S, tz=dt.UTC)
    assert act.elapsed_s == 9.0
    assert act.distance_m == 27.0
    assert act.file_summary.distance_m == 27.0 and act.file_summary.elapsed_s == 9.0


def test_enhanced_fields_win_sample_by_sample():
    nan = np.nan
    recs = {
        "speed": [1.0, 1.0, 1.0],
        "enhanced_speed": [2.0, nan, 2.0],
        "altitude": [10.0, 10.0, 10.0],
        "enhanced_altitude": [nan, 500.0, 500.0],
    }
    act = only(activities_from_messages(messages(3, records=recs), "x.fit"))
    np.testing.assert_array_equal(act.samples.speed_mps, [2.0, 1.0, 2.0])
    np.testing.assert_array_equal(act.samples.altitude_m, [10.0, 500.0, 500.0])


def test_semicircles_become_degrees():
    recs = {"position_lat": [SEMI_90_DEG / 2] * 3, "position_long": [-SEMI_90_DEG] * 3}
    act = only(activities_from_messages(messages(3, records=recs), "x.fit"))
    np.testing.assert_allclose(act.samples.lat_deg, 45.0)
    np.testing.assert_allclose(act.samples.lon_deg, -90.0)


@pytest.mark.parametrize(("sport", "expected"), [("running", 161.0), ("cycling", 80.5)])
def test_running_cadence_counts_both_feet(sport, expected):
    recs = {"cadence": [80.0] * 3, "fractional_cadence": [0.5] * 3}
    msgs = messages(3, records=recs)
    msgs.sessions[0]["sport"] = sport
    act = only(activities_from_messages(msgs, "x.fit"))
    np.testing.assert_array_equal(act.samples.cadence_spm, expected)


def test_timer_stop_and_start_make_pauses():
    events = [
        {"timestamp": T0, "event": "timer", "event_type": "start"},
        {"timestamp": T0 + 20, "event": "timer", "event_type": "stop_all"},
        {"timestamp": T0 + 21, "event": "timer", "event_type": "stop_all"},  # repeated stop
        {"timestamp": T0 + 50, "event": "timer", "event_type": "start"},
        {"timestamp": T0 + 60, "event": "lap", "event_type": "stop"},  # not the timer
        {"timestamp": T0 + 99, "event": "timer", "event_type": "stop_all"},  # the end
    ]
    act = only(activities_from_messages(messages(100, events=events), "x.fit"))
    assert [(p.start_s, p.end_s) for p in act.pauses] == [(20.0, 50.0)]
    assert act.timer_s == 99.0 - 30.0


def test_laps_keep_times_triggers_intensity_and_workout_step():
    laps = [
        {
            "start_time": T0,
            "total_elapsed_time": 4.5,
            "total_timer_time": 4.0,
            "total_distance": 12.0,
            "lap_trigger": "position_lap",
            "intensity": "warmup",
            "wkt_step_index": 2.0,
        },
        {"start_time": T0 + 4.5, "timestamp": T0 + 9, "lap_trigger": 99},
    ]
    act = only(activities_from_messages(messages(laps=laps), "x.fit"))
    first, second = act.laps
    assert (first.start_s, first.end_s, first.timer_s, first.distance_m) == (0.0, 4.5, 4.0, 12.0)
    assert (first.trigger, first.intensity, first.workout_step) == ("position", "warmup", 2)
    assert (second.start_s, second.end_s, second.trigger) == (4.5, 9.0, "unknown")
    assert second.intensity is None and np.isnan(second.distance_m)


def test_multisport_file_gives_one_activity_per_session():
    n = 30
    recs = {"distance": np.r_[np.arange(10) * 1.0, 100 + np.arange(20) * 5.0]}
    sessions = [
        {"start_time": T0 + 10, "total_elapsed_time": 19.0, "sport": "cycling"},
        {"start_time": T0, "total_elapsed_time": 10.0, "sport": "running"},  # out of order
    ]
    laps = [
        {"start_time": T0, "total_elapsed_time": 10.0},
        {"start_time": T0 + 10, "total_elapsed_time": 19.0},
    ]
    msgs = messages(n, sessions=sessions, laps=laps, records=recs)
    run, ride = activities_from_messages(msgs, "x.fit")
    assert (run.sport, run.session_index, len(run.samples)) == ("running", 0, 10)
    assert (ride.sport, ride.session_index, len(ride.samples)) == ("cycling", 1, 20)
    assert run.distance_m == 9.0 and ride.distance_m == 95.0
    assert ride.start_utc - run.start_utc == dt.timedelta(seconds=10)
    assert [lap.end_s for lap in run.laps] == [10.0]
    assert [lap.end_s for lap in ride.laps] == [19.0]
    assert ride.file_summary.elapsed_s == 19.0


def test_a_session_repeated_verbatim_is_read_once():
    msgs = messages()
    msgs.sessions = [dict(msgs.sessions[0]), dict(msgs.sessions[0])]
    act = only(activities_from_messages(msgs, "x.fit"))
    assert any("same session" in w for w in act.warnings)


def test_relative_times_give_no_start_date():
    msgs = messages()
    msgs.records["timestamp"] = 17_000_000.0 + np.arange(10)
    msgs.sessions[0]["start_time"] = 17_000_000.0
    act = only(activities_from_messages(msgs, "x.fit"))
    assert act.start_utc is None and act.elapsed_s == 9.0
    assert any("relative" in w for w in act.warnings)


def test_records_far_outside_the_session_are_dropped():
    msgs = messages()
    msgs.records["timestamp"][-1] = 3_000_000_000.0  # a misread last record
    act = only(activities_from_messages(msgs, "x.fit"))
    assert act.elapsed_s == 8.0
    assert any("outside the file's sessions" in w for w in act.warnings)


def test_records_at_one_time_merge_into_one_sample():
    """Strava writes a position record and a distance record for each second."""
    nan = np.nan
    t = T0 + np.array([0.0, 0.0, 1.0, 1.0, 2.0, 2.0])
    recs = {
        "timestamp": t,
        "distance": [nan, 0.0, nan, 3.0, nan, 6.0],
        "position_lat": [1.0, nan, 2.0, nan, 3.0, nan],
    }
    msgs = messages(6, records=recs)
    msgs.sessions[0]["total_elapsed_time"] = 2.0
    act = only(activities_from_messages(msgs, "x.fit"))
    np.testing.assert_array_equal(act.samples.distance_m, [0.0, 3.0, 6.0])
    assert np.isfinite(act.samples.lat_deg).all()


def test_file_without_session_is_one_activity_with_a_warning():
    msgs = messages(sessions=[], sports=[{"sport": "cycling", "sub_sport": None}])
    act = only(activities_from_messages(msgs, "x.fit"))
    assert act.sport == "cycling" and act.file_summary is None
    assert any("no session summary" in w for w in act.warnings)


@pytest.mark.parametrize(
    ("file_type", "words"),
    [
        ("workout", "a FIT workout file, not an activity"),
        ("monitoring_b", "a FIT monitoring file, not an activity"),
        ("course", "a FIT course file, not an activity"),
        (42, "a FIT file of type 42, not an activity"),
    ],
)
def test_non_activity_files_are_refused(file_type, words):
    msgs = messages()
    msgs.file_ids[0]["type"] = file_type
    with pytest.raises(NotAnActivityError) as caught:
        activities_from_messages(msgs, "x.fit")
    assert str(caught.value) == f"x.fit: {words}"


def test_no_records_is_not_an_activity_unless_damaged():
    with pytest.raises(NotAnActivityError, match="without records"):
        activities_from_messages(messages(0, sessions=[]), "x.fit")
    damaged = messages(0, sessions=[], damaged=True, warnings=["truncated at byte 40"])
    with pytest.raises(CorruptFileError, match="truncated at byte 40"):
        activities_from_messages(damaged, "x.fit")


def test_records_without_times_are_refused():
    msgs = messages()
    msgs.records["timestamp"] = np.full(10, np.nan)
    with pytest.raises(NoTimedDataError, match="none of the 10 records has a time stamp"):
        activities_from_messages(msgs, "x.fit")


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"manufacturer": "garmin", "garmin_product": "fr920xt"}, "Garmin Forerunner 920XT"),
        ({"manufacturer": "garmin", "garmin_product": "fenix5"}, "Garmin fenix 5"),
        ({"manufacturer": "garmin", "garmin_product": "vivo_active_hr"}, "Garmin vivoactive HR"),
        ({"manufacturer": "garmin", "garmin_product": 3992}, "Garmin Forerunner 255"),
        ({"manufacturer": "sigmasport", "product": 46.0}, "Sigma Sport (product 46)"),
        ({"manufacturer": "polar", "product_name": "Polar Vantage V"}, "Polar Polar Vantage V"),
        ({"manufacturer": 999}, None),
    ],
)
def test_device_names(fields, name):
    assert device_name(FitMessages(file_ids=[fields])) == name


def test_device_falls_back_to_the_creator_device_info():
    creator = {"device_index": "creator", "manufacturer": "garmin", "garmin_product": "fr70"}
    msgs = FitMessages(file_ids=[{"type": "activity"}], device_infos=[creator])
    assert device_name(msgs) == "Garmin Forerunner 70"


# -- decoding ---------------------------------------------------------------------------------


def test_decoded_times_are_raw_fit_seconds():
    data = (FITPARSE / "Activity.fit").read_bytes()
    msgs = decode_fitparse(data, "Activity.fit")
    plain = fitparse.FitFile(io.BytesIO(data))
    expected = [
        (m.get_value("timestamp").replace(tzinfo=dt.UTC) - FIT_EPOCH).total_seconds()
        for m in plain.get_messages("record")
    ]
    np.testing.assert_array_equal(msgs.records["timestamp"], expected)
    assert (msgs.files, msgs.damaged, msgs.warnings) == (1, False, [])
    assert isinstance(msgs.sessions[0]["start_time"], float)


def test_decoding_is_deterministic_and_leaves_no_developer_types_behind():
    data = (FITPARSE / "developer-types-sample.fit").read_bytes()
    first, second = decode_fitparse(data, "a"), decode_fitparse(data, "a")
    assert list(first.records) == list(second.records)
    for name in first.records:
        np.testing.assert_array_equal(first.records[name], second.records[name])
    assert first.laps == second.laps and first.events == second.events
    assert fitparse.records.DEV_TYPES == {}


def test_developer_fields_are_tolerated_and_left_out():
    msgs = decode_fitparse((FITPARSE / "developer-types-sample.fit").read_bytes(), "dev.fit")
    profile = {f.name for f in fitparse.profile.MESSAGE_TYPES[20].fields.values()}
    assert not msgs.damaged
    assert msgs.record_count == 3424
    assert set(msgs.records) <= profile | {"timestamp"}


def test_unknown_enum_values_stay_ints():
    msgs = decode_fitparse((FITPARSE / "sample_mulitple_header.fit").read_bytes(), "x")
    kinds = {type(e["event"]) for e in msgs.events}
    assert kinds == {str, int}


def test_compressed_timestamps_and_speed_distance_are_resolved():
    msgs = decode_fitparse((FITPARSE / "compressed-speed-distance.fit").read_bytes(), "x")
    t = msgs.records["timestamp"]
    assert np.isfinite(t).all() and (np.diff(t) >= 0).all()
    assert t.max() < 0x10000000  # relative times, as the MANIFEST says
    assert np.nanmax(msgs.records["distance"]) == pytest.approx(10248.67, abs=0.5)


def test_chained_files_are_all_read():
    msgs = decode_fitparse((FITPARSE / "sample_mulitple_header.fit").read_bytes(), "x")
    assert (msgs.files, len(msgs.sessions), msgs.damaged) == (4, 5, False)


@pytest.mark.parametrize("cut", range(14, 771, 23))
def test_truncation_anywhere_keeps_what_came_before(cut):
    data = (FITPARSE / "Activity.fit").read_bytes()
    whole = decode_fitparse(data, "x").records["timestamp"]
    msgs = decode_fitparse(data[:cut], "x")
    assert msgs.damaged and len(msgs.warnings) == 1
    kept = msgs.records.get("timestamp", np.array([]))
    np.testing.assert_array_equal(kept, whole[: len(kept)])
    assert f"(salvaged {len(kept)} records)" in msgs.warnings[0]


def test_bad_header_crc_is_read_with_a_warning():
    data = bytearray((FITPARSE / "garmin-fenix-5-run.fit").read_bytes())
    data[12] ^= 0xFF
    msgs = decode_fitparse(bytes(data), "x")
    assert msgs.damaged and msgs.record_count == 21
    assert "header CRC" in msgs.warnings[0]


def test_trailing_garbage_is_damage_after_the_data():
    data = (FITPARSE / "Activity.fit").read_bytes() + b"\x00" * 40
    msgs = decode_fitparse(data, "x")
    assert msgs.record_count == 14 and msgs.damaged
    assert msgs.warnings == [
        "no FIT header at byte 771 (a chained file's header is damaged); "
        "ignored the last 40 bytes (salvaged 14 records)"
    ]


def test_chaining_a_file_by_hand_reads_both():
    one = (FITPARSE / "Activity.fit").read_bytes()
    msgs = decode_fitparse(one + one, "x")
    assert (msgs.files, msgs.record_count, msgs.damaged) == (2, 28, False)


def test_recomputed_crc_confirms_the_crc_check():
    """Fix the CRC of activity-filecrc.fit: it then decodes without damage."""
    data = bytearray((FITPARSE / "activity-filecrc.fit").read_bytes())
    struct.pack_into("<H", data, len(data) - 2, Crc.calculate(bytes(data[:-2])))
    assert not decode_fitparse(bytes(data), "x").damaged


# -- read_fit and the damage policy -----------------------------------------------------------


def test_damage_raise_refuses_damaged_files():
    data = (FITPARSE / "activity-unexpected-eof.fit").read_bytes()
    with pytest.raises(CorruptFileError, match="truncated at byte 751"):
        read_fit(data, "eof.fit", damage=Damage.RAISE)
    assert read_fit((FITPARSE / "Activity.fit").read_bytes(), "ok.fit", damage=Damage.RAISE)


def test_nothing_before_the_damage_is_corrupt():
    data = (FITPARSE / "Activity.fit").read_bytes()[:40]
    with pytest.raises(CorruptFileError) as caught:
        read_fit(data, "cut.fit")
    assert str(caught.value).startswith("cut.fit: damaged before any record could be read")


# -- the MANIFEST's broken files, one test each ------------------------------------------------


def reference_activity():
    return only(splitcheck.read(FITPARSE / "Activity.fit"))


def test_activity_unexpected_eof():
    """Activity.fit minus the last bytes: all 14 records are before the cut."""
    act = only(splitcheck.read(FITPARSE / "activity-unexpected-eof.fit"))
    ref = reference_activity()
    assert len(act.samples) == len(ref.samples) == 14
    assert act.distance_m == ref.distance_m
    assert act.warnings == ("truncated at byte 751 (salvaged 14 records)",)


def test_activity_settings_corruptheader():
    """Chained; the first file is intact, the second's header is damaged."""
    act = only(splitcheck.read(FITPARSE / "activity-settings-corruptheader.fit"))
    assert len(act.samples) == 14 and act.distance_m == reference_activity().distance_m
    assert act.warnings[0].startswith("no FIT header at byte 771")


def test_activity_filecrc():
    """The file CRC does not match; the data is intact."""
    act = only(splitcheck.read(FITPARSE / "activity-filecrc.fit"))
    np.testing.assert_array_equal(act.samples.distance_m, reference_activity().samples.distance_m)
    assert act.warnings == ("file CRC does not match (data kept; values may be wrong)",)


def test_activity_activity_filecrc():
    """Two copies of one activity chained (the second with a bad CRC): read once."""
    act = only(splitcheck.read(FITPARSE / "activity-activity-filecrc.fit"))
    assert len(act.samples) == 14 and len(act.laps) == 1
    assert "file CRC does not match (data kept; values may be wrong)" in act.warnings


def test_activity_settings_nodata():
    """Chained; the second file's header is there but its data is cut off."""
    act = only(splitcheck.read(FITPARSE / "activity-settings-nodata.fit"))
    assert len(act.samples) == 14
    assert act.warnings == ("truncated at byte 783 (salvaged 14 records)",)


def test_strava_android_app_stops_at_byte_7471():
    """Decoding fails at byte 7471 ('local message 11 not defined'); ~237 GPS records."""
    act = only(splitcheck.read(FITPARSE / "strava-android-app-201.10-b1218918.fit"))
    assert act.warnings[0].startswith("undecodable data at byte 7471")
    with_gps = int(np.isfinite(act.samples.lat_deg).sum())
    assert 230 <= with_gps <= 240
    assert act.distance_m < act.file_summary.distance_m / 10  # 11.3 km run, first part only


def test_nick_unterminated_without_session():
    """No CRC, EOF mid-record, no session: 14,391 records of a ~113 km ride."""
    act = only(splitcheck.read(FITPARSE / "nick.fit"))
    assert act.sport == "cycling" and act.device == "Sigma Sport (product 46)"
    assert 112_000 < act.distance_m < 114_500
    assert act.warnings[0].startswith("truncated at byte")
    assert "(salvaged 14391 records)" in act.warnings[0]
    assert "no session summary" in act.warnings[1]


@pytest.mark.parametrize(
    ("name", "kind"), [("MonitoringFile.fit", "monitoring"), ("WorkoutRepeatSteps.fit", "workout")]
)
def test_non_activity_files(name, kind):
    with pytest.raises(NotAnActivityError) as caught:
        splitcheck.read(FITPARSE / name)
    assert str(caught.value) == f"{FITPARSE / name}: a FIT {kind} file, not an activity"


def test_mornindew_named_broken_decodes_cleanly():
    act = only(splitcheck.read(REAL / "tormoder-fit" / "mornindew-broken.fit"))
    assert act.warnings == ()
    assert act.device == "Garmin Forerunner 920XT"
    assert len(act.laps) == 11


def test_random_damage_gives_activities_or_file_errors_only():
    """Bytes flipped anywhere: the reader salvages or refuses, it never crashes."""
    rng = np.random.default_rng(7)
    sources = [FITPARSE / "Activity.fit", REAL / "heartandsole" / "testdata.fit"]
    for i in range(150):
        data = bytearray(sources[i % 2].read_bytes())
        for pos in rng.integers(0, len(data), size=rng.integers(1, 20)):
            data[pos] = int(rng.integers(0, 256))
        try:
            activities = read_fit(bytes(data), "fuzz.fit")
        except FileError as err:
            assert str(err).startswith("fuzz.fit: ") and "\n" not in str(err)
        else:
            assert all(len(a.samples) >= 2 for a in activities)


def test_a_development_build_with_a_bare_product_number_names_no_device():
    from splitcheck.io.fit_device import _device_from

    assert _device_from({"manufacturer": "development", "product": 1}) is None
    assert _device_from({"manufacturer": "sigmasport", "product": 46}) == "Sigma Sport (product 46)"
