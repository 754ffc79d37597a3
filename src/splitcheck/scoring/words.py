"""Numbers in runner's words: percentages, lap times, paces in the runner's units."""

from __future__ import annotations

import math

from ..units import MILE_M, format_duration, format_pace


def pct(value: float) -> str:
    """``6 %`` or ``1.2 %`` (absolute value: the sentence says faster or slower)."""
    a = abs(value)
    return f"{a:.1f} %" if a < 3 else f"{a:.0f} %"


def lap_time(seconds: float) -> str:
    """``1:30`` for whole seconds, else ``1:29.6``; under a minute ``57.5 s``."""
    if not math.isfinite(seconds):
        return "-"
    if seconds < 59.95:
        return f"{seconds:.0f} s" if abs(seconds - round(seconds)) < 0.05 else f"{seconds:.1f} s"
    if abs(seconds - round(seconds)) < 0.05:
        return format_duration(seconds)
    return format_duration(seconds, decimals=1)


def lap_times(seconds: list[float] | tuple[float, ...]) -> str:
    """Measured laps in one format: ``1:20.7, 1:32.3, 1:37.0`` (not ``1:37`` among tenths)."""
    if all(abs(t - round(t)) < 0.05 for t in seconds if math.isfinite(t)):
        return ", ".join(lap_time(t) for t in seconds)
    return ", ".join(
        format_duration(t, decimals=1) if t >= 59.95 else f"{t:.1f} s" for t in seconds
    )


def pace(speed_mps: float, unit: str) -> str:
    """``3:44 /km`` or ``6:00 /mi``."""
    return format_pace(speed_mps, unit)


def mile_time(seconds: float) -> str:
    """``6:00`` or ``5:59.4``."""
    if abs(seconds - round(seconds)) < 0.05:
        return format_duration(seconds)
    return format_duration(seconds, decimals=1)


def goal_pace(goal_mile_s: float, unit: str) -> str:
    """The goal mile's pace in the runner's units: ``3:44 /km``."""
    return format_pace(MILE_M / goal_mile_s, unit)


def faster_slower(value_pct: float) -> str:
    return "faster" if value_pct > 0 else "slower"


def format_duration_words(seconds: float) -> str:
    """``32:10``-style duration (``1:02:03`` past an hour)."""
    return format_duration(seconds)
