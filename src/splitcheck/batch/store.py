"""The batch cache: analysis results in one SQLite file, safe against a crash mid-write.

Results are keyed by the SHA-256 of a file's decompressed content and by the analysis
version (``splitcheck.analysis.ANALYSIS_VERSION`` plus a fingerprint of the runner's
profile, which the scorecard depends on), so

* a re-run analyses only files whose content it has not seen (a renamed or copied file is
  found again by its content);
* an upgrade that bumps ``ANALYSIS_VERSION`` re-analyses everything analysed by an older
  version, and nothing stored under the current one.

A second table remembers each file's *stamp* (size and modification time on disk; CRC-32
inside a zip) with its digest, so a warm run does not even read unchanged files.

Crash safety comes from SQLite itself: write-ahead logging (WAL) and one transaction per
stored file; a process killed mid-write leaves the last committed state. A cache file that
is not a database (or from a newer splitcheck) is moved aside, never trusted, never fatal.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
"""SQLite ``user_version`` of the cache layout; a different value starts a fresh cache."""
DB_NAME = "batch-v1.sqlite3"
BUSY_TIMEOUT_MS = 10_000
"""Wait this long for another splitcheck writing the same cache before giving up."""
CACHE_ENV = "SPLITCHECK_CACHE_DIR"

STATUSES = ("ok", "skipped", "failed")
"""ok: read and analysed; skipped: a valid file that holds no activity (FIT monitoring or
workout file); failed: could not be read (the reason says why)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    digest TEXT NOT NULL,
    version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'skipped', 'failed')),
    reason TEXT,
    payload TEXT NOT NULL,
    source TEXT NOT NULL,
    analysed_utc TEXT NOT NULL,
    PRIMARY KEY (digest, version)
);
CREATE TABLE IF NOT EXISTS stamps (
    location TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    digest TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class FileResult:
    """What the analysis of one file gave: its status, a one-line reason when it was
    skipped or failed, and its table rows (``activities``, ``reps``, ``splits``: lists of
    JSON-ready dicts, see :mod:`splitcheck.batch.run`)."""

    status: str
    reason: str | None = None
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def payload(self) -> str:
        return json.dumps(self.tables, ensure_ascii=False, separators=(",", ":"))


def default_cache_dir() -> Path:
    """Where the cache lives unless ``--cache-dir`` says otherwise.

    ``$SPLITCHECK_CACHE_DIR``; else the platform's cache folder: ``$XDG_CACHE_HOME`` or
    ``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows;
    always in a ``splitcheck`` sub-folder.
    """
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
        return Path(base) / "splitcheck" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "splitcheck"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "splitcheck"


class Store:
    """The results cache; ``cache_dir=None`` keeps it in memory for one run (``--no-cache``).

    Use as a context manager, from one process (the batch's main process); several
    splitcheck processes may share one cache file (SQLite locks, WAL lets readers in).
    """

    def __init__(self, cache_dir: str | os.PathLike | None) -> None:
        self.path: Path | None = None
        self.moved_aside: Path | None = None
        if cache_dir is None:
            self._conn = _connect(":memory:")
            return
        folder = Path(cache_dir)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / DB_NAME
        try:
            self._conn = _connect(str(self.path))
        except sqlite3.DatabaseError:
            self.moved_aside = _move_aside(self.path)
            self._conn = _connect(str(self.path))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    # -- file stamps ----------------------------------------------------------------------
    def known_digest(self, location: str, stamp: tuple[int, ...]) -> str | None:
        """The content digest stored for this file, if its stamp has not changed."""
        row = self._conn.execute(
            "SELECT digest FROM stamps WHERE location = ? AND stamp = ?",
            (location, _stamp_text(stamp)),
        ).fetchone()
        return row[0] if row else None

    def remember_digest(self, location: str, stamp: tuple[int, ...], digest: str) -> None:
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO stamps (location, stamp, digest) VALUES (?, ?, ?)",
                (location, _stamp_text(stamp), digest),
            )

    # -- results --------------------------------------------------------------------------
    def get(self, digest: str, version: str) -> FileResult | None:
        row = self._conn.execute(
            "SELECT status, reason, payload FROM results WHERE digest = ? AND version = ?",
            (digest, version),
        ).fetchone()
        if row is None:
            return None
        return FileResult(status=row[0], reason=row[1], tables=json.loads(row[2]))

    def put(self, digest: str, version: str, source: str, result: FileResult) -> None:
        """Store one file's result in its own transaction (committed when this returns)."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO results "
                "(digest, version, status, reason, payload, source, analysed_utc) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (digest, version, result.status, result.reason, result.payload(), source, now),
            )

    def count(self, version: str | None = None) -> int:
        """Stored results (for one version, or all)."""
        if version is None:
            return self._conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        sql = "SELECT COUNT(*) FROM results WHERE version = ?"
        return self._conn.execute(sql, (version,)).fetchone()[0]

    def prune(self, keep_version: str) -> int:
        """Delete results of other versions; returns how many rows went."""
        with self._conn:
            cur = self._conn.execute("DELETE FROM results WHERE version != ?", (keep_version,))
        return cur.rowcount


def _connect(target: str) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level="DEFERRED")
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode never corrupts the database on a crash; at worst the last
            # transactions before a power cut are lost (they are re-analysed next run).
            conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"cache layout {version}, expected {SCHEMA_VERSION}")
        with conn:
            conn.executescript(_SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn


def _move_aside(path: Path) -> Path:
    """Rename an unusable cache (and its WAL files) so a fresh one can start."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.unusable-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{path}{suffix}")
        if src.exists():
            src.replace(Path(f"{target}{suffix}"))
    return target


def _stamp_text(stamp: tuple[int, ...]) -> str:
    return ",".join(str(int(x)) for x in stamp)
