"""The hinge fit's shortcuts give the answers of the fits they skip: candidates between
samples pruned by a lower bound (segment/hinge.py), each candidate's sample count found
from its window, and long bouts not fitted when no kink could cut them
(segment/twolevel.py). Checked on real files against the design-matrix fit
(tests/segment_reference.py) and against fitting every long bout."""

from __future__ import annotations

import numpy as np
import pytest

import segment_reference as ref
from conftest import REAL
from splitcheck.io import read
from splitcheck.segment import hinge
from splitcheck.segment import intervals as iv
from splitcheck.segment import regular as rg
from splitcheck.segment import twolevel as tl
from splitcheck.segment.trace import build_trace

FIT_FILES = [
    "run-stats/6761214480_ACTIVITY.fit",  # 6x400 m, 1 s records
    "activityio/c2eb1b_6.tcx",  # 8x200 m
    "connectstats/track_cs_5611.fit",
    "elevate/portland.fit",  # 1:53 h
]
TWO_LEVEL_FILES = [
    "elevate/portland.fit",
    "fit-parser/garmin-stamina.fit",
    "runpandas/stopped_example.tcx",
    "python-fitparse/2013-02-06-12-11-14.fit",
]
"""Files whose first-stage bouts include long ones, some cut by the two-level test."""


def _trace(rel: str):
    path = REAL / rel
    if not path.exists():
        pytest.fail(f"{path} missing")
    trace = build_trace(read(path)[0])
    assert trace is not None
    return trace


@pytest.mark.parametrize("rel", FIT_FILES)
def test_pruned_fit_picks_the_design_matrix_kink(rel):
    trace = _trace(rel)
    rng = np.random.default_rng(11)
    guesses = rng.uniform(trace.t_s[0] - 10, trace.t_s[-1] + 10, 60)
    halves = rng.choice([3.0, 4.0, 9.3, 20.0, 45.0, 60.0], 60)
    together = iv.hinge_kinks(trace, guesses, halves, iv.HINGE_STEP_S)  # one batch
    for g, h, kink in zip(guesses, halves, together, strict=True):
        assert kink == iv.hinge_kink(trace, g, h) == ref.hinge_kink(trace, g, h)


@pytest.mark.parametrize("rel", FIT_FILES)
def test_two_line_bound_never_exceeds_the_fit(rel):
    """The pruning's premise: between two samples no hinge fits better than two free
    lines, beyond rounding far under the margin (:data:`hinge.PRUNE_TOLERANCES`)."""
    trace = _trace(rel)
    t_all, d_all = trace.raw_t_s, trace.raw_d_m
    rng = np.random.default_rng(3)
    guesses = rng.uniform(trace.t_s[0], trace.t_s[-1], 40)
    a = np.searchsorted(t_all, guesses - 30.0, side="left")
    b = np.searchsorted(t_all, guesses + 30.0, side="right")
    keep = b - a >= hinge.SPARSE_SAMPLES
    a, b = a[keep], b[keep]
    idx = a[:, None] + np.arange(int((b - a).max()))[None, :]
    inside = idx < b[:, None]
    idx = np.minimum(idx, len(t_all) - 1)
    sums = hinge._window_sums(t_all[idx], d_all[idx], inside)
    bound = hinge._split_line_sse(sums)
    checked = 0
    for row, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        cands = np.arange(t_all[i] + 0.1, t_all[j - 1], 0.1)[::7]
        if not len(cands):
            continue
        k = np.searchsorted(t_all, cands, side="right") - i
        sse = hinge.direct_sse(t_all[i:j], d_all[i:j], cands)
        excess = (bound[row, k] - sse) / max(sums.tolerance[row], 1e-300)
        assert excess.max() < 1.0
        checked += len(cands)
    assert checked > 500


def test_samples_left_is_a_search_of_the_run():
    rng = np.random.default_rng(1)
    for trial in range(400):
        t_all = np.sort(rng.uniform(0, 500, int(rng.integers(10, 400))))
        if trial % 3 == 0:
            t_all = np.round(t_all, 1)  # equal times, as a watch's rounding makes
        m = int(rng.integers(1, 6))
        a = np.sort(rng.integers(0, len(t_all) - 5, m))
        b = np.minimum(a + rng.integers(4, 80, m), len(t_all))
        b = np.searchsorted(t_all, t_all[b - 1], side="right")  # as windows end
        step = [0.1, 0.3, 1.0, 0.05][trial % 4]
        rows = [np.arange(t_all[i] + step, t_all[j - 1], step) for i, j in zip(a, b, strict=True)]
        n = np.array([len(r) for r in rows])
        if not n.all():
            continue
        flat = np.concatenate(rows)
        expected = np.searchsorted(t_all, flat, side="right") - np.repeat(a, n)
        t = np.concatenate([t_all[i:j] for i, j in zip(a, b, strict=True)])
        got = hinge._samples_left(flat, n, t, np.repeat(np.arange(m), b - a), step)
        assert np.array_equal(got, expected)


def test_medians_without_each_is_numpys():
    rng = np.random.default_rng(0)
    for n in range(3, 40):
        x = np.round(rng.exponential(100.0, n), int(rng.integers(0, 3)))  # ties too
        expected = [np.median(np.delete(x, i)) for i in range(n)]
        assert tl.medians_without_each(x).tolist() == expected


def test_two_level_cuts_as_fitting_every_long_bout(monkeypatch):
    """The long bouts of real files' first stage (both passes' levels): the same bouts
    come out as when every long bout is fitted, some of them cut, some never fitted."""
    cuts = skipped = 0
    calls = []
    original = tl.hinge_kinks

    def counting(trace, guesses, halves, step):
        calls.append(len(guesses))
        return original(trace, guesses, halves, step)

    monkeypatch.setattr(tl, "hinge_kinks", counting)

    for rel in TWO_LEVEL_FILES:
        trace = _trace(rel)
        for floor, min_gap in ((iv.MOVING_SPEED_MPS, iv.MIN_GAP_S),
                               (iv.RUNNING_MPS, rg.REGULAR_MIN_GAP_S)):  # fmt: skip
            slow, fast, _ = iv.speed_clusters(trace, floor_mps=floor)
            span = fast - slow
            on = iv.hysteresis(
                trace.v_mps, slow + iv.ENTER_FRACTION * span, slow + iv.EXIT_FRACTION * span
            )
            bouts = iv._merged_runs(on, trace.t_s, min_gap)
            if len(bouts) < 3:
                continue
            calls.clear()
            got = tl.split_two_level(trace, bouts, iv.MIN_WORK_S, iv.HINGE_STEP_S)
            expected = ref.split_two_level(trace, bouts, iv.MIN_WORK_S, iv.HINGE_STEP_S)
            assert got == expected
            dur = np.array([b.end_s - b.start_s for b in bouts])
            n_long = int(np.sum(dur > tl.TWO_LEVEL_LONG * tl.medians_without_each(dur)))
            skipped += n_long - sum(calls)
            cuts += sum(g != b for g, b in zip(got, bouts, strict=True))
    assert cuts > 0 and skipped > 0
