"""Fuzz splitcheck for a while: mutated real watch files, each under a memory and time limit.

    PYTHONPATH=src python scripts/fuzz.py --minutes 15 --out /tmp/fuzz-finds [--seed 1]

Every input runs in a forked child (tests/fuzzing.py) doing what ``splitcheck analyze``
does. Inputs that end in anything but a result or a named refusal are saved to ``--out``
(one file per distinct failure, up to ``--keep`` examples each) with ``findings.tsv``
listing them; the counts are printed at the end and every ``--every`` seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import fuzzing  # noqa: E402 - after the path is set


def signature(kind: str, detail: str) -> str:
    """A failure's root-cause key: its kind and detail with numbers blanked."""
    blanked = re.sub(r"[0-9]+(?:\.[0-9]+)?", "#", detail)
    return f"{kind}: {blanked[:160]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder for the findings")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--max-seed-bytes", type=int, default=None)
    parser.add_argument("--memory-mb", type=int, default=fuzzing.MEMORY_LIMIT_B // 2**20)
    parser.add_argument("--time-s", type=float, default=fuzzing.TIME_LIMIT_S)
    parser.add_argument("--keep", type=int, default=3, help="examples kept per failure")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between reports")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if out == ROOT or ROOT in out.parents:
        parser.error("--out must be outside the repository")
    out.mkdir(parents=True, exist_ok=True)
    seeds = fuzzing.seed_files(args.max_seed_bytes)
    print(f"fuzz: seed {args.seed}, {len(seeds)} seed files, {args.minutes} min -> {out}")
    counts: Counter = Counter()
    over_1gb = over_10s = 0
    signatures: Counter = Counter()
    end = time.monotonic() + 60 * args.minutes
    next_report = time.monotonic() + args.every
    findings = (out / "findings.tsv").open("a", encoding="utf-8")
    stream = fuzzing.inputs(seeds, args.seed)
    n = 0
    while time.monotonic() < end:
        data, how, seed_name = next(stream)
        n += 1
        result = fuzzing.run_isolated(data, memory_b=args.memory_mb * 2**20, time_s=args.time_s)
        counts[result.kind] += 1
        over_1gb += result.peak_b > 2**30 or result.kind == "memory"
        over_10s += result.seconds > 10 or result.kind == "timeout"
        if result.kind in fuzzing.FAILURES:
            sig = signature(result.kind, result.detail)
            signatures[sig] += 1
            if signatures[sig] <= args.keep:
                digest = hashlib.sha256(data).hexdigest()[:12]
                ext = "fit" if data[8:12] == b".FIT" else "xml"
                name = f"{result.kind}-{digest}.{ext}"
                (out / name).write_bytes(data)
                findings.write(
                    f"{name}\t{seed_name}\t{how}\t{result.seconds:.1f}\t"
                    f"{result.peak_b // 2**20}\t{sig}\n"
                )
                findings.flush()
        if time.monotonic() >= next_report:
            next_report += args.every
            _report(n, counts, over_1gb, over_10s, signatures)
    _report(n, counts, over_1gb, over_10s, signatures)
    return 1 if signatures else 0


def _report(n: int, counts: Counter, over_1gb: int, over_10s: int, sigs: Counter) -> None:
    parts = ", ".join(f"{k} {counts[k]}" for k in fuzzing.OUTCOMES if counts[k])
    print(
        f"fuzz: {n} inputs: {parts}; over 1 GB {over_1gb}, over 10 s {over_10s}; "
        f"{len(sigs)} distinct failures",
        flush=True,
    )
    for sig, k in sigs.most_common():
        print(f"  {k:6d}  {sig}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
