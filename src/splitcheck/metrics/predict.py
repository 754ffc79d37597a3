"""Mile predictions from any effort: Riegel's power law and Daniels & Gilbert's VDOT.

pacing-science.md, "Predictions": Riegel T2 = T1 (D2 / D1)^1.06 for efforts of about
3.5 to 230 min; Daniels & Gilbert VO2 = -4.60 + 0.182258 v + 0.000104 v^2 (v in m/min),
%VO2max = 0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t) (t in min),
VDOT = VO2 / %VO2max.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MILE_M = 1609.344
RIEGEL_EXPONENT = 1.06
"""Riegel (1981) fatigue exponent."""
RIEGEL_MIN_S = 3.5 * 60.0
RIEGEL_MAX_S = 230.0 * 60.0
"""Riegel's law holds for efforts of about 3.5 to 230 minutes."""


def riegel_time_s(time_s: float, distance_m: float, target_m: float = MILE_M) -> float:
    """Predicted time over ``target_m`` from ``time_s`` over ``distance_m`` (Riegel)."""
    if time_s <= 0 or distance_m <= 0:
        raise ValueError(f"expected a positive time and distance, got {time_s}, {distance_m}")
    return time_s * (target_m / distance_m) ** RIEGEL_EXPONENT


def vo2_ml_kg_min(speed_m_per_min: float) -> float:
    """Oxygen cost of running at ``speed_m_per_min`` (Daniels & Gilbert)."""
    v = speed_m_per_min
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def fraction_vo2max(minutes: float) -> float:
    """Fraction of VO2max sustainable for ``minutes`` (Daniels & Gilbert)."""
    return (
        0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)
    )


def vdot(distance_m: float, time_s: float) -> float:
    """Daniels & Gilbert VDOT of a performance (distance in m, time in s)."""
    if time_s <= 0 or distance_m <= 0:
        raise ValueError(f"expected a positive time and distance, got {time_s}, {distance_m}")
    minutes = time_s / 60.0
    return vo2_ml_kg_min(distance_m / minutes) / fraction_vo2max(minutes)


def time_for_vdot_s(vdot_value: float, distance_m: float = MILE_M) -> float:
    """Time over ``distance_m`` that a runner of ``vdot_value`` would run, s (bisection).

    VDOT falls monotonically as time grows, so bisection on [1 min/km x d, 20 min/km x d]
    converges; 60 halvings reach far below a millisecond.
    """
    lo, hi = distance_m * 0.06, distance_m * 1.2  # 1:00 /km to 20:00 /km
    for _ in range(60):
        mid = (lo + hi) / 2.0
        if vdot(distance_m, mid) > vdot_value:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


@dataclass(frozen=True)
class MilePrediction:
    """A mile time predicted from one effort, by Riegel and by VDOT; ``in_range`` is False
    when the effort lies outside Riegel's 3.5-230 min."""

    from_distance_m: float
    from_time_s: float
    riegel_s: float
    vdot: float
    vdot_s: float
    in_range: bool

    def to_dict(self) -> dict:
        return {
            "from_distance_m": round(self.from_distance_m, 1),
            "from_time_s": round(self.from_time_s, 1),
            "riegel_mile_s": round(self.riegel_s, 1),
            "vdot": round(self.vdot, 2),
            "vdot_mile_s": round(self.vdot_s, 1),
            "in_range": self.in_range,
        }


def predict_mile(distance_m: float, time_s: float) -> MilePrediction:
    """Riegel and VDOT mile predictions from one effort."""
    value = vdot(distance_m, time_s)
    return MilePrediction(
        from_distance_m=distance_m,
        from_time_s=time_s,
        riegel_s=riegel_time_s(time_s, distance_m),
        vdot=value,
        vdot_s=time_for_vdot_s(value),
        in_range=RIEGEL_MIN_S <= time_s <= RIEGEL_MAX_S,
    )
