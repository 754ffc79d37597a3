"""Reading watch files: FIT, GPX and TCX, plain or gzipped, recognised by content.

This package is the only code that imports fitparse or gpxpy; their exceptions are
wrapped in :mod:`splitcheck.errors` here.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from pathlib import Path

from ..errors import Damage, EmptyFileError, FileError, UnknownFormatError
from ..model import Activity

FORMATS = ("fit", "gpx", "tcx")
MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024
"""A gzip that inflates past this is refused (a watch file is a few MB; a larger one is
a mistake or a decompression bomb)."""
SNIFF_BYTES = 4096
XML_ROOTS = {b"gpx": "gpx", b"trainingcenterdatabase": "tcx", b"activities": "tcx"}
SNIFF_MAX_BYTES = 256 * 1024
_XML_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_UTF16 = (
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)


def read(path: str | os.PathLike, *, damage: Damage = Damage.SALVAGE) -> list[Activity]:
    """Read every session in a watch file (FIT, GPX or TCX; optionally gzipped).

    Returns one :class:`~splitcheck.model.Activity` per session (a triathlon FIT gives
    five). The format is recognised from the content, not the extension.

    Raises
    ------
    FileError
        (a subclass) when the file cannot be read as an activity; the message names the
        file and says why in one line.
    """
    if isinstance(path, bytes | bytearray | memoryview):
        raise TypeError("read() takes a file path; for bytes in memory use read_bytes(data, name)")
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError as err:
        raise FileError(str(path), "is a folder, not a file (use 'splitcheck batch')") from err
    except FileNotFoundError as err:
        raise FileError(str(path), "no such file") from err
    except OSError as err:
        raise FileError(str(path), f"cannot be read ({err.strerror or err})") from err
    return read_bytes(data, str(path), damage=damage)


def read_bytes(data: bytes, source: str, *, damage: Damage = Damage.SALVAGE) -> list[Activity]:
    """Like :func:`read`, from bytes already in memory; ``source`` names them in messages."""
    data = _gunzip_if_needed(data, source)
    fmt = sniff_format(data)
    if fmt is None:
        if not data.strip():
            raise EmptyFileError(source, "the file is empty")
        raise UnknownFormatError(source, "not a FIT, GPX or TCX file")
    if fmt == "fit":
        from .fit import read_fit

        return read_fit(data, source, damage=damage)
    if fmt == "gpx":
        from .gpx import read_gpx

        return read_gpx(data, source)
    from .tcx import read_tcx

    return read_tcx(data, source)


def sniff_format(data: bytes) -> str | None:
    """``fit``, ``gpx``, ``tcx`` or None, from the first bytes of (decompressed) content.

    XML is recognised by its root element (``gpx``, ``TrainingCenterDatabase``, or
    ``Activities`` when a damaged TCX lost its root), after comments, the XML
    declaration and any DOCTYPE, so a comment naming the other format does not fool it.
    """
    if len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT":
        return "fit"
    head = _xml_head(data[:SNIFF_BYTES])
    if not head.lstrip(b" \t\r\n").startswith(b"<"):
        return None
    root = _ROOT_TAG.search(_XML_COMMENT.sub(b"", head))
    if root is None:  # root element past the sniff window (long comments): look further
        root = _ROOT_TAG.search(_XML_COMMENT.sub(b"", _xml_head(data[:SNIFF_MAX_BYTES])))
    return XML_ROOTS.get(root.group(1).rpartition(b":")[2].lower()) if root else None


def _xml_head(head: bytes) -> bytes:
    """The head as UTF-8-compatible bytes: UTF-8 BOM dropped, UTF-16 decoded."""
    for mark, encoding in _UTF16:
        if head.startswith(mark):
            return head.decode(encoding, errors="ignore").lstrip("\ufeff").encode()
    return head.removeprefix(b"\xef\xbb\xbf")


def _gunzip_if_needed(data: bytes, source: str) -> bytes:
    if not data:
        raise EmptyFileError(source, "the file is empty")
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        d = zlib.decompressobj(wbits=47)
        out = d.decompress(data, MAX_DECOMPRESSED_BYTES)
        if d.unconsumed_tail:
            raise FileError(source, "gzip inflates to more than 512 MB; refused")
    except (zlib.error, EOFError, gzip.BadGzipFile) as err:
        raise FileError(source, f"damaged gzip ({err})") from err
    if not d.eof:
        raise FileError(source, "truncated or damaged gzip (the compressed data ends early)")
    if not out:
        raise EmptyFileError(source, "the gzip holds an empty file")
    return out
