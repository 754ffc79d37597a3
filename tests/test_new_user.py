"""Files and commands no one here had shown splitcheck, tried as a new user would.

Inputs are made in ``tmp_path``: FIT files with Garmin's official encoder
(``garmin_fit_sdk``), GPX text, and the simulator. Each test states the independent
truth it checks against.
"""

from __future__ import annotations

import datetime as dt
import math
import os

import pytest
from click.testing import CliRunner
from garmin_fit_sdk import Encoder

import splitcheck
from splitcheck.cli import cli
from splitcheck.simulate import simulate, workout
from splitcheck.units import MILE_M

T0 = dt.datetime(2025, 9, 1, 6, 0, 0, tzinfo=dt.UTC)
SEMICIRCLES_PER_DEG = 2**31 / 180


def _records(n: int, speed_mps: float = 3.5) -> list[dict]:
    """``n`` one-second records around a 400 m loop at a steady speed."""
    out = []
    for i in range(n):
        d = speed_mps * i
        ang = d / 400 * 2 * math.pi
        out.append(
            {
                "mesg_num": 20,
                "timestamp": T0 + dt.timedelta(seconds=i),
                "position_lat": int((48.85 + 0.0006 * math.sin(ang)) * SEMICIRCLES_PER_DEG),
                "position_long": int((2.35 + 0.0009 * math.cos(ang)) * SEMICIRCLES_PER_DEG),
                "distance": d,
                "speed": speed_mps,
                "heart_rate": 150,
            }
        )
    return out


def _write_fit(path, records: list[dict]):
    enc = Encoder()
    enc.write_mesg(
        {"mesg_num": 0, "type": "activity", "manufacturer": "garmin", "time_created": T0}
    )
    for r in records:
        enc.write_mesg(r)
    path.write_bytes(enc.close())
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


# -- chart -------------------------------------------------------------------------------
def test_chart_output_onto_an_existing_file_is_refused_in_one_line(tmp_path):
    (tmp_path / "in").mkdir()
    src = _write_fit(tmp_path / "in" / "run.fit", _records(600))
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me")
    result = run("chart", str(src), "-o", str(existing))
    assert result.exit_code == 2, result.output
    assert "not a folder" in result.output
    assert "internal error" not in result.output
    assert existing.read_text() == "keep me"


# -- values a watch should never store ----------------------------------------------------
def test_a_one_sample_distance_spike_is_a_glitch_not_100_km(tmp_path):
    """One record says 100 km, the next ones carry on from ~2.4 km: the run is 1199 s at
    3.5 m/s = 4196.5 m (the encoder's independent truth), not 100 km."""
    recs = _records(1200)
    recs[700]["distance"] = 100_000.0
    act = splitcheck.read(_write_fit(tmp_path / "spike.fit", recs))[0]
    assert act.distance_m == pytest.approx(3.5 * 1199, abs=5)
    assert any("distance" in w for w in act.warnings)


