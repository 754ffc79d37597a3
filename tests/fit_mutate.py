"""Faults injected into real FIT files (bytes in memory; written only to a tmp dir).

The file is walked with the fast decoder's scanner (``fit_fast_scan.Scan``: every data
message's position and layout), values are rewritten in place at their field offsets, and
the header's data size and the file CRC are set again, so the result is a valid FIT file
that carries the fault and nothing else. Files with compressed-timestamp record headers
are refused (their times live in the header byte).
"""

from __future__ import annotations

import struct

import numpy as np

from splitcheck.io.fit_fast_crc import crc16
from splitcheck.io.fit_fast_scan import Scan

TIMESTAMP = 253
START_TIME = 2  # lap (19) and session (18) field 2
LAP, SESSION, RECORD, EVENT, ACTIVITY = 19, 18, 20, 21, 34


def messages(data: bytes) -> list[tuple[int, object]]:
    """(position, layout) of every data message, in file order."""
    scan = Scan(data)
    out = [(int(p), lay) for lay in scan.layouts.values() for p in lay.pos]
    if any(data[p] & 0x80 for p, _ in out):
        raise ValueError("compressed-timestamp headers: not mutated here")
    return sorted(out, key=lambda x: x[0])


def _field(layout, num: int):
    return next((f for f in layout.fields if f.num == num and f.size == 4), None)


def _get(data: bytearray, pos: int, layout, fdef) -> int:
    return struct.unpack_from(layout.endian + "I", data, pos + 1 + fdef.offset)[0]


def _set(data: bytearray, pos: int, layout, fdef, value: int) -> None:
    struct.pack_into(layout.endian + "I", data, pos + 1 + fdef.offset, value)


def record_times(data: bytes) -> np.ndarray:
    """Each record's timestamp field, in file order (FIT seconds)."""
    buf = bytearray(data)
    out = []
    for pos, lay in messages(data):
        if lay.mesg_num == RECORD:
            f = _field(lay, TIMESTAMP)
            out.append(_get(buf, pos, lay, f) if f else np.nan)
    return np.array(out, dtype=np.float64)


def jump_clock(data: bytes, at_record: int, shift_s: int) -> bytes:
    """The clock jumps by ``shift_s`` just before record ``at_record``: every message
    written from there on has its time stamps shifted, and so has any lap's start time
    that falls after the jump (a lap that started before it keeps its start)."""
    buf = bytearray(data)
    msgs = messages(data)
    records = [(p, lay) for p, lay in msgs if lay.mesg_num == RECORD]
    jump_pos, jump_lay = records[at_record]
    jump_t = _get(buf, jump_pos, jump_lay, _field(jump_lay, TIMESTAMP))
    for pos, lay in msgs:
        if pos < jump_pos:
            continue
        for num in (TIMESTAMP, START_TIME) if lay.mesg_num in (LAP, SESSION) else (TIMESTAMP,):
            f = _field(lay, num)
            if f is None:
                continue
            v = _get(buf, pos, lay, f)
            if v == 0xFFFFFFFF or (num == START_TIME and v < jump_t):
                continue
            _set(buf, pos, lay, f, (v + shift_s) % 2**32)
    return _with_crc(buf)


def drop_messages(data: bytes, mesg_nums: set[int], *, last_only: bool = False) -> bytes:
    """The file without its messages of the given types (``last_only``: only the last
    one of each), as a watch that died before writing them leaves it."""
    msgs = messages(data)
    doomed = [(p, lay) for p, lay in msgs if lay.mesg_num in mesg_nums]
    if last_only:
        last = {}
        for p, lay in doomed:
            last[lay.mesg_num] = (p, lay)
        doomed = list(last.values())
    cut = sorted((p, p + 1 + lay.size) for p, lay in doomed)
    header_size = data[0]
    body = bytearray()
    prev = 0
    for a, b in cut:
        body += data[prev:a]
        prev = b
    body += data[prev:-2]
    body = bytearray(body)
    struct.pack_into("<I", body, 4, len(body) - header_size)
    if header_size == 14:
        struct.pack_into("<H", body, 12, crc16(bytes(body[:12])))
    return _with_crc(body + b"\0\0")


