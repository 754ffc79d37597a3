"""A mutation fuzzer for splitcheck's readers and analysis (used by tests/test_fuzz.py and
scripts/fuzz.py).

Inputs are real watch files (../shared/real-activities and sample_activities/) mutated in
memory: FIT files structure-aware (header fields, definition fields and field sizes,
extreme values and timestamps, clock jumps, duplicated, dropped and swapped messages, the
CRCs fixed afterwards so the damage reaches past the CRC check), GPX and TCX as text
(tags, values, times, encodings, namespace prefixes, truncation, XML attacks).

Each input runs in a forked child under a memory limit (``RLIMIT_AS``) and a time limit
(the parent kills it), doing what ``splitcheck analyze`` does: read, analyse, render the
text report and the JSON document. The outcome is one of :data:`OUTCOMES`; everything but
``ok`` and ``refused`` is a failure of splitcheck.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_DIRS = (ROOT.parent / "shared" / "real-activities", ROOT / "sample_activities")
SEED_SUFFIXES = (".fit", ".gpx", ".tcx")

MEMORY_LIMIT_B = 1024**3
"""An input may use this much memory above the fuzzer's own (the issue's 1 GB)."""
TIME_LIMIT_S = 10.0
"""An input may take this long (the issue's 10 s)."""

OUTCOMES = ("ok", "refused", "internal", "memory", "timeout", "warning", "nan", "unnamed", "crash")
"""``refused``: a SplitcheckError naming the file; ``internal``: any other exception;
``memory``/``timeout``: over a limit; ``warning``: a Python warning escaped; ``nan``: "nan"
in the report or NaN in the JSON; ``unnamed``: a refusal that does not name the file;
``crash``: the child died without a result (a segfault, an uncaught exception)."""
FAILURES = frozenset(OUTCOMES) - {"ok", "refused"}

NAME = "fuzzed-input"
"""The name the child gives the input (every refusal must carry it)."""
_NAN_WORD = re.compile(r"(?<![A-Za-z])(nan|inf)(?![A-Za-z])", re.IGNORECASE)


# -- seeds ------------------------------------------------------------------------------
def seed_files(max_bytes: int | None = None) -> list[Path]:
    """The real and sample activity files, smallest first (optionally up to a size)."""
    files = [
        p
        for d in SEED_DIRS
        if d.is_dir()
        for p in d.rglob("*")
        if p.is_file() and p.suffix.lower() in SEED_SUFFIXES
    ]
    if max_bytes is not None:
        files = [p for p in files if p.stat().st_size <= max_bytes]
    return sorted(files, key=lambda p: (p.stat().st_size, str(p)))


# -- FIT --------------------------------------------------------------------------------
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


def _timestamp_fields(records: list[FitRecord]) -> list[tuple[FitRecord, int]]:
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
        return _bytes_mutation(data, rng)
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
        stamps = _timestamp_fields(records)
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
        return _bytes_mutation(join_fit(header, records), rng)
    elif kind == "many":
        out = data
        for _ in range(rng.randint(2, 5)):
            out, _ = mutate_fit(out, rng, heavy)
        return out, "fit:many"
    return join_fit(header, records, fix=fix), f"fit:{kind}"


def _bytes_mutation(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(data)
    for _ in range(rng.choice((1, 4, 32))):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b), "bytes:flip"


# -- XML --------------------------------------------------------------------------------
_NUMBER_TEXT = re.compile(rb">(-?\d+(?:\.\d+)?)<")
_TIME_TEXT = re.compile(rb"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)?")
_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]*)[^>]*>[^<]*</\1>")
_DECL = re.compile(rb"^\s*(?:\xef\xbb\xbf)?<\?xml[^>]*\?>")
_EXTREME_NUMBERS = (
    b"nan", b"inf", b"-inf", b"1e308", b"-1e308", b"", b"99999999999999999999", b"-0",
    b"abc", b"0", b"-1", b"1e-320", b"4294967295",
)  # fmt: skip
_ODD_TIMES = (
    b"9999-12-31T23:59:59Z", b"0001-01-01T00:00:00Z", b"2020-13-45T25:61:61Z",
    b"2020-06-01T10:00:00-25:00", b"2020-06-01T10:00:00+99:99", b"99999999999999999999",
    b"", b"1970-01-01T00:00:00Z", b"2020-06-01T10:00:00.123456789123Z", b"2020-06-01",
    b"2020-06-01T10:00:00+0530", b"20200601T100000Z", b"2262-04-12T00:00:00Z",
)  # fmt: skip
_ENCODINGS = ("Shift_JIS", "UTF-7", "x-unknown-enc", "latin-1", "cp500", "utf-16", "ascii",
              "utf-32", "EUC-JP", "koi8-r", "")  # fmt: skip
XML_ATTACKS = {
    "xxe": b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    "laughs": b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    "remote_dtd": b'<!DOCTYPE r SYSTEM "http://example.invalid/evil.dtd">',
    "parameter": b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>',
}
"""DOCTYPEs that must be refused (inserted after the declaration, before the root)."""


