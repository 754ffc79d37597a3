"""``splitcheck batch``: exit codes, messages, output files, and Ctrl-C on the real command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REAL
from splitcheck.batch.store import DB_NAME
from splitcheck.cli import cli

GOOD = ("heartandsole/testdata.tcx", "python-fitparse/garmin-fenix-5-run.fit")
BROKEN = "gpxpy/cerknicko-without-times.gpx"
"""A route saved as GPX (MANIFEST: 5 of 296 points timed): no recording, refused. (The
broken malformed.tcx is read since issue 12: an undeclared prefix is tolerated.)"""


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for rel in (*GOOD, BROKEN):
        shutil.copyfile(REAL / rel, folder / Path(rel).name)
    (folder / "notes.txt").write_text("not an activity")
    return folder


def _run(args: list[str], cwd: Path) -> object:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli, ["batch", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def test_failure_gives_exit_1_a_summary_and_a_failures_file(inputs: Path, tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    result = _run([str(inputs), "--jobs", "1", "--cache-dir", str(tmp_path / "c")], work)
    assert result.exit_code == 1
    out = work / "splitcheck-out"  # the current folder, never next to the inputs
    failures = (out / "failures.txt").read_text().splitlines()
    assert failures == [
        f"{inputs / 'cerknicko-without-times.gpx'}: only 5 of 296 points have a time "
        "(a route, not a recording)"
    ]
    assert f"  {failures[0]}" in result.stderr.splitlines()
    # every file is counted once: 4 = 2 read + 1 skipped (notes.txt) + 1 failed
    assert "4 files: 2 read (2 distinct activities), 1 skipped, 1 failed;" in result.stderr
    for name in ("activities", "reps", "splits"):
        assert (out / f"{name}.csv").exists() and (out / f"{name}.json").exists()
    acts = json.loads((out / "activities.json").read_text())
    assert sorted(Path(a["source"]).name for a in acts) == [
        "garmin-fenix-5-run.fit",
        "testdata.tcx",
    ]
    assert sorted(p.name for p in inputs.iterdir()) == sorted(
        ["testdata.tcx", "garmin-fenix-5-run.fit", "cerknicko-without-times.gpx", "notes.txt"]
    )
    assert "Weekly volume and review" in result.stdout


def test_all_good_gives_exit_0_and_json_review(inputs: Path, tmp_path: Path):
    (inputs / "cerknicko-without-times.gpx").unlink()
    args = [str(inputs), "-j", "1", "--no-cache", "--out", str(tmp_path / "o"), "--json"]
    result = _run([*args, "--level", "beginner", "--timezone", "UTC"], tmp_path)
    assert result.exit_code == 0, result.stderr
    review = json.loads(result.stdout)
    assert review["level"] == "beginner" and review["timezone"] == "UTC"
    assert sum(w["runs"] for w in review["weeks"]) == 2
    assert json.loads((tmp_path / "o" / "weekly.json").read_text()) == review
    assert (tmp_path / "o" / "failures.txt").read_text() == ""
    # not a terminal: plain progress lines, no bar
    assert (
        "splitcheck: batch: 2/2 files to read (2 analysed now, 0 from the cache, 0 failed)"
        in result.stderr
    )


def test_batch_dot_inside_the_activity_folder_skips_its_own_output(inputs: Path):
    """``cd runs && splitcheck batch .``: the output goes to ./splitcheck-out, which a
    second run does not read as input (its CSV and JSON files would be 'skipped')."""
    for _ in range(2):
        result = _run([".", "--no-cache", "-j", "1"], inputs)  # default --out: ./splitcheck-out
        assert result.exit_code == 1, result.stderr  # malformed.tcx failed; the rest read
        assert "4 files: 2 read (2 distinct activities), 1 skipped, 1 failed;" in result.stderr
    assert (inputs / "splitcheck-out" / "weeks.csv").exists()
    assert not result.stderr.startswith("Error")


def test_writing_straight_into_an_input_folder_is_refused(inputs: Path):
    result = _run([str(inputs), "--no-cache", "--out", str(inputs)], inputs)
    assert result.exit_code == 2
    assert result.stderr.startswith("splitcheck: --out") and "is the input folder" in result.stderr
    assert not (inputs / "activities.csv").exists()


def test_bad_profile_value_is_one_error_line(inputs: Path, tmp_path: Path):
    result = _run([str(inputs), "--no-cache", "--goal-mile", "6:7"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("splitcheck: ") and "Traceback" not in result.stderr


def test_second_run_comes_from_the_cache(inputs: Path, tmp_path: Path):
    args = [
        str(inputs),
        "-j",
        "1",
        "--cache-dir",
        str(tmp_path / "c"),
        "--out",
        str(tmp_path / "o"),
    ]
    _run(args, tmp_path)
    again = _run(args, tmp_path)
    assert "; 0 analysed now, 3 from the cache;" in again.stderr  # the broken file is cached too
    assert again.exit_code == 1


COPIES = 40
"""Distinct versions of one real file (each its own content, so each is analysed): enough
work that the batch is still running when it is interrupted."""


@pytest.mark.slow
def test_ctrl_c_keeps_finished_files_and_the_rerun_does_only_the_rest(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    data = (REAL / "runpandas/stopped_example.tcx").read_bytes()
    for i in range(COPIES):
        (folder / f"run-{i:02d}.tcx").write_bytes(data + b"\n" * i)
    cache = tmp_path / "cache"
    cmd = [sys.executable, "-m", "splitcheck", "batch", str(folder), "-j", "2"]
    cmd += ["--cache-dir", str(cache), "--out", str(tmp_path / "o")]
    proc = subprocess.Popen(
        cmd, cwd=tmp_path, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    stored = _wait_for_results(cache / DB_NAME, proc)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "run the same command again to continue" in err
    kept = _count(cache / DB_NAME)
    assert stored <= kept < COPIES
    rerun = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"; {COPIES - kept} analysed now, {kept} from the cache;" in rerun.stderr


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=10) as conn:
        try:
            return conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        except sqlite3.OperationalError:  # the table is not made yet
            return 0


def _wait_for_results(db: Path, proc: subprocess.Popen, timeout_s: float = 120.0) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        n = _count(db)
        if n >= 3:  # past the first files analysed in the main process: workers are on
            return n
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        time.sleep(0.05)
    pytest.fail("no result stored in time")
