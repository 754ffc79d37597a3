"""A mile the runner lapped at each quarter: the device laps time it, GPS drops out.

pacing-science.md's published miles, simulated with GPS noise, with the runner's lap
button at each quarter mark: evenness, half split and kick come out at the hand-computed
values to 0.1 percentage point through the whole path (segmentation, then the
scorecard), which no GPS-measured quarter reaches (test_scoring.py).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from splitcheck.metrics import equal_lap_times_s
from splitcheck.model import Activity, Lap
from splitcheck.profile import Profile
from splitcheck.scoring import score
from splitcheck.segment import find_structure
from splitcheck.segment.mile import lapped_quarters
from splitcheck.segment.types import Effort
from splitcheck.units import MILE_M
from test_scoring import PUBLISHED, calibrated_mile, hand_values

PRESS_SLACK_S = 2.0


def lapped_at(activity: Activity, marks_s: np.ndarray) -> Activity:
    """``activity`` with laps pressed at the times ``marks_s`` (first: the mile's start,
    last: its end) in place of its laps over the mile; each lap's distance is the
    watch's."""
    s = activity.samples
    dist = np.interp(marks_s, s.elapsed_s, s.distance_m)
    before = [  # laps ending at the start (a press a moment late), cut there
        dataclasses.replace(lap, end_s=min(lap.end_s, marks_s[0]))
        for lap in activity.laps
        if lap.end_s <= marks_s[0] + PRESS_SLACK_S
    ]
    after = [
        dataclasses.replace(lap, start_s=max(lap.start_s, marks_s[-1]))
        for lap in activity.laps
        if lap.start_s >= marks_s[-1] - PRESS_SLACK_S
    ]
    quarters = [
        Lap(float(a), float(b), float(db - da), trigger="manual", intensity="active")
        for a, b, da, db in zip(marks_s[:-1], marks_s[1:], dist[:-1], dist[1:], strict=True)
    ]
    return dataclasses.replace(activity, laps=(*before, *quarters, *after))


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_miles_lapped_by_the_runner(name):
    laps, lengths, shape = PUBLISHED[name]
    quarters = equal_lap_times_s(lengths, laps)
    sim = calibrated_mile(quarters)  # GPS noise on
    truth = sim.truth.mile_effort
    marks = np.array([truth.start_s, *(lap.end_s for lap in truth.laps)])
    activity = lapped_at(sim.to_activity(), marks)
    structure = find_structure(activity)
    got_laps = [lap.duration_s for lap in structure.mile_effort.laps]
    assert got_laps == pytest.approx(np.diff(marks), abs=1e-6)
    card = score(activity, structure, Profile())
    cv, half, kick = hand_values(np.diff(marks))
    assert card.metrics["evenness_cv_pct"] == pytest.approx(cv, abs=0.1)
    assert card.metrics["half_split_pct"] == pytest.approx(half, abs=0.1)
    assert card.metrics["kick_pct"] == pytest.approx(kick, abs=0.1)
    assert card.metrics["shape"] == shape


def _laps(starts, distances):
    ends = [*starts[1:], starts[-1] + 90.0]
    return [Lap(a, b, d, trigger="manual") for a, b, d in zip(starts, ends, distances, strict=True)]


EFFORT = Effort(100.0, 460.0, MILE_M, name="mile")


@pytest.mark.parametrize(
    ("distances", "expect"),
    [
        ((404.0, 399.0, 405.0, 401.0), (MILE_M / 4,) * 4),  # quarters
        ((412.0, 397.0, 402.0, 399.0), (MILE_M - 1200, 400.0, 400.0, 400.0)),  # track lines
        ((300.0, 500.0, 400.0, 409.0), None),  # laps that mark something else
    ],
)
def test_device_laps_quarter_the_mile_only_when_they_fit(distances, expect):
    got = lapped_quarters(_laps([100.0, 190.0, 280.0, 370.0], distances), EFFORT)
    if expect is None:
        assert got is None
    else:
        assert [lap.distance_m for lap in got.laps] == pytest.approx(expect)
        assert got.distance_m == pytest.approx(MILE_M)


def test_three_laps_or_laps_off_the_edges_are_not_the_mile_laps():
    three = _laps([100.0, 220.0, 340.0], (536.0, 536.0, 537.0))
    assert lapped_quarters(three, EFFORT) is None
    late = _laps([112.0, 200.0, 290.0, 380.0], (402.0,) * 4)  # starts 12 s into the mile
    assert lapped_quarters(late, EFFORT) is None