def with_attack(text: bytes, attack: str, encoding: str = "utf-8") -> bytes:
    """``text`` (UTF-8 XML) with an attack DOCTYPE, re-encoded to ``encoding``, with the
    entity referenced in the first element's text."""
    m = _DECL.match(text)
    at = m.end() if m else 0
    body = text[at:]
    if attack in ("xxe", "laughs"):
        ref = b"&x;" if attack == "xxe" else b"&d;"
        body = re.sub(rb">([^<>\s][^<]*)<", lambda k: b">" + ref + k.group(1) + b"<", body, count=1)
    decl = f'<?xml version="1.0" encoding="{encoding}"?>'.encode()
    doc = (decl + b"\n" + XML_ATTACKS[attack] + b"\n" + body).decode("utf-8", "replace")
    if encoding.lower().replace("-", "") == "utf7":
        return doc.encode("utf-7")
    return doc.encode(encoding)


def mutate_xml(data: bytes, rng: random.Random, heavy: bool = True) -> tuple[bytes, str]:
    """One mutation of a GPX or TCX file (as UTF-8 bytes), and its name (``heavy``: also
    the mutations that make inputs many times larger)."""
    kind = rng.choice(
        ("delete", "duplicate", "rename", "unclose", "number", "time", "time_jump", "encoding",
         "reencode", "prefix", "truncate", "attack", "huge_attr", "deep", "bytes", "many")
    )  # fmt: skip
    b = data
    if kind in ("delete", "duplicate", "rename", "unclose"):
        found = list(_ELEMENT.finditer(b, 0, 2_000_000))
        if not found:
            return _bytes_mutation(b, rng)
        m = rng.choice(found)
        s, e = m.span()
        if kind == "delete":
            b = b[:s] + b[e:]
        elif kind == "duplicate":
            b = b[:e] + b[s:e] * rng.choice((1, 2, 50)) + b[e:]
        elif kind == "rename":
            name = m.group(1)
            b = b[:s] + m.group(0).replace(name, rng.choice((b"Foo", b"x:Time", b"Time"))) + b[e:]
        else:
            close = m.group(0).rfind(b"</")
            b = b[: s + close] + b[e:]
    elif kind == "number":
        found = list(_NUMBER_TEXT.finditer(b))
        for m in rng.sample(found, min(len(found), rng.choice((1, 3, 100)))):
            value = rng.choice(_EXTREME_NUMBERS)
            b = b[: m.start(1)] + value + b[m.end(1) :] if len(value) == len(m.group(1)) else b
            if len(value) != len(m.group(1)):
                b = b.replace(b">" + m.group(1) + b"<", b">" + value + b"<", 1)
    elif kind in ("time", "time_jump"):
        found = list(_TIME_TEXT.finditer(b))
        if not found:
            return _bytes_mutation(b, rng)
        m = rng.choice(found)
        if kind == "time":
            new = rng.choice(_ODD_TIMES)
        else:
            year = int(m.group(1)[:4]) + rng.choice((-1000, -30, 1, 100, 7000))
            new = b"%04d" % max(year, 1) + m.group(1)[4:] + (m.group(2) or b"")
        b = b[: m.start()] + new + b[m.end() :]
    elif kind == "encoding":
        enc = rng.choice(_ENCODINGS).encode()
        decl = b'<?xml version="1.0" encoding="' + enc + b'"?>'
        b = _DECL.sub(decl, b, 1) if _DECL.match(b) else decl + b
    elif kind == "reencode":
        text = b.decode("utf-8", "replace")
        enc = rng.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "latin-1", "utf-32"))
        b = text.encode(enc, "replace")
        if rng.random() < 0.5:
            b = rng.choice((b" \n", b"\xef\xbb\xbf", b"\r\n\t")) + b
    elif kind == "prefix":
        tag = rng.choice((b"Trackpoint", b"trkpt", b"Time", b"time", b"Lap", b"trkseg"))
        pre = rng.choice((b"ns9:", b"gpxtpx:", b"a:", b"\xc3\xa9:"))
        b = b.replace(b"<" + tag, b"<" + pre + tag).replace(b"</" + tag, b"</" + pre + tag)
    elif kind == "truncate":
        b = b[: rng.randrange(len(b))]
    elif kind == "attack":
        attack = rng.choice(sorted(XML_ATTACKS))
        return with_attack(b, attack, rng.choice(("utf-8", "utf-16", "utf-7"))), "xml:attack"
    elif kind == "huge_attr":
        at = b.find(b">", b.find(b"<", 60))
        size = rng.choice((1 << 16, 1 << 22, 20 << 20) if heavy else (1 << 16, 5 << 20))
        b = b[:at] + b' junk="' + b"A" * size + b'"' + b[at:]
    elif kind == "deep":
        at = b.rfind(b"</")
        n = rng.choice((1000, 100_000) if heavy else (1000,))
        b = b[:at] + b"<x>" * n + b"</x>" * n + b[at:]
    elif kind == "bytes":
        return _bytes_mutation(b, rng)
    elif kind == "many":
        for _ in range(rng.randint(2, 4)):
            b, _ = mutate_xml(b, rng, heavy)
    return b, f"xml:{kind}"


