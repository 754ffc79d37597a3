"""Instructions executed reading a simulated 1 h GPX and TCX, against iterparse (valgrind).

    python benchmarks/instructions_xml.py            # needs valgrind; ~5 min
    python benchmarks/instructions_xml.py --hours 8

Time on a shared machine moves by +-30 % with the load; the count of instructions
executed does not. Each figure runs a fresh interpreter under ``valgrind --tool=callgrind``
twice, doing the work 2 times and 0 times after the same warm-up, and takes the
difference / 2: one read, or one iterparse of the same bytes (with the GC on, as usually
run, and paused, as the reader runs). Instructions are not time (the read's own work
touches memory more per instruction than the parser does, so its time ratio is higher),
but they show which way a change goes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

WORK = """
import gc, io, sys
from xml.etree.ElementTree import iterparse
from splitcheck.io import read_bytes
path, way, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(path, "rb").read()
def plain():
    for _ in iterparse(io.BytesIO(data)):
        pass
def paused():
    gc.disable()
    plain()
    gc.enable()
work = {"read": lambda: read_bytes(data, path), "iterparse": plain, "paused": paused}[way]
read_bytes(data, path), plain(), paused()
for _ in range(reps):
    work()
"""


def count(script: Path, path: Path, way: str, reps: int) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
        + [sys.executable, str(script), str(path), way, str(reps)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_xml import simulated

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "work.py"
        script.write_text(WORK)
        for kind, data in zip(("gpx", "tcx"), simulated(args.hours), strict=True):
            path = Path(tmp) / f"run.{kind}"
            path.write_bytes(data)
            per = {
                way: (count(script, path, way, 2) - count(script, path, way, 0)) / 2e6
                for way in ("read", "iterparse", "paused")
            }
            print(
                f"{args.hours:g} h {kind.upper()}: read {per['read']:.0f} M instructions, "
                f"iterparse {per['iterparse']:.0f} M ({per['read'] / per['iterparse']:.2f}x), "
                f"iterparse with the GC paused {per['paused']:.0f} M "
                f"({per['read'] / per['paused']:.2f}x)"
            )


if __name__ == "__main__":
    main()
