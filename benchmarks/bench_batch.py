"""Batch throughput: N simulated one-hour runs, cold (empty cache) and warm (all cached),
with plain fitparse decoding of the same files measured in the same run as the reference.

    python benchmarks/bench_batch.py            # N=60, all cores
    python benchmarks/bench_batch.py -n 48 -j 2

Prints files per second. Compare ratios, not absolute numbers: the machine may be shared.
"--jobs J" starts its J workers only once the work left repays their start-up (0.16 s by
fork, ~1.5 s by spawn); "workers from the first file" starts them whatever the work.

Measured 2026-11-24, 2 shared cores, N=200 (20.3 MB of FIT): fitparse decode 1.2 files/s;
batch cold --jobs 1 48 files/s, --jobs 2 96 files/s; warm 2880 files/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

ONE_HOUR_S = 3600.0
EASY_PACE_S_PER_KM = 330.0


def build_runs(folder: Path, n: int, seed: int) -> list[Path]:
    """N one-hour runs (1 s recording, road loop), one a day, as FIT files."""
    from splitcheck.simulate import simulate, workout

    start = dt.datetime(2026, 1, 5, 7, 0, tzinfo=dt.UTC)
    paths = []
    for i in range(n):
        sim = simulate(
            workout.easy(ONE_HOUR_S, EASY_PACE_S_PER_KM),
            seed=seed + i,
            route="road",
            start_utc=start + dt.timedelta(days=i),
        )
        paths.append(sim.write_fit(folder / f"run-{i:03d}.fit"))
    return paths


def fitparse_decode(paths: list[Path]) -> float:
    """Seconds for fitparse to decode every message of every file (one process)."""
    import fitparse

    t0 = time.perf_counter()
    for path in paths:
        fit = fitparse.FitFile(path.read_bytes())
        for message in fit.get_messages():
            message.get_values()
    return time.perf_counter() - t0


def batch_seconds(
    folder: Path, cache: Path | None, jobs: int, workers: bool = False
) -> tuple[float, object]:
    from splitcheck.batch.run import run_batch
    from splitcheck.batch.store import Store

    t0 = time.perf_counter()
    with Store(cache) as store:
        result = run_batch([folder], store, jobs=jobs, workers=workers)
    seconds = time.perf_counter() - t0
    while multiprocessing.active_children():  # reap the workers: their CPU time counts
        time.sleep(0.01)
    return seconds, result


def cpu_s() -> float:
    """CPU time (user + system) of this process and its finished workers."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=60, help="one-hour runs to build [60]")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="splitcheck-bench-") as tmp:
        root = Path(tmp)
        folder = root / "runs"
        folder.mkdir()
        t0 = time.perf_counter()
        paths = build_runs(folder, args.n, args.seed)
        build_s = time.perf_counter() - t0
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        print(f"built {args.n} one-hour runs ({size_mb:.1f} MB FIT) in {build_s:.1f} s")
        ref_s = fitparse_decode(paths)
        cpu0 = cpu_s()
        one_s, _ = batch_seconds(folder, root / "cache-1", 1)
        one_cpu_s = cpu_s() - cpu0
        forced_s, _ = batch_seconds(folder, root / "cache-w", args.jobs, workers=True)
        cpu0 = cpu_s()
        cold_s, cold = batch_seconds(folder, root / "cache", args.jobs)
        cold_cpu_s = cpu_s() - cpu0
        warm_s, warm = batch_seconds(folder, root / "cache", args.jobs)
        assert cold.analysed == args.n and not cold.failures, cold.failures
        assert warm.analysed == 0 and warm.cached == args.n
        rows = [
            ("fitparse decode only, 1 process (reference)", ref_s),
            ("batch cold, --jobs 1 (read + analyse + store)", one_s),
            (f"batch cold, {args.jobs} workers from the first file", forced_s),
            (f"batch cold, --jobs {args.jobs} (read + analyse + store)", cold_s),
            (f"batch warm, --jobs {args.jobs} (all from the cache)", warm_s),
        ]
        for label, seconds in rows:
            print(f"{label:<56} {args.n / seconds:8.1f} files/s  ({seconds:6.2f} s)")
        print(
            f"cold --jobs 1 vs fitparse decode: {ref_s / one_s:.2f}x; warm vs cold: "
            f"{cold_s / warm_s:.0f}x faster"
        )
        print(
            f"CPU per file (all processes): --jobs 1 {one_cpu_s / args.n * 1e3:.1f} ms, "
            f"--jobs {args.jobs} {cold_cpu_s / args.n * 1e3:.1f} ms (pool start-up included); "
            f"on {args.jobs} idle cores that is {args.jobs * args.n / cold_cpu_s:.0f} files/s "
            "(target >= 100): what the machine's load hides from the wall-clock figures"
        )


if __name__ == "__main__":
    main()
