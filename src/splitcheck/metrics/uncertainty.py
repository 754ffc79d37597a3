"""How far to trust a lap time measured from GPS, and whether a verdict survives it.

A lap whose ends the runner pressed is timed by the watch's clock: exact. A lap cut from
the samples where GPS distance crosses a mark (a quarter of a mile, a track line) errs by
where GPS put the runner at each mark, divided by the runner's speed there. The 90 %
half-width of that error, in metres of along-track distance, was measured on the
simulator with its GPS noise (scripts/uncertainty_coverage.py prints the fit and the
coverage it gives) for each route and recording, and scales with the GPS jitter measured
in the file itself against the simulator's.

A verdict (even, kick, halves, a fast start) is then re-judged over many draws of the lap
errors; when the threshold lies inside the metric's 90 % interval the verdict cannot be
told from GPS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..arrays import median

Z90 = 1.6449
"""Half-width of a two-sided 90 % normal interval, in SDs."""
LAP_Q90_M = {
    ("track", "1s"): (0.33, 3.24),
    ("track", "smart"): (1.16, 3.11),
    ("road", "1s"): (0.96, 4.30),
    ("road", "smart"): (1.47, 4.16),
}
"""(detector, GPS) parts of the 90 % half-width of one GPS-timed lap's error, metres along
the route, combined as sqrt(det^2 + (r gps)^2) with r the file's GPS jitter over the
simulator's. Measured on the simulator's mile time trials, laps hidden, 300 runners per
route and recording: the detector part is the 90th percentile without GPS noise, the GPS
part is set so that the interval covers 90 % of laps with it (scripts/uncertainty_coverage.py
--fit); a track mile is measured along the fitted lane-1 oval, a road mile by the watch's
distance."""
REP_Q90_M = {
    ("track", "1s"): (2.15, 7.45),
    ("track", "smart"): (3.32, 8.47),
    ("road", "1s"): (2.91, 8.39),
    ("road", "smart"): (3.40, 9.64),
}
"""As :data:`LAP_Q90_M` for a rep whose two ends the pace trace found (no lap press, no
distance mark: the detector places each end where the speed changes), metres: fitted on
the simulator's 200, 400 and 800 m repeats with laps hidden, 120 sessions of 6 reps per
route and recording (scripts/uncertainty_coverage.py --fit-reps)."""
SIM_JITTER_M = {"1s": 0.17, "smart": 0.225}
"""The simulator's GPS jitter as :func:`gps_jitter_m` measures it, by recording (medians
over track and road: 0.175 / 0.166 m at 1 s, 0.229 / 0.221 m smart); real watches measure
0.14-0.28 m."""
JITTER_MIN_PAIRS = 20
"""Fewer 1-2 s sample pairs than this: the jitter cannot be measured; the simulator's is
assumed."""
SMART_MEDIAN_DT_S = 1.5
"""A median sample interval above this is smart (or sparser) recording."""
DRAWS = 4000
"""Monte Carlo draws of the lap errors per effort (seeded: the same file, the same answer)."""
EARTH_RADIUS_M = 6_371_008.8


def recording_of(elapsed_s) -> str:
    """``1s`` or ``smart`` from the samples' median interval."""
    t = np.asarray(elapsed_s, dtype=np.float64)
    dt = np.diff(t[np.isfinite(t)])
    dt = dt[dt > 0]
    if not len(dt):
        return "smart"
    return "smart" if float(median(dt)) > SMART_MEDIAN_DT_S else "1s"


def gps_jitter_m(elapsed_s, lat_deg, lon_deg) -> float | None:
    """Fix-to-fix GPS jitter, m: robust SD of the second differences of position over
    consecutive 1-2 s intervals, over sqrt(6) (white noise's share). None without enough
    closely spaced fixes."""
    t = np.asarray(elapsed_s, dtype=np.float64)
    lat = np.asarray(lat_deg, dtype=np.float64)
    lon = np.asarray(lon_deg, dtype=np.float64)
    ok = np.isfinite(t) & np.isfinite(lat) & np.isfinite(lon)
    if ok.sum() < JITTER_MIN_PAIRS + 2:
        return None
    t, lat, lon = t[ok], lat[ok], lon[ok]
    y = np.radians(lat - lat[0]) * EARTH_RADIUS_M
    x = np.radians(lon - lon[0]) * EARTH_RADIUS_M * math.cos(math.radians(float(lat[0])))
    dt = np.diff(t)
    good = (dt > 0) & (dt <= 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        vx, vy = np.diff(x) / dt, np.diff(y) / dt
    pair = good[1:] & good[:-1]
    if pair.sum() < JITTER_MIN_PAIRS:
        return None
    d2 = np.concatenate([np.diff(vx)[pair], np.diff(vy)[pair]])
    mad = float(median(np.abs(d2 - median(d2))))
    return 1.4826 * mad / math.sqrt(6.0)


@dataclass(frozen=True)
class GpsTiming:
    """How one file's GPS times laps: route (``track`` fit or ``road``), recording (``1s``
    or ``smart``), and its jitter (None: not measurable, the simulator's assumed)."""

    route: str
    recording: str
    jitter_m: float | None
    has_gps: bool = True

    @property
    def noise_ratio(self) -> float:
        """The file's GPS noise against the simulator's: 0 without positions (a foot pod's
        or treadmill's distance: only the detector's part remains)."""
        if not self.has_gps:
            return 0.0
        return 1.0 if self.jitter_m is None else self.jitter_m / SIM_JITTER_M[self.recording]

    @property
    def lap_q90_m(self) -> float:
        """90 % half-width of one GPS lap's error, metres along the route."""
        det, gps = LAP_Q90_M[(self.route, self.recording)]
        return math.hypot(det, self.noise_ratio * gps)

    @property
    def rep_q90_m(self) -> float:
        """90 % half-width of a trace-found rep's error, metres along the route."""
        det, gps = REP_Q90_M[(self.route, self.recording)]
        return math.hypot(det, self.noise_ratio * gps)

    @property
    def mark_sigma_m(self) -> float:
        """SD of the along-route error at one GPS mark (a lap's error is two marks')."""
        return self.lap_q90_m / Z90 / math.sqrt(2.0)

    def describe(self) -> str:
        if not self.has_gps:
            return f"no GPS positions, {self.recording} recording"
        noise = "typical" if self.jitter_m is None else f"{self.jitter_m:.2f} m jitter"
        return f"{self.route}, {self.recording} recording, GPS noise {noise}"


def lap_uncertainty_s(
    times_s, distances_m, mark_sigma_m: float, pressed
) -> tuple[np.ndarray, np.ndarray]:
    """(90 % half-width of each lap's time, SD of the error at each boundary), seconds.

    ``pressed`` (one per boundary, laps + 1): boundaries the runner pressed, exact. A GPS
    boundary errs by ``mark_sigma_m`` over the speed there (the mean of the laps beside it).
    """
    t = np.asarray(times_s, dtype=np.float64)
    d = np.asarray(distances_m, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(t > 0, d / t, np.nan)
    v_at = np.concatenate([[v[0]], (v[:-1] + v[1:]) / 2.0, [v[-1]]])
    sigma_b = np.where(np.asarray(pressed, dtype=bool), 0.0, mark_sigma_m / v_at)
    lap = Z90 * np.hypot(sigma_b[:-1], sigma_b[1:])
    return lap, sigma_b