def mutate(data: bytes, rng: random.Random, heavy: bool = True) -> tuple[bytes, str]:
    """One mutation of any seed, chosen by its content."""
    if data[8:12] == b".FIT":
        return mutate_fit(data, rng, heavy)
    return mutate_xml(data, rng, heavy)


# -- running one input --------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    kind: str
    detail: str
    seconds: float
    peak_b: int


def analyse_bytes(data: bytes, name: str = NAME) -> str:
    """What ``splitcheck analyze`` and ``--json`` do with one file's bytes, in this
    process; returns the outcome kind and a detail, raising nothing."""
    import warnings

    from splitcheck.analysis import analyze
    from splitcheck.errors import FileError, SplitcheckError
    from splitcheck.io import read_bytes
    from splitcheck.report.text import render_analysis

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            analyses = [analyze(a) for a in read_bytes(data, name)]
            text = render_analysis(analyses, name)
            json.dumps([a.to_dict() for a in analyses], allow_nan=False, default=str)
        except FileError as err:
            if name not in str(err):
                return json.dumps(["unnamed", str(err)])
            return json.dumps(["refused", str(err)[:200]])
        except SplitcheckError as err:
            return json.dumps(["unnamed", f"{type(err).__name__}: {err}"[:300]])
        except ValueError as err:
            if "JSON compliant" in str(err):
                return json.dumps(["nan", "NaN or inf in the JSON document"])
            return json.dumps(["internal", _where(err)])
        except MemoryError as err:
            return json.dumps(["memory", _where(err)])
        except Exception as err:  # noqa: BLE001 - the fuzzer's job is to catch these
            return json.dumps(["internal", _where(err)])
    if caught:
        w = caught[0]
        return json.dumps(["warning", f"{w.category.__name__}: {w.message} ({w.filename})"])
    m = _NAN_WORD.search(text)
    if m:
        line = text[: m.end()].rsplit("\n", 1)[-1]
        return json.dumps(["nan", f"{m.group(0)!r} in the report: {line[-80:]}"])
    return json.dumps(["ok", ""])


def _where(err: BaseException) -> str:
    """``IndexError: ... at segment/intervals.py:123 _local_edges`` (innermost splitcheck
    frame): the signature that groups failures by root cause."""
    import traceback

    frames = [f for f in traceback.extract_tb(err.__traceback__) if "splitcheck" in f.filename]
    at = ""
    if frames:
        f = frames[-1]
        at = f" at {f.filename.split('splitcheck/', 1)[-1]}:{f.lineno} {f.name}"
    return f"{type(err).__name__}: {str(err)[:120]}{at}"


def _vm_size_b() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _rss_b() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_isolated(
    data: bytes,
    *,
    memory_b: int = MEMORY_LIMIT_B,
    time_s: float = TIME_LIMIT_S,
    target: Callable[[bytes], str] = analyse_bytes,
) -> Outcome:
    """Run ``target(data)`` in a forked child with a memory limit (address space: what the
    parent has mapped + ``memory_b``) and a time limit (the child is killed at ``time_s``
    plus a grace second). Peak memory is the child's peak resident size above the
    parent's."""
    import splitcheck.analysis  # noqa: F401 - imported once, before forking
    import splitcheck.io  # noqa: F401
    import splitcheck.report.text  # noqa: F401
    import splitcheck.scoring  # noqa: F401
    import splitcheck.segment  # noqa: F401

    base_rss = _current_rss_b()
    read_fd, write_fd = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(read_fd)
            limit = _vm_size_b() + memory_b
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            try:
                result = target(data)
            except MemoryError:
                result = json.dumps(["memory", "MemoryError"])
            os.write(write_fd, result.encode())
        except BaseException:  # noqa: BLE001 - nothing may escape a forked child
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks, deadline, killed = [], t0 + time_s + 1.0, False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            killed = True
            break
        ready, _, _ = select.select([read_fd], [], [], left)
        if ready:
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(read_fd)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - t0
    peak_b = max(0, usage.ru_maxrss * 1024 - base_rss)
    if killed:
        return Outcome("timeout", f"killed after {seconds:.1f} s", seconds, peak_b)
    try:
        kind, detail = json.loads(b"".join(chunks))
    except ValueError:
        kind, detail = "crash", f"the child died (status {status}) with no result"
    if kind in ("ok", "refused") and seconds > time_s:
        kind, detail = "timeout", f"took {seconds:.1f} s ({kind})"
    if kind in ("ok", "refused") and peak_b > memory_b:
        kind, detail = "memory", f"peak {peak_b / 2**20:.0f} MB ({kind})"
    return Outcome(kind, detail, seconds, peak_b)


def _current_rss_b() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return _rss_b()


def inputs(seeds: list[Path], seed: int, *, heavy: bool = True) -> Iterator[tuple[bytes, str, str]]:
    """An endless stream of (mutated bytes, mutation name, seed file name)."""
    rng = random.Random(seed)
    cache: dict[Path, bytes] = {}
    while True:
        path = rng.choice(seeds)
        if path not in cache:
            cache[path] = path.read_bytes()
        data, how = mutate(cache[path], rng, heavy)
        yield data, how, path.name
