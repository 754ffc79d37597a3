"""What the GPX and TCX readers share: safe XML parsing, ISO 8601 times, cadence units.

Safety
------
A watch never writes a DTD, so a GPX or TCX with a ``<!DOCTYPE`` or ``<!ENTITY``
declaration is refused outright: it can neither read local files through external
entities (XXE) nor exhaust memory through nested entity expansion (billion laughs).

* TCX is parsed by :func:`parse_xml`, with defusedxml and ``forbid_dtd=True``.
* GPX is parsed by gpxpy on the stdlib ElementTree; :func:`decode_xml` gives gpxpy the
  exact text it will parse, after :func:`refuse_dtd` checked that text for declarations
  (a scan of the decoded text, so no encoding trick hides a declaration from it). The
  scan costs about 1 ms per MB; parsing with defusedxml first would add 30-75 % to the
  read (measured on run.gpx and a 3,600-point GPX).

Times
-----
:func:`iso_to_unix_s` turns ISO 8601 strings into Unix seconds with numpy, without one
datetime object per sample.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree.ElementTree import Element, ParseError

import numpy as np
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as _defused_fromstring

from ..errors import CorruptFileError, FileError

UNSAFE_XML_REASON = "XML with a DOCTYPE or entity declarations is refused (unsafe)"
_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODING_DECL = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

PER_LEG_CADENCE_MAX = 120.0
"""A median cadence above this cannot be per leg (strides/min): even a sprinter's
~120 strides/min is 240 steps/min, and runners average 75-95 strides/min (160-190
steps/min, pacing-science.md). Above it the file already counts both feet."""


# -- parsing ----------------------------------------------------------------------------
def parse_xml(data: bytes, source: str) -> Element:
    """Parse XML bytes safely (defusedxml, DTDs forbidden) into an ElementTree root.

    Raises
    ------
    FileError
        ``XML with a DOCTYPE or entity declarations is refused (unsafe)``.
    CorruptFileError
        ``not well-formed XML at line L, column C (reason)``.
    """
    try:
        return _defused_fromstring(data, forbid_dtd=True)
    except DefusedXmlException as err:
        raise FileError(source, UNSAFE_XML_REASON) from err
    except ParseError as err:
        raise CorruptFileError(source, not_well_formed_reason(err)) from err


def not_well_formed_reason(err: ParseError) -> str:
    """``not well-formed XML at line 4653, column 6 (unbound prefix)`` from a ParseError."""
    reason = str(err).split(":", 1)[0].strip() or "syntax error"
    position = getattr(err, "position", None)
    if position:
        line, column = position
        return f"not well-formed XML at line {line}, column {column} ({reason})"
    return f"not well-formed XML ({reason})"


def decode_xml(data: bytes, source: str) -> tuple[str, list[str]]:
    """Decode XML bytes to text (BOM, then the XML declaration, else UTF-8).

    Returns the text and warnings (undecodable bytes are replaced, not fatal: a bad byte
    in a track name should not cost the run).
    """
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    else:
        declared = _ENCODING_DECL.match(data[:200])
        if declared:
            encoding = declared.group(1).decode("ascii").lower()
    try:
        return data.decode(encoding), []
    except LookupError as err:
        raise CorruptFileError(source, f"unknown text encoding {encoding!r}") from err
    except UnicodeDecodeError as err:
        text = data.decode(encoding, errors="replace")
        return text, [f"bytes that are not valid {encoding} text were replaced ({err.reason})"]


def refuse_dtd(text: str, source: str) -> None:
    """Raise :class:`FileError` when decoded XML text declares a DOCTYPE or an entity."""
    if _DECLARATION.search(text):
        raise FileError(source, UNSAFE_XML_REASON)


def local_name(tag: str) -> str:
    """``TrackPointExtension`` from ``{http://...}TrackPointExtension``."""
    return tag.rpartition("}")[2]


# -- times ------------------------------------------------------------------------------
def iso_to_unix_s(texts: Sequence[str]) -> tuple[np.ndarray, int]:
    """Unix seconds from ISO 8601 date-times, vectorised.

    Accepts ``2020-12-20T08:50:47Z``, fractional seconds, ``+02:00`` / ``-0300`` /
    ``+02`` offsets, and times without a zone (read as UTC). Empty or unreadable strings
    give NaN.

    Returns
    -------
    seconds : ndarray of float64
        Seconds since 1970-01-01T00:00:00Z.
    n_naive : int
        How many non-empty times had no zone (the caller warns).
    """
    a = np.asarray(texts, dtype=str).reshape(-1)
    if a.size == 0:
        return np.zeros(0), 0
    zulu = np.char.endswith(a, "Z")
    if zulu.all():  # the usual case, a few ms for an hour of 1 s samples
        try:
            return _datetime64_to_unix_s(np.char.rstrip(a, "Z"), strict=True), 0
        except ValueError:
            pass
    a = np.char.replace(np.char.strip(a), " ", "T")  # "2020-12-20 08:50:47" is ISO too
    zulu = np.char.endswith(a, "Z") | np.char.endswith(a, "z")
    a = np.where(zulu, np.char.rstrip(a, "Zz"), a)
    offset_s = np.zeros(a.shape)
    date, _, clock = np.char.partition(a, "T").T
    signed = np.char.find(clock, "-") >= 0
    clock, plus, zone = np.char.partition(np.char.replace(clock, "-", "+"), "+").T
    has_offset = plus == "+"
    if has_offset.any():
        offset_s = _offset_seconds(zone, has_offset, signed)
        a = np.where(has_offset, np.char.add(np.char.add(date, "T"), clock), a)
    seconds = _datetime64_to_unix_s(a) - offset_s
    n_naive = int((np.isfinite(seconds) & ~zulu & ~has_offset).sum())
    return seconds, n_naive


def _offset_seconds(zone: np.ndarray, has_offset: np.ndarray, negative: np.ndarray):
    digits = np.where(has_offset, np.char.replace(zone, ":", ""), "0")
    valid = np.char.isdigit(digits) & np.isin(np.char.str_len(digits), (1, 2, 4))
    digits = np.where(valid, digits, "0")
    value = digits.astype(np.int64)
    value = np.where(np.char.str_len(digits) <= 2, value * 100, value)  # "+02" is 2 h
    seconds = (value // 100) * 3600.0 + (value % 100) * 60.0
    seconds = np.where(valid, seconds, np.nan)
    return np.where(has_offset, np.where(negative, -seconds, seconds), 0.0)


def _datetime64_to_unix_s(a: np.ndarray, *, strict: bool = False) -> np.ndarray:
    try:
        stamps = a.astype("datetime64[us]")
    except ValueError:  # a few bad strings: find them one by one, NaN for those
        if strict:
            raise
        stamps = np.array([_one_datetime64(s) for s in a.tolist()], dtype="datetime64[us]")
    out = stamps.astype(np.int64) / 1e6
    out[np.isnat(stamps)] = np.nan
    return out


def _one_datetime64(text: str) -> np.datetime64:
    try:
        return np.datetime64(text, "us")
    except ValueError:
        return np.datetime64("NaT", "us")


# -- cadence ----------------------------------------------------------------------------
def cadence_to_spm(cadence: np.ndarray, foot_sport: bool, warnings: list[str]) -> np.ndarray:
    """Steps per minute (both feet) from a GPX/TCX cadence.

    GPX ``cad`` and TCX ``Cadence``/``RunCadence`` count one foot (strides/min) for
    running, so a foot sport's cadence is doubled; other sports keep rpm. A file whose
    median cadence is above :data:`PER_LEG_CADENCE_MAX` already counts both feet and is
    kept as it is, with a warning.
    """
    cad = np.asarray(cadence, dtype=np.float64)
    if not foot_sport:
        return cad
    moving = cad[np.isfinite(cad) & (cad > 0)]
    if len(moving) and float(np.median(moving)) > PER_LEG_CADENCE_MAX:
        warnings.append("cadence already counts both feet (median above 120); kept as is")
        return cad
    return cad * 2.0
