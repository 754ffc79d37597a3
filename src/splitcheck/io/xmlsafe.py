"""Safe and lenient XML for the GPX and TCX readers.

Safety
------
A watch never writes a DTD, so a GPX or TCX with a ``<!DOCTYPE`` or ``<!ENTITY``
declaration is refused outright: it can neither read local files through external
entities (XXE) nor exhaust memory through nested entity expansion (billion laughs).
The bytes are decoded to text first (:func:`decode_document`) and the *text* is scanned, so no
encoding (UTF-16, UTF-7...) hides a declaration. The text is then parsed by the stdlib's C
parser (TCX streamed, :mod:`.xmlstream`; GPX by the fast path or by gpxpy on the stdlib
ElementTree): without a DTD, expat expands no entity beyond XML's five and character
references.

Leniency
--------
What other platforms read is read here too, each with a warning on the activity:

* whitespace or a byte-order mark before ``<?xml`` (Polar Flow exports);
* a declared encoding that does not match the bytes (UTF-8 bytes declared
  ``ISO-8859-1``...), one the XML parser does not support (Shift_JIS, UTF-7) or one no
  one knows (read as UTF-8);
* namespace prefixes used without a declaration (``xsi:type`` in a TCX that lost its
  root element): bound to a placeholder namespace;
* damage (a truncated file, garbage in the middle): the document up to the damage is
  read, the elements still open are closed, and the reader says where the damage was and
  how many points it kept, as the FIT reader does (:class:`Salvage`). With
  ``Damage.RAISE`` damage is a :class:`~splitcheck.errors.CorruptFileError` instead.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from xml.etree.ElementTree import Element, ParseError, XMLParser

import numpy as np

from ..errors import CorruptFileError, Damage, FileError
from .xmlrepair import bind_prefixes, cut_at_damage
from .xmlvalues import PER_LEG_CADENCE_MAX, cadence_to_spm, iso_to_unix_s

__all__ = [
    "PER_LEG_CADENCE_MAX",
    "UNSAFE_XML_REASON",
    "Salvage",
    "XmlText",
    "cadence_to_spm",
    "decode_document",
    "decode_xml",
    "iso_to_unix_s",
    "local_name",
    "not_well_formed_reason",
    "parse_leniently",
    "parse_xml",
    "refuse_dtd",
]

UNSAFE_XML_REASON = "XML with a DOCTYPE or entity declarations is refused (unsafe)"
_DECLARATION = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECL = re.compile(r"^[\s\ufeff]*<\?xml\b[^>]{0,500}?\?>")
_ENCODING = re.compile(r"""\bencoding\s*=\s*["']([^"']{0,60})["']""")
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_NO_BOM = (  # "<" or whitespace, then a zero byte: UTF-16 without a byte-order mark
    (re.compile(rb"^(?:[ \t\r\n]\x00)*<\x00"), "utf-16-le"),
    (re.compile(rb"^(?:\x00[ \t\r\n])*\x00<"), "utf-16-be"),
)
_WIDE = ("utf-16", "utf-32")
MAX_TOKEN_B = 4 * 2**20
"""The longest stretch of an XML file between two ``<`` or ``>`` (one attribute, one
text): a watch file's are a few dozen bytes, notes a few KB. Longer is refused before
parsing: expat takes quadratic time over one huge token (200 MB: 73 s)."""
MAX_REPAIRS = 3
"""Parse attempts after the first: bind prefixes, then cut at the damage (then once more
for a prefix only the cut revealed)."""

T = TypeVar("T")


@dataclass(frozen=True)
class XmlText:
    """Decoded XML: the text (declaration blanked), how it was decoded, and warnings."""

    text: str
    encoding: str
    skipped_b: int
    """Bytes before the text (byte-order mark, whitespace), for byte offsets."""
    warnings: tuple[str, ...] = ()

    def byte_offset(self, char_offset: int) -> int:
        """The file's byte offset of a character offset in :attr:`text`."""
        head = self.text[:char_offset]
        return self.skipped_b + len(head.encode(self.encoding, errors="replace"))


@dataclass(frozen=True)
class Salvage:
    """Where damage cut the document, for the reader's warning."""

    offset_b: int
    truncated: bool
    reason: str
    refusal: str
    """The error had nothing been salvaged: ``not well-formed XML at line 3, ...``."""

    def nothing_left(self, source: str) -> CorruptFileError:
        """The error to raise when the part before the damage holds no activity."""
        return CorruptFileError(source, f"{self.refusal}: no point before the damage")

    def warning(self, points: int) -> str:
        """``truncated at byte 5120 (salvaged 300 points)``, as the FIT reader says it."""
        if self.truncated:
            return f"truncated at byte {self.offset_b} (salvaged {points} points)"
        return (
            f"damaged at byte {self.offset_b} ({self.reason}): read up to there "
            f"(salvaged {points} points)"
        )


