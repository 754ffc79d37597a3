"""Find the watch files in folders and archives, and read them without unpacking to disk.

A Garmin or Strava bulk export is a zip holding ``.fit``, ``.fit.gz``, ``.gpx.gz`` and
``.tcx.gz`` files among photos, CSVs and JSON (Garmin's holds further zips inside it).
:func:`iter_sources` walks folders (recursively) and zips (nested too), yields one
:class:`Source` per candidate activity file, and counts what it skipped. Zip members are
read in place through :mod:`zipfile`; nothing is ever written next to the inputs.

A source is identified by the SHA-256 of its *decompressed* content (:func:`content_digest`),
so ``run.fit`` in a folder, ``run.fit.gz`` inside an export zip and a second copy of
either are recognised as the same file.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FileError
from ..io import MAX_DECOMPRESSED_BYTES, _gunzip_if_needed

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".xml")
"""Extensions of files that may hold an activity (``.xml``: some exports name TCX so);
each may also end in ``.gz``. The content decides the format, the extension only whether a
file is worth opening."""
ARCHIVE_SUFFIXES = (".zip",)
MAX_NESTED_ZIP_BYTES = 2 * 1024**3
"""A zip inside a zip is read into memory to be opened (zip needs random access); one
larger than this is skipped with a reason rather than risk running out of memory."""
MAX_MEMBER_BYTES = MAX_DECOMPRESSED_BYTES
"""An activity file in a zip declaring more than this (512 MB, the gzip limit) is
refused unread: a watch file is a few MB, a larger member is a zip bomb."""
ZIP_FLAG_ENCRYPTED = 0x1
"""General-purpose bit 0 of a zip entry: the member is password-protected."""
MAX_ZIP_DEPTH = 3
"""Garmin exports nest zips two deep; deeper nesting is more likely a zip bomb."""
MEMBER_SEP = ":"
"""Separates an archive from a member in a source name: ``export.zip:activities/1.fit.gz``
(the form :class:`splitcheck.errors.FileError` messages use)."""


@dataclass(frozen=True)
class Source:
    """One candidate activity file: on disk, or a member of a (nested) zip.

    Attributes
    ----------
    name : str
        As the user knows it: ``runs/a.fit`` or ``export.zip:activities/1.fit.gz``.
    path : Path
        The file on disk (the outermost archive for a member).
    members : tuple of str
        The chain of zip members from ``path`` down to the file; empty for a plain file.
    stamp : tuple
        What identifies this version of the file without reading it (size and
        modification time on disk; for a member also its CRC-32 and size in the archive):
        when the stamp is unchanged the stored content digest can be reused.
    """

    name: str
    path: Path
    members: tuple[str, ...] = ()
    stamp: tuple[int, ...] = ()

    def read(self) -> bytes:
        """The file's raw bytes (still gzipped when the file is); opens the archives on the
        way each time (use :class:`ArchiveReader` for many members)."""
        with ArchiveReader() as reader:
            return reader.read(self)


class ArchiveReader:
    """Reads sources, keeping the last archive chain open: reading the members of one
    export in order opens the zip (and each nested zip) once, not once per member."""

    def __init__(self) -> None:
        self._open: list[tuple[tuple[str, ...], zipfile.ZipFile]] = []
        self._path: Path | None = None

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, source: Source) -> bytes:
        """The raw bytes of ``source``; :class:`FileError` when they cannot be read."""
        try:
            if not source.members:
                return source.path.read_bytes()
            zf = self._archive(source.path, source.members[:-1])
            return zf.read(source.members[-1])
        except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as err:
            raise FileError(source.name, f"cannot be read ({err})") from err
        except (RuntimeError, NotImplementedError) as err:  # zipfile: encrypted, unknown method
            raise FileError(source.name, f"cannot be read ({err})") from err

    def _archive(self, path: Path, chain: tuple[str, ...]) -> zipfile.ZipFile:
        if path != self._path:
            self.close()
            self._open = [((), zipfile.ZipFile(path))]
            self._path = path
        keep = 1  # entry k of _open is the zip at depth k; keep the prefix of ``chain`` open
        while keep < len(self._open) and keep <= len(chain) and self._open[keep][0] == chain[:keep]:
            keep += 1
        for _, zf in self._open[keep:]:
            zf.close()
        del self._open[keep:]
        for i in range(keep - 1, len(chain)):
            data = self._open[-1][1].read(chain[i])
            self._open.append((chain[: i + 1], zipfile.ZipFile(io.BytesIO(data))))
        return self._open[-1][1]

    def close(self) -> None:
        for _, zf in reversed(self._open):
            zf.close()
        self._open = []
        self._path = None


@dataclass
class WalkReport:
    """What a walk passed over: files skipped by reason, and paths it could not open."""

    skipped: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    exclude: frozenset[Path] = frozenset()
    """Folders (resolved) the walk does not enter: splitcheck's own output folders when
    they sit inside an input folder (``cd runs && splitcheck batch .``)."""

    def skip(self, reason: str, name: str) -> None:
        self.skipped[reason] += 1
        self.examples.setdefault(reason, name)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def is_activity_name(name: str) -> bool:
    """True when a file name may be an activity: ``.fit``, ``.gpx``, ``.tcx``, ``.xml``,
    each optionally ``.gz`` (case-insensitive)."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return lower.endswith(ACTIVITY_SUFFIXES)


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def content_digest(raw: bytes, name: str) -> tuple[str, bytes]:
    """SHA-256 (hex) of the decompressed content, and that content.

    Raises
    ------
    FileError
        When the file is empty or a damaged gzip (the reader would refuse it too).
    """
    data = _gunzip_if_needed(raw, name)
    return hashlib.sha256(data).hexdigest(), data


