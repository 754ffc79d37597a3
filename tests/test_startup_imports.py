"""What ``splitcheck analyze`` imports: only what an analysis uses (start-up is most of a
one-file run's time; benchmarks/bench_startup.py measures it).

Run in a fresh interpreter each, since this test session has imported everything."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SAMPLES

ANALYZE_MODULES = {
    "splitcheck",
    "splitcheck.analysis",
    "splitcheck.arrays",
    "splitcheck.cli",
    "splitcheck.cli.analyze",
    "splitcheck.cli.common",
    "splitcheck.cli.profile_options",
    "splitcheck.derive",
    "splitcheck.errors",
    "splitcheck.io",
    "splitcheck.io.clock",
    "splitcheck.io.common",
    "splitcheck.io.fit",
    "splitcheck.io.fit_clock",
    "splitcheck.io.fit_device",
    "splitcheck.io.fit_fast",
    "splitcheck.io.fit_fast_crc",
    "splitcheck.io.fit_fast_messages",
    "splitcheck.io.fit_fast_profile",
    "splitcheck.io.fit_fast_records",
    "splitcheck.io.fit_fast_scan",
    "splitcheck.io.fit_messages",
    "splitcheck.io.fit_salvage",
    "splitcheck.io.fit_span",
    "splitcheck.io.pauses",
    "splitcheck.localtime",
    "splitcheck.metrics",
    "splitcheck.metrics.laps",
    "splitcheck.metrics.physio",
    "splitcheck.metrics.predict",
    "splitcheck.metrics.series",
    "splitcheck.metrics.terrain",
    "splitcheck.metrics.trend",
    "splitcheck.model",
    "splitcheck.profile",
    "splitcheck.report",
    "splitcheck.report.pacing_text",
    "splitcheck.report.structure_text",
    "splitcheck.report.text",
    "splitcheck.scoring",
    "splitcheck.scoring.card",
    "splitcheck.scoring.continuous",
    "splitcheck.scoring.stats",
    "splitcheck.scoring.words",
    "splitcheck.segment",
    "splitcheck.segment.assemble",
    "splitcheck.segment.cadence",
    "splitcheck.segment.efforts",
    "splitcheck.segment.hinge",
    "splitcheck.segment.index",
    "splitcheck.segment.intervals",
    "splitcheck.segment.laps",
    "splitcheck.segment.mend",
    "splitcheck.segment.mile",
    "splitcheck.segment.race",
    "splitcheck.segment.regular",
    "splitcheck.segment.session",
    "splitcheck.segment.settle",
    "splitcheck.segment.splits",
    "splitcheck.segment.stops",
    "splitcheck.segment.surges",
    "splitcheck.segment.timing",
    "splitcheck.segment.trace",
    "splitcheck.segment.track",
    "splitcheck.segment.twolevel",  # the two-level cut, out of intervals (every analysis)
    "splitcheck.segment.types",
    "splitcheck.segment.wording",
    "splitcheck.segment.workout",
    "splitcheck.sport",
    "splitcheck.units",
    "splitcheck.zonecells",
}
"""The splitcheck modules ``analyze`` of a FIT file of a continuous run (most analyses)
imports. A module added to this path is start-up time for every analysis: add it here
only if every analysis needs it, else import it where it is used."""
INTERVAL_MODULES = {
    "splitcheck.metrics.uncertainty",
    "splitcheck.scoring.interval_words",
    "splitcheck.scoring.intervals",
    "splitcheck.scoring.margins",
    "splitcheck.scoring.parts",
    "splitcheck.scoring.recoveries",
}
"""What an interval session's scoring adds (imported by scoring.score for it)."""
MILE_MODULES = {
    "splitcheck.metrics.uncertainty",
    "splitcheck.scoring.margins",
    "splitcheck.scoring.mile",
    "splitcheck.scoring.parts",
}
"""What a mile time trial's scoring adds."""
NEVER = ("matplotlib", "pandas", "gpxpy", "lxml", "sqlite3", "multiprocessing", "numpy.ma")
"""Third-party and standard modules an analysis printed as text never needs (numpy.ma:
what np.median, np.percentile and np.isin import, splitcheck.arrays' versions do not)."""
NOT_FOR_ONE_ZONE = ("timezonefinder", "cffi", "json", "h3", "importlib.metadata", "email")
"""Not needed when the start position lies in a cell of one time zone (both samples):
zonecells.py reads timezonefinder's index itself and calls H3's C function for the cell
without importing h3 (whose import pulls in importlib.metadata and email); timezonefinder
(which imports json) is only for a start near a border. json is ours for --json only."""

