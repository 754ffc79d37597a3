"""The fast FIT decoder against fitparse (the reference), and against hand-computed values.

Every real FIT file and every simulated one must decode to exactly what fitparse gives
(every record column, every lap/session/event/device field, types included), or be left
to fitparse: the fast path declines exactly the files fitparse finds damaged. Features no
real file has (big-endian records, compressed-time rollover, chained files, developer
fields, accumulated distance past 12 bits) are checked on files built here byte by byte,
with the expected values computed by hand.
"""

from __future__ import annotations

import math
import struct
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from fitparse.records import Crc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REAL, SAMPLES, manifest
from splitcheck.errors import CorruptFileError, Damage
from splitcheck.io import fit as fit_reader
from splitcheck.io.fit import read_fit
from splitcheck.io.fit_decode import decode_fitparse
from splitcheck.io.fit_fast import decode_fast
from splitcheck.io.fit_fast_crc import crc16
from splitcheck.io.fit_messages import FitMessages

REAL_FIT = sorted(row["path"] for row in manifest() if row["format"] == "FIT")
SAMPLE_FIT = sorted(p.name for p in SAMPLES.glob("*.fit"))
LISTS = ("laps", "sessions", "events", "file_ids", "device_infos", "activities", "sports")
T0 = 1_000_000_007
"""A FIT time (2021-09-09) whose low 5 bits are 7, so compressed offsets roll over soon."""

# FIT base types (FIT protocol, base type table)
ENUM, UINT8, UINT16, SINT32, UINT32, BYTE, STRING = 0x00, 0x02, 0x84, 0x85, 0x86, 0x0D, 0x07
RECORD, EVENT, FILE_ID, DEV_DATA_ID, FIELD_DESCRIPTION = 20, 21, 0, 207, 206


@cache
def reference(path: Path) -> FitMessages:
    """fitparse's decoding of a file, once per test session (it is slow)."""
    return decode_fitparse(path.read_bytes(), path.name)