def printable(path: str | os.PathLike) -> str:
    """``path`` as text that can be printed and stored: bytes of a file name that are not
    UTF-8 (an old Latin-1 export: ``caf\xe9.fit``) are shown as ``\xe9`` escapes rather
    than as the lone surrogates Python decodes them to, which sqlite, JSON and UTF-8 files
    refuse."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def iter_sources(paths: Sequence[str | os.PathLike], report: WalkReport) -> Iterator[Source]:
    """Every candidate activity file under ``paths`` (files, folders, zips), in a stable
    order (sorted names within each folder and archive).

    Files that cannot be activities (by extension) are counted in ``report.skipped``; a
    path that does not exist, an unreadable folder or a damaged zip is recorded in
    ``report.errors`` and the walk goes on (one bad path never stops a batch).
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk_folder(path, report)
        elif path.is_file():
            yield from _file_sources(path, printable(path), report)
        else:
            report.errors.append(FileError(printable(path), "no such file or folder"))


def _walk_folder(root: Path, report: WalkReport) -> Iterator[Source]:
    def on_error(err: OSError) -> None:
        where = printable(err.filename or root)
        report.errors.append(FileError(where, f"cannot be listed ({err.strerror or err})"))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs.sort()
        dirs[:] = [  # .git, .Trash: never activities; nor splitcheck's own output
            d
            for d in dirs
            if not d.startswith(".")
            and not (report.exclude and (Path(folder) / d).resolve() in report.exclude)
        ]
        for fname in sorted(files):
            path = Path(folder) / fname
            if fname.startswith("."):
                report.skip("hidden file", printable(path))
                continue
            yield from _file_sources(path, printable(path), report)


def _file_sources(path: Path, name: str, report: WalkReport) -> Iterator[Source]:
    if is_archive_name(path.name):
        yield from _zip_sources(path, report)
    elif is_activity_name(path.name):
        try:
            st = path.stat()
        except OSError as err:
            report.errors.append(FileError(name, f"cannot be read ({err.strerror or err})"))
            return
        yield Source(name=name, path=path, stamp=(st.st_size, st.st_mtime_ns))
    else:
        report.skip("not an activity file (by extension)", name)


def _zip_sources(path: Path, report: WalkReport) -> Iterator[Source]:
    try:
        st = path.stat()
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile) as err:
        report.errors.append(FileError(printable(path), f"not a readable zip archive ({err})"))
        return
    with zf:
        yield from _members(zf, path, (), printable(path), (st.st_size, st.st_mtime_ns), report)


def _members(
    zf: zipfile.ZipFile,
    path: Path,
    chain: tuple[str, ...],
    prefix: str,
    stamp: tuple[int, ...],
    report: WalkReport,
) -> Iterator[Source]:
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = f"{prefix}{MEMBER_SEP}{info.filename}"
        base = info.filename.rsplit("/", 1)[-1]
        if base.startswith(".") or info.filename.startswith("__MACOSX/"):
            report.skip("hidden file", name)
        elif info.flag_bits & ZIP_FLAG_ENCRYPTED:
            report.errors.append(FileError(name, "encrypted (password-protected) zip member"))
        elif is_archive_name(base):
            yield from _nested_zip(zf, info, path, chain, name, stamp, report)
        elif is_activity_name(base) and info.file_size > MAX_MEMBER_BYTES:
            mb = MAX_MEMBER_BYTES // 1024**2
            report.errors.append(FileError(name, f"inflates to more than {mb} MB; refused"))
        elif is_activity_name(base):
            member_stamp = (*stamp, info.CRC, info.file_size)
            yield Source(name=name, path=path, members=(*chain, info.filename), stamp=member_stamp)
        else:
            report.skip("not an activity file (by extension)", name)


def _nested_zip(zf, info, path, chain, name, stamp, report) -> Iterator[Source]:
    if len(chain) + 1 >= MAX_ZIP_DEPTH:
        report.skip(f"zip nested more than {MAX_ZIP_DEPTH} deep", name)
        return
    if info.file_size > MAX_NESTED_ZIP_BYTES:
        report.skip("nested zip too large to open in memory", name)
        return
    try:
        inner = zipfile.ZipFile(io.BytesIO(zf.read(info)))
    except (
        OSError,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        zlib.error,
        RuntimeError,  # encrypted
        NotImplementedError,  # a compression method zipfile lacks
    ) as err:
        report.errors.append(FileError(name, f"not a readable zip archive ({err})"))
        return
    with inner:
        inner_stamp = (*stamp, info.CRC, info.file_size)
        yield from _members(inner, path, (*chain, info.filename), name, inner_stamp, report)
