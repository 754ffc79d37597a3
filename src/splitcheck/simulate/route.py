"""Where the simulated runner runs: a 400 m track (lane 1) or a hilly road loop.

A route maps distance along it (metres from the start, any value: it loops) to local
east/north coordinates and altitude, in metres, and local metres to latitude/longitude.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TRACK_STRAIGHT_M = 84.39
"""Length of each straight of a standard 400 m track (pacing-science.md)."""
TRACK_BEND_RADIUS_M = 36.5
"""Kerb radius of the bends."""
LANE1_OFFSET_M = 0.30
"""Lane 1 is measured 0.30 m outside the kerb: 2 x 84.39 + 2 pi x 36.8 = 400.0 m."""
EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), as in ``splitcheck.derive``."""

ROAD_LOOP_M = 2400.0
"""Perimeter of the road loop."""
ROAD_HILLS_M = ((14.0, 1, 0.0), (5.0, 3, 1.0))
"""(amplitude m, cycles per loop, phase rad) of the loop's altitude profile: up to ~6 %
grades, a rolling park or neighbourhood loop."""
ROAD_BASE_ALTITUDE_M = 85.0
TRACK_ALTITUDE_M = 42.0

DEFAULT_ORIGIN_DEG = (52.2053, 0.1218)
"""Where the routes are placed (a park in Cambridge, UK); any mid-latitude place works."""


@dataclass(frozen=True)
class Route:
    """A closed loop: ``kind`` is ``track`` or ``road``; ``loop_m`` its length."""

    kind: str
    loop_m: float
    origin_deg: tuple[float, float] = DEFAULT_ORIGIN_DEG

    def local_xy(self, distance_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """East and north offsets (m) from the origin at distances along the route."""
        s = np.mod(np.asarray(distance_m, dtype=np.float64), self.loop_m)
        if self.kind == "track":
            return _track_xy(s)
        return _road_xy(s, self.loop_m)

    def altitude_m(self, distance_m: np.ndarray) -> np.ndarray:
        """True altitude (m) at distances along the route."""
        s = np.asarray(distance_m, dtype=np.float64)
        if self.kind == "track":
            return np.full(s.shape, TRACK_ALTITUDE_M)
        alt = np.full(s.shape, ROAD_BASE_ALTITUDE_M)
        for amp, cycles, phase in ROAD_HILLS_M:
            alt += amp * np.sin(2 * np.pi * cycles * s / self.loop_m + phase)
        return alt

    def grade(self, distance_m: np.ndarray) -> np.ndarray:
        """Rise over run (dimensionless) at distances along the route."""
        s = np.asarray(distance_m, dtype=np.float64)
        g = np.zeros(s.shape)
        if self.kind == "track":
            return g
        for amp, cycles, phase in ROAD_HILLS_M:
            k = 2 * np.pi * cycles / self.loop_m
            g += amp * k * np.cos(k * s + phase)
        return g

    def to_latlon(self, east_m: np.ndarray, north_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude (degrees) of local offsets (equirectangular, exact enough
        for a few km)."""
        lat0, lon0 = self.origin_deg
        lat = lat0 + np.degrees(np.asarray(north_m) / EARTH_RADIUS_M)
        lon = lon0 + np.degrees(np.asarray(east_m) / (EARTH_RADIUS_M * np.cos(np.radians(lat0))))
        return lat, lon


def track() -> Route:
    """A standard 400 m track, run counter-clockwise in lane 1 from the finish line."""
    r = TRACK_BEND_RADIUS_M + LANE1_OFFSET_M
    return Route("track", 2 * TRACK_STRAIGHT_M + 2 * np.pi * r)


def road() -> Route:
    """A rolling road loop of :data:`ROAD_LOOP_M`."""
    return Route("road", ROAD_LOOP_M)


def make_route(kind: str) -> Route:
    if kind == "track":
        return track()
    if kind == "road":
        return road()
    raise ValueError(f"route must be 'track' or 'road', got {kind!r}")


def _track_xy(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lane-1 line: start at the finish line (end of the home straight), bend 1, back
    straight, bend 2, home straight; bend centres at (+-L/2, 0)."""
    r = TRACK_BEND_RADIUS_M + LANE1_OFFSET_M
    half = TRACK_STRAIGHT_M / 2
    bend = np.pi * r
    x = np.empty_like(s)
    y = np.empty_like(s)
    b1 = s < bend
    th = -np.pi / 2 + s[b1] / r
    x[b1], y[b1] = half + r * np.cos(th), r * np.sin(th)
    st1 = (s >= bend) & (s < bend + TRACK_STRAIGHT_M)
    x[st1], y[st1] = half - (s[st1] - bend), r
    b2 = (s >= bend + TRACK_STRAIGHT_M) & (s < 2 * bend + TRACK_STRAIGHT_M)
    th = np.pi / 2 + (s[b2] - bend - TRACK_STRAIGHT_M) / r
    x[b2], y[b2] = -half + r * np.cos(th), r * np.sin(th)
    st2 = s >= 2 * bend + TRACK_STRAIGHT_M
    x[st2], y[st2] = -half + (s[st2] - 2 * bend - TRACK_STRAIGHT_M), -r
    return x, y


def _road_shape(loop_m: float, n: int = 4096) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A wobbly closed loop scaled to ``loop_m``: cumulative arc length and its points."""
    phi = np.linspace(0.0, 2 * np.pi, n + 1)
    rad = 1.0 + 0.18 * np.sin(3 * phi) + 0.08 * np.cos(2 * phi + 0.5)
    x, y = rad * np.cos(phi), rad * np.sin(phi)
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    scale = loop_m / arc[-1]
    return arc * scale, (x - x[0]) * scale, (y - y[0]) * scale


_ROAD_CACHE: dict[float, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _road_xy(s: np.ndarray, loop_m: float) -> tuple[np.ndarray, np.ndarray]:
    if loop_m not in _ROAD_CACHE:
        _ROAD_CACHE[loop_m] = _road_shape(loop_m)
    arc, x, y = _ROAD_CACHE[loop_m]
    return np.interp(s, arc, x), np.interp(s, arc, y)
