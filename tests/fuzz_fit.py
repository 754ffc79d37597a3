"""FIT mutations for the fuzzer (tests/fuzzing.py): a record splitter that knows the
protocol (header, definitions, data messages, developer fields, compressed timestamps)
and mutations of header fields, definition fields and field sizes, values, time stamps,
clock jumps, duplicated, dropped and swapped messages, with the CRCs fixed (mostly) so the
damage reaches past the CRC check."""

from __future__ import annotations

import random
import struct
from collections.abc import Iterator
from dataclasses import dataclass


def fit_crc(data: bytes, crc: int = 0) -> int:
    """FIT CRC-16 (written out here: the fuzzer does not trust the code it tests)."""
    table = (
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    )  # fmt: skip
    for byte in data:
        tmp = table[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ table[byte & 0xF]
        tmp = table[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ table[(byte >> 4) & 0xF]
    return crc


@dataclass
class FitRecord:
    """One FIT record: its bytes, and for definitions the layout they declare."""

    raw: bytearray
    kind: str  # "def" or "data"
    local: int
    fields: list[tuple[int, int, int]] | None = None  # def: (number, size, base type)
    big_endian: bool = False
    global_num: int = -1
    layout: FitRecord | None = None  # data: its definition


def split_fit(data: bytes) -> tuple[bytearray, list[FitRecord]] | None:
    """Header and records of a FIT file (up to the first record that does not parse)."""
    if len(data) < 12 or data[8:12] != b".FIT":
        return None
    hsize = data[0]
    if hsize not in (12, 14):
        return None
    end = min(len(data), hsize + struct.unpack_from("<I", data, 4)[0])
    pos, records, defs = hsize, [], {}
    while pos < end:
        head = data[pos]
        if head & 0x80:  # compressed timestamp header
            local = (head >> 5) & 0x3
            kind = "data"
        else:
            local = head & 0xF
            kind = "def" if head & 0x40 else "data"
        if kind == "def":
            if pos + 6 > end:
                break
            big = data[pos + 2] == 1
            gnum = struct.unpack_from(">H" if big else "<H", data, pos + 3)[0]
            n = data[pos + 5]
            size = 6 + 3 * n
            fields = [tuple(data[pos + 6 + 3 * i : pos + 9 + 3 * i]) for i in range(n)]
            if head & 0x20:
                if pos + size >= end:
                    break
                ndev = data[pos + size]
                if pos + size + 1 + 3 * ndev > end:
                    break
                size += 1 + 3 * ndev
                fields += [(-1, data[pos + 6 + 3 * n + 1 + 3 * i + 1], 0) for i in range(ndev)]
            if pos + size > end:
                break
            rec = FitRecord(bytearray(data[pos : pos + size]), "def", local, fields, big, gnum)
            defs[local] = rec
        else:
            layout = defs.get(local)
            if layout is None:
                break
            size = 1 + sum(f[1] for f in layout.fields or [])
            if pos + size > end:
                break
            rec = FitRecord(bytearray(data[pos : pos + size]), "data", local, layout=layout)
        records.append(rec)
        pos += size
    return bytearray(data[:hsize]), records


def join_fit(header: bytearray, records: list[FitRecord], *, fix: bool = True) -> bytes:
    """Header + records + CRC; ``fix``: data size, header CRC and file CRC made right."""
    body = b"".join(bytes(r.raw) for r in records)
    header = bytearray(header)
    if fix and len(header) >= 12:
        struct.pack_into("<I", header, 4, len(body))
        if len(header) == 14:
            struct.pack_into("<H", header, 12, fit_crc(bytes(header[:12])))
    out = bytes(header) + body
    return out + struct.pack("<H", fit_crc(out) if fix else random.getrandbits(16))


def _field_offsets(layout: FitRecord) -> Iterator[tuple[int, int, int]]:
    """(field number, offset in the data record, size) of a definition's fields."""
    offset = 1
    for num, size, _ in layout.fields or []:
        yield num, offset, size
        offset += size


_EXTREMES = (b"\x00", b"\xff", b"\x7f", b"\x80", b"\xfe", b"\x01")
FIT_EPOCH_UNIX_S = 631065600
_JUMPS_S = (-(2**31), -(10**9), -86400 * 365, -3600, -61, 0, 1, 61, 3600, 86400 * 365, 10**9)


def _set_value(rec: FitRecord, offset: int, size: int, rng: random.Random) -> None:
    choice = rng.random()
    if choice < 0.4:
        rec.raw[offset : offset + size] = rng.choice(_EXTREMES) * size
    elif choice < 0.7:
        rec.raw[offset : offset + size] = rng.randbytes(size)
    else:
        value = int.from_bytes(rec.raw[offset : offset + size], "little") + rng.choice(_JUMPS_S)
        rec.raw[offset : offset + size] = (value % 2 ** (8 * size)).to_bytes(size, "little")


def timestamp_fields(records: list[FitRecord]) -> list[tuple[FitRecord, int]]:
    out = []
    for rec in records:
        if rec.kind == "data" and rec.layout is not None and not rec.layout.big_endian:
            for num, offset, size in _field_offsets(rec.layout):
                if num == 253 and size == 4 and offset + 4 <= len(rec.raw):
                    out.append((rec, offset))
    return out


def mutate_fit(data: bytes, rng: random.Random, heavy: bool = True) -> tuple[bytes, str]:
    """One structure-aware mutation of a FIT file, and its name (``heavy``: also the
    mutations that make inputs many times larger)."""
    parsed = split_fit(data)
    if parsed is None or not parsed[1]:
        return bytes_mutation(data, rng)
    header, records = parsed
    kind = rng.choice(
        (
            "header",
            "definition",
            "field_size",
            "value",
            "timestamp",
            "clock_jump",
            "duplicate",
            "drop",
            "swap",
            "truncate",
            "bytes",
            "many",
        )
    )
    fix = rng.random() < 0.85
    defs = [r for r in records if r.kind == "def"]
    data_recs = [r for r in records if r.kind == "data" and len(r.raw) > 1]
    if kind == "header":
        offset = rng.choice((0, 1, 2, 4, 5, 7, 8, 11))
        header[offset] = rng.choice((0, 1, 12, 14, 15, 255, rng.randrange(256)))
        if offset in (4, 5, 7):  # a wrong data size: do not fix it back
            return join_fit(header, records, fix=False), "fit:header-size"
    elif kind in ("definition", "field_size") and defs:
        rec = rng.choice(defs)
        n = len(rec.fields or [])
        if kind == "field_size" and n:
            i = rng.randrange(n)
            new = rng.choice((0, 1, 2, 3, 4, 8, 16, 255))
            old = rec.fields[i][1]
            rec.raw[6 + 3 * i + 1] = new
            if rng.random() < 0.5:  # keep data messages consistent with the new size
                offsets = list(_field_offsets(rec))
                _, at, _ = offsets[i]
                for d in records:
                    if d.layout is rec:
                        d.raw[at : at + old] = bytes(min(new, 255)) if new else b""
                        if new:
                            d.raw[at : at + new] = rng.choice(_EXTREMES) * new
        else:
            at = rng.choice((1, 2, 3, 4, 5) + tuple(6 + k for k in range(3 * n)))
            rec.raw[at] = rng.choice(
                (0, 1, 18, 19, 20, 21, 34, 0x84, 0x86, 255, rng.randrange(256))
            )
    elif kind == "value" and data_recs:
        for _ in range(rng.choice((1, 1, 3, 20))):
            rec = rng.choice(data_recs)
            fields = [f for f in _field_offsets(rec.layout) if f[1] + f[2] <= len(rec.raw)]
            if fields:
                _, offset, size = rng.choice(fields)
                if size:
                    _set_value(rec, offset, size, rng)
    elif kind in ("timestamp", "clock_jump"):
        stamps = timestamp_fields(records)
        if stamps:
            i = rng.randrange(len(stamps))
            chosen = stamps[i:] if kind == "clock_jump" else [stamps[i]]
            jump = rng.choice(_JUMPS_S + (rng.randrange(-(10**8), 10**8),))
            fixed = rng.choice((None, 0, 0xFFFFFFFF, 0xFFFFFFFE, 0x10000000, 1))
            for rec, offset in chosen:
                old = struct.unpack_from("<I", rec.raw, offset)[0]
                value = fixed if fixed is not None and kind == "timestamp" else old + jump
                struct.pack_into("<I", rec.raw, offset, value % 2**32)
    elif kind == "duplicate":
        i = rng.randrange(len(records))
        k = rng.choice((1, 1, 5, 50, 500) if heavy else (1, 1, 5, 50))
        block = [FitRecord(bytearray(r.raw), r.kind, r.local, r.fields, r.big_endian,
                           r.global_num, r.layout) for r in records[i : i + k]]  # fmt: skip
        at = rng.randrange(len(records) + 1)
        records[at:at] = block * rng.choice((1, 2, 10) if heavy else (1, 2))
    elif kind == "drop":
        i = rng.randrange(len(records))
        del records[i : i + rng.choice((1, 1, 10, 100, 1000))]
    elif kind == "swap" and len(records) > 2:
        i, j = rng.randrange(len(records)), rng.randrange(len(records))
        records[i], records[j] = records[j], records[i]
    elif kind == "truncate":
        out = join_fit(header, records)
        return out[: rng.randrange(len(out))], "fit:truncate"
    elif kind == "bytes":
        return bytes_mutation(join_fit(header, records), rng)
    elif kind == "many":
        out = data
        for _ in range(rng.randint(2, 5)):
            out, _ = mutate_fit(out, rng, heavy)
        return out, "fit:many"
    return join_fit(header, records, fix=fix), f"fit:{kind}"


def bytes_mutation(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(data)
    for _ in range(rng.choice((1, 4, 32))):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b), "bytes:flip"
