"""The batch on Dask against the local pool: N one-hour runs (simulated FIT files in a temp
folder), each analysed cold (empty cache) by

* the local pool with --jobs 1 (analysed in this process) and 2 workers from the first file;
* Dask: a LocalCluster of 1 and of 2 single-threaded worker processes (started before the
  clock starts: a cluster outlives many batches), the client in this process;

printing files/s, wall and CPU seconds (this process, its pool children, the Dask workers),
and the per-file overhead of Dask: CPU per file beyond the local --jobs 1 run's.

    python benchmarks/bench_dask.py            # N=1000
    python benchmarks/bench_dask.py -n 200

The machine may be shared: the load average is printed with each row; compare within one
run. Every configuration must give the same tables (checked).

Measured 2026-12-03, 2 cores shared with other jobs (load 4.7-6.2), N=1000: local --jobs 1
24.8 files/s, local pool 2 workers 34.1; Dask 1 worker 21.2, 2 workers 28.4; Dask's CPU
overhead +6.4 / +4.5 ms per file (one task per file before: +22 ms). See docs/dask.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

ONE_HOUR_S = 3600.0
EASY_PACE_S_PER_KM = 330.0
WARM_UP_FILES = 4
"""Analysed (no cache) before each timed batch: the first file in a process imports the
readers, numpy's lazy parts etc. (~0.5 s), a cost of the process, not of the files; a
cluster's workers, like a notebook kernel, pay it once for many batches."""
DISTINCT_RUNS = 20
"""Distinct simulated runs (seeds); the N files are these on different days (each file its
own content, so each is analysed, and the days make the weeks of a training diary)."""


def build_runs(folder: Path, n: int) -> None:
    from splitcheck.simulate import simulate, workout
    from splitcheck.simulate.fit_writer import fit_bytes

    start = dt.datetime(2024, 1, 1, 7, 0, tzinfo=dt.UTC)
    runs = [
        simulate(workout.easy(ONE_HOUR_S, EASY_PACE_S_PER_KM), seed=s, route="road")
        for s in range(DISTINCT_RUNS)
    ]
    for i in range(n):
        rec = runs[i % DISTINCT_RUNS].recording
        day = dataclasses.replace(rec, start_utc=start + dt.timedelta(days=i))
        (folder / f"run-{i:04d}.fit").write_bytes(fit_bytes(day))


def cpu_s(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def worker_cpu_s() -> float:
    """Run on each Dask worker: its process's CPU seconds so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(folder: Path, cache: Path, warm: Path, **kwargs):
    """(wall s, CPU s here (this process and its pool's), CPU s of the Dask workers,
    result) of one cold batch, after a warm-up batch."""
    from splitcheck.batch.run import run_batch
    from splitcheck.batch.store import Store

    with Store(None) as store:
        run_batch([warm], store, **kwargs)
    client = kwargs.get("client")
    workers_before = sum(client.run(worker_cpu_s).values()) if client else 0.0
    self_before, children_before = cpu_s(), cpu_s(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with Store(cache) as store:
        result = run_batch([folder], store, **kwargs)
    wall = time.perf_counter() - t0
    if client is None:  # reap the pool's workers so their CPU is counted
        deadline = time.monotonic() + 10
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.05)
    here = cpu_s() - self_before + cpu_s(resource.RUSAGE_CHILDREN) - children_before
    workers = sum(client.run(worker_cpu_s).values()) - workers_before if client else 0.0
    return wall, here, workers, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="one-hour runs [1000]")
    args = parser.parse_args()
    n = args.n
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="splitcheck-bench-dask-") as tmp:
        root = Path(tmp)
        folder = root / "runs"
        folder.mkdir()
        t0 = time.perf_counter()
        build_runs(folder, n)
        warm = root / "warm-up"
        warm.mkdir()
        build_runs(warm, WARM_UP_FILES)
        size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"built {n} one-hour runs ({size_mb:.0f} MB FIT) in {time.perf_counter() - t0:.1f} s")
        print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")
        rows = []
        first = None

        def record(label: str, wall: float, here: float, workers: float, result) -> None:
            nonlocal first
            cpu = here + workers
            assert result.analysed == n and not result.failures, result
            if first is None:
                first = result.tables
            assert result.tables == first, f"{label}: other tables than the local run"
            rows.append((label, wall, cpu))
            split = f" (here {here:.1f} + workers {workers:.1f})" if workers else ""
            print(
                f"{label:<31} {n / wall:6.1f} files/s  wall {wall:6.1f} s  CPU {cpu:6.1f} s"
                f"{split}  {1000 * cpu / n:4.1f} ms CPU/file  load {os.getloadavg()[0]:.2f}",
                flush=True,
            )

        record("local, --jobs 1 (this process)", *run(folder, root / "c-l1", warm, jobs=1))
        record("local pool, 2 workers", *run(folder, root / "c-l2", warm, jobs=2, workers=True))
        for workers in (1, 2):
            with (
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                ) as cluster,
                Client(cluster) as client,
            ):
                label = f"Dask, {workers} worker{'s' * (workers > 1)} (LocalCluster)"
                record(label, *run(folder, root / f"c-d{workers}", warm, client=client))
        (_, wall_1, cpu_1), (_, wall_2, _), (_, dask_wall_1, _), (_, dask_wall_2, _) = rows
        print("Dask's overhead per file, CPU beyond the local --jobs 1 run's (client, scheduler")
        print("and worker machinery together):")
        for label, _, cpu in rows[2:]:
            print(f"  {label:<31} {1000 * (cpu - cpu_1) / n:+5.1f} ms/file")
        print(
            f"wall per file: local --jobs 1 {1000 * wall_1 / n:.1f} ms, Dask 1 worker "
            f"{1000 * dask_wall_1 / n:.1f} ms; 2 workers against 1: local pool "
            f"{wall_1 / wall_2:.2f}x, Dask {dask_wall_1 / dask_wall_2:.2f}x"
        )


if __name__ == "__main__":
    main()