def same_value(a, b) -> bool:
    """Equal with the same type (1.0 is not 1, True is not 1), NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def assert_identical(fast: FitMessages, ref: FitMessages) -> None:
    assert list(fast.records) == list(ref.records)
    for name, column in ref.records.items():
        assert fast.records[name].dtype == column.dtype, name
        np.testing.assert_array_equal(fast.records[name], column, err_msg=name)
    for attr in LISTS:
        got, want = getattr(fast, attr), getattr(ref, attr)
        assert len(got) == len(want), attr
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert g.keys() == w.keys(), f"{attr}[{i}]"
            bad = {k: (g[k], w[k]) for k in w if not same_value(g[k], w[k])}
            assert not bad, f"{attr}[{i}]: {bad}"
    assert (fast.files, fast.damaged, fast.warnings) == (ref.files, ref.damaged, ref.warnings)


# -- real and simulated files -------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_FIT)
def test_real_files_decode_as_fitparse_does_or_go_to_fitparse(real, name):
    """The fast path takes every file fitparse reads cleanly, and only those."""
    path = real / name
    fast = decode_fast(path.read_bytes(), name)
    ref = reference(path)
    crc_only = ref.damaged and all("CRC" in w for w in ref.warnings)
    if ref.damaged and not crc_only:
        assert fast is None
    else:  # a CRC that does not match is only a warning, in both decoders
        assert fast is not None
        assert_identical(fast, ref)


def test_most_real_files_take_the_fast_path(real):
    fast = [n for n in REAL_FIT if decode_fast((real / n).read_bytes(), n) is not None]
    damaged = [
        n
        for n in REAL_FIT
        if (ref := reference(real / n)).damaged and not all("CRC" in w for w in ref.warnings)
    ]
    assert len(fast) + len(damaged) == len(REAL_FIT)
    assert len(fast) >= 2 * len(damaged)


@pytest.mark.parametrize("name", SAMPLE_FIT)
def test_simulated_sample_files_decode_as_fitparse_does(name):
    path = SAMPLES / name
    assert_identical(decode_fast(path.read_bytes(), name), reference(path))


@pytest.mark.parametrize(
    "options",
    [
        {"recording": "smart", "laps": "auto_km"},
        {"auto_pause": True, "laps": "workout", "route": "road"},
        {"gps_noise": False, "laps": "auto_mile"},
    ],
)
def test_simulated_runs_decode_as_fitparse_does(options):
    from splitcheck.simulate import simulate, workout

    plan = workout.repeats(4, 400, 90, recovery=200, recovery_mode="distance")
    data = simulate(plan, seed=3, **options).fit_bytes()
    fast = decode_fast(data, "sim.fit")
    assert fast is not None
    assert_identical(fast, decode_fitparse(data, "sim.fit"))


def test_the_reader_gives_the_same_activities_either_way(real, monkeypatch):
    data = (real / "run-stats/6761214480_ACTIVITY.fit").read_bytes()
    fast = read_fit(data, "x.fit")
    monkeypatch.setattr("splitcheck.io.fit_fast.decode_fast", lambda data, source: None)
    slow = read_fit(data, "x.fit")
    assert [repr(a.laps) for a in fast] == [repr(a.laps) for a in slow]
    np.testing.assert_array_equal(fast[0].samples.distance_m, slow[0].samples.distance_m)
    assert fast[0].start_utc == slow[0].start_utc and fast[0].warnings == slow[0].warnings


def test_damaged_files_are_salvaged_by_fitparse(real):
    data = (real / "python-fitparse/activity-unexpected-eof.fit").read_bytes()
    assert decode_fast(data, "x") is None
    assert "truncated at byte" in fit_reader._decode(data, "x").warnings[0]
    data = (real / "python-fitparse/activity-filecrc.fit").read_bytes()  # CRC only
    assert "file CRC does not match" in fit_reader._decode(data, "x").warnings[0]


# -- files built byte by byte --------------------------------------------------------------


def definition(local: int, mesg: int, fields, *, big: bool = False, dev=()) -> bytes:
    """A definition message; ``fields`` and ``dev`` are (number, size, type/index) triples."""
    head = bytes([0x40 | local | (0x20 if dev else 0), 0, int(big)])
    body = struct.pack(">H" if big else "<H", mesg) + bytes([len(fields)])
    body += b"".join(bytes(f) for f in fields)
    if dev:
        body += bytes([len(dev)]) + b"".join(bytes(d) for d in dev)
    return head + body


def message(local: int, fmt: str, *values, big: bool = False, offset: int | None = None):
    """A data message; with ``offset`` a compressed-timestamp header (local 0-3)."""
    head = local if offset is None else 0x80 | local << 5 | offset
    return bytes([head]) + struct.pack((">" if big else "<") + fmt, *values)


def fit_file(body: bytes, *, header_crc: bool = True, header_size: int = 14) -> bytes:
    header = struct.pack("<BBHI4s", header_size, 0x20, 2140, len(body), b".FIT")
    if header_size == 14:
        header += struct.pack("<H", Crc.calculate(header) if header_crc else 0)
    return header + body + struct.pack("<H", Crc.calculate(header + body))


def both(data: bytes) -> FitMessages:
    """Decode with both decoders, check they agree, return the result."""
    fast = decode_fast(data, "built.fit")
    assert fast is not None
    assert_identical(fast, decode_fitparse(data, "built.fit"))
    return fast


RECORD_FIELDS = [(253, 4, UINT32), (0, 4, SINT32), (3, 1, UINT8), (5, 4, UINT32)]
RECORD_FIELDS += [(6, 2, UINT16), (2, 2, UINT16)]


@pytest.mark.parametrize("big", [False, True])
def test_record_values_scale_offset_and_invalid(big):
    body = definition(0, RECORD, RECORD_FIELDS, big=big)
    body += message(0, "IiBIHH", T0, 2**30, 150, 123456, 3500, 2600, big=big)
    body += message(0, "IiBIHH", T0 + 1, 0x7FFFFFFF, 0xFF, 0xFFFFFFFF, 0xFFFF, 0xFFFF, big=big)
    rec = both(fit_file(body)).records
    np.testing.assert_array_equal(rec["timestamp"], [T0, T0 + 1])
    np.testing.assert_array_equal(rec["position_lat"], [2**30, np.nan])
    np.testing.assert_array_equal(rec["heart_rate"], [150, np.nan])
    np.testing.assert_array_equal(rec["distance"], [1234.56, np.nan])
    np.testing.assert_array_equal(rec["speed"], [3.5, np.nan])
    np.testing.assert_array_equal(rec["enhanced_speed"], [3.5, np.nan])  # component of speed
    np.testing.assert_array_equal(rec["altitude"], [2600 / 5 - 500, np.nan])


def test_compressed_timestamps_roll_over_every_32_seconds():
    true_times = T0 + np.cumsum([0, 9, 9, 9, 9, 31, 1, 20, 20])
    body = definition(0, RECORD, [(253, 4, UINT32), (3, 1, UINT8)])
    body += definition(1, RECORD, [(3, 1, UINT8)])
    body += definition(2, EVENT, [(253, 4, UINT32), (0, 1, ENUM), (1, 1, ENUM)])
    body += message(0, "IB", int(true_times[0]), 100)
    for t in true_times[1:6]:
        body += message(1, "B", 101, offset=int(t) & 31)
    reset = int(true_times[5]) + 100  # an event's full time stamp resets the accumulator
    body += message(2, "IBB", reset, 0, 4)
    for t in (reset + 3, reset + 40):
        body += message(1, "B", 102, offset=t & 31)
    rec = both(fit_file(body)).records
    # A 37 s gap is read as 5 s: the offset only spans 32 s (as in fitparse and the SDK).
    want = [*true_times[:6], reset + 3, reset + 8]
    np.testing.assert_array_equal(rec["timestamp"], want)


def test_chained_files_restart_definitions_and_time():
    first = definition(0, RECORD, [(253, 4, UINT32), (3, 1, UINT8)]) + message(0, "IB", T0, 90)
    second = definition(3, RECORD, [(3, 1, UINT8)])
    second += message(3, "B", 91, offset=5) + message(3, "B", 92, offset=6)
    msgs = both(fit_file(first) + fit_file(second, header_size=12))
    assert msgs.files == 2
    np.testing.assert_array_equal(msgs.records["heart_rate"], [90, 91, 92])
    np.testing.assert_array_equal(msgs.records["timestamp"], [T0, 5, 6])  # from 0 again


def test_compressed_speed_distance_accumulates_past_12_bits():
    steps_m = np.array([100.0, 150.0, 200.0, 120.0, 250.0])  # 16ths of a metre, 12 bits
    distance_16 = np.cumsum(steps_m * 16).astype(int)
    body = definition(0, RECORD, [(253, 4, UINT32), (8, 3, BYTE)])
    for i, d in enumerate(distance_16):
        packed = (350 & 0xFFF) | (int(d) & 0xFFF) << 12  # speed 3.50 m/s, distance low bits
        body += message(0, "I3B", T0 + i, *packed.to_bytes(3, "little"))
    rec = both(fit_file(body)).records
    np.testing.assert_array_equal(rec["distance"], np.cumsum(steps_m))
    np.testing.assert_array_equal(rec["speed"], np.full(5, 3.5))


def test_developer_fields_are_skipped_by_their_size():
    body = definition(0, DEV_DATA_ID, [(3, 1, UINT8)]) + message(0, "B", 0)
    desc = [(0, 1, UINT8), (1, 1, UINT8), (2, 1, UINT8), (3, 8, STRING)]
    body += definition(1, FIELD_DESCRIPTION, desc) + message(1, "BBB8s", 0, 7, UINT16, b"Power")
    body += definition(2, RECORD, [(253, 4, UINT32), (3, 1, UINT8)], dev=[(7, 2, 0)])
    body += message(2, "IBH", T0, 140, 310) + message(2, "IBH", T0 + 1, 141, 320)
    rec = both(fit_file(body)).records
    assert list(rec) == ["heart_rate", "timestamp"]
    np.testing.assert_array_equal(rec["heart_rate"], [140, 141])


def test_laps_events_and_file_id_as_fitparse_gives_them():
    body = definition(0, FILE_ID, [(0, 1, ENUM), (1, 2, UINT16), (2, 2, UINT16)])
    body += message(0, "BHH", 4, 1, 3224)  # activity, garmin: product becomes garmin_product
    body += definition(1, EVENT, [(253, 4, UINT32), (0, 1, ENUM), (1, 1, ENUM), (3, 4, UINT32)])
    body += message(1, "IBBI", T0, 0, 4, 0) + message(1, "IBBI", T0 + 9, 0, 0, 99)
    lap = [(253, 4, UINT32), (2, 4, UINT32), (9, 4, UINT32), (13, 2, UINT16), (24, 1, ENUM)]
    body += definition(2, 19, lap) + message(2, "IIIHB", T0 + 60, T0, 40000, 0xFFFF, 99)
    msgs = both(fit_file(body))
    assert msgs.file_ids == [{"type": "activity", "manufacturer": "garmin", "garmin_product": 3224}]
    assert msgs.events[0] == {
        "timestamp": float(T0),
        "event": "timer",
        "event_type": "stop_all",
        "timer_trigger": "manual",
    }
    assert msgs.events[1]["timer_trigger"] == 99  # an unnamed enum value stays an int
    lap0 = msgs.laps[0]
    assert (lap0["total_distance"], lap0["avg_speed"], lap0["lap_trigger"]) == (400.0, None, 99)
    assert lap0["enhanced_avg_speed"] is None


def test_a_signalling_nan_is_an_invalid_value_not_a_warning():
    float32, snan = 0x88, bytes.fromhex("7fa00000")
    body = definition(0, 18, [(253, 4, UINT32), (87, 4, float32)], big=True)  # sessions
    body += definition(1, RECORD, [(253, 4, UINT32), (3, 4, float32)], big=True)
    for i in range(5):  # enough messages for the column-wise path
        value = snan if i == 2 else struct.pack(">f", 12.5)
        body += message(0, "I4s", T0 + i, value, big=True)
        body += message(1, "I4s", T0 + i, value, big=True)
    msgs = both(fit_file(body))
    assert [s["max_ball_speed"] for s in msgs.sessions] == [0.125, 0.125, None, 0.125, 0.125]
    np.testing.assert_array_equal(msgs.records["heart_rate"], [12.5, 12.5, np.nan, 12.5, 12.5])


def test_header_crc_of_zero_is_allowed_and_a_wrong_one_is_a_warning_as_in_fitparse():
    body = definition(0, RECORD, [(253, 4, UINT32)]) + message(0, "I", T0)
    assert decode_fast(fit_file(body, header_crc=False), "x") is not None
    data = bytearray(fit_file(body))
    data[12] ^= 0xFF
    msgs = both(bytes(data))
    assert msgs.damaged and msgs.warnings == [
        "header CRC of the FIT file at byte 0 does not match (read anyway)"
    ]


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[:-1],  # truncated
        lambda d: d + b"\x00" * 20,  # bytes after the last file
    ],
)
def test_damage_is_left_to_fitparse(damage):
    body = definition(0, RECORD, [(253, 4, UINT32), (3, 1, UINT8)])
    body += message(0, "IB", T0, 100) + message(0, "IB", T0 + 1, 101)
    assert decode_fast(damage(fit_file(body)), "x") is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[:-3] + bytes([d[-3] ^ 1]) + d[-2:],  # a flipped bit in a value
        lambda d: d[:-2] + b"\x00\x00",  # stored CRC of zero is not allowed for the file
    ],
)
def test_a_file_crc_that_does_not_match_is_a_warning_as_in_fitparse(damage):
    """The fast path decodes it (fitparse took 11 s on a 318 KB file with one flipped
    bit), with fitparse's messages and warning."""
    body = definition(0, RECORD, [(253, 4, UINT32), (3, 1, UINT8)])
    body += message(0, "IB", T0, 100) + message(0, "IB", T0 + 1, 101)
    msgs = both(damage(fit_file(body)))
    assert msgs.damaged
    assert msgs.warnings == ["file CRC does not match (data kept; values may be wrong)"]


