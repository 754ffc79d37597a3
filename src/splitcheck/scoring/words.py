"""Numbers in runner's words: percentages, lap times, paces in the runner's units."""

from __future__ import annotations

import math

from ..metrics.trend import EVEN_RUN_PCT
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


def part_name(trend) -> str:
    """``third`` or ``half``: the parts a run's trend compares."""
    return "third" if trend.parts == 3 else "half"


def trend_title(trend) -> str:
    """The run's trend in a chart title's few words: ``progression, last third 23 % faster``."""
    part = part_name(trend)
    change = f"last {part} {pct(trend.change_pct)} {faster_slower(trend.change_pct)}"
    if trend.name == "hills":
        return (
            f"the hills decide (last {part} {pct(trend.clock_change_pct)} "
            f"{faster_slower(trend.clock_change_pct)}, {pct(trend.change_pct)} "
            f"{faster_slower(trend.change_pct)} grade-adjusted)"
        )
    return {
        "even": "even pace",
        "progression": f"progression, {change}",
        "negative": f"negative split, {change}",
        "fading": f"faded, {change}",
    }[trend.name]


def trend_sentence(trend, unit: str) -> str:
    """One sentence on how the run's pace changed from its first to its last part."""
    from ..units import UNIT_M

    part = part_name(trend)
    if trend.name == "hills":
        return _hills_sentence(trend, unit)
    p = trend.part_paces_s_per_km
    first, last = pace(1000.0 / p[0], unit), pace(1000.0 / p[-1], unit)
    change = f"the last {part} {pct(trend.change_pct)} {faster_slower(trend.change_pct)}"
    span = (
        f"{first} to {last}" if len(p) == 2 else (f"{first}, {pace(1000.0 / p[1], unit)}, {last}")
    )
    head = {
        "even": f"Even pace: the last {part} within {pct(trend.change_pct)} of the first",
        "progression": f"A progression run: each {part} faster, {change} than the first",
        "negative": f"Negative split: {change} than the first",
        "fading": f"You faded: {change} than the first",
    }[trend.name]
    per_unit = UNIT_M[unit] / 1000.0
    drift = trend.drift_s_per_km_per_km * per_unit**2
    how = "grade-adjusted pace by " + part if trend.grade_adjusted else "pace by " + part
    text = f"{head} ({how}: {span}; drift {drift:+.1f} s/{unit} per {unit})."
    if trend.grade_adjusted and abs(trend.clock_change_pct - trend.change_pct) > EVEN_RUN_PCT:
        c = trend.clock_paces_s_per_km
        text += (
            f" Unadjusted, the {plural(part)} ran {pace(1000.0 / c[0], unit)} to "
            f"{pace(1000.0 / c[-1], unit)} (moving pace): the difference is the hills."
        )
    return text


def _hills_sentence(trend, unit: str) -> str:
    """The run whose trend the grade adjustment turns round: both readings, no verdict."""
    part = part_name(trend)
    c, p = trend.clock_paces_s_per_km, trend.part_paces_s_per_km
    return (
        f"Pace over the run not judged: the hills decide it. Unadjusted, the last {part} was "
        f"{pct(trend.clock_change_pct)} {faster_slower(trend.clock_change_pct)} than the "
        f"first ({pace(1000.0 / c[0], unit)} to {pace(1000.0 / c[-1], unit)}, moving pace); "
        f"grade-adjusted, {pct(trend.change_pct)} {faster_slower(trend.change_pct)} "
        f"({pace(1000.0 / p[0], unit)} to {pace(1000.0 / p[-1], unit)}). Judge a hilly "
        "run by effort (heart rate), not pace."
    )


def plural(part: str) -> str:
    """``thirds``, ``halves``."""
    return "halves" if part == "half" else part + "s"
