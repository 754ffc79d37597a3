"""A mutation fuzzer for splitcheck's readers and analysis (used by tests/test_fuzz.py and
scripts/fuzz.py).

Inputs are real watch files (../shared/real-activities and sample_activities/) mutated in
memory: FIT files structure-aware (header fields, definition fields and field sizes,
extreme values and timestamps, clock jumps, duplicated, dropped and swapped messages, the
CRCs fixed afterwards so the damage reaches past the CRC check), GPX and TCX as text
(tags, values, times, encodings, namespace prefixes, truncation, XML attacks).

Each input runs in a forked child under a memory limit (``RLIMIT_AS``) and a time limit
(the parent kills it), doing what ``splitcheck analyze`` does: read, analyse, render the
text report and the JSON document. The outcome is one of :data:`OUTCOMES`; everything but
``ok`` and ``refused`` is a failure of splitcheck.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import select
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from fuzz_fit import FitRecord, join_fit, mutate_fit, split_fit, timestamp_fields
from fuzz_xml import XML_ATTACKS, mutate_xml, with_attack

__all__ = [
    "FitRecord",
    "XML_ATTACKS",
    "join_fit",
    "mutate",
    "mutate_fit",
    "mutate_xml",
    "run_isolated",
    "split_fit",
    "timestamp_fields",
    "with_attack",
]

ROOT = Path(__file__).resolve().parents[1]
SEED_DIRS = (ROOT.parent / "shared" / "real-activities", ROOT / "sample_activities")
SEED_SUFFIXES = (".fit", ".gpx", ".tcx")

MEMORY_LIMIT_B = 1024**3
"""An input may use this much memory above the fuzzer's own (the issue's 1 GB)."""
TIME_LIMIT_S = 10.0
"""An input may take this long (the issue's 10 s)."""

OUTCOMES = ("ok", "refused", "internal", "memory", "timeout", "warning", "nan", "unnamed", "crash")
"""``refused``: a SplitcheckError naming the file; ``internal``: any other exception;
``memory``/``timeout``: over a limit; ``warning``: a Python warning escaped; ``nan``: "nan"
in the report or NaN in the JSON; ``unnamed``: a refusal that does not name the file;
``crash``: the child died without a result (a segfault, an uncaught exception)."""
FAILURES = frozenset(OUTCOMES) - {"ok", "refused"}

NAME = "fuzzed-input"
"""The name the child gives the input (every refusal must carry it)."""
_NAN_WORD = re.compile(r"(?<![A-Za-z])(nan|inf)(?![A-Za-z])", re.IGNORECASE)


# -- seeds ------------------------------------------------------------------------------
def seed_files(max_bytes: int | None = None) -> list[Path]:
    """The real and sample activity files, smallest first (optionally up to a size)."""
    files = [
        p
        for d in SEED_DIRS
        if d.is_dir()
        for p in d.rglob("*")
        if p.is_file() and p.suffix.lower() in SEED_SUFFIXES
    ]
    if max_bytes is not None:
        files = [p for p in files if p.stat().st_size <= max_bytes]
    return sorted(files, key=lambda p: (p.stat().st_size, str(p)))


def mutate(data: bytes, rng: random.Random, heavy: bool = True) -> tuple[bytes, str]:
    """One mutation of any seed, chosen by its content."""
    if data[8:12] == b".FIT":
        return mutate_fit(data, rng, heavy)
    return mutate_xml(data, rng, heavy)


# -- running one input --------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    kind: str
    detail: str
    seconds: float
    peak_b: int


def analyse_bytes(data: bytes, name: str = NAME) -> str:
    """What ``splitcheck analyze`` and ``--json`` do with one file's bytes, in this
    process; returns the outcome kind and a detail, raising nothing."""
    import warnings

    from splitcheck.analysis import analyze
    from splitcheck.errors import FileError, SplitcheckError
    from splitcheck.io import read_bytes
    from splitcheck.report.text import render_analysis

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            analyses = [analyze(a) for a in read_bytes(data, name)]
            text = render_analysis(analyses, name)
            json.dumps([a.to_dict() for a in analyses], allow_nan=False, default=str)
        except FileError as err:
            if name not in str(err):
                return json.dumps(["unnamed", str(err)])
            return json.dumps(["refused", str(err)[:200]])
        except SplitcheckError as err:
            return json.dumps(["unnamed", f"{type(err).__name__}: {err}"[:300]])
        except ValueError as err:
            if "JSON compliant" in str(err):
                return json.dumps(["nan", "NaN or inf in the JSON document"])
            return json.dumps(["internal", _where(err)])
        except MemoryError as err:
            return json.dumps(["memory", _where(err)])
        except Exception as err:  # noqa: BLE001 - the fuzzer's job is to catch these
            return json.dumps(["internal", _where(err)])
    if caught:
        w = caught[0]
        return json.dumps(["warning", f"{w.category.__name__}: {w.message} ({w.filename})"])
    m = _NAN_WORD.search(text)
    if m:
        line = text[: m.end()].rsplit("\n", 1)[-1]
        return json.dumps(["nan", f"{m.group(0)!r} in the report: {line[-80:]}"])
    return json.dumps(["ok", ""])


def _where(err: BaseException) -> str:
    """``IndexError: ... at segment/intervals.py:123 _local_edges`` (innermost splitcheck
    frame): the signature that groups failures by root cause."""
    import traceback

    frames = [f for f in traceback.extract_tb(err.__traceback__) if "splitcheck" in f.filename]
    at = ""
    if frames:
        f = frames[-1]
        at = f" at {f.filename.split('splitcheck/', 1)[-1]}:{f.lineno} {f.name}"
    return f"{type(err).__name__}: {str(err)[:120]}{at}"


def _vm_size_b() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _rss_b() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_isolated(
    data: bytes,
    *,
    memory_b: int = MEMORY_LIMIT_B,
    time_s: float = TIME_LIMIT_S,
    target: Callable[[bytes], str] = analyse_bytes,
) -> Outcome:
    """Run ``target(data)`` in a forked child with a memory limit (address space: what the
    parent has mapped + ``memory_b``) and a time limit (the child is killed at ``time_s``
    plus a grace second). Peak memory is the child's peak resident size above the
    parent's."""
    import splitcheck.analysis  # noqa: F401 - imported once, before forking
    import splitcheck.io  # noqa: F401
    import splitcheck.report.text  # noqa: F401
    import splitcheck.scoring  # noqa: F401
    import splitcheck.segment  # noqa: F401

    base_rss = _current_rss_b()
    read_fd, write_fd = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            os.close(read_fd)
            limit = _vm_size_b() + memory_b
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            try:
                result = target(data)
            except MemoryError:
                result = json.dumps(["memory", "MemoryError"])
            os.write(write_fd, result.encode())
        except BaseException:  # noqa: BLE001 - nothing may escape a forked child
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks, deadline, killed = [], t0 + time_s + 1.0, False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            killed = True
            break
        ready, _, _ = select.select([read_fd], [], [], left)
        if ready:
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(read_fd)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - t0
    peak_b = max(0, usage.ru_maxrss * 1024 - base_rss)
    if killed:
        return Outcome("timeout", f"killed after {seconds:.1f} s", seconds, peak_b)
    try:
        kind, detail = json.loads(b"".join(chunks))
    except ValueError:
        kind, detail = "crash", f"the child died (status {status}) with no result"
    if kind in ("ok", "refused") and seconds > time_s:
        kind, detail = "timeout", f"took {seconds:.1f} s ({kind})"
    if kind in ("ok", "refused") and peak_b > memory_b:
        kind, detail = "memory", f"peak {peak_b / 2**20:.0f} MB ({kind})"
    return Outcome(kind, detail, seconds, peak_b)


def _current_rss_b() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return _rss_b()


def inputs(seeds: list[Path], seed: int, *, heavy: bool = True) -> Iterator[tuple[bytes, str, str]]:
    """An endless stream of (mutated bytes, mutation name, seed file name)."""
    rng = random.Random(seed)
    cache: dict[Path, bytes] = {}
    while True:
        path = rng.choice(seeds)
        if path not in cache:
            cache[path] = path.read_bytes()
        data, how = mutate(cache[path], rng, heavy)
        yield data, how, path.name