# -- decoding ---------------------------------------------------------------------------
def decode_xml(data: bytes, source: str) -> tuple[str, list[str]]:
    """:func:`decode_document`'s text and warnings (DTDs refused)."""
    doc = decode_document(data, source)
    return doc.text, list(doc.warnings)


def refuse_dtd(text: str, source: str) -> None:
    """Raise :class:`FileError` when decoded XML text declares a DOCTYPE or an entity."""
    if _DECLARATION.search(text):
        raise FileError(source, UNSAFE_XML_REASON)


def decode_document(data: bytes, source: str) -> XmlText:
    """Decode XML bytes to text, leniently, and refuse DTDs in the text.

    The encoding comes from a byte-order mark, else zero bytes (UTF-16 without a mark),
    else the declaration, else UTF-8. A declared encoding that Python does not know, or
    that does not decode the bytes while UTF-8 does, gives way to UTF-8 with a warning;
    bytes that decode in neither are replaced, with a warning. Leading whitespace is
    dropped and the declaration blanked (same length, so line and column numbers stand):
    the text is parsed as text, whatever it declared.

    Raises
    ------
    FileError
        ``XML with a DOCTYPE or entity declarations is refused (unsafe)``.
    """
    _refuse_huge_tokens(data, source)
    warnings: list[str] = []
    skipped, encoding = 0, None
    for bom, name in _BOMS:
        if data.startswith(bom):
            skipped, encoding = len(bom), name
            break
    else:
        for pattern, name in _NO_BOM:
            if pattern.match(data[:64]):
                encoding = name
                break
    body = data[skipped:]
    if encoding in (None, "utf-8"):
        stripped = body.lstrip(b" \t\r\n")
        if len(stripped) < len(body) and stripped.startswith(b"<?xml"):
            warnings.append("whitespace before the XML declaration ignored")
        skipped += len(body) - len(stripped)
        body = stripped
    head = body[:512].decode(encoding or "latin-1", errors="replace")
    declared = _declared_encoding(head)
    text, encoding = _decode(body, encoding, declared, warnings)
    decl = _XML_DECL.match(text)
    if decl:
        text = re.sub(r"[^\n]", " ", decl.group(0)) + text[decl.end() :]
    refuse_dtd(text, source)
    return XmlText(text, encoding, skipped, tuple(warnings))


