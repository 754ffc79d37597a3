"""How often a GPX or TCX clock jump is re-timed, over every real file and many places.

    PYTHONPATH=src python scripts/xml_clock_sweep.py [-v]

Each real GPX/TCX file in ../shared/real-activities gets its clock jumped (every time from
one trackpoint on moved; tests/xml_mutate.py) at nine places (10 % .. 90 % of the way,
the first trackpoint from there with ordinary steps around it), by each shift below, in
memory. A jump counts as re-timed when the activity warns of it and its elapsed time is
within 2 s of the unmutated file's (within 5 s: the step across the jump, estimated from
the distance covered across it, was off by 2-5 s); left when nothing is said and the
elapsed time grew by the jump (read as a pause, as before); wrong otherwise.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import xml_mutate as xm  # noqa: E402 - after the path is set
from splitcheck.errors import SplitcheckError  # noqa: E402
from splitcheck.io import read_bytes  # noqa: E402

REAL = ROOT.parent / "shared" / "real-activities"
SHIFTS = {
    "+1 h (zone)": 3600.0,
    "+30 years": 30 * xm.YEAR_S,
    "-10 min": -600.0,
    "-19.6 years (GPS week rollover)": -1024 * 7 * 86400.0,
    "+2 h 13 min": 7980.0,
    "+7 min": 420.0,
}
TOL_S = 2.0
ROUGH_S = 5.0
KINDS = ("re-timed", "re-timed within 5 s", "left as a pause", "wrong")


def main() -> None:
    verbose = "-v" in sys.argv
    files = sorted(p for p in REAL.rglob("*") if p.suffix.lower() in (".gpx", ".tcx"))
    counts: dict[str, Counter] = {name: Counter() for name in SHIFTS}
    for path in files:
        data = path.read_bytes()
        try:
            (original,) = read_bytes(data, path.name)
        except (SplitcheckError, ValueError):
            continue
        n = len(xm.points(data))
        if n < 100 or n != len(original.samples):
            continue
        places = sorted({_place(data, n * i // 10) for i in range(1, 10)} - {None})
        for label, shift in SHIFTS.items():
            for k in places:
                (got,) = read_bytes(xm.jump_at(data, k, shift), path.name)
                said = any("clock jumped" in w for w in got.warnings)
                off = got.elapsed_s - original.elapsed_s
                if said and abs(off) <= TOL_S:
                    kind = "re-timed"
                elif said and abs(off) <= ROUGH_S:
                    kind = "re-timed within 5 s"
                elif not said and shift > 0 and abs(off - shift) <= TOL_S:
                    kind = "left as a pause"
                else:
                    kind = "wrong"
                counts[label][kind] += 1
                if verbose and kind != "re-timed":
                    print(f"  {path.relative_to(REAL)} {label} at {k}: {kind} ({off:+.1f} s)")
    for label, c in counts.items():
        total = sum(c.values())
        parts = ", ".join(f"{kind} {c[kind]}" for kind in KINDS)
        print(f"{label:34s} {total:4d} jumps: {parts}")


def _place(data: bytes, near: int) -> int | None:
    try:
        return xm.running_point(data, near)
    except AssertionError:
        return None


if __name__ == "__main__":
    main()