def test_a_data_message_of_an_undefined_type_is_left_to_fitparse():
    body = definition(0, RECORD, [(253, 4, UINT32)]) + message(0, "I", T0) + message(5, "I", T0)
    assert decode_fast(fit_file(body), "x") is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(14, 750), st.integers(1, 255)), min_size=1, max_size=3))
def test_any_valid_crc_file_decodes_as_fitparse_does_or_is_left_to_it(flips):
    """Corrupt bytes of a real file, fix its CRC: the fast path agrees with fitparse or
    declines, and never raises."""
    data = bytearray((REAL / "python-fitparse/Activity.fit").read_bytes())
    for pos, xor in flips:
        data[pos] ^= xor
    struct.pack_into("<H", data, len(data) - 2, Crc.calculate(bytes(data[:-2])))
    data = bytes(data)
    fast = decode_fast(data, "x")
    if fast is not None:
        ref = decode_fitparse(data, "x")
        assert not ref.damaged
        assert_identical(fast, ref)


@pytest.mark.parametrize("n", [1, 2, 3, 15, 16, 17, 255, 4097, 70_001])
def test_crc_matches_the_fit_sdk_nibble_table(n):
    data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
    assert crc16(data) == Crc.calculate(data)


def test_a_file_with_its_crc_has_crc_zero(real):
    assert crc16((real / "python-fitparse/Activity.fit").read_bytes()) == 0