def _with_crc(buf: bytearray) -> bytes:
    body = bytes(buf[:-2])
    return body + struct.pack("<H", crc16(body))


EVENT_TIMER, EVENT_START, EVENT_STOP_ALL = 0, 0, 4
TOTAL_ELAPSED_TIME = 7  # lap and session field 7, uint32 ms


def add_pause(data: bytes, at_record: int, pause_s: int) -> bytes:
    """The runner stops the timer for ``pause_s`` seconds just before record
    ``at_record``: a timer stop at the record before, a start ``pause_s`` later, every time
    after it that much later, and the lap and session holding it that much longer in
    elapsed time (their timers unchanged), as the watch writes a pause."""
    msgs = messages(data)
    buf = bytearray(data)
    records = [(p, lay) for p, lay in msgs if lay.mesg_num == RECORD]
    pos_k, lay_k = records[at_record]
    pos_prev, lay_prev = records[at_record - 1]
    t_k = _get(buf, pos_k, lay_k, _field(lay_k, TIMESTAMP))
    t_prev = _get(buf, pos_prev, lay_prev, _field(lay_prev, TIMESTAMP))
    for pos, lay in msgs:
        if lay.mesg_num in (LAP, SESSION):
            start, end = _field(lay, START_TIME), _field(lay, TIMESTAMP)
            elapsed = _field(lay, TOTAL_ELAPSED_TIME)
            s0, e0 = _get(buf, pos, lay, start), _get(buf, pos, lay, end)
            if s0 < t_k <= e0 and elapsed is not None:
                v = _get(buf, pos, lay, elapsed)
                _set(buf, pos, lay, elapsed, v + 1000 * pause_s)
            if s0 >= t_k:
                _set(buf, pos, lay, start, s0 + pause_s)
        if pos >= pos_k:
            f = _field(lay, TIMESTAMP)
            if f is not None and _get(buf, pos, lay, f) != 0xFFFFFFFF:
                _set(buf, pos, lay, f, _get(buf, pos, lay, f) + pause_s)
    local, restore = _borrowed_local_type(data, pos_k)
    definition = bytes([0x40 | local, 0, 0]) + struct.pack("<H", EVENT) + bytes([3])
    definition += bytes([TIMESTAMP, 4, 0x86, 0, 1, 0x00, 1, 1, 0x00])
    events = b"".join(
        bytes([local]) + struct.pack("<IBB", t, EVENT_TIMER, kind)
        for t, kind in ((t_prev, EVENT_STOP_ALL), (t_prev + pause_s, EVENT_START))
    )
    body = bytearray(buf[:pos_k]) + definition + events + restore + buf[pos_k:-2]
    header_size = data[0]
    struct.pack_into("<I", body, 4, len(body) - header_size)
    if header_size == 14:
        struct.pack_into("<H", body, 12, crc16(bytes(body[:12])))
    return _with_crc(body + b"\0\0")


def _borrowed_local_type(data: bytes, before: int) -> tuple[int, bytes]:
    """A local message type for the inserted events, and the definition to put back after
    them (the one in force at ``before``; empty when the type was not defined yet)."""
    scan = Scan(data)
    defs = sorted(p for lay in scan.layouts.values() for p in lay.def_positions if p < before)
    in_force = {data[p] & 0x0F: p for p in defs}
    local = next((k for k in range(15, -1, -1) if k not in in_force), 15)
    if local not in in_force:
        return local, b""
    p = in_force[local]
    n = data[p + 5]
    end = p + 6 + 3 * n
    if data[p] & 0x20:  # developer fields follow
        end += 1 + 3 * data[end]
    return local, data[p:end]


def set_uint32(data: bytes, mesg_num: int, field_num: int, value: int) -> bytes:
    """Every message of type ``mesg_num`` with its 32-bit field ``field_num`` set to
    ``value`` (raw, before the profile's scale)."""
    buf = bytearray(data)
    for pos, lay in messages(data):
        f = _field(lay, field_num) if lay.mesg_num == mesg_num else None
        if f is not None:
            _set(buf, pos, lay, f, value)
    return _with_crc(buf)
