"""Pacing metrics against hand-computed values and the published mile splits
(../shared/docs/pacing-science.md), plus invariants (Hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from splitcheck import metrics as m
from splitcheck.metrics.laps import SHAPES

Q = 1609.344 / 4  # a quarter mile, 402.336 m
TRACK_MILE = (409.344, 400.0, 400.0, 400.0)  # laps timed at the finish line

# Published mile splits (pacing-science.md): lap times, lap lengths, and the values worked
# out by hand from them. Speeds v_i = d_i / t_i; CV = population SD / mean of the speeds;
# half split (T2 - T1) / T1 with T1 the time to 804.672 m; kick = v4 / mean(v2, v3).
# El Guerrouj by hand: v = 7.3059, 7.1197, 7.1425, 7.2860 m/s, mean 7.2135, SD 0.0830
# -> CV 1.15 %; T1 = 111.58, T2 = 111.55 -> -0.03 %; 7.2860 / 7.1311 -> 102.17 %.
PUBLISHED = {
    # name: (laps s, lengths m, CV %, half %, kick %, kick vs average %, shape)
    "Guerrouj 99": ((55.07, 56.51, 56.33, 55.22), (Q,) * 4, 1.15, -0.03, 102.17, 101.02, "even"),
    "Bannister 54": ((57.5, 60.7, 62.3, 58.9), (Q,) * 4, 3.03, 2.54, 104.40, 101.61, "U"),
    "Kipyegon 23": ((62.6, 62.0, 62.06, 60.98), TRACK_MILE, 0.78, -0.09, 101.72, 100.94, "even"),
    "Nuguse 23": ((56.58, 57.26, 59.31, 54.23), (Q,) * 4, 3.21, -0.26, 107.44, 104.82, "reverse-J"),
    "Hassan 19": ((64.26, 64.24, 61.7, 62.13), TRACK_MILE, 1.52, -2.48, 101.31, 100.94, "negative"),
    # Ryun: only the half (1:59.0) is published; split evenly into two 59.5 s laps
    "Ryun 67": ((59.5, 59.5, 58.6, 53.5), (Q,) * 4, 4.53, -5.80, 110.37, 107.99, "negative"),
}  # fmt: skip


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_mile_splits(name):
    laps, lengths, cv, half, kick, kick_avg, shape = PUBLISHED[name]
    v = m.lap_speeds_mps(lengths, laps)
    assert m.evenness_cv_pct(v) == pytest.approx(cv, abs=0.01)
    assert m.half_split_pct(lengths, laps) == pytest.approx(half, abs=0.01)
    assert m.kick_pct(v) == pytest.approx(kick, abs=0.01)
    assert m.kick_vs_average_pct(lengths, laps) == pytest.approx(kick_avg, abs=0.01)
    assert m.pacing_shape(v, m.half_split_pct(lengths, laps)) == shape


def test_published_figures_quoted_in_pacing_science():
    """The rounded figures the document itself quotes, to its precision (0.1 pp)."""
    eg, ban, nug, ryun = (PUBLISHED[k] for k in ("Guerrouj 99", "Bannister 54",
                                                  "Nuguse 23", "Ryun 67"))  # fmt: skip
    assert m.evenness_cv_pct(m.lap_speeds_mps(eg[1], eg[0])) == pytest.approx(1.15, abs=0.1)
    assert m.evenness_cv_pct(m.lap_speeds_mps(ban[1], ban[0])) == pytest.approx(3.03, abs=0.1)
    assert m.half_split_pct(ban[1], ban[0]) == pytest.approx(2.5, abs=0.1)
    assert math.floor(m.kick_vs_average_pct(nug[1], nug[0])) == 104  # "104 % of average"
    assert m.half_split_pct(ryun[1], ryun[0]) == pytest.approx(-5.8, abs=0.1)
    assert m.kick_vs_average_pct(ryun[1], ryun[0]) == pytest.approx(108, abs=0.1)


def test_kipyegon_compares_speeds_not_raw_lap_times():
    """pacing-science.md quotes CV 0.95 % for Kipyegon: that is the CV of raw lap TIMES,
    with a 409.344 m first lap. guidance.md 1 asks for lap SPEEDS: 0.78 %."""
    laps, lengths = PUBLISHED["Kipyegon 23"][:2]
    t = np.array(laps)
    assert t.std() / t.mean() * 100 == pytest.approx(0.95, abs=0.005)
    assert m.evenness_cv_pct(m.lap_speeds_mps(lengths, laps)) == pytest.approx(0.78, abs=0.005)


def test_equal_lap_times_from_a_track_mile():
    # the first quarter (402.336 m) lies inside the 409.344 m first lap run at one speed
    q = m.equal_lap_times_s(TRACK_MILE, (62.6, 62.0, 62.06, 60.98))
    assert q[0] == pytest.approx(62.6 * Q / 409.344)
    assert q.sum() == pytest.approx(247.64)
    assert len(q) == 4


def test_went_out_too_fast_against_goal():
    # the example: goal 6:00 (90 s laps), laps 1:25, 1:33.5, 1:33.5, 1:28
    goal_v = 1609.344 / 360
    verdict = m.went_out_too_fast((Q,) * 4, (85.0, 93.5, 93.5, 88.0), goal_v)
    assert verdict.too_fast and verdict.reference == "goal"
    assert verdict.lap1_vs_ref_pct == pytest.approx((90 / 85 - 1) * 100)  # 5.88 %
    assert verdict.middle_vs_ref_pct == pytest.approx((90 / 93.5 - 1) * 100)  # -3.74 %
    # a fast first lap that the runner held is not "went out too fast"
    held = m.went_out_too_fast((Q,) * 4, (85.0, 88.0, 88.0, 86.0), goal_v)
    assert not held.too_fast


def test_ingebrigtsen_looks_fine_against_his_own_mean():
    """Paris 2024 1500 m: 54.82 / 56.56 / 55.89 / last 300 m 40.97 s. Against the race's
    own laps lap 1 is only 1.8 % quicker: the goal pace is needed to see it."""
    verdict = m.went_out_too_fast((400, 400, 400, 300), (54.82, 56.56, 55.89, 40.97))
    assert verdict.reference == "rest"
    assert verdict.lap1_vs_ref_pct == pytest.approx((400 / 54.82) / (1100 / 153.42) * 100 - 100)
    assert not verdict.too_fast


def test_shapes_of_made_up_profiles():
    def shape(laps):
        return m.pacing_shape(m.lap_speeds_mps((Q,) * 4, laps), m.half_split_pct((Q,) * 4, laps))

    assert shape((88, 90, 93, 96)) == "positive"
    assert shape((96, 93, 90, 88)) == "negative"
    assert shape((85, 93.5, 93.5, 88)) == "J"  # fastest first, partial recovery
    assert shape((84, 96, 84, 96)) == "variable"
    assert shape((90, 90, 90, 90)) == "even"


def test_rep_series_hand_values():
    paces = [210.0, 212.0, 214.0, 216.0]
    assert m.fade_s_per_km_per_rep(paces) == pytest.approx(2.0)
    # population SD of 210..216 step 2 = sqrt(5) = 2.236; mean 213
    assert m.consistency_cv_pct(paces) == pytest.approx(math.sqrt(5) / 213 * 100)
    assert m.drift_s_per_km_per_km([500, 1500, 2500], [300, 303, 306]) == pytest.approx(3.0)
    assert m.mean_speed_change_pct([4.0, 5.0, 4.0]) == pytest.approx((25 - 20) / 2)
    assert math.isnan(m.fade_s_per_km_per_rep([210.0]))


def test_minetti_reference_values():
    # pacing-science.md test values
    got = m.minetti_cost_j_per_kg_m([0.0, 0.1, -0.1, 0.45, -0.181355])
    assert got == pytest.approx([3.6, 5.968214, 2.151706, 19.426015, 1.781269], abs=1e-6)
    assert m.minetti_cost_j_per_kg_m(0.6) == pytest.approx(19.426015, abs=1e-6)  # clamped


def test_grade_adjusted_speed_on_a_steady_climb():
    d = np.arange(0.0, 2001.0, 5.0)
    alt = 0.05 * d  # 5 % all the way
    grade = m.grade_from_altitude(d, alt)
    assert np.nanmedian(grade) == pytest.approx(0.05, abs=1e-9)
    c5 = np.polyval((155.4, -30.4, -43.3, 46.3, 19.5, 3.6), 0.05)
    assert m.grade_adjusted_speed_mps(3.0, 0.05) == pytest.approx(3.0 * c5 / 3.6)


def test_altitude_smoothing_removes_jitter_but_keeps_hills():
    rng = np.random.default_rng(4)
    d = np.arange(0.0, 3000.0, 3.0)
    hill = 20 * np.sin(d / 3000 * 2 * np.pi)
    smooth = m.smooth_altitude_m(d, hill + rng.normal(0, 3, len(d)))
    inner = slice(50, -50)
    assert np.abs(smooth[inner] - hill[inner]).max() < 2.0


def test_on_track_tells_a_track_from_a_road():
    theta = np.linspace(0, 8 * np.pi, 800)
    lat = 50 + 36.5 * np.sin(theta) / 111_195
    lon = 4 + 60 * np.cos(theta) / (111_195 * np.cos(np.radians(50)))
    assert m.on_track(lat, lon)
    road_lat = 50 + np.linspace(0, 3000, 800) / 111_195
    assert not m.on_track(road_lat, np.full(800, 4.0))


def test_predictions_reference_values():
    assert m.riegel_time_s(210.0, 1500.0) == pytest.approx(226.26, abs=0.01)
    assert m.riegel_time_s(360.0, 1609.344, 5000.0) == pytest.approx(1197.19, abs=0.01)
    assert m.vdot(5000, 24 * 60 + 34) == pytest.approx(39.11, abs=0.01)
    assert m.vdot(1609.344, 360) == pytest.approx(48.42, abs=0.01)
    assert m.vdot(1609.344, 300) == pytest.approx(59.40, abs=0.01)
    p = m.predict_mile(5000, 24 * 60 + 34)
    assert m.vdot(1609.344, p.vdot_s) == pytest.approx(p.vdot, abs=1e-6)
    assert p.in_range and not m.predict_mile(400, 60).in_range


def test_decoupling_hand_values():
    t = np.arange(0.0, 2401.0)
    d = 3.0 * t
    assert m.aerobic_decoupling_pct(t, d, np.full(len(t), 150.0)) == pytest.approx(0.0)
    hr = np.where(t <= 1200, 150.0, 165.0)  # HR 10 % higher at the same speed
    # r1 = 3/150, r2 = 3/165 (the midpoint sample counts in both halves: tiny shift)
    assert m.aerobic_decoupling_pct(t, d, hr) == pytest.approx((1 - 150 / 165) * 100, abs=0.05)
    assert m.is_steady([3.0, 3.05, 2.95], 1800) and not m.is_steady([3.0, 4.5, 3.0], 1800)
    assert not m.is_steady([3.0, 3.0], 600)  # too short


def test_peak_hr_pct_of_max():
    t = np.arange(0.0, 200.0)
    hr = 120 + t * 0.3
    got = m.peak_hr_pct_of_max(t, hr, [0.0, 100.0], [30.0, 130.0], 200.0, lag_s=10.0)
    assert got == pytest.approx([(120 + 40 * 0.3) / 2, (120 + 140 * 0.3) / 2])


speeds = st.floats(min_value=1.0, max_value=10.0)


@given(v=speeds, n=st.integers(min_value=3, max_value=12), d=st.floats(100.0, 2000.0))
def test_even_effort_property(v, n, d):
    """A perfectly even effort: CV 0, half split 0, no kick (100 %), no fade, even shape."""
    lengths = np.full(n, d)
    times = lengths / v
    speeds_ = m.lap_speeds_mps(lengths, times)
    assert m.evenness_cv_pct(speeds_) == pytest.approx(0.0, abs=1e-9)
    assert m.half_split_pct(lengths, times) == pytest.approx(0.0, abs=1e-9)
    assert m.kick_pct(speeds_) == pytest.approx(100.0)
    assert m.fade_s_per_km_per_rep(m.pace_s_per_km(lengths, times)) == pytest.approx(0, abs=1e-9)
    assert not m.went_out_too_fast(lengths, times).too_fast
    assert m.pacing_shape(speeds_, m.half_split_pct(lengths, times)) == "even"


@given(laps=st.lists(st.floats(40.0, 120.0), min_size=4, max_size=4), k=st.floats(0.5, 2.0))
def test_metrics_are_scale_free(laps, k):
    """Running every lap k times slower changes no percentage and no shape."""
    t = np.array(laps)
    for f in (m.evenness_cv_pct, m.kick_pct):
        assert f(Q / (t * k)) == pytest.approx(f(Q / t), rel=1e-9, abs=1e-9)
    assert m.half_split_pct((Q,) * 4, t * k) == pytest.approx(m.half_split_pct((Q,) * 4, t))
    half = m.half_split_pct((Q,) * 4, t)
    assert m.pacing_shape(Q / t, half) in SHAPES
    assert m.equal_lap_times_s((Q,) * 4, t).sum() == pytest.approx(t.sum())
