"""Recoveries between the reps of an interval session (docs/guidance.md I4): full in
ladders and pyramids, a 60 s jog after short speed reps, otherwise even."""

from __future__ import annotations

from ..arrays import median
from .parts import Part, RepResult

RECOVERY_POINTS = 15.0
FULL_RECOVERY_MIN_S = 90.0
"""A 'full recovery' (ladders, guidance.md 2) lasts at least the rep before it and at
least 90 s (default)."""
SPEED_RECOVERY_S, RECOVERY_TOLERANCE = 60.0, 0.25
"""Prescribed jog after a short speed rep, and the +-25 % that still counts as it."""
JOG_MIN_MPS = 1.5
"""Slower than this (11:07 /km) a recovery is a walk or a stand, not a jog."""


def recovery_rule(f) -> str:
    """``full`` (ladders, pyramids), ``speed`` (short time reps: a 60 s jog) or ``even``."""
    from .intervals import is_short_time_reps

    if f.workout_type in ("ladder_ascending", "ladder_descending", "pyramid"):
        return "full"
    return "speed" if is_short_time_reps(f) else "even"


def recoveries_ok(f) -> int | None:
    """How many recoveries between reps were as the rule prescribes (None: none found)."""
    pairs = [(r, r.recovery_s) for r in f.reps[:-1] if r.recovery_s is not None]
    if not pairs:
        return None
    rule = recovery_rule(f)
    if rule == "full":
        return sum(rec >= max(FULL_RECOVERY_MIN_S, r.time_s) for r, rec in pairs)
    if rule == "speed":
        lo, hi = (
            SPEED_RECOVERY_S * (1 - RECOVERY_TOLERANCE),
            SPEED_RECOVERY_S * (1 + RECOVERY_TOLERANCE),
        )
        return sum(lo <= rec <= hi and _jogged(r) for r, rec in pairs)
    typical_s = float(median([rec for _, rec in pairs]))
    return sum(abs(rec - typical_s) <= RECOVERY_TOLERANCE * typical_s for _, rec in pairs)


def _jogged(r: RepResult) -> bool:
    return bool(r.recovery_s and (r.recovery_distance_m or 0.0) / r.recovery_s >= JOG_MIN_MPS)


def recovery_part(f, mx: dict) -> Part:
    rule = recovery_rule(f)
    threshold = {
        "full": f"full: at least the rep's time and {FULL_RECOVERY_MIN_S:g} s",
        "speed": f"{SPEED_RECOVERY_S:g} s jog (+-{RECOVERY_TOLERANCE:.0%})",
        "even": f"within +-{RECOVERY_TOLERANCE:.0%} of the median recovery",
    }[rule]
    ok, count = mx["recoveries_ok"], mx["recoveries_count"]
    if ok is None:
        return Part(
            "recoveries", None, RECOVERY_POINTS, "not judged: no recoveries found", threshold
        )
    return Part(
        "recoveries",
        RECOVERY_POINTS * ok / count,
        RECOVERY_POINTS,
        f"{ok} of {count} as prescribed",
        threshold,
        passed=ok == count,
    )
