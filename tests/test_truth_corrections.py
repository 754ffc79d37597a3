"""tests/data/truth_corrections.json replaces two TRUTH.json entries (the 20210604 track
run, read as continuous from its 1600 m / mile laps). Its claim is checked here on the
devices' own channels, without splitcheck's segmentation: the watch's speed field and
cadence of both watches show six efforts, four of ~400 m and two of ~800 m."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import REAL, ROOT
from splitcheck.io import read
from splitcheck.segment.trace import rolling_median

CORRECTIONS = json.loads((ROOT / "tests/data/truth_corrections.json").read_text("utf-8"))
MIN_EFFORT_S = 40.0


def _efforts(rel: str) -> list[tuple[float, float]]:
    """(start, duration) [s] of the stretches where the watch's own 15 s speed is above
    the middle of its slow and fast levels and its cadence above the middle of its own."""
    s = read(REAL / rel)[0].samples
    t = np.arange(s.elapsed_s[0], s.elapsed_s[-1])
    v = rolling_median(np.interp(t, s.elapsed_s, s.speed_mps), 15)
    c = rolling_median(np.interp(t, s.elapsed_s, s.cadence_spm), 15)
    moving = v > 2.0
    v_mid = np.mean(np.percentile(v[moving], [25, 90]))
    c_mid = np.mean(np.percentile(c[moving], [25, 90]))
    on = (v > v_mid) & (c > c_mid)
    edges = np.diff(np.concatenate([[0], on.astype(int), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(float(t[a]), float(b - a)) for a, b in zip(starts, ends, strict=True)
            if b - a >= MIN_EFFORT_S]  # fmt: skip


@pytest.mark.parametrize("rel", list(CORRECTIONS))
def test_the_devices_own_speed_and_cadence_show_the_corrected_efforts(rel):
    if not (REAL / rel).exists():
        pytest.fail(f"real file {rel} missing from {REAL}")
    efforts = _efforts(rel)
    assert len(efforts) == CORRECTIONS[rel]["n_work"], efforts
    durations = sorted(d for _, d in efforts)
    assert np.all(np.abs(np.array(durations[:4]) / 87 - 1) < 0.3)  # ~400 m at 4.6 m/s
    assert np.all(np.abs(np.array(durations[4:]) / 180 - 1) < 0.3)  # ~800 m
