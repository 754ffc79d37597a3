"""``batch --html`` page making: pages per second in one process and with worker processes,
side by side in the same run, on N simulated one-hour runs (analysed by the batch first;
the pages' own reading, analysis and drawing are what is timed).

    PYTHONPATH=src python benchmarks/bench_html.py            # N=100, --jobs 1 vs 2
    PYTHONPATH=src python benchmarks/bench_html.py -n 40 -j 2

Compare the ratio, not the absolute numbers: the machine may be shared ("cores busy", CPU
seconds over wall seconds, says how much of the machine a run got). Each timing is the best
of ``--repeat`` runs into a fresh folder; the pages of every run are checked to be the same
bytes as the one-process run's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import build_runs, cpu_s  # noqa: E402


def site_bytes(web: Path) -> dict[str, bytes]:
    return {str(p.relative_to(web)): p.read_bytes() for p in sorted(web.rglob("*.html"))}


def main() -> None:
    from splitcheck.batch.archive import archive_view
    from splitcheck.batch.run import run_batch
    from splitcheck.batch.store import Store
    from splitcheck.report.html.archive import write_archive

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="one-hour runs [100]")
    parser.add_argument("-j", "--jobs", type=int, default=max(2, os.cpu_count() or 1))
    parser.add_argument("--repeat", type=int, default=2, help="timed runs each, best kept [2]")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="splitcheck-bench-html-") as tmp:
        root = Path(tmp)
        folder = root / "runs"
        folder.mkdir()
        build_runs(folder, args.n, args.seed)
        with Store(root / "cache") as store:
            result = run_batch([folder], store, jobs=args.jobs)
        assert result.read == args.n and not result.failures, result.failures
        view = archive_view(result.tables, tz=dt.UTC)
        times: dict[int, float] = {}
        cpu: dict[int, float] = {}
        reference: dict[str, bytes] | None = None
        for attempt in range(args.repeat):
            for jobs in (1, args.jobs):  # alternated: both see the same machine load
                web = root / f"web-{jobs}-{attempt}"
                t0, cpu0 = time.perf_counter(), cpu_s()
                site = write_archive(view, web, paths=[folder], jobs=jobs, workers=jobs > 1)
                seconds = time.perf_counter() - t0
                cpu[jobs] = min(cpu.get(jobs, float("inf")), cpu_s() - cpu0)
                assert site.written == args.n and not site.failed, site.failed
                pages = site_bytes(web)
                reference = reference or pages
                assert pages == reference, f"--jobs {jobs}: pages differ from --jobs 1"
                times[jobs] = min(times.get(jobs, float("inf")), seconds)
        t0 = time.perf_counter()
        again = write_archive(view, root / "web-1-0", paths=[folder], jobs=args.jobs)
        rerun_s = time.perf_counter() - t0
        assert again.written == 0 and again.kept == args.n
        size_kb = sum(len(b) for b in reference.values()) / len(reference) / 1e3
        print(f"{args.n} one-hour runs, pages of {size_kb:.0f} kB on average "
              f"(load {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores)")  # fmt: skip
        for jobs, seconds in times.items():
            print(f"batch --html, --jobs {jobs}: {args.n / seconds:6.1f} pages/s ({seconds:.2f} s, "
                  f"CPU {cpu[jobs] / args.n * 1e3:.0f} ms per page in all processes, "
                  f"{cpu[jobs] / seconds:.2f} cores busy)")  # fmt: skip
        print(f"--jobs {args.jobs} vs --jobs 1: {times[1] / times[args.jobs]:.2f}x; on "
              f"{args.jobs} idle cores: {args.jobs * cpu[1] / cpu[args.jobs]:.2f}x. The pages "
              f"are the same bytes; a re-run (all up to date): {rerun_s:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
