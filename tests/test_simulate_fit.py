"""The FIT encoder against fitparse (an independent reader) and the FIT profile."""

from __future__ import annotations

import io
import struct

import fitparse
import numpy as np
import pytest
from fitparse.profile import MESSAGE_TYPES
from garmin_fit_sdk import Decoder, Stream

from splitcheck.simulate import fit_writer, simulate, workout

CONFIGS = [
    {"laps": "manual"},
    {"laps": "workout", "recording": "smart"},
    {"laps": "auto_km", "route": "road"},
    {"laps": "auto_mile", "route": "road", "recording": "smart"},
    {"laps": "none", "auto_pause": True},
    {"laps": "manual", "auto_pause": True, "recording": "smart", "gps_noise": False},
]


def _plan():
    return workout.repeats(
        3, 400, 230, recovery=60, recovery_mode="stand", warmup_s=180, cooldown_s=120
    )


def _read(data: bytes) -> dict[str, list[dict]]:
    fit = fitparse.FitFile(io.BytesIO(data), check_crc=True)
    out: dict[str, list[dict]] = {}
    for m in fit.get_messages():
        out.setdefault(m.name, []).append(m.get_values())
    return out


@pytest.fixture(scope="module", params=range(len(CONFIGS)), ids=lambda i: str(CONFIGS[i]))
def written(request):
    sim = simulate(_plan(), seed=11 + request.param, **CONFIGS[request.param])
    data = sim.fit_bytes()
    return sim, data, _read(data)


def test_crc_matches_the_crc16_arc_check_value():
    # CRC-16/ARC of "123456789" is 0xBB3D (the catalogue's check value; FIT uses this CRC)
    assert fit_writer.fit_crc(b"123456789") == 0xBB3D


def test_header_is_fourteen_bytes_with_its_own_crc(written):
    _, data, _ = written
    size, proto, profile, data_size, tag, crc = struct.unpack("<BBHI4sH", data[:14])
    assert (size, tag) == (14, b".FIT")
    assert data_size == len(data) - 16
    assert crc == fit_writer.fit_crc(data[:12])
    assert fit_writer.fit_crc(data) == 0  # a CRC appended little-endian zeroes the total


def test_a_flipped_byte_fails_fitparse_crc_check(written):
    _, data, _ = written
    bad = bytearray(data)
    bad[len(bad) // 2] ^= 0x01
    with pytest.raises(fitparse.FitParseError):
        _read(bytes(bad))


def test_message_kinds_and_counts(written):
    sim, _, msgs = written
    rec = sim.recording
    assert len(msgs["file_id"]) == 1 and msgs["file_id"][0]["type"] == "activity"
    assert len(msgs["record"]) == len(rec.time_s)
    assert len(msgs["lap"]) == len(rec.laps)
    assert len(msgs["session"]) == len(msgs["activity"]) == 1
    assert msgs["session"][0]["num_laps"] == len(rec.laps)
    timer = [e for e in msgs["event"] if e["event"] == "timer"]
    assert len(timer) == 2 + 2 * len(rec.pauses)  # start, stop_all, and one pair per pause
    assert [e["event_type"] for e in timer][0] == "start"
    assert timer[-1]["event_type"] == "stop_all"


def test_record_values_equal_what_was_written(written):
    sim, _, msgs = written
    rec = sim.recording
    r = msgs["record"]
    t0 = rec.start_utc.timestamp()
    t = np.array([m["timestamp"].replace(tzinfo=rec.start_utc.tzinfo).timestamp() for m in r])
    np.testing.assert_array_equal(t - t0, rec.time_s)
    lat = np.array([m["position_lat"] for m in r]) * fit_writer.FIT_SEMICIRCLE_DEG
    np.testing.assert_allclose(lat, rec.lat_deg, atol=1e-7)
    np.testing.assert_allclose([m["distance"] for m in r], rec.distance_m, atol=0.006)
    np.testing.assert_allclose([m["enhanced_speed"] for m in r], rec.speed_mps, atol=6e-4)
    np.testing.assert_allclose([m["enhanced_altitude"] for m in r], rec.altitude_m, atol=0.11)
    np.testing.assert_array_equal([m["heart_rate"] for m in r], rec.heart_rate_bpm)
    spm = np.array([(m["cadence"] + m["fractional_cadence"]) * 2 for m in r])
    np.testing.assert_allclose(spm, rec.cadence_spm, atol=0.02)


def test_laps_equal_what_was_written(written):
    sim, _, msgs = written
    for got, lap in zip(msgs["lap"], sim.recording.laps, strict=True):
        assert got["total_elapsed_time"] == pytest.approx(lap.end_s - lap.start_s, abs=1e-3)
        assert got["total_timer_time"] == pytest.approx(lap.timer_s, abs=1e-3)
        assert got["total_distance"] == pytest.approx(lap.distance_m, abs=0.006)
        assert got["lap_trigger"] == lap.trigger
        assert got["intensity"] == lap.intensity
    session = msgs["session"][0]
    assert session["total_distance"] == pytest.approx(sim.recording.distance_m[-1], abs=0.006)
    assert session["total_timer_time"] == pytest.approx(
        sum(lap.timer_s for lap in sim.recording.laps), abs=2e-3
    )


def test_fitparse_sees_no_unknown_fields(written):
    _, data, _ = written
    fit = fitparse.FitFile(io.BytesIO(data), check_crc=True)
    for m in fit.get_messages():
        assert not [f.name for f in m.fields if f.name.startswith("unknown")], m.name


def test_field_numbers_and_types_agree_with_the_fit_profile():
    by_num = {m.mesg_num: m for m in MESSAGE_TYPES.values()}
    for mdef in fit_writer.DEFS.values():
        profile = by_num[mdef.global_num]
        for name, num, base in mdef.fields:
            field = profile.fields[num]
            ftype = field.type
            base_name = ftype.base_type.name if hasattr(ftype, "base_type") else ftype.name
            assert (field.name, base_name) == (name, base), (mdef.global_num, num)


def test_invalid_values_become_fit_sentinels():
    arr = fit_writer.RECORD.encode(3, 2, {"heart_rate": [np.nan, 300], "distance": [-5, 12]})
    assert list(arr["heart_rate"]) == [0xFF, 0xFF]
    assert list(arr["distance"]) == [0xFFFFFFFF, 12]
    assert list(arr["timestamp"]) == [0xFFFFFFFF] * 2


def test_garmins_own_sdk_decodes_without_errors(written):
    """A second, independent reader: Garmin's FIT SDK checks the CRCs and every field."""
    sim, data, _ = written
    integrity = Decoder(Stream.from_byte_array(bytearray(data)))
    assert integrity.is_fit() and integrity.check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    assert len(messages["record_mesgs"]) == len(sim.recording.time_s)
    laps = messages["lap_mesgs"]
    assert [lap["lap_trigger"] for lap in laps] == [lap.trigger for lap in sim.recording.laps]
    distance = [m["distance"] for m in messages["record_mesgs"]]
    np.testing.assert_allclose(distance, sim.recording.distance_m, atol=0.006)
    assert messages["session_mesgs"][0]["sport"] == "running"


def test_the_fast_crc_used_for_files_equals_the_protocols_byte_loop():
    rng = np.random.default_rng(0)
    for n in (0, 1, 13, 1000, 4097):
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        assert fit_writer.crc16(data) == fit_writer.fit_crc(data)
