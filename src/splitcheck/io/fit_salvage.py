"""Damaged FIT files through the fast decoder.

A FIT file cut short (a watch that died, a partial download) is the commonest damage,
and fitparse's salvage of it reads ~100x slower than the fast decoder: a 400 KB file took
12 s. fitparse reads every complete message and stops at the first one the file cuts,
with "truncated at byte N (salvaged K records)". Those complete messages make a valid
FIT file of their own, so here the messages are walked (their lengths only, from the
definitions), the file is reframed at the last complete one (data size and CRCs made
right) and given to the fast decoder, which decodes it exactly as fitparse would
(``fit_fast``'s contract), and fitparse's warnings are added (a header CRC that does not
match among them). Anything else on the way (an undefined message type, a chained file)
is left to fitparse.

Other damage in a large file (a field size fitparse rejects, garbage mid-file) is found by
bisection over the message boundaries: the longest run of whole messages from the start
that the fast decoder takes is decoded, with "undecodable data at byte N (salvaged K
records)". fitparse would stop at the same first bad message (it reads no further than
the damage either), in ~100x the time (a 468 KB file: 18 s); smaller files, where that
costs under a second or two, stay with fitparse, the reference.
"""

from __future__ import annotations

import struct

from .fit_fast_crc import crc16
from .fit_fast_scan import HEADER_CRC_WARNING
from .fit_messages import FitMessages

FIT_SIGNATURE = b".FIT"
HEADER_SIZES = (12, 14)
CRC_BYTES = 2
BISECT_MIN_BYTES = 256 * 1024
"""Damaged files from this size are salvaged by bisection (fitparse reads ~30-100 KB/s:
seconds); smaller ones by fitparse."""


def salvage_truncated(data: bytes, source: str) -> FitMessages | None:
    """The messages of a single FIT file cut short, as fitparse salvages them; None
    when the file is not simply truncated (or the fast decoder declines it)."""
    if len(data) < HEADER_SIZES[0] or data[8:12] != FIT_SIGNATURE:
        return None
    header_size = data[0]
    if header_size not in HEADER_SIZES or len(data) < header_size:
        return None
    header = bytearray(data[:header_size])
    first = _header_warnings(header)
    end = header_size + struct.unpack_from("<I", data, 4)[0]
    # fitparse reads this file's messages from data[:end + 2]: the first message that
    # runs past that is where it stops, "truncated" (a last message that eats into the
    # CRC, or the CRC missing after whole data, are left to it)
    cut = _last_boundary(data, header_size, min(end + CRC_BYTES, len(data)))
    if cut is None or cut <= header_size:
        return None
    cut_at_the_end = end > len(data) and cut == len(data)  # between two messages
    if cut >= min(end, len(data)) and not cut_at_the_end:
        return None
    from .fit_fast import decode_fast

    msgs = decode_fast(_framed(header, data[header_size:cut]), source)
    if msgs is None or msgs.warnings:
        return None
    records = len(next(iter(msgs.records.values()))) if msgs.records else 0
    msgs.damaged = True
    msgs.warnings.extend([*first, f"truncated at byte {cut} (salvaged {records} records)"])
    return msgs


def _header_warnings(header: bytearray) -> list[str]:
    """fitparse's warning for a header CRC that does not match (it reads on)."""
    if len(header) == 14:
        stored = header[12] | header[13] << 8
        if stored and crc16(bytes(header[:12])) != stored:
            return [HEADER_CRC_WARNING.format(offset=0)]
    return []


def _framed(header: bytearray, body: bytes) -> bytes:
    header = bytearray(header)
    struct.pack_into("<I", header, 4, len(body))
    if len(header) == 14:
        struct.pack_into("<H", header, 12, crc16(bytes(header[:12])))
    out = bytes(header) + body
    return out + struct.pack("<H", crc16(out))


def _last_boundary(data: bytes, pos: int, stop: int) -> int | None:
    """Where the first message the end of ``data`` cuts starts (``stop`` when the cut
    falls between messages); None when a message before it has an undefined type."""
    sizes: dict[int, int] = {}
    while pos < stop:
        head = data[pos]
        if head & 0x80:  # compressed timestamp header: local types 0-3
            size = sizes.get((head >> 5) & 0x3)
        elif head & 0x40:  # definition
            size = _definition_size(data, pos, stop)
            if size is None:
                return pos
            sizes[head & 0xF] = _data_size(data, pos, head & 0x20)
        else:
            size = sizes.get(head & 0xF)
        if size is None:
            return None
        if pos + size > stop:
            return pos
        pos += size
    return pos


def _definition_size(data: bytes, pos: int, stop: int) -> int | None:
    if pos + 6 > stop:
        return None
    size = 6 + 3 * data[pos + 5]
    if data[pos] & 0x20:  # developer fields follow
        if pos + size >= stop:
            return None
        size += 1 + 3 * data[pos + size]
    return size if pos + size <= stop else None


def _data_size(data: bytes, pos: int, developer: int) -> int:
    n = data[pos + 5]
    size = 1 + sum(data[pos + 7 + 3 * i] for i in range(n))
    if developer:
        at = pos + 6 + 3 * n
        size += sum(data[at + 2 + 3 * j] for j in range(data[at]))
    return size


def salvage_damaged(data: bytes, source: str) -> FitMessages | None:
    """The whole messages before the first damage of a large single FIT file, decoded
    fast; None for a small file, a damaged header, or damage past the first file."""
    if len(data) < max(BISECT_MIN_BYTES, HEADER_SIZES[0]) or data[8:12] != FIT_SIGNATURE:
        return None
    header_size = data[0]
    if header_size not in HEADER_SIZES:
        return None
    header = bytearray(data[:header_size])
    first = _header_warnings(header)
    end = min(header_size + struct.unpack_from("<I", data, 4)[0], len(data))
    bounds = _boundaries(data, header_size, end)
    if not bounds:
        return None
    from .fit_fast import decode_fast

    def fast(k: int) -> FitMessages | None:
        return decode_fast(_framed(header, data[header_size : bounds[k]]), source)

    if bounds[-1] == end and fast(len(bounds) - 1) is not None:
        return None  # the first file is whole: the damage is after it (fitparse's)
    lo, hi = 0, len(bounds) - 1  # fast(lo) holds (no messages), fast(hi) fails
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fast(mid) is not None else (lo, mid)
    msgs = fast(lo) if lo > 0 else None
    if msgs is None or msgs.warnings:
        return None
    records = len(next(iter(msgs.records.values()))) if msgs.records else 0
    msgs.damaged = True
    msgs.warnings.extend(
        [*first, f"undecodable data at byte {bounds[lo]} (salvaged {records} records)"]
    )
    return msgs


def _boundaries(data: bytes, pos: int, stop: int) -> list[int]:
    """Where each message ends, from ``pos``, while their lengths make sense (the first
    entry is ``pos``: no message)."""
    out = [pos]
    sizes: dict[int, int] = {}
    while pos < stop:
        head = data[pos]
        if head & 0x80:
            size = sizes.get((head >> 5) & 0x3)
        elif head & 0x40:
            size = _definition_size(data, pos, stop)
            if size is not None:
                sizes[head & 0xF] = _data_size(data, pos, head & 0x20)
        else:
            size = sizes.get(head & 0xF)
        if size is None or pos + size > stop:
            break
        pos += size
        out.append(pos)
    return out