def test_latitudes_outside_the_globe_are_dropped_with_a_warning(tmp_path):
    """Ten points at latitude 148 deg (impossible) must not add 11 000 km; the other
    points make a 0.25 deg-longitude straight line at the equator, 27.8 km."""
    pts = []
    for i in range(600):
        lat = 148.0 if 300 <= i < 310 else 0.0
        t = (T0 + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        pts.append(f'<trkpt lat="{lat}" lon="{i * 0.25 / 599:.7f}"><time>{t}</time></trkpt>')
    gpx = (
        '<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" '
        'creator="x"><trk><type>running</type><trkseg>' + "".join(pts) + "</trkseg></trk></gpx>"
    )
    path = tmp_path / "bad_lat.gpx"
    path.write_text(gpx)
    act = splitcheck.read(path)[0]
    truth_m = 0.25 * math.pi / 180 * 6_371_008.8
    assert act.distance_m == pytest.approx(truth_m, rel=0.01)
    assert any("off the globe" in w for w in act.warnings)


def test_chart_into_a_folder_that_cannot_be_made_is_one_line_exit_1(tmp_path):
    (tmp_path / "in").mkdir()
    src = _write_fit(tmp_path / "in" / "run.fit", _records(600))
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = run("chart", str(src), "-o", str(blocker / "sub"))
    assert result.exit_code == 1, result.output
    assert "cannot write" in result.output
    assert "internal error" not in result.output


# -- file names that are not UTF-8 --------------------------------------------------------
def test_batch_reads_a_file_whose_name_is_not_utf8(tmp_path):
    """A Latin-1 name (``caf\\xe9.fit``, as an old Windows export writes it) is read and
    shown escaped, and the cache and tables take it (sqlite refused the raw name)."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.fit")
    _write_fit(folder / name, _records(600))
    out = tmp_path / "out"
    result = run("batch", str(folder), "--cache-dir", str(tmp_path / "cache"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert "caf\\xe9.fit" in (out / "activities.csv").read_text(encoding="utf-8")


def test_analyze_csv_of_a_file_whose_name_is_not_utf8(tmp_path):
    src = _write_fit(tmp_path / os.fsdecode(b"caf\xe9.fit"), _records(600))
    out = tmp_path / "out" / "laps.csv"
    out.parent.mkdir()
    result = run("analyze", str(src), "--csv", str(out))
    assert result.exit_code == 0, result.output
    assert "caf\\xe9.fit" in out.read_text(encoding="utf-8")


# -- segmentation against the simulator's truth ---------------------------------------------
@pytest.mark.parametrize("laps", ["manual", "none"])
def test_time_reps_of_an_odd_duration_are_found_not_called_a_continuous_run(laps):
    """8 x 75 s with 45 s jogs: 75 s is no round duration and ~370 m no track distance,
    but eight equal reps are a set (they came out as "8 surges ... no rep structure")."""
    sim = simulate(workout.time_reps(8, 75, 200, recovery_s=45), seed=109, laps=laps)
    structure = splitcheck.analyze(sim.to_activity()).structure
    work = [i for i in structure.intervals if i.kind == "work"]
    assert structure.workout.type == sim.truth.workout_type == "time_reps"
    assert len(work) == len(sim.truth.reps)
    for found, true in zip(work, sim.truth.reps, strict=True):
        assert found.start_s == pytest.approx(true.start_s, abs=3)
        assert found.end_s == pytest.approx(true.end_s, abs=3)
        assert found.nominal_duration_s == 75


@pytest.mark.parametrize("laps", ["manual", "auto_km"])
def test_three_mile_reps_are_one_set_not_a_ladder(laps):
    """3 x 1 mile: a rep measured 1604 m is nearer 1600 m than 1609 m, but the set is one
    of miles (it was labelled "2xmile, 1x1600 m", a descending ladder)."""
    sim = simulate(workout.repeats(3, MILE_M, 240, recovery=180), seed=106, laps=laps)
    structure = splitcheck.analyze(sim.to_activity()).structure
    work = [i for i in structure.intervals if i.kind == "work"]
    assert structure.workout.type == sim.truth.workout_type == "repeats"
    assert len(work) == 3 and len({w.nominal for w in work}) == 1
    if laps == "manual":  # lap-measured 1609, 1611, 1604 m: a set of miles
        assert [w.nominal for w in work] == [r.nominal for r in sim.truth.reps] == ["mile"] * 3
    # from the trace alone (1603, 1612, 1596 m) 1600 m and the mile are within GPS error


# -- the Python API -------------------------------------------------------------------------
def test_load_frames_takes_one_path_as_well_as_a_list(tmp_path):
    """``load_frames("runs")`` iterated the string's characters: "r", "u"... (and a path
    with "/" in it walked the whole file system from the root)."""
    from splitcheck.batch import load_frames

    folder = tmp_path / "runs"
    folder.mkdir()
    _write_fit(folder / "a.fit", _records(600))
    for arg in (str(folder), folder):
        frames = load_frames(arg, cache_dir=None, jobs=1)
        assert list(frames["activities"]["source"]) == [str(folder / "a.fit")]
        assert frames["failures"].empty


def test_speed_without_distance_or_positions_gives_the_distance(tmp_path):
    """A FIT with speed (a foot pod, a treadmill app) but neither distance nor positions:
    30 min at 3.3 m/s is 3.3 x 1799 s = 5936.7 m, not 0 km."""
    recs = _records(1800, speed_mps=3.3)
    for r in recs:
        del r["distance"], r["position_lat"], r["position_long"]
    act = splitcheck.read(_write_fit(tmp_path / "speed.fit", recs))[0]
    assert act.distance_m == pytest.approx(3.3 * 1799, rel=0.001)
    assert any("speed" in w for w in act.warnings)


def test_null_island_points_before_a_gps_fix_add_no_distance(tmp_path):
    """Points at exactly (0, 0) (written before the GPS had a fix) are no position: the
    first 100 of 600 made a 2 km run thousands of km long. The rest run 0.02 deg of
    longitude along latitude 48.85: 2.2 km x cos(48.85 deg) = 1.463 km."""
    pts = []
    for i in range(600):
        lat, lon = (0.0, 0.0) if i < 100 else (48.85, 2.35 + (i - 100) * 0.02 / 499)
        t = (T0 + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        pts.append(f'<trkpt lat="{lat}" lon="{lon:.7f}"><time>{t}</time></trkpt>')
    gpx = (
        '<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" '
        'creator="x"><trk><type>running</type><trkseg>' + "".join(pts) + "</trkseg></trk></gpx>"
    )
    path = tmp_path / "null_island.gpx"
    path.write_text(gpx)
    act = splitcheck.read(path)[0]
    truth_m = 0.02 * math.pi / 180 * 6_371_008.8 * math.cos(math.radians(48.85))
    assert act.distance_m == pytest.approx(truth_m, rel=0.01)
    assert any("(0, 0)" in w for w in act.warnings)


def test_batch_on_a_folder_without_activity_files_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x")
    out = tmp_path / "out"
    result = run("batch", str(tmp_path / "empty"), "--no-cache", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "no activity files found" in result.output


def test_records_all_at_one_time_say_so(tmp_path):
    """100 records with one time stamp were reported as "only 1 of 1 points have a time"."""
    recs = _records(100)
    for r in recs:
        r["timestamp"] = T0
    with pytest.raises(splitcheck.NoTimedDataError, match="all 100 records have the same time"):
        splitcheck.read(_write_fit(tmp_path / "same.fit", recs))


@pytest.mark.parametrize("laps", ["manual", "none"])
def test_a_slow_runners_mile_time_trial_is_found(laps):
    """An 8:10 mile (laps 2:02-2:05) after a 6:00 /km warm-up and a standing rest: the
    mile is only 17 % faster than the jog, and the laps made "15 min, 20 min with standing
    recoveries", a ladder. The truth: a time trial of 491.5 s."""
    sim = simulate(workout.mile_tt((122, 124, 125, 119)), seed=116, laps=laps)
    structure = splitcheck.analyze(sim.to_activity()).structure
    assert structure.workout.type == sim.truth.workout_type == "time_trial"
    assert structure.mile_effort is not None
    assert structure.mile_effort.duration_s == pytest.approx(
        sim.truth.mile_effort.duration_s, abs=3
    )
