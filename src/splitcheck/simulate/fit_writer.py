"""A FIT activity encoder (FIT protocol 2.0, little-endian), written for the simulator.

Why our own: speed and control. Garmin's official ``garmin-fit-sdk`` has an Encoder
(since 21.200), but it encodes message by message in Python: 0.83 s for the records of a
one-hour run, against 0.04 s here for the whole file (the batch benchmark writes 1,000
files). ``fit-tool``'s original was withdrawn from PyPI by its author and lives on as a
community fork. FIT is simple to write: a 14-byte header with its CRC, definition messages
declaring each local message's fields, data messages, and a CRC-16 over everything.
Records are encoded in bulk as one numpy structured array; NaN and out-of-range values
become the FIT invalid value of their base type. Both fitparse and Garmin's SDK decoder
read the files without error (tests/test_simulate_fit.py).

Layout, as Garmin watches write it: file_id, device_info, timer start event, records with
laps and timer stop/start events interleaved at their times, a final stop_all event, the
last lap, the session and the activity message.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..io.fit_fast_crc import crc16
from ..units import FIT_EPOCH_UNIX_S, FIT_SEMICIRCLE_DEG
from .watch import Recording

PROTOCOL_VERSION = 0x20
"""FIT protocol 2.0."""
PROFILE_VERSION = 2132
"""FIT profile 21.32."""
MANUFACTURER_DEVELOPMENT = 255
"""FIT manufacturer 'development': not a real device."""
PRODUCT_ID = 1
SERIAL_NUMBER = 3_141_592_653
SOFTWARE_VERSION = 100
"""1.00 (scale 100)."""

ASCENT_SMOOTH_N = 31
"""Samples over which altitude is averaged before summing climbs: watches ignore the
barometer's small wobbles when totalling ascent."""

# base type: (FIT base type byte, numpy dtype, invalid value)
BASE_TYPES = {
    "enum": (0x00, "u1", 0xFF),
    "uint8": (0x02, "u1", 0xFF),
    "uint16": (0x84, "<u2", 0xFFFF),
    "sint32": (0x85, "<i4", 0x7FFFFFFF),
    "uint32": (0x86, "<u4", 0xFFFFFFFF),
    "uint32z": (0x8C, "<u4", 0),
}
EVENT_TIMER, EVENT_SESSION, EVENT_LAP, EVENT_ACTIVITY = 0, 8, 9, 26
EVENT_TYPE_START, EVENT_TYPE_STOP, EVENT_TYPE_STOP_ALL = 0, 1, 4
TIMER_TRIGGER_MANUAL, TIMER_TRIGGER_AUTO = 0, 1
SPORT_RUNNING = 1
SUB_SPORTS = {"generic": 0, "street": 2, "trail": 3, "track": 4}
LAP_TRIGGERS = {"manual": 0, "time": 1, "distance": 2, "session_end": 7}
INTENSITIES = {"active": 0, "rest": 1, "warmup": 2, "cooldown": 3}
"""FIT intensity values every reader knows (recovery/interval came later in the SDK)."""


@dataclass(frozen=True)
class MessageDef:
    """A FIT message type as we write it: global number and (name, number, base) fields."""

    global_num: int
    fields: tuple[tuple[str, int, str], ...]

    def dtype(self) -> np.dtype:
        return np.dtype([("header", "u1")] + [(n, BASE_TYPES[b][1]) for n, _, b in self.fields])

    def definition(self, local: int) -> bytes:
        out = struct.pack("<BBBHB", 0x40 | local, 0, 0, self.global_num, len(self.fields))
        for _name, num, base in self.fields:
            code, dt, _ = BASE_TYPES[base]
            out += struct.pack("<BBB", num, np.dtype(dt).itemsize, code)
        return out

    def encode(self, local: int, n: int, values: dict[str, object]) -> np.ndarray:
        """``n`` data messages; values are FIT raw units (scaled ints), NaN/None = invalid."""
        arr = np.zeros(n, dtype=self.dtype())
        arr["header"] = local
        for name, _, base in self.fields:
            _, dt, invalid = BASE_TYPES[base]
            raw = values.get(name)
            col = np.full(n, np.nan) if raw is None else np.asarray(raw, dtype=np.float64)
            info = np.iinfo(np.dtype(dt))
            ok = np.isfinite(col) & (col >= info.min) & (col <= info.max)
            ok &= np.round(np.where(ok, col, 0)) != invalid
            arr[name] = np.where(ok, np.round(np.where(ok, col, 0)), invalid).astype(dt)
        return arr


