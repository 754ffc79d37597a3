"""Reading watch files: FIT, GPX and TCX, plain or gzipped, recognised by content.

This package is the only code that imports fitparse or gpxpy; their exceptions are
wrapped in :mod:`splitcheck.errors` here.
"""

from __future__ import annotations

import os
import re
import stat
import zlib
from typing import TYPE_CHECKING

from ..errors import Damage, EmptyFileError, FileError, UnknownFormatError

if TYPE_CHECKING:  # the readers import the model; this dispatch needs only the name
    from ..model import Activity

FORMATS = ("fit", "gpx", "tcx")
MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024
"""A gzip that inflates past this is refused (a watch file is a few MB; a larger one is
a mistake or a decompression bomb)."""
MAX_FILE_BYTES = MAX_DECOMPRESSED_BYTES
"""A file larger than this is refused unread (the same 512 MB as a gzip's content)."""
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
    name = display_name(path)
    return read_bytes(read_file_bytes(path, name), name, damage=damage)


_NOT_REGULAR = (
    (stat.S_ISDIR, "is a folder, not a file (use 'splitcheck batch')"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a file; refused"),
    (stat.S_ISCHR, "is a device, not a file; refused"),
    (stat.S_ISBLK, "is a device, not a file; refused"),
    (stat.S_ISSOCK, "is a socket, not a file; refused"),
)


def read_file_bytes(path: str | os.PathLike, name: str, *, limit_b: int | None = None) -> bytes:
    """The bytes of a regular file (after symlinks), at most ``limit_b`` (default
    :data:`MAX_FILE_BYTES`).

    A FIFO, device or socket is refused by name without reading from it (a FIFO is
    opened without blocking; ``zero.fit -> /dev/zero`` would never end), and so is a file
    larger than the limit, before any byte of it is read.

    Raises
    ------
    FileError
        Not a regular file, too large, missing or unreadable.
    """
    limit_b = MAX_FILE_BYTES if limit_b is None else limit_b
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError as err:
        raise FileError(name, _NOT_REGULAR[0][1]) from err
    except FileNotFoundError as err:
        raise FileError(name, "no such file") from err
    except OSError as err:
        raise FileError(name, f"cannot be read ({err.strerror or err})") from err
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            reason = next((r for test, r in _NOT_REGULAR if test(st.st_mode)), None)
            raise FileError(name, reason or "is not a regular file; refused")
        if st.st_size > limit_b:
            raise FileError(
                name, f"{st.st_size / 2**20:.0f} MB is too large for a watch file; refused"
            )
        with os.fdopen(fd, "rb", closefd=False) as fh:
            # The file's size (+1 to see it grow), not the limit: read(n) allocates n bytes
            # up front, 512 MB for every 100 KB file on a system that does not overcommit.
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:  # grew since fstat: read on, up to the limit
                data += fh.read(limit_b + 1 - len(data))
    except OSError as err:
        raise FileError(name, f"cannot be read ({err.strerror or err})") from err
    finally:
        os.close(fd)
    if len(data) > limit_b:  # grew while being read
        raise FileError(name, f"larger than {limit_b // 2**20} MB; refused")
    return data


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def display_name(path: str | os.PathLike) -> str:
    """A file name safe to print and store: bytes that are not UTF-8 become ``\\xe9``
    escapes, control characters (a newline, an ANSI escape) ``\\n``, ``\\x1b``: a name
    can neither colour the terminal nor forge a line of a report."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(_escape_control, text)


def _escape_control(m: re.Match) -> str:
    return m.group(0).encode("unicode_escape").decode("ascii")


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

        return read_gpx(data, source, damage=damage)
    from .tcx import read_tcx

    return read_tcx(data, source, damage=damage)


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
    except (zlib.error, EOFError) as err:  # zlib's own errors (no gzip module: start-up)
        raise FileError(source, f"damaged gzip ({err})") from err
    if not d.eof:
        raise FileError(source, "truncated or damaged gzip (the compressed data ends early)")
    if not out:
        raise EmptyFileError(source, "the gzip holds an empty file")
    return out
