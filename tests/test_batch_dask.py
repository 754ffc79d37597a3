"""``splitcheck batch --dask`` and ``splitcheck.batch(client=...)`` on a real Dask cluster: a
scheduler and two workers started here as separate processes on localhost (the commands
docs/dask.md gives), not a LocalCluster object.

The truth is the local batch (the process pool's code path, whose own tests check it
against reading each file alone): the cluster must give the same tables over real files
(with damaged copies among them), an export zip and simulated runs, also when a worker is
killed mid-run, and Ctrl-C must leave a cache that a second run resumes from.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import REAL, ROOT, manifest
from splitcheck.batch import dask_backend
from splitcheck.batch.store import DB_NAME

distributed = pytest.importorskip("distributed")  # the test extra installs it (CI too)

SMALL_BYTES = 120_000
"""Real files up to this size (plus every broken one and non-activity): 39 files, ~1 s."""
COPIES = 32
"""Distinct versions of one real TCX (~0.1 s each to analyse): the batch is still running
when a worker is killed or Ctrl-C arrives."""
START_TIMEOUT_S = 60.0
SCATTER_LOWERED_BYTES = 500_000
"""Files above 4 MB go to the cluster by client.scatter; no real file is that large, so a
test lowers the limit below large.tcx's 785 KB."""
PYTHON = sys.executable


def _env() -> dict[str, str]:
    """The workers import this checkout's splitcheck, as the test does."""
    src = str(ROOT / "src")
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{path}" if path else src}


