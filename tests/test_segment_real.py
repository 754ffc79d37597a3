"""Segmentation of real watch files (../shared/real-activities): the reps the runner's
laps mark are found from the pace trace alone, and continuous runs get no reps."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import REAL
from splitcheck.io import read
from splitcheck.segment import find_structure

RUN_STATS = [
    "run-stats/6761214480_ACTIVITY.fit",
    "run-stats/6840589159_ACTIVITY.fit",
    "run-stats/7119384558_ACTIVITY.fit",
]


def _activity(rel: str):
    if not (REAL / rel).exists():
        pytest.fail(f"real file {rel} missing from {REAL}")
    return read(REAL / rel)[0]


def _matched_edges(found, marked):
    """Edge errors [s] pairing each lap-marked rep with the nearest found rep."""
    err = []
    for m in marked:
        near = min(found, key=lambda f: abs(f.start_s - m.start_s))
        err += [abs(near.start_s - m.start_s), abs(near.end_s - m.end_s)]
    return np.array(err)


@pytest.mark.parametrize("rel", RUN_STATS)
def test_six_by_400_from_laps_and_from_the_trace_alone(rel):
    activity = _activity(rel)
    with_laps = find_structure(activity)
    marked = with_laps.work
    assert len(marked) == 6 and {r.source for r in marked} == {"laps"}
    assert all(r.nominal == "400 m" for r in marked)
    hidden = find_structure(activity.with_changes(laps=()))
    assert len(hidden.work) == 6
    assert {r.nominal for r in hidden.work} == {"400 m"}
    assert hidden.workout.type == "repeats"
    assert "6x400 m with jog recoveries" in hidden.workout.label
    err = _matched_edges(hidden.work, marked)
    assert np.median(err) <= 3.5 and err.max() <= 6.0  # smart recording, 1-9 s gaps


def test_eight_by_200_with_manual_laps_hidden():
    activity = _activity("activityio/c2eb1b_6.tcx")
    marked = find_structure(activity).work
    assert len(marked) == 8 and all(r.source == "laps" for r in marked)
    hidden = find_structure(activity.with_changes(laps=()))
    assert len(hidden.work) == 8
    assert hidden.workout.type == "repeats"
    assert "8x200 m" in hidden.workout.label
    assert np.median(_matched_edges(hidden.work, marked)) <= 2.5


@pytest.mark.parametrize(
    "rel",
    [
        "activityio/c2eb1b_2.tcx",  # 10 km, walked at the end
        "python-fitparse/2013-02-06-12-11-14.fit",  # very uneven km splits, walk breaks
        "runpandas/run.fit",  # run / walk
        "runpandas/2020-12-26T06_03_49-300_Running.tcx",  # progression run
        "runpandas/2020-12-20T05_50_47-300_Running.tcx",  # 16 km, manual km laps
        "runpandas/nike_run.gpx",
        "sport-activities-features/fit_format_test_File.FIT",
        "tormoder-fit/mornindew-broken.fit",
    ],
)
def test_continuous_real_runs_have_no_reps(rel):
    s = find_structure(_activity(rel))
    assert s.workout.type == "continuous", s.workout.label
    assert s.work == ()
    assert s.splits and s.splits[0].index == 1


def test_auto_km_laps_of_a_real_run_are_typed_as_splits():
    s = find_structure(_activity("sport-activities-features/fit_format_test_File.FIT"))
    assert [lap.auto_split for lap in s.laps] == [True] * len(s.laps)
    assert all(lap.role is None for lap in s.laps)
    km = [sp for sp in s.splits if not sp.partial]
    laps = [lap for lap in s.laps if abs(lap.distance_m - 1000) < 1]
    # our interpolated km splits agree with the watch's own km laps
    assert [sp.duration_s for sp in km[: len(laps)]] == pytest.approx(
        [lap.duration_s for lap in laps], abs=2.0
    )


def test_laps_option_in_the_json_and_the_library():
    """--laps auto / use / ignore: the JSON says which source the reps came from; with_nones
    has the first 200 m lapped only at its end (TRUTH.json: 7 reps, the laps mark 6)."""
    from click.testing import CliRunner

    from splitcheck.cli import cli
    from splitcheck.errors import SplitcheckError

    path = str(REAL / "workoutizer/with_nones.fit")
    got = {}
    for mode in ("auto", "use", "ignore"):
        out = CliRunner().invoke(cli, ["analyze", "--json", "--laps", mode, path])
        assert out.exit_code == 0, out.output
        doc = json.loads(out.output)["activities"][0]
        got[mode] = (doc["structure_source"], sum(i["kind"] == "work" for i in doc["intervals"]))
    assert got["auto"] == ({"laps_mode": "auto", "used": "laps+trace"}, 7)
    assert got["use"] == ({"laps_mode": "use", "used": "laps"}, 6)
    assert got["ignore"] == ({"laps_mode": "ignore", "used": "trace"}, 7)
    with pytest.raises(SplitcheckError):
        find_structure(_activity("workoutizer/with_nones.fit"), laps="maybe")
