"""The simulated runner changes pace at a rep's edges as real runners do
(``splitcheck.simulate.transitions``), held against the real files' survey
(``scripts/transition_survey.py``: rep edges at the devices' laps in ../shared)."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

from conftest import REAL, ROOT
from splitcheck.simulate import simulate
from splitcheck.simulate import transitions as tr
from splitcheck.simulate import workout as wk
from splitcheck.units import MILE_M

MEDIAN_WITHIN_S = 1.0
"""The simulator's median 50 % and 90 % times may differ from the real ones by 1 s (the
old step-function runner reached half its new pace 1.9 s after the real runners did)."""


def _survey():
    if "transition_survey" not in sys.modules:
        path = ROOT / "scripts" / "transition_survey.py"
        spec = importlib.util.spec_from_file_location("transition_survey", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["transition_survey"] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules["transition_survey"]


@pytest.fixture(scope="module")
def surveys():
    if not REAL.is_dir():
        pytest.fail(f"real activity files not found at {REAL}")
    ts = _survey()
    return ts.real_edges(), ts.simulated_edges()


@pytest.mark.parametrize("kind", ["start", "end"])
def test_simulated_transitions_match_the_real_survey(surveys, kind):
    ts = _survey()
    real, sim = surveys
    assert sum(e.kind == kind for e in real) >= 40  # the survey found the real edges
    r, s = ts.summary(real, kind), ts.summary(sim, kind)
    for attr in ("t50_s", "t90_s"):
        lo, med, hi = r[attr]
        assert lo <= s[attr][1] <= hi, (kind, attr, r[attr], s[attr])
        assert abs(s[attr][1] - med) <= MEDIAN_WITHIN_S, (kind, attr, r[attr], s[attr])
    lo, _, hi = r["kink_s"]  # where the detector's hinge sees the edge
    assert lo <= s["kink_s"][1] <= hi, (kind, r["kink_s"], s["kink_s"])


def test_rep_starts_are_under_way_at_the_press_and_finish_after_it():
    """The true trace, without GPS: half of the change is done within a couple of seconds
    of the boundary, and the whole of it takes seconds, not an instant."""
    plan = wk.repeats(6, 400, 210.0, recovery=90)
    sim = simulate(plan, seed=3, laps="none", gps_noise=False)
    tr_ = sim.trace
    fast, slow = wk.pace_to_speed(210.0), wk.pace_to_speed(wk.JOG_PACE_S_PER_KM)
    for rep in sim.truth.reps[1:]:
        t = rep.start_s + np.arange(-12.0, 12.0, 0.1)
        frac = (tr_.speed_at(t) - slow) / (fast - slow)
        t50 = t[np.argmax(frac >= 0.5)] - rep.start_s
        t90 = t[np.argmax(frac >= 0.9)] - rep.start_s
        assert -tr.CENTRE_LIMIT_S - 1.0 <= t50 <= 1.5
        assert t90 - t50 >= 1.0


def test_from_a_standing_rest_the_runner_starts_at_the_press():
    plan = wk.repeats(4, 400, 210.0, recovery=60, recovery_mode="stand")
    sim = simulate(plan, seed=5, laps="none", gps_noise=False)
    for rep in sim.truth.reps[1:]:
        before = sim.trace.speed_at(
            np.arange(rep.start_s - 5.0, rep.start_s - tr.FIRST_PUSH_S - 0.05, 0.1)
        )
        assert np.all(before < 0.05)
        assert sim.trace.speed_at(np.array([rep.start_s + 6.0]))[0] > 3.0


def test_transitions_deterministic_per_seed_and_differ_between_seeds():
    plan = wk.time_reps(4, 180, 220.0, recovery_s=120)
    a, b = simulate(plan, seed=8), simulate(plan, seed=8)
    c = simulate(plan, seed=9)
    assert np.array_equal(a.trace.speed_mps, b.trace.speed_mps)
    assert a.fit_bytes() == b.fit_bytes()
    assert [r.start_s for r in a.truth.reps] == [r.start_s for r in b.truth.reps]
    n = min(len(a.trace.speed_mps), len(c.trace.speed_mps))
    assert not np.allclose(a.trace.speed_mps[:n], c.trace.speed_mps[:n])


@pytest.mark.parametrize("start_rest_s", [0.0, 90.0])
def test_mile_quarters_stay_exact_with_ramps(start_rest_s):
    """The time trial's truth: four quarters of exactly a quarter mile of true distance,
    edges where the true trace reaches them, together the mile's span."""
    plan = wk.mile_tt((90.0, 92.0, 92.0, 88.0), start_rest_s=start_rest_s)
    sim = simulate(plan, seed=2, laps="none")
    mile = sim.truth.mile_effort
    assert mile is not None
    marks = sim.trace.distance_at(np.array([mile.start_s, *[q.end_s for q in mile.laps]]))
    assert np.diff(marks) == pytest.approx([MILE_M / 4] * 4, abs=0.05)
    assert mile.laps[0].start_s == mile.start_s and mile.laps[-1].end_s == mile.end_s
    assert sum(q.duration_s for q in mile.laps) == pytest.approx(mile.duration_s)
    # intended 90/92/92/88 s: the start from a standstill (3-5 s to full pace) and the
    # runner's wobble move them by a few seconds, not more
    got = np.array([q.duration_s for q in mile.laps])
    assert np.abs(got - [90.0, 92.0, 92.0, 88.0]).max() < 4.0


def test_ramps_fit_short_steps():
    """A 30 s rep between 60 s jogs keeps its middle at full pace."""
    steps = wk.time_reps(3, 30, 180.0, recovery_s=60).steps
    ramps = tr.draw_ramps(steps, np.random.default_rng(0))
    assert len(ramps) == len(steps)
    for k, ramp in enumerate(ramps):
        assert ramp.length_s <= 2 * tr.SHORT_STEP_SHARE * 30.0 + 1e-9 or steps[k].kind == "warmup"
        assert abs(ramp.centre_s) <= max(tr.CENTRE_LIMIT_S, ramp.length_s / 2)