def test_salvage_of_a_damaged_file_is_fitparses(real):
    data = (real / "python-fitparse/activity-unexpected-eof.fit").read_bytes()
    got = fit_reader._decode(data, "x.fit")
    assert_identical(got, decode_fitparse(data, "x.fit"))
    assert got.damaged and got.record_count == 14
    with pytest.raises(CorruptFileError, match="truncated"):
        read_fit(data, "x.fit", damage=Damage.RAISE)


# -- random files: the fast path agrees with fitparse on whatever it decodes --------------

RANDOM_MESSAGES = (RECORD, 19, EVENT, 18, 23, FILE_ID, 34, 0xFF00)
"""record, lap, event, session, device_info, file_id, activity, a manufacturer message."""


def random_definition(rng: np.random.Generator, local: int) -> tuple[bytes, list]:
    """A definition of random profile fields (sometimes odd base types, arrays, 253)."""
    from fitparse.profile import MESSAGE_TYPES
    from fitparse.records import BASE_TYPES

    mesg = int(rng.choice(RANDOM_MESSAGES))
    profile = MESSAGE_TYPES.get(mesg)
    numbers = sorted(profile.fields) if profile else [0, 1, 2, 253]
    chosen = rng.choice(numbers, size=min(len(numbers), int(rng.integers(1, 8))), replace=False)
    fields = []
    for num in [int(n) for n in chosen] + ([253] if rng.random() < 0.5 else []):
        field = profile.fields.get(num) if profile else None
        base = field.type if field is not None and hasattr(field.type, "fmt") else None
        base = base or getattr(getattr(field, "type", None), "base_type", None)
        odd = rng.random() < (0.02 if num == 253 else 0.1)
        if base is None or odd:
            base = BASE_TYPES[int(rng.choice(list(BASE_TYPES)))]
        if num == 253 and not odd:
            base = BASE_TYPES[UINT32]
        count = 1 if num == 253 or rng.random() < 0.85 else int(rng.integers(2, 4))
        fields.append((num, base.size * count, base.identifier))
    big = bool(rng.random() < 0.3)
    return definition(local, mesg, fields, big=big), fields


