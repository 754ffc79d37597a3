"""Never falls over (issue 15): memory and time bounded by the samples, no internal error,
special files and names, interrupts.

Each failure the fuzzer found (tests/fuzzing.py, scripts/fuzz.py) has a test here or in
test_xml_lenient.py / test_fit_salvage.py, built from a small generated input
(robust_inputs.py) damaged the way the fuzzer damaged real files. Inputs that once took
gigabytes or seconds run in a forked child under the issue's limits (1 GB, 10 s).
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import fuzzing
import splitcheck
from robust_inputs import fit_data, fit_with, gpx_data, isolated, set_timestamp, sim, tcx_text
from splitcheck.analysis import analyze
from splitcheck.cli import cli
from splitcheck.errors import FileError
from splitcheck.io import read, read_bytes
from splitcheck.io.common import build_activity
from splitcheck.model import Lap
from splitcheck.report.text import render_analysis


# -- memory and time bounded by the samples, not the clock --------------------------
@pytest.mark.parametrize("jump_s", [10 * 365 * 86400, -(10**9), 3 * 86400])
def test_one_bad_time_stamp_costs_no_memory(jump_s):
    """A single record's time stamp years off made a 1 s grid over the years (14.5 GB)."""

    def mutate(records):
        stamps = fuzzing.timestamp_fields(records)
        rec, offset = stamps[len(stamps) // 2]
        old = struct.unpack_from("<I", rec.raw, offset)[0]
        set_timestamp(rec, offset, old + jump_s)

    out = isolated(fit_with(mutate))
    assert out.peak_b < 300 * 2**20


def test_clock_jump_of_years_mid_run_costs_no_memory():
    def mutate(records):
        stamps = fuzzing.timestamp_fields(records)
        for rec, offset in stamps[len(stamps) // 2 :]:
            old = struct.unpack_from("<I", rec.raw, offset)[0]
            set_timestamp(rec, offset, old + 20 * 365 * 86400)

    out = isolated(fit_with(mutate))
    assert out.peak_b < 300 * 2**20


def _activity(t_s, d_m):
    return build_activity(
        source="gen.fit",
        source_format="fit",
        time_unix_s=np.asarray(t_s, dtype=float) + 1.7e9,
        columns={"distance_m": np.asarray(d_m, dtype=float)},
        sport="running",
    )


def test_samples_spread_over_months_are_not_segmented_and_say_so():
    """3,000 samples, one every hour: a grid over the clock would be 11 M points."""
    t = np.arange(3000) * 3600.0
    a = analyze(_activity(t, np.arange(3000) * 10.0))
    assert a.structure is None
    assert any(w.startswith("not segmented:") and "3000 samples" in w for w in a.activity.warnings)


def test_a_broken_distance_of_21000_km_is_not_segmented():
    """A 0.5 m grid over 21,307 km for each best effort took 1.4 GB."""
    t = np.arange(1800.0)
    d = np.where(t < 900, t * 3.0, 2.1307e7 + t * 3.0)
    a = analyze(_activity(t, d))
    assert a.structure is None
    assert any("21,310 km" in w or "broken distance" in w for w in a.activity.warnings)


def test_a_long_stop_is_left_out_of_the_grid_and_the_reps_are_still_found():
    """One sample 5 h before a session of reps: the gap is left out of the grid (it
    made a settle window of 0 samples: ValueError in _local_edges)."""
    base = analyze(read_bytes(fit_data(), "sim.fit")[0])
    (act,) = read_bytes(fit_data(), "sim.fit")
    s = act.samples
    t = np.concatenate([[-5 * 3600.0], s.elapsed_s])
    d = np.concatenate([[0.0], s.distance_m])
    a = analyze(_activity(t, d))
    assert a.structure is not None
    assert len(a.structure.work) == len(base.structure.work) == 8


def test_best_effort_is_exact_between_samples():
    """The fastest 400 m of a run at 4 m/s with 100 m at 5 m/s inside: found from the
    samples' corners, not a grid."""
    t = np.arange(0.0, 600.0)
    v = np.where((t >= 200) & (t < 220), 5.0, 4.0)
    d = np.concatenate([[0.0], np.cumsum(v[:-1])])
    from splitcheck.segment.efforts import fastest_stretch
    from splitcheck.segment.trace import build_trace

    trace = build_trace(_activity(t, d))
    effort = fastest_stretch(trace, 400.0)
    assert effort.end_s - effort.start_s == pytest.approx(300 / 4 + 100 / 5, abs=1e-6)


# -- no internal error --------------------------------------------------------------------
def test_time_offset_beyond_a_day_leaves_the_point_out():
    """A GPX time offset of -25:00 was a ValueError inside datetime."""
    text = gpx_data().decode()
    at = text.index("<trkpt")
    first = re.search(r"<time>([^<]+)Z</time>", text[at:]).group(1)
    bad = text[:at] + text[at:].replace(f"<time>{first}Z</time>", f"<time>{first}-25:00</time>", 1)
    (act,) = read_bytes(bad.encode(), "offset.gpx")
    assert len(act.samples) == len(sim().recording.time_s) - 1
    assert any("impossible" in w for w in act.warnings)


@pytest.mark.parametrize(
    "bad", ["99999999999999999999", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]
)
def test_impossible_tcx_times_are_left_out(bad):
    """A TCX time of 99999999999999999999 crashed building the start date."""
    text = tcx_text(300)
    times = re.findall(r"<Time>([^<]+)</Time>", text)
    bad_text = text.replace(f"<Time>{times[10]}</Time>", f"<Time>{bad}</Time>", 1)
    (act,) = read_bytes(bad_text.encode(), "t.tcx")
    assert len(act.samples) == 299
    assert act.start_utc == sim().recording.start_utc
    assert any("1 of 300 trackpoints have no time" in w for w in act.warnings)


def test_values_of_1e308_do_not_overflow():
    text = tcx_text(300).replace("<DistanceMeters>", "<DistanceMeters>1e308", 1)
    text = re.sub(r"<LatitudeDegrees>[^<]+<", "<LatitudeDegrees>inf<", text, count=3)
    (act,) = read_bytes(text.encode(), "big.tcx")
    assert len(act.samples) == 300  # pytest turns an overflow warning into an error


def test_lap_without_distance_shows_a_dash_not_nan():
    (act,) = read_bytes(fit_data(), "sim.fit")
    import dataclasses

    lap = Lap(start_s=0.0, end_s=60.0, distance_m=float("nan"), trigger="session_end")
    act = dataclasses.replace(act, laps=(lap,))
    text = render_analysis([analyze(act)], "x.fit")
    assert "nan" not in text.lower()
    assert re.search(r"\s1\s+0:00\s+1:00\.0\s+-\s", text)


def test_mile_effort_with_a_quarter_of_no_time_is_not_scored():
    """A clock fault gave a mile effort quarters of 0.0 s: divide by zero in the score."""
    from splitcheck.scoring import score
    from splitcheck.segment.types import Effort, Span, Structure, Workout

    laps = (Span(0, 78, 402), Span(78, 78, 402), Span(78, 78, 402), Span(78, 360, 403))
    effort = Effort(0.0, 360.0, 1609.0, name="mile", laps=laps)
    structure = Structure(Workout("time_trial", "mile"), mile_effort=effort)
    (act,) = read_bytes(fit_data(), "sim.fit")
    assert score(act, structure) is None


# -- special files and names -------------------------------------------------------------
@pytest.fixture
def special(tmp_path):
    """A folder with a good file, a FIFO named x.fit, a zero.fit link to /dev/zero and
    names with a newline and an ANSI escape."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.fit").write_bytes(fit_data())
    os.mkfifo(folder / "x.fit")
    (folder / "zero.fit").symlink_to("/dev/zero")
    (folder / "evil\nsplitcheck: forged.fit").write_bytes(b"not a fit")
    (folder / "red\x1b[31m.gpx").write_bytes(b"<gpx>")
    return folder


def test_read_refuses_fifo_and_devices_by_name(special):
    with pytest.raises(FileError, match=r"x\.fit: is a named pipe \(FIFO\)"):
        read(special / "x.fit")
    with pytest.raises(FileError, match=r"zero\.fit: is a device"):
        read(special / "zero.fit")


def test_analyze_goes_on_after_bad_files_and_escapes_names(special):
    files = ["x.fit", "zero.fit", "evil\nsplitcheck: forged.fit", "red\x1b[31m.gpx", "good.fit"]
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze", *[str(special / f) for f in files]])
    assert result.exit_code == 1
    out, err = result.stdout, result.stderr
    assert "good.fit" in out and "workout:" in out
    assert "\x1b" not in out + err
    assert not any(line.startswith("splitcheck: forged") for line in (out + err).splitlines())
    assert "evil\\nsplitcheck: forged.fit: not a FIT, GPX or TCX file" in err
    assert "red\\x1b[31m.gpx" in err
    assert len(err.strip().splitlines()) == 4  # one line per bad file


def test_batch_reports_special_files_and_writes_the_good_one(special, tmp_path):
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["batch", str(special), "--no-cache", "--out", str(out_dir), "-j", "1"]
    )
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output
    failures = (out_dir / "failures.txt").read_text(encoding="utf-8")
    assert "\x1b" not in failures
    assert len(failures.strip().splitlines()) == 4, failures
    assert "x.fit: is a named pipe (FIFO), not a file; refused" in failures
    assert "zero.fit: is a device, not a file; refused" in failures
    activities = next(out_dir.glob("activities.csv")).read_text(encoding="utf-8")
    assert "good.fit" in activities


def test_internal_error_names_the_file_and_the_others_run(monkeypatch, tmp_path):
    """An unexpected bug in one file: one line naming it, exit 1, the next file analysed."""
    good = tmp_path / "good.fit"
    good.write_bytes(fit_data())
    bad = tmp_path / "bad.fit"
    bad.write_bytes(fit_data())
    real_analyze = splitcheck.analysis.analyze

    def buggy(activity, profile=None, **kwargs):
        if activity.source.endswith("bad.fit"):
            raise IndexError("index 0 is out of bounds")
        return real_analyze(activity, profile, **kwargs)

    monkeypatch.setattr(splitcheck.analysis, "analyze", buggy)
    result = CliRunner().invoke(cli, ["analyze", str(bad), str(good)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"splitcheck: {bad}: internal error: IndexError")
    assert "workout:" in result.stdout and "good.fit" in result.stdout


def test_file_larger_than_the_limit_is_refused_unread(monkeypatch, tmp_path):
    import splitcheck.io as sio

    path = tmp_path / "big.fit"
    path.write_bytes(fit_data())
    monkeypatch.setattr(sio, "MAX_FILE_BYTES", 1000)
    with pytest.raises(FileError, match="too large for a watch file"):
        read(path)


def test_generated_inputs_are_not_real_files():
    """The regression inputs above are made here, not copied (standard 8)."""
    assert fit_data()[8:12] == b".FIT"
    assert not list(Path(__file__).parent.glob("*.fit"))


def test_laps_all_at_one_speed_are_one_cluster():
    """Four laps of exactly the same speed: the 2-means split of lap speeds took the
    mean of an empty cluster (numpy "Mean of empty slice" on stderr)."""
    t = np.arange(0.0, 1201.0)
    laps = [
        {"start_unix_s": 1.7e9 + a, "end_unix_s": 1.7e9 + a + 300, "distance_m": 900.0}
        for a in (0, 300, 600, 900)
    ]
    act = build_activity(
        source="laps.fit",
        source_format="fit",
        time_unix_s=t + 1.7e9,
        columns={"distance_m": t * 3.0},
        laps_unix=laps,
        sport="running",
    )
    a = analyze(act)  # warnings are errors under pytest
    assert a.structure is not None and a.structure.workout.type == "continuous"


def test_interrupt_anywhere_exits_130_not_aborted(monkeypatch, tmp_path, capsys):
    """Click's standalone mode printed "Aborted!" and exited 1 when Ctrl-C (or
    ``timeout -s INT``) landed outside the batch loop; ``main`` exits 130."""
    import sys

    import splitcheck.cli.analyze as analyze_cli
    from splitcheck.cli import main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    path = tmp_path / "a.fit"
    path.write_bytes(fit_data())
    monkeypatch.setattr(analyze_cli, "analyze_file", interrupted)
    monkeypatch.setattr(sys, "argv", ["splitcheck", "analyze", str(path)])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 130
    err = capsys.readouterr().err
    assert "Aborted!" not in err and "interrupted" in err


def test_control_characters_from_inside_a_file_are_escaped_too(tmp_path):
    """XML allows C1 controls (U+009B is a terminal's CSI): a creator naming the device
    with one must not reach the terminal raw."""
    text = gpx_data().decode()
    text = re.sub(r'creator="[^"]*"', 'creator="Watch\u009b31m red"', text, count=1)
    path = tmp_path / "c1.gpx"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(path)])
    assert result.exit_code == 0
    assert "Watch\\x9b31m red" in result.stdout
    assert "\u009b" not in result.stdout + result.stderr


def test_reading_a_file_takes_memory_for_its_size_not_the_limit(real):
    """read(limit + 1) made CPython allocate the whole 512 MB limit for every file (it
    shrinks the buffer after): tracemalloc saw a 537 MB peak for a 100 KB file, and a
    system that does not overcommit memory could refuse it. The peak is now the file's
    size, and the bytes are the file's."""
    import tracemalloc

    from splitcheck.io import read_file_bytes

    path = real / "tcxmill" / "10km-2019-10-18_activity.tcx"
    tracemalloc.start()
    try:
        data = read_file_bytes(path, path.name)
        _, peak_b = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data == path.read_bytes()
    assert peak_b < 2 * len(data) + 2**20


def test_a_file_that_grows_while_read_is_read_to_the_limit(tmp_path, monkeypatch):
    """The file's size is taken before reading; bytes written after it still count
    against the limit, and are refused past it."""
    from splitcheck.io import read_file_bytes

    path = tmp_path / "growing.gpx"
    path.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def stale_fstat(fd):  # the size seen before 60 more bytes were written
        st = real_fstat(fd)
        return os.stat_result((*st[:6], 40, *st[7:]))

    monkeypatch.setattr(os, "fstat", stale_fstat)
    assert read_file_bytes(path, path.name, limit_b=1000) == b"x" * 100
    with pytest.raises(FileError, match="larger than"):
        read_file_bytes(path, path.name, limit_b=80)
