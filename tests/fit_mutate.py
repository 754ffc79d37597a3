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
