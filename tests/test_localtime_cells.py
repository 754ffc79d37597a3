"""The cheap time-zone lookup (zonecells.py) answers as timezonefinder does.

Truth: ``timezonefinder.TimezoneFinder().timezone_at`` itself, on points spread over the
globe, around the real files' start positions and along borders; the cheap path must
either give its exact answer or hand the point to it.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from splitcheck import zonecells
from splitcheck.io import read
from splitcheck.localtime import zone_at_start

timezonefinder = pytest.importorskip("timezonefinder")


@pytest.fixture(scope="module")
def finder():
    return timezonefinder.TimezoneFinder()


def _check(finder, lats, lons) -> int:
    answered = 0
    for lat, lon in zip(lats.tolist(), lons.tolist(), strict=True):
        cheap = zonecells.zone_in_cell(lat, lon)
        if cheap == zonecells.ASK_TIMEZONEFINDER:
            continue
        answered += 1
        assert cheap == finder.timezone_at(lng=lon, lat=lat), (lat, lon)
    return answered


def test_points_over_the_globe_answer_as_timezonefinder(finder):
    rng = np.random.default_rng(7)
    n = 4000
    lats = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))  # uniform on the sphere
    lons = rng.uniform(-180, 180, n)
    answered = _check(finder, lats, lons)
    assert answered > 0.5 * n  # the cheap path is not vacuous: most cells have one zone


def test_points_near_borders_answer_as_timezonefinder(finder):
    """Dense grids over border regions (Spain/Portugal/France, US zones, India/China/
    Nepal, Kiribati's date line): many cells are shared and must be handed over."""
    rng = np.random.default_rng(11)
    boxes = [(36, 44, -10, 4), (30, 45, -105, -80), (25, 32, 78, 92), (-5, 5, 170, 180)]
    total = 0
    for lat0, lat1, lon0, lon1 in boxes:
        lats, lons = rng.uniform(lat0, lat1, 600), rng.uniform(lon0, lon1, 600)
        total += _check(finder, lats, lons)
    assert total > 0


def test_edges_of_the_coordinate_range(finder):
    lats = np.array([90.0, -90.0, 0.0, 0.0, 89.999, -89.999])
    lons = np.array([0.0, 0.0, 180.0, -180.0, 179.999, -179.999])
    _check(finder, lats, lons)
    for lat, lon in ((91.0, 0.0), (0.0, 181.0), (float("nan"), 0.0)):
        assert zonecells.zone_in_cell(lat, lon) == zonecells.ASK_TIMEZONEFINDER


def test_real_start_positions_give_timezonefinders_zone(real, finder):
    files = sorted(p for p in real.rglob("*") if p.suffix.lower() in (".fit", ".gpx", ".tcx"))
    checked = 0
    for path in files:
        try:
            activities = read(path)
        except Exception:  # noqa: BLE001 - unreadable files are other tests' business
            continue
        for activity in activities:
            s = activity.samples
            ok = np.flatnonzero(np.isfinite(s.lat_deg) & np.isfinite(s.lon_deg))
            if not len(ok):
                continue
            lat, lon = float(s.lat_deg[ok[0]]), float(s.lon_deg[ok[0]])
            assert zone_at_start(activity) == finder.timezone_at(lng=lon, lat=lat), path.name
            checked += 1
    assert checked >= 20


def test_the_cell_is_h3s_own():
    """zonecells calls H3's C ``latLngToCell`` without importing ``h3`` (its import is
    ~50 ms of start-up): the cell must be ``h3.latlng_to_cell``'s, to the bit, over the
    globe, at the poles and the date line, and around the twelve pentagons (where H3
    rotates digits)."""
    h3 = pytest.importorskip("h3.api.basic_int")
    rng = np.random.default_rng(3)
    n = 50_000
    lats = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lons = rng.uniform(-180, 180, n)
    pentagons = [h3.cell_to_latlng(c) for c in h3.get_pentagons(zonecells.RESOLUTION)]
    near = np.array(pentagons).repeat(200, axis=0) + rng.normal(0, 0.3, (len(pentagons) * 200, 2))
    edges = [(90.0, 0.0), (-90.0, 0.0), (0.0, 180.0), (0.0, -180.0), (89.9999, 179.9999)]
    points = [*zip(lats.tolist(), lons.tolist(), strict=True), *map(tuple, near.tolist()), *edges]
    differ = [
        (lat, lon)
        for lat, lon in points
        if -90 <= lat <= 90
        and zonecells.h3_cell(lat, lon) != h3.latlng_to_cell(lat, lon, zonecells.RESOLUTION)
    ]
    assert not differ, differ[:5]
    if sys.platform.startswith("linux"):  # the C path was the one tested (h3's wheels)
        assert zonecells._latlng_to_cell().__name__ == "by_c"


def test_without_h3s_library_the_package_gives_the_cell(monkeypatch, finder):
    def missing(package):
        raise OSError(f"no library in {package}")

    monkeypatch.setattr(zonecells, "_c_latlng_to_cell", missing)
    zonecells._latlng_to_cell.cache_clear()
    try:
        assert zonecells._latlng_to_cell().__name__ == "by_package"
        assert zonecells.zone_in_cell(52.52, 13.40) == "Europe/Berlin"
        rng = np.random.default_rng(5)
        lats, lons = np.degrees(np.arcsin(rng.uniform(-1, 1, 300))), rng.uniform(-180, 180, 300)
        assert _check(finder, lats, lons) > 150
    finally:
        zonecells._latlng_to_cell.cache_clear()