def _refuse_huge_tokens(data: bytes, source: str, chunk_b: int = 2**24) -> None:
    """Raise :class:`FileError` when ``data`` holds more than :data:`MAX_TOKEN_B` bytes
    without a ``<`` or ``>`` (vectorised, in chunks: linear time, bounded memory)."""
    if len(data) <= MAX_TOKEN_B or not _has_blank_window(data, MAX_TOKEN_B // 2):
        return
    last = -1
    for start in range(0, len(data), chunk_b):
        size = min(chunk_b, len(data) - start)
        a = np.frombuffer(data, np.uint8, count=size, offset=start)
        marks = np.flatnonzero((a == 0x3C) | (a == 0x3E)) + start
        ends = np.concatenate([marks, [start + size]]) if start + size == len(data) else marks
        if len(ends) == 0:
            continue
        gaps = np.diff(np.concatenate([[last], ends]))
        i = int(np.argmax(gaps))
        if gaps[i] - 1 > MAX_TOKEN_B:
            at = int(last if i == 0 else ends[i - 1]) + 1
            raise FileError(
                source,
                f"{(gaps[i] - 1) / 2**20:.0f} MB of XML without a tag from byte {at} "
                "(no watch writes one value that long); refused",
            )
        last = int(ends[-1])


def _has_blank_window(data: bytes, window_b: int) -> bool:
    """Whether an aligned ``window_b`` stretch of ``data`` holds no ``<`` and no ``>``.
    A run longer than ``2 * window_b`` holds such a window whole, so without one there
    is nothing to measure (two ``find`` calls a window: no array of every mark)."""
    for start in range(0, len(data), window_b):
        stop = start + window_b
        if data.find(b"<", start, stop) < 0 and data.find(b">", start, stop) < 0:
            return True
    return False


def _declared_encoding(head: str) -> str | None:
    decl = _XML_DECL.match(head)
    if decl is None:
        return None
    m = _ENCODING.search(decl.group(0))
    return m.group(1).strip() if m else None


def _decode(
    body: bytes, found: str | None, declared: str | None, warnings: list[str]
) -> tuple[str, str]:
    if found is not None:  # a byte-order mark or zero bytes say more than a declaration
        if declared and _family(declared) not in (_family(found), None, "utf-8"):
            warnings.append(f"declares {declared} but the bytes are {found.upper()}")
        return _decode_as(body, found, warnings), found
    encoding = "utf-8"
    if declared:
        try:
            encoding = codecs.lookup(declared).name
        except LookupError:
            warnings.append(f"unknown text encoding {declared!r}; read as UTF-8")
        else:
            if encoding.startswith(_WIDE):  # declared UTF-16/32, yet no zero bytes
                warnings.append(f"declares {declared} but the bytes are not; read as UTF-8")
                encoding = "utf-8"
    if encoding != "utf-8" and not body.isascii():
        try:  # UTF-8 with non-ASCII letters is no accident: a mislabelled file
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            warnings.append(f"declares {declared} but the bytes are UTF-8; read as UTF-8")
            return text, "utf-8"
    try:
        return body.decode(encoding), encoding
    except UnicodeDecodeError as err:
        text = body.decode(encoding, errors="replace")
        warnings.append(f"bytes that are not valid {encoding} text were replaced ({err.reason})")
        return text, encoding


def _decode_as(body: bytes, encoding: str, warnings: list[str]) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as err:
        warnings.append(f"bytes that are not valid {encoding} text were replaced ({err.reason})")
        return body.decode(encoding, errors="replace")


def _family(name: str) -> str | None:
    try:
        full = codecs.lookup(name).name
    except LookupError:
        return None
    return next((w for w in _WIDE if full.startswith(w)), "utf-8" if "utf" in full else full)


# -- parsing ----------------------------------------------------------------------------
def parse_xml(
    data: bytes, source: str, *, damage: Damage = Damage.SALVAGE
) -> tuple[Element, list[str], Salvage | None]:
    """Parse XML bytes safely (DTDs refused) and leniently (see the module) into a tree.

    Returns the root element, warnings, and where damage cut the document (None when
    whole).

    Raises
    ------
    FileError
        ``XML with a DOCTYPE or entity declarations is refused (unsafe)``.
    CorruptFileError
        ``not well-formed XML at line L, column C (reason)``: nothing before the damage,
        or ``damage`` is RAISE.
    """
    doc = decode_document(data, source)
    warnings = list(doc.warnings)
    root, salvage = parse_leniently(doc, source, _safe_parse, warnings, damage=damage)
    return root, warnings, salvage


def _safe_parse(text: str) -> Element:
    """The document's tree, by the stdlib's C parser (expat + the C TreeBuilder).

    The text reaching here was refused by :func:`decode_document` if it declares a
    DOCTYPE or an entity, and expat expands nothing else (no DTD, no external entity), so
    this is as safe as defusedxml's ``forbid_dtd`` parse, which runs on the pure-Python
    ``XMLParser`` (twice as slow).
    """
    if _DECLARATION.search(text):  # repairs never add one; checked again all the same
        raise _Unsafe
    parser = XMLParser()
    parser.feed(text)
    return parser.close()


class _Unsafe(Exception):
    pass


def parse_leniently(
    doc: XmlText,
    source: str,
    parse: Callable[[str], T],
    warnings: list[str],
    *,
    damage: Damage = Damage.SALVAGE,
) -> tuple[T, Salvage | None]:
    """``parse(text)``, repairing what :class:`ParseError` reports: undeclared prefixes
    are bound, and damage cuts the document there (``damage`` SALVAGE).

    ``parse`` raises :class:`ParseError` for XML that is not well-formed (other errors
    pass through).
    """
    text, salvage, first_error = doc.text, None, None
    for _ in range(MAX_REPAIRS + 1):
        try:
            return parse(text), salvage
        except _Unsafe as err:
            raise FileError(source, UNSAFE_XML_REASON) from err
        except ParseError as err:
            first_error = first_error or err
            if "unbound prefix" in str(err):
                bound, prefixes = bind_prefixes(text)
                if prefixes:
                    names = ", ".join(prefixes)
                    warnings.append(f"namespace prefix {names} used without a declaration")
                    text = bound
                    continue
            if damage is Damage.RAISE or salvage is not None:
                break
            cut = cut_at_damage(text, err)
            if cut is None:
                break
            text, char_offset, truncated = cut
            salvage = Salvage(
                doc.byte_offset(char_offset), truncated, _reason(err), not_well_formed_reason(err)
            )
    raise CorruptFileError(source, not_well_formed_reason(first_error)) from first_error


def not_well_formed_reason(err: ParseError | None) -> str:
    """``not well-formed XML at line 4653, column 6 (unbound prefix)`` from a ParseError."""
    if err is None:
        return "not well-formed XML"
    position = getattr(err, "position", None)
    if position:
        line, column = position
        return f"not well-formed XML at line {line}, column {column} ({_reason(err)})"
    return f"not well-formed XML ({_reason(err)})"


def _reason(err: ParseError) -> str:
    return str(err).split(":", 1)[0].strip() or "syntax error"


def local_name(tag: str) -> str:
    """``TrackPointExtension`` from ``{http://...}TrackPointExtension``."""
    return tag.rpartition("}")[2]
