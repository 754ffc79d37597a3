"""Check that two checkouts print the same ``splitcheck analyze`` (text and ``--json``)
for every real activity file and every sample: a start-up change must not change a byte.

    python scripts/same_outputs.py --before ../main/src            # against main
    python scripts/same_outputs.py --before /tmp/old/src --after src

Each file is analysed in a fresh interpreter per checkout (as a runner runs it), stdout,
stderr and exit code compared; the differing files are listed and the exit code is 1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-activities"
SAMPLES = ROOT / "sample_activities"
SUFFIXES = (".fit", ".gpx", ".tcx", ".gz")
MODES = ((), ("--json",))


def activity_files() -> list[Path]:
    files = [p for p in REAL.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES]
    files += [p for p in SAMPLES.iterdir() if p.suffix.lower() in SUFFIXES]
    return sorted(files)


def run(src: Path, path: Path, mode: tuple[str, ...], cache: Path) -> tuple[int, str, str]:
    env = dict(os.environ, PYTHONPATH=str(src), MPLBACKEND="Agg", PYTHONPYCACHEPREFIX=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled once, not once per file
    out = subprocess.run(
        [sys.executable, "-m", "splitcheck", "analyze", str(path), *mode],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return out.returncode, out.stdout, out.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the reference sources")
    parser.add_argument("--after", type=Path, default=ROOT / "src")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    cases = [(path, mode) for path in activity_files() for mode in MODES]
    with tempfile.TemporaryDirectory(prefix="splitcheck-same-") as tmp:
        cache = Path(tmp)

        def compare(case: tuple[Path, tuple[str, ...]]) -> str | None:
            path, mode = case
            before = run(args.before, path, mode, cache / "before")
            after = run(args.after, path, mode, cache / "after")
            if before == after:
                return None
            parts = ("exit code", "stdout", "stderr")
            what = ", ".join(p for p, b, a in zip(parts, before, after, strict=True) if b != a)
            return f"{path.relative_to(ROOT.parent)} {' '.join(mode)}: {what} differ"

        with ThreadPoolExecutor(args.jobs) as pool:
            differ = [d for d in pool.map(compare, cases) if d is not None]
    for line in differ:
        print(line)
    files = len({path for path, _ in cases})
    same = len(cases) - len(differ)
    print(f"{same} of {len(cases)} outputs identical ({files} files, text and --json)")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
