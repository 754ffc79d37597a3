"""The terminal report: short, readable at a glance, in the runner's units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..localtime import LocalStart
from ..model import Activity
from ..units import (
    SPEED_SPORTS,
    format_distance,
    format_duration,
    format_for_sport,
    format_segment_distance,
)

if TYPE_CHECKING:  # pragma: no cover - the analysis imports the report's words, not back
    from ..analysis import Analysis

PAUSED_SHOWN_S = 1.0
"""Elapsed time is shown beside the timer's when the two differ by a second or more (the
watch's timer stopped); smaller differences are the lap's edges between samples."""

PACED_LAP_MIN_S = 1.0
PACED_LAP_MIN_M = 1.0
"""A lap under a second or a metre is listed but not paced (the segmentation calls it
sub-second / empty): its pace would be noise. A lap that began before the first sample
(a press a moment before recording) is shown starting at 0:00."""


def render_analysis(analyses: Sequence[Analysis], source: str, *, unit: str = "km") -> str:
    """The report for every activity of one file."""
    blocks = []
    for a in analyses:
        block = render_activity(
            a.activity, source, unit=unit, sessions=len(analyses), local=a.local
        )
        if a.structure is not None:
            from .structure_text import render_structure

            block += "\n\n" + render_structure(a.structure, unit=unit)
        if a.pacing is not None:
            from .pacing_text import render_pacing

            block += "\n\n" + render_pacing(a.pacing)
        blocks.append(block)
    return "\n\n".join(blocks)


def render_activity(
    activity: Activity,
    source: str,
    *,
    unit: str = "km",
    sessions: int = 1,
    local: LocalStart | None = None,
) -> str:
    """Summary lines and the laps table of one activity; the start in local time when
    ``local`` is given, else in UTC."""
    a = activity
    title = f"{source}"
    if sessions > 1:
        title += f" (session {a.session_index + 1} of {sessions})"
    start = a.start_utc.strftime("%Y-%m-%d %H:%M UTC") if a.start_utc else "unknown date"
    if local is not None:
        start = local.words()
    lines = [
        title,
        f"  {a.sport.replace('_', ' ')}, {start}" + (f", {a.device}" if a.device else ""),
        f"  distance {format_distance(a.distance_m, unit)}   "
        f"elapsed {format_duration(a.elapsed_s)}   "
        + (f"timer {format_duration(a.timer_s)}   " if a.paused_s >= PAUSED_SHOWN_S else "")
        + f"moving {format_duration(a.moving_s)}   "
        f"average {format_for_sport(a.average_speed_mps, a.sport, unit)}",
    ]
    lines += [f"  ! {w}" for w in a.warnings]  # repairs and salvage, said in the report
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
    """Laps as the watch shows them: the lap timer (paused time left out) and a pace over
    it, heart rate, cadence and power where the file has them; an ``elapsed`` column beside
    the time when the timer stopped in any lap."""
    from ..scoring.stats import lap_stats

    stats = lap_stats(a, [lap.start_s for lap in a.laps], [lap.end_s for lap in a.laps])
    cols = [c for c in LAP_STAT_COLUMNS if any(st[c[1]] is not None for st in stats)]
    paused = any(abs(lap.duration_s - lap.shown_s) >= PAUSED_SHOWN_S for lap in a.laps)
    what = "speed" if a.sport in SPEED_SPORTS else "pace"
    header = f"  {'lap':>3}  {'start':>8}  {'time':>8}  {'distance':>9}  {what:>11}"
    header += "".join(f"  {label:>7}" for label, _, _ in cols) + "  "
    header += f"{'elapsed':>8}  trigger" if paused else "trigger"
    rows = [header]
    for i, (lap, st) in enumerate(zip(a.laps, stats, strict=True), start=1):
        shown = lap.shown_s
        paced = shown >= PACED_LAP_MIN_S and lap.distance_m >= PACED_LAP_MIN_M
        speed = lap.distance_m / shown if paced else float("nan")
        kind = lap.trigger + (f", {lap.intensity}" if lap.intensity not in (None, "active") else "")
        cells = "".join(
            f"  {'-' if st[key] is None else fmt.format(st[key]):>7}" for _, key, fmt in cols
        )
        row = (
            f"  {i:>3}  {format_duration(max(lap.start_s, 0.0)):>8}  "
            f"{format_duration(shown, decimals=1):>8}  "
            f"{format_segment_distance(lap.distance_m, unit):>9}  "
            f"{format_for_sport(speed, a.sport, unit):>11}{cells}  "
        )
        if paused:
            differs = abs(lap.duration_s - shown) >= PAUSED_SHOWN_S
            elapsed = format_duration(lap.duration_s, decimals=1) if differs else ""
            row += f"{elapsed:>8}  "
        rows.append(row + kind)
    return "\n".join(rows)