def random_developer_fields(rng: np.random.Generator) -> tuple[bytes, list]:
    """A developer data id and 1-2 field descriptions; their (number, size, index)."""
    body = definition(14, DEV_DATA_ID, [(3, 1, UINT8)]) + message(14, "B", 0)
    desc = [(0, 1, UINT8), (1, 1, UINT8), (2, 1, UINT8)]
    body += definition(15, FIELD_DESCRIPTION, desc)
    dev = []
    for num in range(int(rng.integers(1, 3))):
        base, size = [(UINT8, 1), (UINT16, 2), (UINT32, 4), (STRING, 5)][int(rng.integers(0, 4))]
        body += message(15, "BBB", 0, num, base)
        dev.append((num, size * int(rng.integers(1, 3)) if base != STRING else size, 0))
    return body, dev


def random_body(rng: np.random.Generator) -> bytes:
    body, dev = random_developer_fields(rng) if rng.random() < 0.2 else (b"", [])
    sizes: dict[int, int] = {}
    for _ in range(int(rng.integers(1, 6))):
        local = int(rng.integers(0, 5))
        raw, fields = random_definition(rng, local)
        extra = dev if dev and rng.random() < 0.5 else []
        if extra:
            raw = bytes([raw[0] | 0x20]) + raw[1:] + bytes([len(extra)])
            raw += b"".join(bytes(d) for d in extra)
        body += raw
        sizes[local] = sum(size for _, size, _ in fields + extra)
        for _ in range(int(rng.integers(0, 12))):
            local = int(rng.choice(list(sizes)))
            head = local
            if local < 4 and rng.random() < 0.3:
                head = 0x80 | local << 5 | int(rng.integers(0, 32))
            values = rng.integers(0, 256, sizes[local], dtype=np.uint8)
            if rng.random() < 0.3:
                values[:] = 0xFF  # invalid values everywhere
            body += bytes([head]) + values.tobytes()
    return body


def random_file(rng: np.random.Generator) -> bytes:
    """1-2 chained FIT files of random definitions and data (developer fields sometimes)."""
    return b"".join(fit_file(random_body(rng)) for _ in range(1 + int(rng.random() < 0.2)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_random_files_decode_as_fitparse_does(seed):
    data = random_file(np.random.default_rng(seed))
    fast = decode_fast(data, "random.fit")
    ref = decode_fitparse(data, "random.fit")
    if ref.damaged:
        assert fast is None
    elif fast is not None:
        assert_identical(fast, ref)
