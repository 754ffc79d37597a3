"""One run, one verdict: no two statements about a run disagree, and runs are named right.

The sweep reads every readable real file in ../shared/real-activities and every sample,
and compares what the findings, the next-time advice, the JSON and the chart titles say
about the run's trend (faster, even, slower at the end) and its kick (tests/verdict_sweep.py).
Names are checked against the MANIFEST's notes and against the simulator's known paces.
"""

from __future__ import annotations

import pytest

from conftest import REAL
from splitcheck.analysis import analyze, analyze_file
from splitcheck.profile import Profile
from splitcheck.simulate import simulate
from splitcheck.simulate.workout import Step, WorkoutPlan, pace_to_speed
from verdict_sweep import sweep


def test_no_report_contradicts_itself_on_any_real_file_or_sample():
    runs, found = sweep()
    assert runs >= 35  # the sweep reached the files (46 runs carry a scorecard today)
    lines = [f"{n} #{k}: {a.source} '{a.text}' vs {b.source} '{b.text}'" for n, k, (a, b) in found]
    assert not lines, "\n".join(lines)


def test_no_contradiction_in_miles_either():
    """Runner's units and a goal change the words, never the verdicts."""
    runs, found = sweep(Profile(units="mi", goal_mile_s=420.0), with_charts=False)
    assert runs >= 35
    assert not found, found[:3]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # MANIFEST: "6 km progression run: 6:12 -> 5:32 /km over ~1 km laps"
        ("runpandas/2020-12-26T06_03_49-300_Running.tcx", {"progression"}),
        # MANIFEST: "10 km; 10x1 km laps; last km much slower (9:19)"
        ("activityio/c2eb1b_2.tcx", {"fading"}),
        # MANIFEST: "easy 12.2 km, 4 km auto laps + remainder; steady" (hilly: grade-adjusted)
        ("elevate/kaiteriteri.fit", {"even"}),
    ],
)
def test_real_runs_named_as_their_notes_say(name, expected):
    (a,) = analyze_file(REAL / name)
    assert a.pacing.metrics["trend"] in expected


def _run(paces_s_per_km, km_each: float, seed: int = 3):
    steps = tuple(Step("work", pace_to_speed(p), distance_m=km_each * 1000) for p in paces_s_per_km)
    sim = simulate(WorkoutPlan("continuous", "run", steps), seed=seed)
    return analyze(sim.to_activity(), Profile())


@pytest.mark.parametrize(
    ("paces", "km_each", "expected", "sign"),
    [
        # the 17 km progression 5:06 -> 4:08 /km
        ((306, 290, 275, 260, 248), 3.4, "progression", 1),
        # the marathon slowing 5:22 -> 6:03 /km
        ((322, 325, 330, 340, 352, 363), 7.0, "fading", -1),
        ((300, 300, 300), 2.0, "even", 0),
        # faster at the end, not steadily: a negative split
        ((300, 310, 285), 2.0, "negative", 1),
    ],
)
def test_simulated_runs_named_right(paces, km_each, expected, sign):
    a = _run(paces, km_each)
    card = a.pacing
    assert card.kind == "continuous"
    assert card.metrics["trend"] == expected
    texts = [f.text for f in card.findings]
    word = {"progression": "A progression run", "fading": "You faded",
            "even": "Even pace", "negative": "Negative split"}[expected]  # fmt: skip
    assert any(t.startswith(word) for t in texts), texts
    if sign:
        drift = card.metrics["drift_s_per_km_per_km"]
        assert (drift < 0) == (sign > 0)
    if expected != "even":
        assert "Evenly run" not in card.next_time
