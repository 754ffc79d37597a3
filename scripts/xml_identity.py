"""How every GPX and TCX at hand reads, dumped, to check a reader change changes nothing.

    PYTHONPATH=OLD/src python scripts/xml_identity.py dump /tmp/before.pkl
    PYTHONPATH=src     python scripts/xml_identity.py dump /tmp/after.pkl
    python scripts/xml_identity.py compare /tmp/before.pkl /tmp/after.pkl
    PYTHONPATH=src     python scripts/xml_identity.py paths   # which path reads each case

Cases: every GPX/TCX in ../shared/real-activities, sample_activities and tests/data; each
gzipped; each mutated in memory (never written next to the originals): truncated and
with garbage inserted at 12 seeded places each, the structural mutations of
tests/test_xml_fast.py and the regex path's edges of tests/gpx_mutate.py (GPX), a few TCX
ones (times with offsets or missing, heart rate or positions missing, extensions nested,
values empty) and the TCX regex path's edges of tests/tcx_mutate.py. Simulated 1 h runs in both
formats are added. For each case: the activities' every field and every sample column
byte for byte, or the error's class and message.
"""

from __future__ import annotations

import gzip
import pickle
import random
import re
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "benchmarks")]
PATTERNS = ("*.gpx", "*.tcx", "*.gpx.gz", "*.tcx.gz")
FOLDERS = (ROOT.parent / "shared/real-activities", ROOT / "sample_activities", ROOT / "tests/data")
TCX_MUTATIONS = {
    "offset_times": lambda t: t.replace("Z</Time>", "+02:00</Time>"),
    "times_missing": lambda t: re.sub(r"<Time>[^<]*</Time>", "", t, count=50),
    "no_heart_rate": lambda t: re.sub(r"<HeartRateBpm>.*?</HeartRateBpm>", "", t, flags=re.S),
    "no_positions": lambda t: re.sub(r"<Position>.*?</Position>", "", t, flags=re.S),
    "empty_values": lambda t: re.sub(r"<AltitudeMeters>[^<]*<", "<AltitudeMeters><", t),
    "zero_hr": lambda t: re.sub(r"(<HeartRateBpm[^>]*>\s*<Value>)\d+", r"\g<1>0", t, count=30),
    "nested_value": lambda t: t.replace("<Value>", "<Value><Value>1</Value>", 5),
    "bad_number": lambda t: t.replace("<DistanceMeters>", "<DistanceMeters>x", 3),
    "fraction_times": lambda t: re.sub(r"(:\d\d)(?:\.\d+)?Z</Time>", r"\1.5Z</Time>", t),
}


def files() -> list[Path]:
    found = {p for folder in FOLDERS for pat in PATTERNS for p in folder.rglob(pat)}
    return sorted(found)


def canon(activities) -> list:
    out = []
    for a in activities:
        s = a.samples
        cols = {
            k: (v.dtype.str, v.tobytes())
            for k, v in sorted(vars(s).items())
            if isinstance(v, np.ndarray)
        }
        meta = {k: v for k, v in vars(a).items() if k != "samples"}
        out.append((repr(meta), repr({k: v for k, v in vars(s).items() if k not in cols}), cols))
    return out


def cases(path: Path, data: bytes):
    yield "orig", data
    yield "gz", gzip.compress(data, mtime=0)
    rng = random.Random(zlib.crc32(path.name.encode()))
    for i in range(12):
        yield f"trunc{i}", data[: rng.randrange(len(data))]
        j = rng.randrange(len(data))
        yield f"garbage{i}", data[:j] + b"<x>&" + data[j + 4 :]
    text = data.decode("utf-8", errors="replace")
    if path.name.lower().endswith((".gpx", ".gpx.gz")) and "<trkpt" in text:
        from test_xml_fast import MUTATIONS, _mutate

        for name in MUTATIONS:
            try:
                yield name, _mutate(text, name).encode()
            except ValueError:  # too short a file for the mutation
                continue
    if path.name.lower().endswith((".gpx", ".gpx.gz")) and "</time>" in text:
        from gpx_mutate import REGEX_MUTATIONS, with_extensions

        for name, (mutate, _) in REGEX_MUTATIONS.items():
            try:
                yield f"regex_{name}", mutate(with_extensions(text)).encode()
            except ValueError:  # too short a file for the mutation
                continue
    if "<Trackpoint" in text:
        from tcx_mutate import TCX_REGEX_MUTATIONS

        for name, mutate in TCX_MUTATIONS.items():
            yield name, mutate(text).encode()
        for name, (mutate, _) in TCX_REGEX_MUTATIONS.items():
            try:
                yield f"regex_{name}", mutate(text).encode()
            except ValueError:  # too short a file for the mutation
                continue


def dump(out: Path) -> None:
    from bench_xml import simulated

    from splitcheck.errors import SplitcheckError
    from splitcheck.io import read_bytes

    sources = [(p, p.read_bytes()) for p in files()]
    gpx, tcx = simulated(1)
    sources += [(Path("sim1h.gpx"), gpx), (Path("sim1h.tcx"), tcx)]
    result = {}
    for path, data in sources:
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        for tag, case in cases(path, data):
            try:
                outcome = canon(read_bytes(case, path.name))
            except SplitcheckError as err:
                outcome = ("error", type(err).__name__, str(err))
            result[(str(path), tag)] = outcome
    out.write_bytes(pickle.dumps(result))
    print(f"{len(sources)} files, {len(result)} cases -> {out}")


def compare(a_path: Path, b_path: Path) -> int:
    a, b = pickle.loads(a_path.read_bytes()), pickle.loads(b_path.read_bytes())
    differ = [k for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]
    errors = sum(1 for v in a.values() if v and v[0] == "error")
    print(f"{len(a)} / {len(b)} cases ({errors} errors in the first); {len(differ)} differ")
    for key in differ[:20]:
        print("  ", key, str(a.get(key))[:200], "|", str(b.get(key))[:200])
    return 1 if differ else 0


def paths() -> None:
    """Which path reads each case: a GPX by io/gpx_regex.py, gpx_fast's tree or gpxpy;
    a TCX by io/tcx_regex.py or the stream reader."""
    import pytest
    from bench_xml import simulated

    from test_gpx_regex import gpx_path
    from test_tcx_regex import tcx_path

    sources = [(p, p.read_bytes()) for p in files()]
    sources += [(Path("sim1h.gpx"), simulated(1)[0]), (Path("sim1h.tcx"), simulated(1)[1])]
    counts: dict[str, dict[str, int]] = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        for path, data in sources:
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            for tag, case in cases(path, data):
                gpx = ".gpx" in path.name.lower()
                way = (gpx_path if gpx else tcx_path)(case, path.name, monkeypatch)
                kind = ("GPX" if gpx else "TCX") + (
                    " as is" if tag in ("orig", "gz") else " mutated"
                )
                counts.setdefault(kind, {}).setdefault(way, 0)
                counts[kind][way] += 1
                if tag == "orig":
                    print(f"{way:6} {path}")
    for kind, ways in counts.items():
        print(f"{kind}: " + ", ".join(f"{way} {n}" for way, n in sorted(ways.items())))


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(Path(sys.argv[2]))
    elif sys.argv[1] == "paths":
        paths()
    else:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
