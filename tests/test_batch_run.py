"""The batch over real files: a folder, an export zip of the same files, non-activity files.

The truth each batch result is checked against is ``splitcheck.io.read`` on each file
alone: what it reads, the batch lists once; what it refuses, the batch reports with the
same reason.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from conftest import REAL, manifest
from splitcheck import analysis
from splitcheck.batch import run as batch_run
from splitcheck.batch.run import run_batch
from splitcheck.batch.store import Store
from splitcheck.errors import FileError, NotAnActivityError
from splitcheck.io import read

SMALL_BYTES = 120_000
"""Real files up to this size take part (plus every broken one): keeps the test quick."""
NOT_ACTIVITIES = {"notes.txt": b"easy week", "activities.csv": b"id\n1\n", "photo.jpg": b"\xff"}


def _chosen() -> list[str]:
    rows = manifest()
    return [
        r["path"]
        for r in rows
        if int(r["size_bytes"]) <= SMALL_BYTES
        or "BROKEN" in r["notes"]
        or "not an act" in r["notes"]
    ]


def _truth(rel: str) -> tuple[str, object]:
    """What reading the file alone gives: ('ok', sessions), ('skipped', _), ('failed', reason)."""
    try:
        return "ok", len(read(REAL / rel))
    except NotAnActivityError:
        return "skipped", None
    except FileError as err:
        return "failed", err.reason


def _snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    return {
        str(p.relative_to(folder)): (
            p.stat().st_size,
            p.stat().st_mtime_ns,
            hashlib.sha256(p.read_bytes()).hexdigest(),
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> dict:
    """Input folder: real files (some gzipped), their zip export, junk; then a cold run."""
    chosen = _chosen()
    root = tmp_path_factory.mktemp("batch")
    inp = root / "in"
    for i, rel in enumerate(chosen):
        target = inp / "files" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if i % 3 == 0:  # a third gzipped in the folder too
            target.with_name(target.name + ".gz").write_bytes(
                gzip.compress((REAL / rel).read_bytes())
            )
        else:
            shutil.copyfile(REAL / rel, target)
    for name, data in NOT_ACTIVITIES.items():
        (inp / name).write_bytes(data)
    (inp / "files" / "empty.fit").write_bytes(b"")
    (inp / "files" / "cut.gpx.gz").write_bytes(gzip.compress(b"<gpx>" * 400)[:-20])
    with zipfile.ZipFile(inp / "export.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in chosen:
            zf.writestr(f"activities/{rel}.gz", gzip.compress((REAL / rel).read_bytes()))
        zf.writestr("activities.csv", b"id\n")
    before = _snapshot(inp)
    cache = root / "cache"
    t0 = time.monotonic()
    with Store(cache) as store:
        cold = run_batch([inp], store, jobs=2, workers=True)
    cold_s = time.monotonic() - t0
    truth = {rel: _truth(rel) for rel in chosen}
    return {
        "inp": inp,
        "cache": cache,
        "cold": cold,
        "cold_s": cold_s,
        "truth": truth,
        "before": before,
        "chosen": chosen,
    }


def _original(name: str) -> str:
    """The real file a source name stands for (folder copy, .gz copy or zip member)."""
    tail = name.split("activities/", 1)[-1] if ".zip:" in name else name.split("/files/", 1)[-1]
    return tail.removesuffix(".gz")


def test_every_activity_appears_once(mixed):
    cold, truth = mixed["cold"], mixed["truth"]
    sessions: dict[str, set[int]] = {}
    for row in cold.tables["activities"]:
        for name in [row["source"], *filter(None, (row["also_in"] or "").split("; "))]:
            sessions.setdefault(_original(name), set()).add(row["session_index"])
    expected = {rel: n for rel, (status, n) in truth.items() if status == "ok"}
    assert set(sessions) == set(expected)
    for rel, n in expected.items():
        assert sessions[rel] == set(range(n)), rel
    keys = [(_original(r["source"]), r["session_index"]) for r in cold.tables["activities"]]
    assert len(keys) == len(set(keys))


def test_every_failure_reported_once_with_the_readers_reason(mixed):
    cold, truth = mixed["cold"], mixed["truth"]
    got = {_original(f.source): f.reason for f in cold.failures}
    expected = {rel: reason for rel, (status, reason) in truth.items() if status == "failed"}
    expected["empty.fit"] = "the file is empty"
    assert got.pop("cut.gpx").startswith("truncated or damaged gzip")
    assert got == expected
    assert len(cold.failures) == len(expected) + 1


def test_skipped_files_are_counted_by_reason(mixed):
    cold, truth = mixed["cold"], mixed["truth"]
    not_activity = sum(1 for status, _ in truth.values() if status == "skipped")
    by_extension = cold.skipped_reasons["not an activity file (by extension)"]
    assert by_extension == len(NOT_ACTIVITIES) + 1  # + the zip's activities.csv
    assert cold.skipped == by_extension + not_activity
    # every file of the zip and the gz copies is the same content as a folder file
    assert cold.duplicates == len(mixed["chosen"])


def test_nothing_in_the_input_folder_changes(mixed):
    assert _snapshot(mixed["inp"]) == mixed["before"]


def test_second_run_analyses_nothing_reads_nothing_and_is_much_faster(mixed, monkeypatch):
    calls = []
    real_digest = batch_run.content_digest
    monkeypatch.setattr(batch_run, "content_digest", lambda *a: calls.append(a) or real_digest(*a))
    t0 = time.monotonic()
    with Store(mixed["cache"]) as store:
        warm = run_batch([mixed["inp"]], store, jobs=2, workers=True)
    warm_s = time.monotonic() - t0
    cold = mixed["cold"]
    assert warm.analysed == 0
    # no file was even read, every stamp being known, but the two with no content to know
    assert sorted(Path(name).name for _, name in calls) == ["cut.gpx.gz", "empty.fit"]
    assert warm.cached == cold.analysed
    assert warm_s * 10 < mixed["cold_s"], (warm_s, mixed["cold_s"])
    assert warm.tables == cold.tables
    assert [f.line() for f in warm.failures] == [f.line() for f in cold.failures]


def test_touching_rehashes_that_file_only_and_changing_it_reanalyses_it_only(mixed, tmp_path):
    inp = tmp_path / "in"
    shutil.copytree(mixed["inp"], inp)  # the module's folder stays as it was
    shutil.copytree(mixed["cache"], tmp_path / "cache")
    gpx = next(p for p in sorted(inp.rglob("*.gpx")) if "heartandsole" in str(p))
    with Store(tmp_path / "cache") as store:
        moved = run_batch([inp], store, jobs=1)  # a moved folder: found again by content
        os.utime(gpx, ns=(1_500_000_000_000_000_000,) * 2)
        touched = run_batch([inp], store, jobs=1)
        gpx.write_bytes(gpx.read_bytes() + b"\n")
        changed = run_batch([inp], store, jobs=1)
    assert moved.analysed == touched.analysed == 0  # same content: cached results stand
    assert touched.identified == 1  # the touched file alone was read again
    assert changed.analysed == changed.identified == 1
    # the zip's copy keeps the old content: no longer a duplicate of the changed file
    assert changed.duplicates == touched.duplicates - 1
    assert changed.cached == touched.cached


@pytest.fixture
def small_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "small"
    folder.mkdir()
    for rel in (
        "heartandsole/testdata.gpx",
        "heartandsole/testdata.tcx",
        "python-fitparse/Activity.fit",
        "python-fitparse/garmin-fenix-5-run.fit",
        "python-fitparse/garmin-fenix-5-walk.fit",
        "runpandas/run_garmin.tcx",
    ):
        shutil.copyfile(REAL / rel, folder / rel.replace("/", "-"))
    return folder


def test_analysis_upgrade_reanalyses_what_an_older_version_analysed(
    small_folder, tmp_path, monkeypatch
):
    with Store(tmp_path / "c") as store:
        first = run_batch([small_folder], store, jobs=1)
        monkeypatch.setattr(analysis, "ANALYSIS_VERSION", "999-test")
        upgraded = run_batch([small_folder], store, jobs=1)
        again = run_batch([small_folder], store, jobs=1)
    assert first.analysed == upgraded.analysed == 6
    assert again.analysed == 0 and again.cached == 6


def test_interrupt_keeps_what_was_done_and_the_rerun_does_the_rest(small_folder, tmp_path):
    def stop_after_two(progress):
        if progress.done == 2:
            raise KeyboardInterrupt

    with Store(tmp_path / "c") as store:
        stopped = run_batch([small_folder], store, jobs=1, on_progress=stop_after_two)
        assert stopped.interrupted
        assert store.count() == 2
        rest = run_batch([small_folder], store, jobs=1)
    assert not rest.interrupted
    assert (rest.cached, rest.analysed) == (2, 4)


def test_a_bug_in_the_analysis_fails_that_file_only_and_is_not_cached(
    small_folder, tmp_path, monkeypatch
):
    real_analyze = analysis.analyze

    def flaky(activity, profile=None, **options):
        if "fenix-5-run" in activity.source:
            raise ZeroDivisionError("boom")
        return real_analyze(activity, profile, **options)

    monkeypatch.setattr(analysis, "analyze", flaky)
    with Store(tmp_path / "c") as store:
        result = run_batch([small_folder], store, jobs=1)
        assert [f.reason for f in result.failures] == ["internal error: ZeroDivisionError: boom"]
        assert result.read == 5
        monkeypatch.setattr(analysis, "analyze", real_analyze)
        retry = run_batch([small_folder], store, jobs=1)
    assert retry.analysed == 1 and retry.failures == []


def test_a_few_quick_files_do_not_start_worker_processes(small_folder, tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(batch_run, "_make_pool", lambda jobs: started.append(jobs))
    with Store(tmp_path / "c") as store:
        result = run_batch([small_folder], store, jobs=2)
    assert result.analysed == 6 and started == []


def test_slow_files_start_the_workers_after_the_probe(small_folder, tmp_path, monkeypatch):
    # any work left repays the start
    monkeypatch.setattr(batch_run, "POOL_WORTH_S", {"fork": 0.0, "spawn": 0.0})
    started = []
    real_make_pool = batch_run._make_pool
    monkeypatch.setattr(
        batch_run, "_make_pool", lambda jobs: started.append(jobs) or real_make_pool(1)
    )
    with Store(tmp_path / "c") as store:
        result = run_batch([small_folder], store, jobs=2)
    assert result.analysed == 6 and started == [2]


def test_load_frames_for_notebooks(small_folder, tmp_path):
    from splitcheck.batch import load_frames

    frames = load_frames([small_folder], cache_dir=tmp_path / "c", jobs=1)
    acts = frames["activities"]
    assert len(acts) == 5  # 6 files; testdata.gpx and .tcx are one activity exported twice
    assert str(acts["start_utc"].dtype).startswith("datetime64") and acts["start_utc"].dt.tz
    assert {"activities", "reps", "splits", "failures", "weeks", "fitness", "records"} <= set(
        frames
    )
    assert frames["failures"].empty


class _DyingPool(batch_run.Executor):
    """A pool whose worker dies on one file (as a segfault or the OOM killer would)."""

    made = 0

    def __init__(self) -> None:
        type(self).made += 1

    def submit(self, fn, /, *args, **kwargs):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future = Future()
        if "fenix-5-walk" in args[1]:
            future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        else:
            future.set_result(fn(*args, **kwargs))
        return future


def test_a_worker_that_dies_fails_its_file_once_retried_and_not_cached(
    small_folder, tmp_path, monkeypatch
):
    monkeypatch.setattr(batch_run, "_make_pool", lambda jobs: _DyingPool())
    with Store(tmp_path / "c") as store:
        result = run_batch([small_folder], store, jobs=2, workers=True)
        assert [(Path(f.source).name, f.reason) for f in result.failures] == [
            ("python-fitparse-garmin-fenix-5-walk.fit", "internal error: the worker process died")
        ]
        assert result.read == 5
        assert _DyingPool.made == 2  # the first pool, and a fresh one for the retry
        assert store.count() == 5  # the dead worker's file will be tried again next run


def test_progress_counts_a_bad_zip_as_failed(tmp_path: Path):
    (tmp_path / "export.zip").write_bytes(b"PK\x03\x04 not really a zip")
    sample = Path(__file__).resolve().parents[1] / "sample_activities" / "easy_32min.fit"
    shutil.copy(sample, tmp_path / "easy.fit")
    seen = []
    with Store(tmp_path / "cache.sqlite") as store:
        result = run_batch([tmp_path], store, jobs=1, on_progress=seen.append)
    assert result.failed == 1
    assert seen and all(p.failed == 1 for p in seen)
