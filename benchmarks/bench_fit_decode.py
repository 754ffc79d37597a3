"""FIT decoding, fitparse against the fast path, side by side in one run.

    python benchmarks/bench_fit_decode.py             # a simulated one-hour run
    python benchmarks/bench_fit_decode.py --real      # and every real FIT file
    python benchmarks/bench_fit_decode.py --repeat 9  # more repeats (median)

For each file: the median wall time of ``decode_fitparse`` and of what splitcheck runs
(``io.fit._decode``: the fast path, or for a file it declines, its attempt then
fitparse: "fitparse (declined)" in the last column) and their ratio; then ``splitcheck
analyze`` wall time on the one-hour run in a fresh interpreter (start-up included), with
the fast path and with it switched off. The machine may be
shared with other work: compare ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ONE_HOUR_S = 3600.0
EASY_PACE_S_PER_KM = 330.0
REAL = Path(__file__).resolve().parents[2] / "shared" / "real-activities"
FAST_PATH_OFF = (
    "import sys, splitcheck.io.fit_fast as f; f.decode_fast = lambda data, source: None; "
    "from splitcheck.cli import main; sys.argv[0] = 'splitcheck'; main()"
)
"""``splitcheck`` with the fast path switched off (every file goes to fitparse)."""


def one_hour_run(folder: Path) -> Path:
    """A simulated one-hour easy run on the road loop, 1 s recording, as a FIT file."""
    from splitcheck.simulate import simulate, workout

    sim = simulate(
        workout.easy(ONE_HOUR_S, EASY_PACE_S_PER_KM),
        seed=1,
        route="road",
        start_utc=dt.datetime(2026, 1, 5, 7, 0, tzinfo=dt.UTC),
    )
    return sim.write_fit(folder / "one-hour-run.fit")


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def decode_row(path: Path, repeat: int) -> tuple[str, ...]:
    """fitparse against what splitcheck runs: the fast path, or its attempt then fitparse."""
    from splitcheck.io.fit import _decode
    from splitcheck.io.fit_decode import decode_fitparse
    from splitcheck.io.fit_fast import decode_fast

    data = path.read_bytes()
    used = "fast" if decode_fast(data, path.name) is not None else "fitparse (declined)"
    records = decode_fitparse(data, path.name).record_count
    slow_ms = median_ms(lambda: decode_fitparse(data, path.name), repeat)
    ours_ms = median_ms(lambda: _decode(data, path.name), repeat if "fitparse" in used else 21)
    name = path.name if len(path.name) <= 38 else path.name[:35] + "..."
    return (
        f"{name:38s}",
        f"{len(data) / 1024:5.0f}",
        f"{records:7d}",
        f"{slow_ms:11.1f}",
        f"{ours_ms:13.2f}",
        f"{slow_ms / ours_ms:6.0f}x",
        f"  {used}",
    )


def analyze_wall_s(command: list[str], repeat: int) -> float:
    """Median wall time of a command in a fresh process, interpreter start included."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--real", action="store_true", help="also every real FIT file")
    parser.add_argument("--repeat", type=int, default=5, help="fitparse runs per file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hour = one_hour_run(Path(tmp))
        files = [hour]
        if args.real:
            files += sorted(REAL.rglob("*.fit")) + sorted(REAL.rglob("*.FIT"))
        print(
            f"{'file':38s} {'KB':>5s} {'records':>7s} {'fitparse ms':>11s} "
            f"{'splitcheck ms':>13s} {'ratio':>7s}  decoder"
        )
        for path in files:
            print(*decode_row(path, args.repeat))
        print()
        cli = [sys.executable, "-m", "splitcheck", "analyze", str(hour)]
        fast_s = analyze_wall_s(cli, args.repeat)
        slow_s = analyze_wall_s([sys.executable, "-c", FAST_PATH_OFF, "analyze", str(hour)], 3)
        print("splitcheck analyze, one-hour run, wall time (median, interpreter start included):")
        print(f"  fast path {fast_s:.2f} s    fitparse only {slow_s:.2f} s")


if __name__ == "__main__":
    main()
