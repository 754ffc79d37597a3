"""What kind of session a set of work reps makes: sprint, speed endurance, or both
(guidance.md section 3, article tips #1 and #6)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

# Session kinds (guidance.md section 3; "~" read with the snapping tolerances of section 2:
# distances within 5 %, durations within 10 %).
SPRINT_MAX_REP_S = 60.0 * 1.10
SPRINT_MAX_REP_M = 300.0 * 1.05
"""A sprint rep lasts <= ~60 s or covers <= ~300 m ("short, super fast sprint intervals")."""
SPEED_ENDURANCE_MIN_REP_S = 120.0 * 0.90
SPEED_ENDURANCE_MIN_REP_M = 600.0 * 0.95
"""A speed-endurance rep lasts >= ~2 min or covers >= ~600 m ("longer running intervals")."""
MIN_REPS_PER_SESSION = 2
"""A session counts as a sprint (speed-endurance) session with at least this many such
reps: one odd rep does not make a session."""


def rep_kinds(duration_s: float | None, distance_m: float | None) -> set[str]:
    """``sprint`` and/or ``speed_endurance`` for one work rep (a 400 m in 75 s is neither)."""
    t = duration_s if duration_s is not None and math.isfinite(duration_s) else math.nan
    d = distance_m if distance_m is not None and math.isfinite(distance_m) else math.nan
    kinds = set()
    if t <= SPRINT_MAX_REP_S or d <= SPRINT_MAX_REP_M:
        kinds.add("sprint")
    if t >= SPEED_ENDURANCE_MIN_REP_S or d >= SPEED_ENDURANCE_MIN_REP_M:
        kinds.add("speed_endurance")
    return kinds


def session_kinds(work_reps: Iterable[Mapping[str, Any]]) -> set[str]:
    """The kinds of session a set of work reps makes (a ladder can be both)."""
    counts: dict[str, int] = defaultdict(int)
    for rep in work_reps:
        for kind in rep_kinds(rep.get("duration_s"), rep.get("distance_m")):
            counts[kind] += 1
    return {k for k, n in counts.items() if n >= MIN_REPS_PER_SESSION}


__all__ = [
    "MIN_REPS_PER_SESSION",
    "SPEED_ENDURANCE_MIN_REP_M",
    "SPEED_ENDURANCE_MIN_REP_S",
    "SPRINT_MAX_REP_M",
    "SPRINT_MAX_REP_S",
    "rep_kinds",
    "session_kinds",
]