PROBE = """
import contextlib, gc, io, runpy, sys
sys.argv = ["splitcheck", "analyze", *sys.argv[1:]]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        runpy.run_module("splitcheck", run_name="__main__")
    except SystemExit as done:
        code = done.code
modules = sorted(sys.modules)
collector = {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}
import json
result = {"code": code, "modules": modules, "gc": collector, "stdout": out.getvalue()}
print(json.dumps(result), file=sys.stderr)
"""


def _probe(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stderr.strip().splitlines()[-1])


def analyze_imports(*args: str) -> tuple[int, set[str]]:
    result = _probe(*args)
    return result["code"], set(result["modules"])


def _ours(modules: set[str]) -> set[str]:
    return {m for m in modules if m == "splitcheck" or m.startswith("splitcheck.")}


def _same(ours: set[str], expected: set[str]) -> None:
    assert ours == expected, f"new: {sorted(ours - expected)}, gone: {sorted(expected - ours)}"


def test_analyze_imports_only_what_an_analysis_uses():
    code, modules = analyze_imports(str(SAMPLES / "easy_32min.fit"))
    assert code == 0
    _same(_ours(modules), ANALYZE_MODULES)
    assert not [m for m in NEVER + NOT_FOR_ONE_ZONE if m in modules]


@pytest.mark.parametrize(
    ("sample", "kind", "rows", "adds"),
    [
        ("pyramid.fit", "intervals", "reps", INTERVAL_MODULES),
        ("mile_time_trial_even_kick.fit", "mile", "laps", MILE_MODULES),
    ],
)
def test_a_scored_session_imports_its_scoring_on_first_use(sample, kind, rows, adds):
    """The interval and mile scoring load when a session needs them, and score it: the
    card has as many rep / lap rows as the simulator's truth has work steps (a pyramid's
    7 reps) or quarters of the mile (4)."""
    truth = json.loads((SAMPLES / sample).with_suffix(".truth.json").read_text())
    work = [step for step in truth["steps"] if step["kind"] == "work"]
    expected_rows = len(work) if kind == "intervals" else 4
    code, modules = analyze_imports(str(SAMPLES / sample))  # the text report
    assert code == 0
    _same(_ours(modules), ANALYZE_MODULES | adds)
    result = _probe("--json", str(SAMPLES / sample))
    assert result["code"] == 0
    pacing = json.loads(result["stdout"])["activities"][0]["pacing"]
    assert pacing["kind"] == kind
    assert pacing["score"] is not None
    assert len(pacing[rows]) == expected_rows


def test_analyzing_a_gpx_does_not_import_gpxpy():
    code, modules = analyze_imports(str(SAMPLES / "easy_32min.gpx"))
    assert code == 0
    assert "splitcheck.io.gpx_fast" in modules
    assert "splitcheck.io.xml_clock" in modules  # GPX and TCX only (not FIT)
    assert not [m for m in NEVER + NOT_FOR_ONE_ZONE if m in modules]
    assert not {"splitcheck.cli.batch", "splitcheck.cli.chart", "splitcheck.batch"} & modules


def test_importing_the_package_imports_no_numpy():
    """``import splitcheck`` (and the command line's own package) is light: the public
    names load on first use, so the CLI can load a command in one step (cli.main)."""
    code = (
        "import sys, splitcheck, splitcheck.cli; "
        "print(sorted(m for m in ('numpy', 'click', 'splitcheck.model') if m in sys.modules)); "
        "splitcheck.Activity; print('splitcheck.model' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["['click']", "True"]


def test_the_command_line_freezes_its_imports_and_keeps_collecting():
    """cli.main imports the command with the collector paused and freezes what it made
    (start-up and shutdown then skip ~20,000 objects); the analysis is collected as usual."""
    result = _probe(str(SAMPLES / "pyramid.fit"))
    assert result["code"] == 0
    assert result["gc"]["enabled"] is True
    assert result["gc"]["frozen"] > 10_000
