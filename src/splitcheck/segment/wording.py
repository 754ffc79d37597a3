"""The session in runner's words: rep groups, recoveries, the label (guidance.md
section 2: "Report the structure in runner's words")."""

from __future__ import annotations

from collections.abc import Sequence

from ..arrays import median
from ..units import format_duration
from .types import Interval
from .workout import rep_key

JOG_MPS = 1.8
WALK_MPS = 0.5
"""Recoveries at or above 1.8 m/s (9:15 /km) are jogs; above 0.5 m/s walks; below, standing."""
WARMUP_LABEL_S = 60.0
"""A warm-up or cool-down under a minute is not worth naming."""


def rep_groups(work: Sequence[Interval]) -> str:
    """``4x200, 2x400, 2x600, 1x800 m`` / ``10x30 s`` / ``2x400 m, 4x1 min``; one rep of
    each: ``200, 400, 600, 800, 600, 400, 200 m``."""
    groups: list[tuple[tuple[str, float], int, Interval]] = []
    for rep in work:
        key = rep_key(rep)
        if groups and groups[-1][0] == key:
            groups[-1] = (key, groups[-1][1] + 1, groups[-1][2])
        else:
            groups.append((key, 1, rep))
    names = [_group_name(rep) for _, _, rep in groups]
    all_metres = all(n.endswith(" m") for n in names)
    if len(groups) > 1 and all(count == 1 for _, count, _ in groups):
        # a pyramid or a one-of-each ladder: "200, 400, 600, 800, 600, 400, 200 m"
        return ", ".join(
            n[:-2] if all_metres and i < len(names) - 1 else n for i, n in enumerate(names)
        )
    parts = [
        f"{count}x{name[:-2] if all_metres and i < len(groups) - 1 else name}"
        for i, ((_, count, _), name) in enumerate(zip(groups, names, strict=True))
    ]
    return ", ".join(parts).replace("x mile", "x1 mile")


def _group_name(rep: Interval) -> str:
    if rep.nominal is not None:
        return rep.nominal
    return f"~{rep.distance_m:.0f} m"


def recovery_words(recoveries: Sequence[Interval]) -> str:
    """``jog``, ``walk`` or ``standing``, from the median recovery speed."""
    if not recoveries:
        return ""
    speed = float(median([r.speed_mps for r in recoveries]))
    if speed >= JOG_MPS:
        return "jog"
    return "walk" if speed >= WALK_MPS else "standing"


def label(kind: str, intervals: Sequence[Interval], laps_text: str = "") -> str:
    """The session in runner's words (see :class:`~.types.Workout`)."""
    work = [i for i in intervals if i.kind == "work"]
    if kind == "time_trial":
        rep = work[0]
        name = "1500 m" if rep.nominal == "1500 m" else "mile"
        return f"{name} time trial: {laps_text}" if laps_text else f"{name} time trial"
    parts = []
    warm = [i for i in intervals if i.kind == "warmup"]
    cool = [i for i in intervals if i.kind == "cooldown"]
    if warm and warm[0].duration_s >= WARMUP_LABEL_S:
        parts.append(f"{format_duration(warm[0].duration_s)} warm-up")
    core = rep_groups(work)
    rec = recovery_words([i for i in intervals if i.kind == "recovery"])
    parts.append(f"{core} with {rec} recoveries" if rec else core)
    if cool and cool[0].duration_s >= WARMUP_LABEL_S:
        parts.append(f"{format_duration(cool[0].duration_s)} cool-down")
    return "; ".join(parts)