def _f(*spec: str) -> tuple[tuple[str, int, str], ...]:
    out = []
    for s in spec:
        name, num, base = s.split(":")
        out.append((name, int(num), base))
    return tuple(out)


FILE_ID = MessageDef(
    0,
    _f("type:0:enum", "manufacturer:1:uint16", "product:2:uint16", "serial_number:3:uint32z")
    + _f("time_created:4:uint32"),
)
DEVICE_INFO = MessageDef(
    23,
    _f("timestamp:253:uint32", "device_index:0:uint8", "manufacturer:2:uint16")
    + _f("serial_number:3:uint32z", "product:4:uint16", "software_version:5:uint16"),
)
EVENT = MessageDef(
    21,
    _f("timestamp:253:uint32", "event:0:enum", "event_type:1:enum", "data:3:uint32")
    + _f("event_group:4:uint8"),
)
RECORD = MessageDef(
    20,
    _f("timestamp:253:uint32", "position_lat:0:sint32", "position_long:1:sint32")
    + _f("distance:5:uint32", "enhanced_speed:73:uint32", "enhanced_altitude:78:uint32")
    + _f("heart_rate:3:uint8", "cadence:4:uint8", "fractional_cadence:53:uint8"),
)
_SUMMARY = _f(
    "message_index:254:uint16",
    "timestamp:253:uint32",
    "event:0:enum",
    "event_type:1:enum",
    "start_time:2:uint32",
    "start_position_lat:3:sint32",
    "start_position_long:4:sint32",
    "total_elapsed_time:7:uint32",
    "total_timer_time:8:uint32",
    "total_distance:9:uint32",
)
LAP = MessageDef(
    19,
    _SUMMARY
    + _f("end_position_lat:5:sint32", "end_position_long:6:sint32", "avg_speed:13:uint16")
    + _f("max_speed:14:uint16", "avg_heart_rate:15:uint8", "max_heart_rate:16:uint8")
    + _f("total_ascent:21:uint16", "total_descent:22:uint16", "intensity:23:enum")
    + _f("lap_trigger:24:enum", "sport:25:enum", "wkt_step_index:71:uint16")
    + _f("enhanced_avg_speed:110:uint32", "enhanced_max_speed:111:uint32"),
)
SESSION = MessageDef(
    18,
    _SUMMARY
    + _f("sport:5:enum", "sub_sport:6:enum", "avg_speed:14:uint16", "max_speed:15:uint16")
    + _f("avg_heart_rate:16:uint8", "max_heart_rate:17:uint8", "total_ascent:22:uint16")
    + _f("total_descent:23:uint16", "first_lap_index:25:uint16", "num_laps:26:uint16")
    + _f("trigger:28:enum", "enhanced_avg_speed:124:uint32", "enhanced_max_speed:125:uint32"),
)
ACTIVITY = MessageDef(
    34,
    _f("timestamp:253:uint32", "total_timer_time:0:uint32", "num_sessions:1:uint16")
    + _f("type:2:enum", "event:3:enum", "event_type:4:enum", "local_timestamp:5:uint32"),
)
LOCALS = {"file_id": 0, "device_info": 1, "event": 2, "record": 3, "lap": 4, "session": 5}
LOCALS["activity"] = 6
DEFS = {
    "file_id": FILE_ID,
    "device_info": DEVICE_INFO,
    "event": EVENT,
    "record": RECORD,
    "lap": LAP,
    "session": SESSION,
    "activity": ACTIVITY,
}


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT CRC-16 (CRC-16/ARC: polynomial 0x8005 reflected, initial value 0), a byte
    at a time as the FIT protocol describes it. Files use the vectorised, equal
    :func:`splitcheck.io.fit_fast_crc.crc16` (7x faster on a one-hour file)."""
    table = _CRC_TABLE
    for b in data:
        crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF]
    return crc


def _one(name: str, **values: object) -> bytes:
    return DEFS[name].encode(LOCALS[name], 1, {k: [v] for k, v in values.items()}).tobytes()


def _semi(deg: np.ndarray | float) -> np.ndarray:
    return np.asarray(deg, dtype=np.float64) / FIT_SEMICIRCLE_DEG


def _records(rec: Recording, t0_fit: int) -> np.ndarray:
    spm = rec.cadence_spm
    strides = spm / 2.0  # FIT running cadence counts strides (one foot) per minute
    return RECORD.encode(
        LOCALS["record"],
        len(rec.time_s),
        {
            "timestamp": t0_fit + np.round(rec.time_s),
            "position_lat": _semi(rec.lat_deg),
            "position_long": _semi(rec.lon_deg),
            "distance": rec.distance_m * 100,
            "enhanced_speed": rec.speed_mps * 1000,
            "enhanced_altitude": (rec.altitude_m + 500) * 5,
            "heart_rate": rec.heart_rate_bpm,
            "cadence": np.floor(strides),
            "fractional_cadence": np.round((strides - np.floor(strides)) * 128),
        },
    )


def _span_stats(rec: Recording, a: float, b: float) -> dict[str, float]:
    """Averages and maxima over samples in [a, b] (seconds from start)."""
    t = rec.time_s
    sel = (t >= a) & (t <= b)
    if not sel.any():
        sel = np.argmin(np.abs(t - b)) == np.arange(len(t))
    hr = rec.heart_rate_bpm[sel]
    climb = np.diff(_smooth(rec.altitude_m[sel], ASCENT_SMOOTH_N))
    return {
        "max_speed": float(np.nanmax(rec.speed_mps[sel])) * 1000,
        "avg_heart_rate": float(np.nanmean(hr)) if np.isfinite(hr).any() else np.nan,
        "max_heart_rate": float(np.nanmax(hr)) if np.isfinite(hr).any() else np.nan,
        "total_ascent": float(np.nansum(np.clip(climb, 0, None))),
        "total_descent": float(np.nansum(np.clip(-climb, 0, None))),
    }


def _smooth(x: np.ndarray, n: int) -> np.ndarray:
    """Centred moving average over ``n`` samples (edges padded)."""
    if len(x) < 2:
        return np.zeros(2)
    k = min(n, len(x))
    return np.convolve(np.pad(x, (k // 2, k - 1 - k // 2), mode="edge"), np.ones(k) / k, "valid")


def _position_at(rec: Recording, s: float) -> tuple[float, float]:
    i = int(np.clip(np.searchsorted(rec.time_s, s), 0, len(rec.time_s) - 1))
    return float(_semi(rec.lat_deg[i])), float(_semi(rec.lon_deg[i]))


def _summary(rec: Recording, t0_fit: int, a: float, b: float, dist: float, timer: float):
    stats = _span_stats(rec, a, b)
    avg = dist / timer * 1000 if timer > 0 else np.nan
    lat, lon = _position_at(rec, a)
    return {
        # whole seconds, rounded: readers taking start_time + total_elapsed_time as the
        # end are then within 0.5 s of it
        "timestamp": t0_fit + round(b),
        "start_time": t0_fit + round(a),
        "start_position_lat": lat,
        "start_position_long": lon,
        "total_elapsed_time": (b - a) * 1000,
        "total_timer_time": timer * 1000,
        "total_distance": dist * 100,
        "avg_speed": avg,
        "enhanced_avg_speed": avg,
        "enhanced_max_speed": stats["max_speed"],
        **stats,
    }


def _lap_bytes(rec: Recording, t0_fit: int, i: int) -> bytes:
    lap = rec.laps[i]
    values = _summary(rec, t0_fit, lap.start_s, lap.end_s, lap.distance_m, lap.timer_s)
    end_lat, end_lon = _position_at(rec, lap.end_s)
    return _one(
        "lap",
        message_index=i,
        event=EVENT_LAP,
        event_type=EVENT_TYPE_STOP,
        end_position_lat=end_lat,
        end_position_long=end_lon,
        intensity=INTENSITIES[lap.intensity],
        lap_trigger=LAP_TRIGGERS[lap.trigger],
        sport=SPORT_RUNNING,
        wkt_step_index=lap.step_index,
        **values,
    )


def _event(t_fit: int, event_type: int, trigger: int = TIMER_TRIGGER_MANUAL) -> bytes:
    return _one(
        "event",
        timestamp=t_fit,
        event=EVENT_TIMER,
        event_type=event_type,
        data=trigger,
        event_group=0,
    )


def fit_bytes(rec: Recording) -> bytes:
    """The whole FIT activity file for a recording, as bytes."""
    t0_fit = int(round(rec.start_utc.timestamp())) - FIT_EPOCH_UNIX_S
    t_end = t0_fit + int(np.floor(rec.end_s))
    parts = [
        _head(t0_fit),
        _records_with_events(rec, t0_fit),
        _event(t_end, EVENT_TYPE_STOP_ALL),
        _lap_bytes(rec, t0_fit, len(rec.laps) - 1),
        _session(rec, t0_fit),
        _one(
            "activity",
            timestamp=t_end,
            total_timer_time=sum(lap.timer_s for lap in rec.laps) * 1000,
            num_sessions=1,
            type=0,
            event=EVENT_ACTIVITY,
            event_type=EVENT_TYPE_STOP,
            local_timestamp=t_end,
        ),
    ]
    return _frame(b"".join(parts))


def _head(t0_fit: int) -> bytes:
    """Definitions of every local message, file_id, device_info and the timer start."""
    device = {
        "manufacturer": MANUFACTURER_DEVELOPMENT,
        "product": PRODUCT_ID,
        "serial_number": SERIAL_NUMBER,
    }
    return (
        b"".join(DEFS[name].definition(LOCALS[name]) for name in LOCALS)
        + _one("file_id", type=4, time_created=t0_fit, **device)
        + _one(
            "device_info",
            timestamp=t0_fit,
            device_index=0,
            software_version=SOFTWARE_VERSION,
            **device,
        )
        + _event(t0_fit, EVENT_TYPE_START)
    )


def _records_with_events(rec: Recording, t0_fit: int) -> bytes:
    """All records, with timer events and every lap but the last between them at their
    times (a stop after the record at its time, a restart before it)."""
    records = _records(rec, t0_fit)
    size = records.dtype.itemsize
    blob = records.tobytes()
    inserts = []  # (records before it, order among equals, message)
    for a, b in rec.pauses:
        stop = _event(t0_fit + int(np.floor(a)), EVENT_TYPE_STOP_ALL, TIMER_TRIGGER_AUTO)
        start = _event(t0_fit + int(np.floor(b)), EVENT_TYPE_START, TIMER_TRIGGER_AUTO)
        inserts.append((int(np.searchsorted(rec.time_s, a, "right")), 0, stop))
        inserts.append((int(np.searchsorted(rec.time_s, b, "left")), 1, start))
    for i, lap in enumerate(rec.laps[:-1]):
        at = int(np.searchsorted(rec.time_s, lap.end_s, "right"))
        inserts.append((at, 2, _lap_bytes(rec, t0_fit, i)))
    inserts.sort(key=lambda x: (x[0], x[1]))
    parts, pos = [], 0
    for at, _, msg in inserts:
        parts += [blob[pos * size : at * size], msg]
        pos = at
    parts.append(blob[pos * size :])
    return b"".join(parts)


def _session(rec: Recording, t0_fit: int) -> bytes:
    timer = sum(lap.timer_s for lap in rec.laps)
    dist = float(rec.distance_m[-1] - rec.distance_m[0])
    values = _summary(rec, t0_fit, 0.0, rec.end_s, dist, timer)
    return _one(
        "session",
        message_index=0,
        event=EVENT_SESSION,
        event_type=EVENT_TYPE_STOP,
        sport=SPORT_RUNNING,
        sub_sport=SUB_SPORTS.get(rec.sub_sport, 0),
        first_lap_index=0,
        num_laps=len(rec.laps),
        trigger=0,
        **values,
    )


def _frame(data: bytes) -> bytes:
    header = struct.pack("<BBHI4s", 14, PROTOCOL_VERSION, PROFILE_VERSION, len(data), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    body = header + data
    return body + struct.pack("<H", crc16(body))


def write_fit(rec: Recording, path: str | os.PathLike) -> Path:
    """Write a recording as a FIT activity file; returns the path."""
    p = Path(path)
    p.write_bytes(fit_bytes(rec))
    return p