class Cluster:
    """A ``dask scheduler`` and ``dask worker`` processes (each in its own session, so a
    Ctrl-C sent to the batch command never reaches them); every process is killed at the
    end whatever happens."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.workers: dict[str, subprocess.Popen] = {}
        """By the name each worker has on the scheduler."""
        self.scheduler: subprocess.Popen | None = None
        self.address = ""

    def start(self) -> None:
        self.scheduler = self._start(
            "scheduler",
            ["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0"],
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (self.file.exists() and self.file.stat().st_size):
            assert self.scheduler.poll() is None, self._log("scheduler")
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.05)
        self.address = json.loads(self.file.read_text())["address"]

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        cmd = [PYTHON, "-m", *args, "--no-dashboard", "--scheduler-file", str(self.file)]
        with (self.folder / f"{name}.log").open("ab") as log:  # the child keeps its own copy
            return subprocess.Popen(
                cmd, stdout=log, stderr=log, env=_env(), cwd=self.folder, start_new_session=True
            )

    def _log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-2000:]

    def ensure_workers(self, client, n: int = 2) -> None:
        """Exactly ``n`` live workers known to the scheduler (replacing killed ones)."""
        self.workers = {k: w for k, w in self.workers.items() if w.poll() is None}
        while len(self.workers) < n:
            name = f"w{time.time_ns()}"
            args = ["distributed.cli.dask_worker", "--nthreads", "1", "--no-nanny"]
            self.workers[name] = self._start(
                "workers", [*args, "--host", "127.0.0.1", "--name", name]
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(client.nthreads()) != n:
            assert time.monotonic() < deadline, self._log("workers")
            time.sleep(0.1)

    def address_of(self, client, name: str) -> str:
        workers = client.scheduler_info(n_workers=-1)["workers"]
        return next(addr for addr, info in workers.items() if info["name"] == name)

    def close(self) -> None:
        for proc in [*self.workers.values(), self.scheduler]:
            if proc is None:
                continue
            if proc.poll() is None:
                proc.kill()  # nothing to save: a graceful close only costs seconds
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        c.start()
        yield c
    finally:
        c.close()


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(scheduler_file=str(cluster.file), set_as_default=False) as c:
        yield c


@pytest.fixture
def workers(cluster, client):
    cluster.ensure_workers(client, 2)
    return cluster


# -- inputs -------------------------------------------------------------------------------
def _real_subset() -> list[str]:
    return [
        r["path"]
        for r in manifest()
        if int(r["size_bytes"]) <= SMALL_BYTES
        or "BROKEN" in r["notes"]
        or "not an act" in r["notes"]
    ]


def _simulated(folder: Path) -> None:
    """A fortnight of simulated sessions (intervals, a mile trial, easy runs) as FIT."""
    from splitcheck.simulate import simulate, workout

    plans = [workout.repeats(6, 400, 90), workout.easy(1500), workout.mile_tt(), workout.easy()]
    start = dt.datetime(2025, 3, 3, 7, 0, tzinfo=dt.UTC)
    for i in range(8):
        sim = simulate(plans[i % 4], seed=10 + i, start_utc=start + dt.timedelta(days=2 * i))
        sim.write_fit(folder / f"sim-{i}.fit")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """Real files (some gzipped), damaged copies of real files, a zip export of some of
    them (members are always sent as bytes), non-activities, and simulated runs."""
    folder = tmp_path_factory.mktemp("archive") / "in"
    chosen = _real_subset()
    for i, rel in enumerate(chosen):
        target = folder / "real" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = (REAL / rel).read_bytes()
        if i % 4 == 0:
            target.with_name(target.name + ".gz").write_bytes(gzip.compress(data))
        else:
            target.write_bytes(data)
    fit = (REAL / "python-fitparse/garmin-fenix-5-run.fit").read_bytes()
    faults = folder / "faults"
    faults.mkdir()
    (faults / "cut-at-40pct.fit").write_bytes(fit[: len(fit) * 2 // 5])
    (faults / "header-only.fit").write_bytes(fit[:14])
    (faults / "empty.gpx").write_bytes(b"")
    (faults / "notes.txt").write_text("not an activity")
    with zipfile.ZipFile(folder / "export.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for rel in chosen[:12]:
            zf.writestr(f"activities/{rel}.gz", gzip.compress((REAL / rel).read_bytes()))
        zf.writestr("activities/other.fit", fit + b"\0")  # its own content: analysed
    sim = folder / "sim"
    sim.mkdir()
    _simulated(sim)
    # Larger than a task carries inside it in the first test (SCATTER_LOWERED_BYTES)
    (folder / "large.tcx").write_bytes((REAL / "runpandas/stopped_example.tcx").read_bytes())
    return folder


def _copies(folder: Path, n: int = COPIES) -> Path:
    folder.mkdir()
    data = (REAL / "runpandas/stopped_example.tcx").read_bytes()
    for i in range(n):
        (folder / f"run-{i:02d}.tcx").write_bytes(data + b"\n" * i)
    return folder


# -- the same tables ----------------------------------------------------------------------
FRAMES = ("activities", "reps", "splits", "efforts", "weeks", "months", "fitness")
FRAMES += ("records", "races", "workouts", "failures")


def _same_archive(dask_arc, local_arc) -> None:
    from pandas.testing import assert_frame_equal

    got, want = dask_arc.result, local_arc.result
    assert got.tables == want.tables
    assert got.failures == want.failures
    for count in ("files", "read", "skipped", "duplicates", "failed"):
        assert getattr(got, count) == getattr(want, count), count
    assert got.skipped_reasons == want.skipped_reasons
    for name in FRAMES:
        assert_frame_equal(getattr(dask_arc, name), getattr(local_arc, name), obj=name)


@pytest.fixture(scope="module")
def local_arc(archive, tmp_path_factory):
    import splitcheck

    arc = splitcheck.batch(archive, cache_dir=None, jobs=1, timezone="UTC")
    # Not a vacuous comparison: the archive has activities, weeks, records and failures.
    assert len(arc.activities) > 40 and len(arc.weeks) > 10 and len(arc.records) > 5
    failed = {Path(f.source).name for f in arc.result.failures}
    assert {"header-only.fit", "empty.gpx"} <= failed
    assert arc.result.duplicates >= 12  # the zip's members are copies of folder files
    assert any(r["source"].endswith("large.tcx") for r in arc.result.tables["activities"])
    return arc


def test_cluster_gives_the_local_tables_and_fills_the_cache(
    workers, client, archive, local_arc, tmp_path, monkeypatch
):
    import splitcheck

    assert (archive / "large.tcx").stat().st_size > SCATTER_LOWERED_BYTES
    monkeypatch.setattr(dask_backend, "SCATTER_ABOVE_BYTES", SCATTER_LOWERED_BYTES)
    scattered = []
    scatter = client.scatter
    monkeypatch.setattr(
        client, "scatter", lambda data, **kw: scattered.append(len(data)) or scatter(data, **kw)
    )

    cache = tmp_path / "cache"
    arc = splitcheck.batch(archive, cache_dir=cache, client=client, timezone="UTC")
    _same_archive(arc, local_arc)
    assert scattered == [(archive / "large.tcx").stat().st_size]
    analysed = arc.result.analysed
    assert analysed == local_arc.result.analysed and arc.result.cached == 0
    warm = splitcheck.batch(archive, cache_dir=cache, client=client, timezone="UTC")
    _same_archive(warm, local_arc)
    assert warm.result.analysed == 0 and warm.result.cached == analysed
    _no_tasks_left(client)


def test_workers_reading_shared_paths_give_the_same_tables(workers, client, archive, local_arc):
    import splitcheck

    arc = splitcheck.batch(
        archive, cache_dir=None, client=client, shared_paths=True, timezone="UTC"
    )
    _same_archive(arc, local_arc)


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(workers, client, tmp_path):
    folder = _copies(tmp_path / "in")
    cache = tmp_path / "cache"
    cmd = _batch_cmd(folder, cache, tmp_path / "dask-out", "--dask", str(workers.file))
    proc = subprocess.Popen(cmd, cwd=tmp_path, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        _wait_for_results(cache / DB_NAME, proc, at_least=4)
        name, victim = next(iter(workers.workers.items()))
        in_flight = client.processing(workers=[workers.address_of(client, name)])
        victim.kill()  # SIGKILL: no goodbye to the scheduler, its files in flight are lost
        victim.wait(timeout=10)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert sum(map(len, in_flight.values())) >= 1  # the killed worker had files to lose
    assert f"{COPIES} files: {COPIES} read (" in err and "0 skipped, 0 failed" in err
    assert f"; {COPIES} analysed now, 0 from the cache;" in err
    assert len(client.nthreads()) == 1  # the scheduler saw the worker go
    assert _count(cache / DB_NAME) == COPIES
    local = subprocess.run(
        _batch_cmd(folder, None, tmp_path / "local-out", "-j", "1"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert local.returncode == 0, local.stderr
    _same_output_files(tmp_path / "dask-out", tmp_path / "local-out", 0)


@pytest.mark.parametrize("where", ["scheduler", "local"])
def test_ctrl_c_leaves_a_cache_the_next_run_resumes_from(where, workers, client, tmp_path):
    """On the cluster, and with --dask local, whose worker processes share the command's
    process group (so they get the terminal's Ctrl-C too, and must leave it to the batch)."""
    folder = _copies(tmp_path / "in")
    cache = tmp_path / "cache"
    address = (
        ["--dask", workers.address] if where == "scheduler" else ["--dask", "local", "-j", "2"]
    )
    cmd = _batch_cmd(folder, cache, tmp_path / "o", *address)
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, stderr=subprocess.PIPE, text=True, env=_env(), start_new_session=True
    )
    try:
        stored = _wait_for_results(cache / DB_NAME, proc, at_least=3)
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert all(line.startswith("splitcheck: ") for line in err.splitlines()), err
    assert "run the same command again to continue" in err
    _group_gone(proc.pid)  # no worker process of --dask local left behind
    kept = _count(cache / DB_NAME)
    assert stored <= kept < COPIES
    with sqlite3.connect(cache / DB_NAME) as conn:  # every stored result is whole
        rows = conn.execute("SELECT status, payload FROM results").fetchall()
    assert all(status == "ok" and json.loads(payload)["activities"] for status, payload in rows)
    if where == "scheduler":
        _no_tasks_left(client)  # the interrupted batch's tasks were cancelled on the cluster
    rerun = subprocess.run(
        cmd, cwd=tmp_path, capture_output=True, text=True, env=_env(), timeout=120
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"; {COPIES - kept} analysed now, {kept} from the cache;" in rerun.stderr


def test_dask_local_runs_a_local_cluster(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for rel in ("python-fitparse/garmin-fenix-5-run.fit", "gpxpy/cerknicko-without-times.gpx"):
        (folder / Path(rel).name).write_bytes((REAL / rel).read_bytes())
    runs = {}
    for name, extra in (("dask", ["--dask", "local", "-j", "2"]), ("local", ["-j", "1"])):
        runs[name] = subprocess.run(
            _batch_cmd(folder, None, tmp_path / name, *extra),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=_env(),
            timeout=120,
        )
        assert runs[name].returncode == 1, runs[name].stderr  # the route GPX fails
    assert "batch on the Dask cluster at tcp://127.0.0.1:" in runs["dask"].stderr
    assert "2 workers, 2 threads" in runs["dask"].stderr
    assert runs["dask"].stdout == runs["local"].stdout
    _same_output_files(tmp_path / "dask", tmp_path / "local", 1)


def _distributed_log_level() -> int:
    import logging

    return logging.getLogger("distributed.worker").getEffectiveLevel()


def test_dask_local_workers_print_nothing_on_the_runners_terminal():
    """A worker's heartbeat racing the cluster's close at Ctrl-C printed a traceback:
    the local cluster's workers log nothing below CRITICAL (remote ones are left alone)."""
    import logging

    with dask_backend.connect("local", workers=1) as client:
        levels = client.run(_distributed_log_level)
    assert levels and all(level >= logging.CRITICAL for level in levels.values()), levels


# -- errors and imports -------------------------------------------------------------------
def test_unreachable_scheduler_is_one_line(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens at
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = _copies(tmp_path / "in", 1)
    for address, says in ((f"tcp://127.0.0.1:{port}", "refused"), ("nonsense", "port")):
        run = subprocess.run(
            _batch_cmd(folder, tmp_path / "c", tmp_path / "o", "--dask", address),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=_env(),
            timeout=60,
        )
        assert run.returncode == 2
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "cannot reach the Dask scheduler" in lines[0], run.stderr
        assert address in lines[0] and says in lines[0]


NO_DASK = """
import sys
sys.modules["distributed"] = None  # as if Dask were not installed
from splitcheck.cli import main
sys.argv = ["splitcheck", "batch", *sys.argv[1:]]
main()
"""


def test_without_dask_the_option_says_what_to_install(tmp_path):
    folder = _copies(tmp_path / "in", 1)
    args = [str(folder), "--no-cache", "--out", str(tmp_path / "o"), "--dask", "local"]
    run = subprocess.run(
        [PYTHON, "-c", NO_DASK, *args], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert run.returncode == 2
    assert run.stderr.strip() == 'splitcheck: Dask is not installed: pip install "splitcheck[dask]"'


PROBE = """
import sys
from splitcheck.cli import main
sys.argv = ["splitcheck", "batch", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    code = done.code
print(code, sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")))
"""


def test_a_local_batch_never_imports_dask(tmp_path):
    folder = _copies(tmp_path / "in", 2)
    args = [str(folder), "--no-cache", "--out", str(tmp_path / "o"), "-j", "1"]
    run = subprocess.run(
        [PYTHON, "-c", PROBE, *args], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert run.stdout.strip().splitlines()[-1] == "0 []", run.stderr


# -- helpers ------------------------------------------------------------------------------
def _batch_cmd(folder: Path, cache: Path | None, out: Path, *extra: str) -> list[str]:
    cmd = [PYTHON, "-m", "splitcheck", "batch", str(folder), "--out", str(out)]
    cmd += ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    return [*cmd, "--timezone", "UTC", *extra]


def _same_output_files(got: Path, want: Path, failures: int) -> None:
    names = sorted(p.name for p in want.iterdir())
    assert names == sorted(p.name for p in got.iterdir())
    assert "activities.csv" in names and "weeks.csv" in names and "records.csv" in names
    for name in names:
        if name.endswith(".parquet"):
            continue  # same frames; parquet metadata may differ by writer
        assert (got / name).read_bytes() == (want / name).read_bytes(), name
    assert len((want / "activities.csv").read_text().splitlines()) > 1
    assert len((want / "failures.txt").read_text().splitlines()) == failures


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=10) as conn:
        try:
            return conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        except sqlite3.OperationalError:  # not made yet
            return 0


def _wait_for_results(db: Path, proc: subprocess.Popen, at_least: int) -> int:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        n = _count(db)
        if n >= at_least:
            assert n < COPIES, "the batch finished before it could be interrupted"
            return n
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        time.sleep(0.05)
    pytest.fail("no result stored in time")


def _group_gone(group: int, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            os.killpg(group, 0)  # signal 0: is any process of the group alive?
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, "processes of the interrupted batch are left"
        time.sleep(0.1)


def _no_tasks_left(client, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    # A lambda travels by value (the scheduler cannot import this test module).
    while client.run_on_scheduler(
        lambda dask_scheduler: sum(str(k).startswith("splitcheck-") for k in dask_scheduler.tasks)
    ):
        assert time.monotonic() < deadline, "tasks of a finished batch are left on the cluster"
        time.sleep(0.1)
