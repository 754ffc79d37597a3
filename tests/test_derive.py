import numpy as np
import pytest

from splitcheck.derive import (
    distance_from_positions,
    haversine_m,
    monotonic_distance,
    speed_from_distance,
)

LAT0, LON0 = 51.5, -0.1
M_PER_DEG_LAT = 111_195.0


def test_haversine_one_degree_of_latitude():
    assert haversine_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(111_195, rel=1e-4)


def test_straight_line_distance_is_kept():
    lat = LAT0 + np.arange(0, 1001, 2.0) / M_PER_DEG_LAT  # 1 km north in 2 m steps
    d = distance_from_positions(lat, np.full_like(lat, LON0))
    assert d[-1] == pytest.approx(1000, rel=0.01)
    assert (np.diff(d) >= 0).all()


def test_standing_jitter_adds_no_distance():
    rng = np.random.default_rng(1)
    north, east = _correlated_noise_m(rng, 600), _correlated_noise_m(rng, 600)  # 10 min
    lat = LAT0 + north / M_PER_DEG_LAT
    lon = LON0 + east / (M_PER_DEG_LAT * np.cos(np.radians(LAT0)))
    d = distance_from_positions(lat, lon)
    naive = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]).sum()
    assert naive > 300  # what summing every step would claim
    assert d[-1] < 30


def test_points_without_position_carry_distance():
    lat = LAT0 + np.array([0, 10, np.nan, 20, 30]) / M_PER_DEG_LAT
    d = distance_from_positions(lat, np.full(5, LON0))
    assert d[2] == d[1]
    assert d[-1] == pytest.approx(30, rel=0.01)


def test_speed_uses_timestamps_not_rows():
    t_regular = np.arange(0, 120.0)
    t_smart = np.unique(np.concatenate([np.arange(0, 120.0, 7), [119.0]]))
    v1 = speed_from_distance(t_regular, 3.5 * t_regular)
    v2 = speed_from_distance(t_smart, 3.5 * t_smart)
    assert np.nanmax(np.abs(v1 - 3.5)) < 1e-9
    assert np.nanmax(np.abs(v2 - 3.5)) < 1e-9


def test_monotonic_distance_never_decreases():
    d = monotonic_distance(np.array([0, 5, 4, np.nan, 10, 9.5, 12]))
    assert list(d) == [0, 5, 5, 5, 10, 10, 12]


def test_run_stand_run_keeps_the_running_distance():
    rng = np.random.default_rng(7)
    north_m = np.concatenate(
        [np.arange(0, 400, 4.0), np.full(90, 400.0), 400 + np.arange(0, 401, 4.0)]
    )
    noisy = north_m + _correlated_noise_m(rng, len(north_m))
    east = _correlated_noise_m(rng, len(north_m))
    lat = LAT0 + noisy / M_PER_DEG_LAT
    lon = LON0 + east / (M_PER_DEG_LAT * np.cos(np.radians(LAT0)))
    d = distance_from_positions(lat, lon, np.arange(len(lat), dtype=float))
    assert d[-1] == pytest.approx(800, rel=0.05)
    standing = slice(110, 180)
    assert d[standing][-1] - d[standing][0] < 5


def _correlated_noise_m(rng, n, sd_m=2.0, rho=0.95):
    """GPS position error is correlated in time (AR(1)), not white."""
    e = np.empty(n)
    e[0] = rng.normal(0, sd_m)
    shocks = rng.normal(0, sd_m * np.sqrt(1 - rho**2), n)
    for i in range(1, n):
        e[i] = rho * e[i - 1] + shocks[i]
    return e


def test_slow_walk_with_sparse_smart_recording_keeps_its_distance():
    t = np.arange(0, 601, 12.0)  # a point every 12 s
    north = 0.7 * t  # 0.7 m/s: a slow walk
    d = distance_from_positions(LAT0 + north / M_PER_DEG_LAT, np.full(len(t), LON0), t)
    assert d[-1] == pytest.approx(420, rel=0.02)
