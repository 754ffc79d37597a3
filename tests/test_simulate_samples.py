"""sample_activities/: reproducible from scripts/make_samples.py, readable, truthful."""

from __future__ import annotations

import importlib.util
import io
import json

import fitparse
import numpy as np
import pytest

from conftest import ROOT, SAMPLES
from splitcheck.io import read
from splitcheck.segment.types import WORKOUT_TYPES

MAX_TOTAL_BYTES = 4_000_000
"""The folder ships with the package's repository: a few MB at most."""


def _make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts/make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(ext):
    return sorted(SAMPLES.glob(f"*.{ext}"))


def test_rerunning_the_script_reproduces_every_file(tmp_path, capsys):
    _make_samples().main(tmp_path)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in SAMPLES.iterdir())
    for name in made:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_the_folder_is_small_and_covers_every_session_type():
    assert sum(p.stat().st_size for p in SAMPLES.iterdir()) < MAX_TOTAL_BYTES
    truths = [json.loads(p.read_text()) for p in _files("truth.json")]
    types = {t["workout"]["type"] for t in truths}
    assert types == set(WORKOUT_TYPES)
    assert _files("fit") and _files("gpx")
    lap_policies = {t["params"]["laps"] for t in truths}
    assert {"none", "manual"} <= lap_policies
    labels = " ".join(t["workout"]["label"] for t in truths)
    for words in ("8x200", "4x600", "10x0:30", "4x5:00", "4x3:00", "easy", "tempo"):
        assert words in labels


@pytest.mark.parametrize("path", _files("fit"), ids=lambda p: p.name)
def test_every_fit_reads_cleanly_and_matches_its_truth(path):
    fit = fitparse.FitFile(io.BytesIO(path.read_bytes()), check_crc=True)
    laps = [m.get_values() for m in fit.get_messages("lap")]
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text())
    assert len(laps) == len(truth["laps"])
    act = read(path)[0]
    d = act.samples.distance_m
    for rep in truth["reps"]:
        got = np.interp(rep["end_s"], act.samples.elapsed_s, d) - np.interp(
            rep["start_s"], act.samples.elapsed_s, d
        )
        assert got == pytest.approx(rep["distance_m"], abs=max(12.0, 0.025 * rep["distance_m"]))


@pytest.mark.parametrize("path", _files("gpx"), ids=lambda p: p.name)
def test_every_gpx_reads_with_heart_rate(path):
    act = read(path)[0]
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text())
    assert act.samples.has("heart_rate_bpm")
    assert act.elapsed_s == pytest.approx(truth["steps"][-1]["end_s"], abs=1.0)
