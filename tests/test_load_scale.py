"""Training load on one scale: TRIMP (heart rate) and running TSS (pace) are not summed as
if they were the same unit (an hour at threshold is ~100 running TSS and ~150 TRIMP).

Truth: the same simulated run recorded with and without heart rate carries the same load;
on the real files, every activity's load is its TRIMP, or its running TSS converted by the
archive's own TRIMP / running TSS ratio, never the raw other unit.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import numpy as np
import pytest

import splitcheck
from conftest import REAL
from splitcheck.batch.load import MIN_PAIRS_FOR_SCALE, load_scale
from splitcheck.simulate import simulate, workout

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """Three weeks of 6x400 m, easy and hilly tempo runs with heart rate; then the same
    tempo run again (same seed), its GPX export stripped of heart rate."""
    folder = tmp_path_factory.mktemp("load")
    plans = (workout.repeats(6, 400.0, 230.0), workout.easy(2400), workout.tempo_hilly())
    for week in range(3):
        for i, plan in enumerate(plans):
            day = MONDAY + dt.timedelta(weeks=week, days=1 + 2 * i)
            start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
            simulate(plan, seed=3 * week + i, start_utc=start).write_fit(folder / f"{day}.fit")
    day = MONDAY + dt.timedelta(weeks=3, days=5)
    start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
    gpx = simulate(workout.tempo_hilly(), seed=8, start_utc=start).write_gpx(folder / "no-hr.gpx")
    gpx.write_text(re.sub(r"<gpxtpx:hr>\d+</gpxtpx:hr>", "", gpx.read_text()))
    arc = splitcheck.batch(folder, cache_dir=None, jobs=1, timezone="UTC")
    return {a["date"]: a for a in arc.view.activities}, arc


def test_the_same_run_with_and_without_heart_rate_carries_the_same_load(simulated):
    rows, arc = simulated
    with_hr = rows[(MONDAY + dt.timedelta(weeks=2, days=5)).isoformat()]
    without = rows[(MONDAY + dt.timedelta(weeks=3, days=5)).isoformat()]
    assert with_hr["trimp"] is not None and without["trimp"] is None
    # the two units differ for the same run: summing them raw would count it twice as heavy
    assert with_hr["trimp"] / with_hr["rtss"] > 1.3
    assert without["load"] == pytest.approx(with_hr["load"], rel=0.05)
    assert {r["load_from"] for r in rows.values()} == {"pace"}  # every run has pace
    assert any("running TSS (pace) units" in s for s in arc.view.load_settings.sources)


def test_real_archive_load_is_trimp_or_converted_pace(tmp_path):
    shutil.copytree(REAL, tmp_path / "real")
    arc = splitcheck.batch(tmp_path / "real", cache_dir=None, jobs=2, timezone="UTC")
    rows = list(arc.view.activities)
    both = [r["trimp"] / r["rtss"] for r in rows if r.get("trimp") and r.get("rtss")]
    assert len(both) >= MIN_PAIRS_FOR_SCALE
    ratio = float(np.median(both))
    converted = 0
    for r in rows:
        if r.get("trimp") is not None:
            assert (r["load"], r["load_from"]) == (r["trimp"], "heart rate")
        elif r.get("rtss") is not None:  # e.g. the 10 km race recorded without heart rate
            assert r["load_from"] == "pace converted to TRIMP"
            assert r["load"] == pytest.approx(r["rtss"] * ratio, rel=0.01)  # rows round to 0.1
            converted += 1
        else:
            assert r["load"] is None
    assert converted >= 1
    race = next(r for r in rows if r["source"].endswith("20180331_run_garmin_fenix_3_hr.tcx"))
    assert race["load_from"] == "pace converted to TRIMP"


def test_too_few_activities_with_both_leave_the_other_unit_out():
    scale = load_scale([(100.0, None), (80.0, 50.0), (None, 60.0)])
    assert scale.basis == "heart rate" and scale.trimp_per_rtss is None
    assert scale.load(None, 60.0) == (None, None)
    assert scale.load(100.0, None) == (100.0, "heart rate")
    assert "no load" in scale.words()
