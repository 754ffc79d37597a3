"""The terminal report: short, readable at a glance, in the runner's units."""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis import Analysis
from ..model import Activity
from ..units import format_distance, format_duration, format_pace

PACED_LAP_MIN_S = 1.0
PACED_LAP_MIN_M = 1.0
"""A lap under a second or a metre is listed but not paced (the segmentation calls it
sub-second / empty): its pace would be noise. A lap that began before the first sample
(a press a moment before recording) is shown starting at 0:00."""


def render_analysis(analyses: Sequence[Analysis], source: str, *, unit: str = "km") -> str:
    """The report for every activity of one file."""
    blocks = []
    for a in analyses:
        block = render_activity(a.activity, source, unit=unit, sessions=len(analyses))
        if a.structure is not None:
            from .structure_text import render_structure

            block += "\n\n" + render_structure(a.structure, unit=unit)
        if a.pacing is not None:
            from .pacing_text import render_pacing

            block += "\n\n" + render_pacing(a.pacing)
        blocks.append(block)
    return "\n\n".join(blocks)


def render_activity(activity: Activity, source: str, *, unit: str = "km", sessions: int = 1) -> str:
    """Summary lines and the laps table of one activity."""
    a = activity
    title = f"{source}"
    if sessions > 1:
        title += f" (session {a.session_index + 1} of {sessions})"
    start = a.start_utc.strftime("%Y-%m-%d %H:%M UTC") if a.start_utc else "unknown date"
    lines = [
        title,
        f"  {a.sport.replace('_', ' ')}, {start}" + (f", {a.device}" if a.device else ""),
        f"  distance {format_distance(a.distance_m, unit)}   "
        f"elapsed {format_duration(a.elapsed_s)}   moving {format_duration(a.moving_s)}   "
        f"average {format_pace(a.average_speed_mps, unit)}",
    ]
    if a.laps:
        lines.append("")
        lines.append(_laps_table(a, unit))
    return "\n".join(lines)


LAP_STAT_COLUMNS = (
    ("avg HR", "hr_avg_bpm", "{:.0f}"),
    ("max HR", "hr_max_bpm", "{:.0f}"),
    ("cadence", "cadence_avg_spm", "{:.0f}"),
    ("power", "power_avg_w", "{:.0f} W"),
)
"""Columns after each lap's pace when the file has them: heart rate (bpm), cadence
(steps/min) and power, averaged over the lap (scoring.stats.lap_stats)."""


def _laps_table(a: Activity, unit: str) -> str:
    from ..scoring.stats import lap_stats

    stats = lap_stats(a, [lap.start_s for lap in a.laps], [lap.end_s for lap in a.laps])
    cols = [c for c in LAP_STAT_COLUMNS if any(st[c[1]] is not None for st in stats)]
    header = f"  {'lap':>3}  {'start':>8}  {'time':>8}  {'distance':>9}  {'pace':>10}"
    header += "".join(f"  {label:>7}" for label, _, _ in cols) + "  trigger"
    rows = [header]
    for i, (lap, st) in enumerate(zip(a.laps, stats, strict=True), start=1):
        moving_s = lap.timer_s if lap.timer_s else lap.duration_s
        paced = moving_s >= PACED_LAP_MIN_S and lap.distance_m >= PACED_LAP_MIN_M
        speed = lap.distance_m / moving_s if paced else float("nan")
        kind = lap.trigger + (f", {lap.intensity}" if lap.intensity not in (None, "active") else "")
        cells = "".join(
            f"  {'-' if st[key] is None else fmt.format(st[key]):>7}" for _, key, fmt in cols
        )
        rows.append(
            f"  {i:>3}  {format_duration(max(lap.start_s, 0.0)):>8}  "
            f"{format_duration(lap.duration_s, decimals=1):>8}  "
            f"{lap.distance_m:>7.0f} m  {format_pace(speed, unit):>10}{cells}  {kind}"
        )
    return "\n".join(rows)
