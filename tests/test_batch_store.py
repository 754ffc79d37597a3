"""The results cache: keys, versions, crash safety, an unusable cache file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from splitcheck.batch.store import DB_NAME, FileResult, Store, default_cache_dir

OK = FileResult(status="ok", tables={"activities": [{"sport": "running", "distance_m": 5000.0}]})


def test_result_round_trip_keyed_by_digest_and_version(tmp_path: Path):
    with Store(tmp_path) as store:
        store.put("d1", "1", "a.fit", OK)
        store.put("d2", "1", "b.fit", FileResult(status="failed", reason="truncated"))
    with Store(tmp_path) as store:  # a new process would see the same
        assert store.get("d1", "1") == OK
        assert store.get("d2", "1").reason == "truncated"
        assert store.get("d1", "2") is None  # another analysis version: not a hit
        assert store.count("1") == 2


def test_stamp_gives_the_digest_only_while_unchanged(tmp_path: Path):
    with Store(tmp_path) as store:
        store.remember_digest("/x/a.fit", (10, 123), "d1")
        assert store.known_digest("/x/a.fit", (10, 123)) == "d1"
        assert store.known_digest("/x/a.fit", (10, 124)) is None
        store.remember_digest("/x/a.fit", (10, 124), "d2")
        assert store.known_digest("/x/a.fit", (10, 124)) == "d2"


def test_prune_keeps_only_the_current_version(tmp_path: Path):
    with Store(tmp_path) as store:
        store.put("d1", "1", "a.fit", OK)
        store.put("d1", "2", "a.fit", OK)
        assert store.prune("2") == 1
        assert store.count() == 1


def test_in_memory_store_writes_nothing(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store(None) as store:
        store.put("d1", "1", "a.fit", OK)
        assert store.get("d1", "1") == OK
    assert list(tmp_path.iterdir()) == []


CRASH = """
import os, sys
from splitcheck.batch.store import FileResult, Store
store = Store(sys.argv[1])
store.put("committed", "1", "a.fit", FileResult(status="ok"))
conn = store._conn
conn.execute("BEGIN")
conn.execute(
    "INSERT INTO results VALUES ('half-written', '1', 'ok', NULL, '{}', 'b.fit', 'now')"
)
os._exit(9)  # killed mid-transaction: no commit, no clean close
"""


def test_a_process_killed_mid_write_leaves_a_sound_cache(tmp_path: Path):
    proc = subprocess.run([sys.executable, "-c", CRASH, str(tmp_path)], check=False)
    assert proc.returncode == 9
    with Store(tmp_path) as store:
        assert store._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.get("committed", "1") is not None
        assert store.get("half-written", "1") is None
        assert store.moved_aside is None


def test_a_cache_that_is_not_a_database_is_moved_aside(tmp_path: Path):
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with Store(tmp_path) as store:
        store.put("d1", "1", "a.fit", OK)
        assert store.moved_aside is not None and store.moved_aside.exists()
    assert sqlite3.connect(tmp_path / DB_NAME).execute("SELECT COUNT(*) FROM results").fetchone()


def test_default_cache_dir_follows_env(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("SPLITCHECK_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("SPLITCHECK_CACHE_DIR")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert default_cache_dir() == tmp_path / "xdg" / "splitcheck"


@pytest.mark.parametrize("status", ["bogus"])
def test_unknown_status_is_refused_by_the_schema(tmp_path: Path, status: str):
    with Store(tmp_path) as store, pytest.raises(sqlite3.IntegrityError):
        store.put("d1", "1", "a.fit", FileResult(status=status))
