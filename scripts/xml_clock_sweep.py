"""How often a GPX or TCX clock jump is re-timed, over every real file and many places.

    PYTHONPATH=src python scripts/xml_clock_sweep.py [-v]

Each real GPX/TCX file in ../shared/real-activities gets its clock jumped (every time from
one trackpoint on moved; tests/xml_mutate.py) at nine places (10 % .. 90 % of the way,
the first trackpoint from there with ordinary steps around it), by each shift below, in
memory. A jump counts as re-timed when the activity warns of it and its elapsed time is
within 2 s of the unmutated file's (within 5 s: the step across the jump, estimated from
the distance covered across it, was off by 2-5 s); left when nothing is said and the
elapsed time grew by the jump (read as a pause, as before); wrong otherwise.

Then the fuzzer's ``xml:time_jump`` mutation (tests/fuzz_xml.py: one time text's year
moved by -1000, -30, +1, +100 or +7000), 30 times a file: how many read with the
unmutated file's elapsed time and start (within 60 s).
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import xml_mutate as xm  # noqa: E402 - after the path is set
from fuzz_xml import _TIME_TEXT  # noqa: E402
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
    fuzzed = _fuzz_time_jumps(files)
    print(f"fuzzer's time_jump mutation: {dict(fuzzed)}")


def _fuzz_time_jumps(files: list[Path], per_file: int = 30) -> Counter:
    rng = random.Random(11)
    c: Counter = Counter()
    for path in files:
        data = path.read_bytes()
        try:
            original = read_bytes(data, path.name)
        except (SplitcheckError, ValueError):
            continue
        found = list(_TIME_TEXT.finditer(data))
        for _ in range(per_file):
            m = rng.choice(found)
            year = int(m.group(1)[:4]) + rng.choice((-1000, -30, 1, 100, 7000))
            new = b"%04d" % max(year, 1) + m.group(1)[4:] + (m.group(2) or b"")
            try:
                got = read_bytes(data[: m.start()] + new + data[m.end() :], path.name)
            except SplitcheckError:
                c["refused"] += 1
                continue
            same = len(got) == len(original) and all(
                abs(g.elapsed_s - o.elapsed_s) <= 60
                and g.start_utc is not None
                and abs((g.start_utc - o.start_utc).total_seconds()) <= 60
                for g, o in zip(got, original, strict=True)
            )
            c["read as the original" if same else "elapsed or start off"] += 1
    return c


def _place(data: bytes, near: int) -> int | None:
    try:
        return xm.running_point(data, near)
    except AssertionError:
        return None


if __name__ == "__main__":
    main()
