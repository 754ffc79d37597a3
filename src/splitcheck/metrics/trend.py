"""How a continuous run's pace changed over the whole run: first part against last part.

The run's distance is cut into thirds (halves under :data:`THIRDS_MIN_M`); each part's pace
is its moving time over its distance (stops do not count as slowing), grade-adjusted
(Minetti et al. 2002, :mod:`.terrain`, from each part's net climb) when the run has altitude
off a track. The change
from the first to the last part names the run (docs/guidance.md, "Continuous runs"):

- ``even``: the last part within +-:data:`EVEN_RUN_PCT` of the first;
- ``progression``: each part faster than the one before, the last more than the band;
- ``negative``: the last part faster by more than the band, not steadily (a negative split);
- ``fading``: the last part slower by more than the band (a positive split);
- ``hills``: not judged, the grade adjustment turns the clock's verdict round (faster at
  the end on the clock, slower grade-adjusted, or the reverse, each beyond the band): the
  hills, not the runner, decide the run's trend, and Minetti's cost is least certain on
  the descents that do it (elevate/portland.fit: 200 m up in its first third, 216 m down
  in its last, 23 % faster on the clock, "faded 19 %" adjusted).

The drift is the OLS slope of the parts' paces against their middles' distance: with
equally long parts it is the first-to-last change over the distance between them, so it
never disagrees with the name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..model import interval_speeds_mps
from .series import ols_slope
from .terrain import minetti_cost_j_per_kg_m, running_altitude_m, smooth_altitude_m

EVEN_RUN_PCT = 3.0
"""A last part within +-3 % of the first part's speed is an even run (default; the same
band as guidance.md section 1's "even" lap-speed CV of 3 %; Deaner et al. 2015's 10 % for
a "maintained" marathon is far too loose for a training run, pacing-science.md)."""
THIRDS_MIN_M = 3000.0
"""Runs of at least 3 km are judged in thirds (first / middle / last); shorter in halves."""
TREND_MIN_M = 800.0
"""Under 800 m there is too little run to judge its trend."""
MOVING_SPEED_MPS = 0.5
"""Slower than this between samples the runner is standing (as model.MOVING_SPEED_MPS)."""
TRENDS = ("even", "progression", "negative", "fading", "hills")


@dataclass(frozen=True)
class RunTrend:
    """The change of pace over a continuous run.

    ``part_paces_s_per_km``: pace of each part (grade-adjusted when ``grade_adjusted``);
    ``clock_paces_s_per_km``: the same parts on the clock (moving time, no adjustment).
    ``change_pct``: speed of the last part against the first, % (+ = faster).
    """

    name: str
    parts: int
    part_m: float
    part_paces_s_per_km: tuple[float, ...]
    clock_paces_s_per_km: tuple[float, ...]
    change_pct: float
    clock_change_pct: float
    drift_s_per_km_per_km: float
    grade_adjusted: bool

    @property
    def even(self) -> bool:
        return self.name == "even"

    @property
    def judged(self) -> bool:
        """False when the hills turn the clock's verdict round (``hills``)."""
        return self.name != "hills"

    @property
    def sign(self) -> int:
        """+1 faster at the end, -1 slower, 0 even (or not judged)."""
        if self.even or not self.judged:
            return 0
        return 1 if self.change_pct > 0 else -1

    def to_dict(self) -> dict:
        def r(x: float) -> float | None:
            return round(float(x), 2) if math.isfinite(x) else None

        return {
            "trend": self.name,
            "trend_parts": self.parts,
            "trend_part_m": r(self.part_m),
            "trend_part_paces_s_per_km": [r(p) for p in self.part_paces_s_per_km],
            "trend_clock_paces_s_per_km": [r(p) for p in self.clock_paces_s_per_km],
            "trend_change_pct": r(self.change_pct),
            "trend_clock_change_pct": r(self.clock_change_pct),
            "trend_grade_adjusted": self.grade_adjusted,
        }


def run_trend(
    elapsed_s, distance_m, altitude_m=None, *, grade_adjust: bool = True
) -> RunTrend | None:
    """The run's trend from its samples, or None when it is too short or has no distance.

    ``altitude_m`` (optional) grade-adjusts the parts when ``grade_adjust`` (leave it off on
    a track, pacing-science.md).
    """
    t = np.asarray(elapsed_s, dtype=np.float64)
    d = np.asarray(distance_m, dtype=np.float64)
    ok = np.isfinite(t) & np.isfinite(d)
    t, d = t[ok], d[ok]
    if len(t) < 3:
        return None
    d = np.maximum.accumulate(d)
    total = float(d[-1] - d[0])
    if total < TREND_MIN_M:
        return None
    dt = np.diff(t)
    moving = (dt > 0) & (interval_speeds_mps(t, d) > MOVING_SPEED_MPS)
    move_t = np.concatenate([[0.0], np.cumsum(np.where(moving, dt, 0.0))])
    n = 3 if total >= THIRDS_MIN_M else 2
    bounds = d[0] + np.linspace(0.0, total, n + 1)
    secs = np.diff(np.interp(bounds, d, move_t))
    if (secs <= 0).any():
        return None
    part_m = total / n
    clock = secs / part_m * 1000.0
    factor = _climb_factors(t, d, altitude_m, ok, bounds) if grade_adjust else None
    adjusted = factor is not None
    paces = clock / factor if adjusted else clock
    mids_km = (bounds[:-1] + bounds[1:]) / 2 / 1000.0
    change = (paces[0] / paces[-1] - 1.0) * 100.0
    clock_change = (clock[0] / clock[-1] - 1.0) * 100.0
    name = _name(paces, change)
    if adjusted and _opposite(change, clock_change):
        name = "hills"
    return RunTrend(
        name=name,
        parts=n,
        part_m=part_m,
        part_paces_s_per_km=tuple(float(p) for p in paces),
        clock_paces_s_per_km=tuple(float(p) for p in clock),
        change_pct=float(change),
        clock_change_pct=float(clock_change),
        drift_s_per_km_per_km=ols_slope(mids_km, paces),
        grade_adjusted=adjusted,
    )


def _climb_factors(
    t: np.ndarray, d: np.ndarray, altitude_m, ok: np.ndarray, bounds: np.ndarray
):
    """Each part's energy cost against the flat, C(g) / C(0), from its net climb g (rise
    over the part's distance while moving, altitude smoothed): noise and rolling hills
    inside a part cancel, a part that climbs or descends overall is adjusted. None without
    altitude."""
    if altitude_m is None:
        return None
    a = running_altitude_m(t, d, np.asarray(altitude_m, dtype=np.float64)[ok])
    good = np.isfinite(a)
    if good.sum() < 3:
        return None
    smooth = smooth_altitude_m(d[good], a[good])
    at = np.interp(bounds, d[good], smooth)
    grade = np.diff(at) / np.diff(bounds)
    return minetti_cost_j_per_kg_m(grade) / minetti_cost_j_per_kg_m(0.0)


def _opposite(change_pct: float, clock_change_pct: float) -> bool:
    """Grade-adjusted and clock changes beyond the even band on opposite sides."""
    return (
        abs(change_pct) > EVEN_RUN_PCT
        and abs(clock_change_pct) > EVEN_RUN_PCT
        and (change_pct > 0) != (clock_change_pct > 0)
    )


def _name(paces: np.ndarray, change_pct: float) -> str:
    if abs(change_pct) <= EVEN_RUN_PCT:
        return "even"
    if change_pct < 0:
        return "fading"
    return "progression" if bool((np.diff(paces) < 0).all()) and len(paces) > 2 else "negative"
