"""A short fixed-seed fuzz run: mutated real watch files never make splitcheck fall over.

The same fuzzer as ``scripts/fuzz.py`` (tests/fuzzing.py), on the smaller real and sample
files and without the mutations that inflate a file to megabytes, so it stays within a
minute on a busy machine. Each input runs in a forked child under the issue's limits
(1 GB above the parent, 10 s); every outcome must be a result or a one-line refusal
naming the file, with no Python warning and no NaN in the report or JSON.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

import fuzzing

SEED = 20261203
N_INPUTS = 200
MAX_SEED_BYTES = 40_000
"""Seeds up to 40 KB: the small real and sample files, FIT, GPX and TCX."""


@pytest.fixture(scope="module")
def seeds():
    files = fuzzing.seed_files(MAX_SEED_BYTES)
    if not files:
        pytest.fail(f"no seed files found in {fuzzing.SEED_DIRS}")
    return files


def test_seeds_cover_every_format(seeds):
    kinds = Counter(p.suffix.lower() for p in seeds)
    assert kinds[".fit"] >= 10 and kinds[".gpx"] >= 2 and kinds[".tcx"] >= 1


@pytest.mark.slow
def test_short_fuzz_run_finds_nothing(seeds):
    outcomes: Counter = Counter()
    mutations: Counter = Counter()
    failures = []
    for data, how, seed_name in itertools.islice(
        fuzzing.inputs(seeds, SEED, heavy=False), N_INPUTS
    ):
        result = fuzzing.run_isolated(data)
        outcomes[result.kind] += 1
        mutations[how.split(":")[0]] += 1
        if result.kind in fuzzing.FAILURES:
            failures.append(f"{seed_name} {how}: {result.kind}: {result.detail}")
    assert failures == []
    # the run exercised what it claims: both families, and both readings and refusals
    assert mutations["fit"] > N_INPUTS / 4 and mutations["xml"] > N_INPUTS / 10
    assert outcomes["ok"] > N_INPUTS / 3 and outcomes["refused"] > 10


def test_the_fuzzer_detects_what_it_must():
    """The harness itself: a refusal, a reported failure, a dying child, a hang and a
    memory blow-up in the target are each reported as such."""

    def boom(_):
        raise SystemExit(4)

    assert fuzzing.run_isolated(b"", target=fuzzing.analyse_bytes).kind == "refused"
    assert fuzzing.run_isolated(b"", target=lambda d: '["internal", "x"]').kind == "internal"
    assert fuzzing.run_isolated(b"", target=boom).kind == "crash"
    assert fuzzing.run_isolated(b"", time_s=0.5, target=_sleep).kind == "timeout"
    big = fuzzing.run_isolated(b"", memory_b=200 * 2**20, target=_allocate)
    assert big.kind == "memory"


def _sleep(_):
    import time

    time.sleep(5)
    return '["ok", ""]'


def _allocate(_):
    blocks = [bytearray(50 * 2**20) for _ in range(20)]  # 1 GB: over a 200 MB limit
    return f'["ok", "{len(blocks)}"]'
