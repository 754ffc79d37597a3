"""Start-up: ``splitcheck analyze`` and ``splitcheck chart`` in a fresh interpreter, each
against the floor it cannot beat, measured side by side in one run.

    python benchmarks/bench_startup.py              # 15 interleaved rounds
    python benchmarks/bench_startup.py --rounds 31
    python benchmarks/bench_startup.py --src ../main/src   # another checkout, for before/after

A simulated one-hour easy run (1 s recording, FIT). Each round runs, one after the other:
``python -c "import numpy"`` (the floor of any analysis: numpy's import),
``splitcheck analyze`` on the run, ``python -c "import matplotlib.pyplot"`` (the floor of
any chart) and ``splitcheck chart`` on the run; the median CPU time (user + system) of
each is printed, and each command's ratio to its floor as the median of the rounds'
ratios (each round's pair ran back to back, so a busy spell on a shared machine moves
both). Also: how many splitcheck modules ``analyze`` imports. Compare ratios, not
absolute numbers: the machine may be shared, and a busy machine raises the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ONE_HOUR_S = 3600.0
EASY_PACE_S_PER_KM = 330.0
SRC = Path(__file__).resolve().parents[1] / "src"
COUNT_MODULES = (
    "import sys, runpy; sys.argv = ['splitcheck', 'analyze', {path!r}];\n"
    "try:\n    runpy.run_module('splitcheck', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "print(len([m for m in sys.modules if m.startswith('splitcheck')]), file=sys.stderr)"
)


def one_hour_fit(folder: Path) -> Path:
    from splitcheck.simulate import simulate, workout

    sim = simulate(
        workout.easy(ONE_HOUR_S, EASY_PACE_S_PER_KM),
        seed=1,
        route="road",
        start_utc=dt.datetime(2026, 1, 5, 7, 0, tzinfo=dt.UTC),
    )
    return sim.write_fit(folder / "one-hour.fit")


def cpu_s(argv: list[str], env: dict[str, str]) -> float:
    """CPU time (user + system) of the command: other work on a shared machine
    disturbs it less than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--src", type=Path, default=SRC, help="splitcheck sources to time")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(args.src), MPLBACKEND="Agg")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled modules cached
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="splitcheck-bench-") as tmp:
        root = Path(tmp)
        env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")  # not next to the sources
        fit = one_hour_fit(root)
        charts = root / "charts"
        runs = {
            "import numpy": [py, "-c", "import numpy"],
            "splitcheck analyze": [py, "-m", "splitcheck", "analyze", str(fit)],
            "import matplotlib.pyplot": [py, "-c", "import matplotlib.pyplot"],
            "splitcheck chart": [py, "-m", "splitcheck", "chart", str(fit), "-o", str(charts)],
        }
        for argv in runs.values():  # warm the file cache and compile the .pyc files
            cpu_s(argv, env)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, argv in runs.items():
                times[name].append(cpu_s(argv, env))
        med = {name: statistics.median(ts) for name, ts in times.items()}
        counted = subprocess.run(
            [py, "-c", COUNT_MODULES.format(path=str(fit))],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    for name, seconds in med.items():
        print(f"{name:<26} {seconds * 1e3:7.0f} ms")
    analyze = _ratio(times["splitcheck analyze"], times["import numpy"])
    chart = _ratio(times["splitcheck chart"], times["import matplotlib.pyplot"])
    print(f"analyze / import numpy:            {analyze:5.2f}x  (target <= 1.5x)")
    print(f"chart / import matplotlib.pyplot:  {chart:5.2f}x")
    print(f"splitcheck modules imported by analyze: {counted.stderr.strip().splitlines()[-1]}")


def _ratio(command: list[float], floor: list[float]) -> float:
    """Median over rounds of the command's time over its floor's in the same round."""
    return statistics.median(c / f for c, f in zip(command, floor, strict=True))


if __name__ == "__main__":
    main()
