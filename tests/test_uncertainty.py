"""GPS-timed laps state their 90 % uncertainty; lap presses are exact; verdicts inside the
uncertainty are not judged, and the published miles are never judged wrong.

Truth is the simulator's: the runner's real quarters (sim.truth), against which every
lap time and every verdict is checked. scripts/uncertainty_coverage.py runs the large
sample (150 runners per route and recording); these tests run a modest one.
"""

from __future__ import annotations

import numpy as np
import pytest

from splitcheck.analysis import analyze
from splitcheck.metrics import equal_lap_times_s
from splitcheck.metrics.laps import EVEN_CV_PCT, HALF_SPLIT_EVEN_BAND_PCT, KICK_MIN_PCT
from splitcheck.metrics.uncertainty import gps_jitter_m
from splitcheck.profile import Profile
from splitcheck.simulate import simulate
from splitcheck.simulate import workout as wk
from test_scoring import PUBLISHED, Q, calibrated_mile, hand_values
from test_scoring_lapped import lapped_at

CONDITIONS = [(r, c) for r in ("track", "road") for c in ("1s", "smart")]


def _trial(r: int, route: str, recording: str):
    rng = np.random.default_rng(7000 + r)
    laps = tuple(float(rng.uniform(80, 120)) * (1 + rng.normal(0, 0.03, 4)))
    plan = wk.mile_tt(laps, warmup_s=600.0, start_rest_s=90.0 * (r % 2))
    sim = simulate(plan, seed=7000 + r, route=route, recording=recording, laps="none")
    return sim, analyze(sim.to_activity(), Profile())


def test_the_90_percent_interval_covers_most_true_lap_times():
    """Pooled over track/road and 1 s/smart recording (10 runners each, 160 laps): the
    stated interval covers the true lap 80-97 % of the time (the script's 600 laps per
    condition give 85-95 % each)."""
    hits = []
    for route, recording in CONDITIONS:
        for r in range(10):
            sim, a = _trial(r, route, recording)
            assert a.pacing is not None and a.pacing.kind == "mile"
            true = [lap.duration_s for lap in sim.truth.mile_effort.laps]
            for lap, t in zip(a.pacing.laps, true, strict=True):
                assert lap.time_source == "gps" and 0.2 < lap.uncertainty_s < 3.0
                hits.append(abs(lap.time_s - t) <= lap.uncertainty_s)
    assert 0.80 <= np.mean(hits) <= 0.97


def test_the_file_measures_its_own_gps_noise():
    for noise, lo, hi in ((True, 0.12, 0.3), (False, 0.0, 0.08)):
        sim = simulate(wk.mile_tt(), seed=1, route="road", laps="none", gps_noise=noise)
        s = sim.to_activity().samples
        assert lo <= gps_jitter_m(s.elapsed_s, s.lat_deg, s.lon_deg) <= hi


def test_lap_presses_are_exact_and_the_report_says_so():
    quarters = equal_lap_times_s((Q,) * 4, (90.0, 91.0, 91.0, 88.0))
    sim = calibrated_mile(quarters)
    truth = sim.truth.mile_effort
    marks = np.array([truth.start_s, *(lap.end_s for lap in truth.laps)])
    a = analyze(lapped_at(sim.to_activity(), marks), Profile())
    card = a.pacing
    assert [lap.uncertainty_s for lap in card.laps] == [0.0] * 4
    assert {lap.time_source for lap in card.laps} == {"laps"}
    assert card.metrics["cannot_tell"] == []
    assert "Lap times from your lap presses: exact." in [f.text for f in card.findings]
    from splitcheck.report.pacing_text import render_pacing

    text = render_pacing(card)
    assert "times from your lap presses: exact" in text and "±" not in text


def _verdicts(quarters):
    cv, half, kick = hand_values(quarters)
    band = 0 if abs(half) <= HALF_SPLIT_EVEN_BAND_PCT else int(np.sign(half))
    return {"even": cv <= EVEN_CV_PCT, "halves": band, "kick": kick >= KICK_MIN_PCT}


@pytest.mark.parametrize("condition", [("track", "1s"), ("road", "smart")])
def test_published_miles_right_or_cannot_tell_never_wrong(condition):
    """Each published race run by the simulated runner with GPS noise, its laps hidden:
    every verdict either matches the runner's true quarters or says GPS cannot tell."""
    route, recording = condition
    told = 0
    for laps, lengths, _ in PUBLISHED.values():
        sim = calibrated_mile(equal_lap_times_s(lengths, laps), route=route,
                              recording=recording, laps="none")  # fmt: skip
        truth = _verdicts([lap.duration_s for lap in sim.truth.mile_effort.laps])
        card = analyze(sim.to_activity(), Profile()).pacing
        mx, unsure = card.metrics, set(card.metrics["cannot_tell"])
        got = {
            "even": mx["evenness_cv_pct"] <= EVEN_CV_PCT,
            "halves": 0
            if abs(mx["half_split_pct"]) <= HALF_SPLIT_EVEN_BAND_PCT
            else int(np.sign(mx["half_split_pct"])),
            "kick": mx["kick_pct"] >= KICK_MIN_PCT,
        }
        for name, value in truth.items():
            if name in unsure:
                continue
            told += 1
            assert got[name] == value, (laps, name, mx)
        if "kick" in unsure:
            assert mx["has_kick"] is None
            assert any("Press lap at each 400 m" in f.text for f in card.findings)
    assert told >= 6  # a third or more of the verdicts are still judged from GPS alone


def test_a_fade_inside_the_gps_error_is_not_judged():
    """Six 400 m reps slowing 0.5 s a rep: +1.4 s/km per rep, under the +2 line; exact laps
    tell it, GPS errors of +-2 s a rep (a trace-found rep's) cannot."""
    from splitcheck.scoring.margins import fade_told
    from splitcheck.scoring.parts import RepResult

    def reps(u):
        return [RepResult(k + 1, "400 m", 0.0, 80.0 + 0.5 * k, 400.0, uncertainty_s=u)
                for k in range(6)]  # fmt: skip

    assert fade_told(reps(0.0), 2.0) == (True, [])
    told, (lo, hi) = fade_told(reps(2.0), 2.0)
    assert not told and lo < 2.0 < hi
    assert fade_told(reps(0.1), 2.0)[0]  # a tenth of a second: told


def test_consistency_inside_the_gps_error_is_not_judged():
    """consistency_told on equal reps 1 % apart: exact laps tell a CV well under 3 %; GPS
    errors of +-2 s on 45 s reps (a trace-found 200 m's) cannot."""
    from splitcheck.scoring.margins import consistency_told
    from splitcheck.scoring.parts import RepResult

    def reps(u):
        return [RepResult(k + 1, "200 m", 0.0, 44.0 + 0.45 * (k % 2), 200.0, uncertainty_s=u)
                for k in range(8)]  # fmt: skip

    assert consistency_told(reps(0.0), [list(range(8))], 3.0)
    assert not consistency_told(reps(2.1), [list(range(8))], 3.0)
