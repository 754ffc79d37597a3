"""GPX/TCX mutations for the fuzzer (tests/fuzzing.py): elements deleted, duplicated,
renamed or left open; extreme numbers; odd times, zone offsets and year jumps; declared and
real encodings, byte-order marks and whitespace; undeclared prefixes; truncation; XML
attacks; huge attributes and deep nesting."""

from __future__ import annotations

import random
import re

from fuzz_fit import bytes_mutation

_NUMBER_TEXT = re.compile(rb">(-?\d+(?:\.\d+)?)<")
_TIME_TEXT = re.compile(rb"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)?")
_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]{0,60})[^<>]{0,400}>[^<]{0,400}</\1>")
"""A leaf element (bounded: a 20 MB attribute from an earlier mutation must not make the
search quadratic)."""
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
            return bytes_mutation(b, rng)
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
            return bytes_mutation(b, rng)
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
        return bytes_mutation(b, rng)
    elif kind == "many":
        for _ in range(rng.randint(2, 4)):
            b, _ = mutate_xml(b, rng, heavy)
    return b, f"xml:{kind}"
