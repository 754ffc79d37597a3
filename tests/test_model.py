import datetime as dt

import numpy as np
import pytest

from splitcheck.model import Activity, Pause, Samples, moving_time_s


def _activity(t, d, pauses=()):
    return Activity(
        samples=Samples.from_columns(elapsed_s=t, distance_m=d),
        start_utc=dt.datetime(2024, 5, 1, 7, 0, tzinfo=dt.UTC),
        pauses=tuple(pauses),
    )


def test_missing_columns_are_nan_and_arrays_are_read_only():
    s = Samples.from_columns(elapsed_s=[0, 1, 2], heart_rate_bpm=[100, 101, 102])
    assert len(s) == 3
    assert np.isnan(s.lat_deg).all() and not s.has("lat_deg") and s.has("heart_rate_bpm")
    with pytest.raises(ValueError, match="read-only"):
        s.elapsed_s[0] = 5


def test_caller_array_is_copied_not_aliased():
    t = np.arange(3.0)
    s = Samples.from_columns(elapsed_s=t)
    t[0] = 99
    assert s.elapsed_s[0] == 0


def test_unknown_column_and_wrong_length_are_refused():
    with pytest.raises(ValueError, match="unknown sample columns"):
        Samples.from_columns(elapsed_s=[0, 1], pace=[1, 2])
    with pytest.raises(ValueError, match="expected 3"):
        Samples.from_columns(elapsed_s=[0, 1, 2], distance_m=[0, 1])


def test_naive_start_time_is_refused():
    with pytest.raises(ValueError, match="UTC"):
        Activity(samples=Samples.from_columns(elapsed_s=[0, 1]), start_utc=dt.datetime(2024, 1, 1))  # noqa: DTZ001


def test_totals_with_a_pause_and_a_standing_rest():
    # 0-100 s running at 4 m/s, 100-160 s standing (timer running), 160-200 s paused
    # (no samples), 200-300 s running again.
    t = np.concatenate([np.arange(0, 101), np.arange(101, 161), np.arange(200, 301)])
    d = np.concatenate([t[:101] * 4.0, np.full(60, 400.0), 400 + (np.arange(200, 301) - 200) * 4.0])
    a = _activity(t, d, [Pause(160, 200)])
    assert a.elapsed_s == 300
    assert a.timer_s == 260
    assert a.distance_m == pytest.approx(800)
    assert a.moving_s == pytest.approx(200)  # standing and paused time excluded
    assert a.average_speed_mps == pytest.approx(4.0)


def test_gap_without_timer_event_counts_when_the_runner_moved():
    # smart recording: a sample every 7 s while running steadily: all of it is moving
    t = np.arange(0, 701, 7.0)
    a = _activity(t, t * 3.0)
    assert a.moving_s == pytest.approx(700)
    assert a.pauses == ()


def test_hr_only_file_counts_timer_time_as_moving():
    s = Samples.from_columns(elapsed_s=np.arange(60.0), heart_rate_bpm=np.full(60, 120.0))
    assert moving_time_s(s) == pytest.approx(59)


def test_to_dict_and_dataframe_carry_units_and_utc():
    a = _activity(np.arange(0, 11.0), np.arange(0, 11.0) * 3)
    d = a.to_dict()
    assert d["start_utc"] == "2024-05-01T07:00:00Z"
    assert d["elapsed_s"] == 10 and d["distance_m"] == 30
    frame = a.to_dataframe()
    assert str(frame["time_utc"].dt.tz) == "UTC"
    assert list(frame.columns[:3]) == ["time_utc", "elapsed_s", "distance_m"]
