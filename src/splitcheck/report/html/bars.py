"""The bar charts of one activity, from the same rows as its tables (``tables``): the
watch's laps along the session's clock, the reps, the mile's four laps against even and
goal pace, the distance splits. Each bar's tooltip repeats its row's numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...units import MILE_M
from . import fmt
from .svg import BarSpec, RefLine, bar_chart
from .tables import lap_rows, mile_lap_rows, rep_rows

Row = Mapping[str, Any]
LAP_KINDS = {
    "work": "work",
    "recovery": "rest",
    "rest": "rest",
    "warmup": "easy",
    "cooldown": "easy",
}
"""A lap's role (segmentation) -> its bar's CSS class."""


def _pace_text(pace_s_per_km: Any, unit: str, speed: bool) -> str:
    if speed:
        return f"{fmt.speed(pace_s_per_km, unit)} {fmt.SPEED_UNIT[unit][0]}"
    return f"{fmt.pace(pace_s_per_km, unit)} /{unit}"


def _stats_lines(r: Row) -> list[str]:
    """Heart rate, cadence and power lines of a tooltip, where the row has them."""
    out = []
    if fmt.finite(r.get("hr_avg_bpm")):
        hr = f"heart rate {r['hr_avg_bpm']:.0f} bpm"
        if fmt.finite(r.get("hr_max_bpm")):
            hr += f" (max {r['hr_max_bpm']:.0f})"
        out.append(hr)
    if fmt.finite(r.get("cadence_avg_spm")):
        out.append(f"cadence {r['cadence_avg_spm']:.0f} spm")
    if fmt.finite(r.get("power_avg_w")):
        out.append(f"power {r['power_avg_w']:.0f} W")
    return out


def laps_chart(doc: Row, unit: str, speed: bool) -> str:
    """The watch's laps along the session's clock (bar width = the lap's time)."""
    rows = lap_rows(doc)
    if len(rows) < 2:
        return ""
    bars = []
    for r in rows:
        n = r["index"]
        start, end = max(r.get("start_s") or 0.0, 0.0), r.get("end_s")
        if not fmt.finite(end):
            end = start + (r.get("duration_s") or 0.0)
        lines = [
            f"Lap {n}" + (f" ({r['what']})" if r.get("what") else ""),
            f"time {fmt.duration(r.get('duration_s'), 1)}",
            f"distance {fmt.distance(r.get('distance_m'), unit)}",
            f"{'speed' if speed else 'pace'} {_pace_text(r.get('pace_s_per_km'), unit, speed)}",
            *_stats_lines(r),
        ]
        bars.append(
            BarSpec(
                start / 60.0,
                max(end, start + 1.0) / 60.0,
                r.get("pace_s_per_km") or float("nan"),
                label=str(n),
                tip=fmt.tip(lines),
                kind=LAP_KINDS.get(str(r.get("role")), ""),
                row=f"lap-{n}",
            )
        )
    return bar_chart("laps-chart", bars, unit=unit, speed=speed, label="Laps", x_name="time (min)")


def reps_chart(doc: Row, unit: str, speed: bool) -> str:
    """One bar per work rep, the goal pace and the reps' mean as lines."""
    rows = rep_rows(doc)
    if len(rows) < 2:
        return ""
    bars = []
    for n, r in enumerate(rows, start=1):
        lines = [
            f"Rep {n}" + (f": {r['nominal']}" if r.get("nominal") else ""),
            f"time {fmt.duration(r.get('duration_s'), 1)}",
            f"distance {fmt.distance(r.get('distance_m'), unit)}",
            f"{'speed' if speed else 'pace'} {_pace_text(r.get('pace_s_per_km'), unit, speed)}",
            f"vs goal {fmt.signed_pct(r['vs_goal_pct'])}"
            if fmt.finite(r.get("vs_goal_pct"))
            else "",
            *_stats_lines(r),
            f"then {fmt.duration(r['recovery_s'])} recovery"
            if fmt.finite(r.get("recovery_s"))
            else "",
        ]
        bars.append(
            BarSpec(
                n - 1,
                n,
                r.get("pace_s_per_km") or float("nan"),
                label=str(n),
                tip=fmt.tip(lines),
                kind="work",
                row=f"rep-{n}",
            )
        )
    refs = []
    goal = (doc.get("pacing") or {}).get("goal_pace_s_per_km")
    if fmt.finite(goal):
        refs.append(RefLine("goal", "goal", goal))
    timed = [r for r in rows if fmt.finite(r.get("duration_s")) and fmt.finite(r.get("distance_m"))]
    distance_m = sum(r["distance_m"] for r in timed)
    if distance_m > 0:  # the reps' mean pace: their time over their distance
        refs.append(RefLine("even", "mean", sum(r["duration_s"] for r in timed) / distance_m * 1e3))
    return bar_chart("reps-chart", bars, unit=unit, speed=speed, lines=refs, label="Reps")


def mile_chart(doc: Row, unit: str, goal_mile_s: float | None) -> str:
    """The mile's four laps against even pace (the mile's own average) and goal pace;
    a first lap out too fast and the kick are marked as the scorecard judged them."""
    pacing = doc.get("pacing") or {}
    rows = mile_lap_rows(doc)
    effort = doc.get("mile_effort")
    if not rows and effort:
        rows = [{**lap, "lap": i} for i, lap in enumerate(effort.get("laps") or [], start=1)]
    if len(rows) != 4:
        return ""
    unsure = set(pacing.get("cannot_tell") or ())
    total_s = sum(r.get("duration_s") or 0.0 for r in rows)
    total_m = sum(r.get("distance_m") or 0.0 for r in rows)
    bars = []
    for i, r in enumerate(rows, start=1):
        kind = ""
        if i == 1 and pacing.get("went_out_too_fast") and "start" not in unsure:
            kind = "too_fast"
        if i == 4 and pacing.get("has_kick") and "kick" not in unsure:
            kind = "kick"
        lines = [
            f"Mile lap {i}",
            f"time {fmt.duration(r.get('duration_s'), 1)}",
            f"pace {_pace_text(r.get('pace_s_per_km'), unit, False)}",
            f"vs mean {fmt.signed_pct(r['vs_mean_pct'])}"
            if fmt.finite(r.get("vs_mean_pct"))
            else "",
            f"vs goal {fmt.signed_pct(r['vs_goal_pct'])}"
            if fmt.finite(r.get("vs_goal_pct"))
            else "",
            {"too_fast": "out too fast", "kick": "a kick"}.get(kind, ""),
            *_stats_lines(r),
        ]
        bars.append(
            BarSpec(
                i - 1,
                i,
                r.get("pace_s_per_km") or float("nan"),
                str(i),
                fmt.tip(lines),
                kind,
                f"mile-{i}",
            )
        )
    refs = []
    if total_m > 0 and total_s > 0:
        refs.append(RefLine("even", "even", total_s / total_m * 1000.0))
    goal = pacing.get("goal_mile_s") or goal_mile_s
    if fmt.finite(goal):
        refs.append(RefLine("goal", "goal", goal / MILE_M * 1000.0))
    return bar_chart("mile-chart", bars, unit=unit, lines=refs, label="The mile's laps")


def splits_chart(splits: Sequence[Row], unit: str, speed: bool) -> str:
    """Splits along the distance (a partial last split is narrower), the run's even pace
    as a line."""
    if len(splits) < 2:
        return ""
    bars, x = [], 0.0
    for s in splits:
        n = s["index"]
        width = (s.get("distance_m") or 0.0) / (1000.0 if unit == "km" else MILE_M)
        lines = [
            f"{unit} {n}" + (" (partial)" if s.get("partial") else ""),
            f"time {fmt.duration(s.get('duration_s'), 1)}",
            f"distance {fmt.distance(s.get('distance_m'), unit)}",
            f"{'speed' if speed else 'pace'} {_pace_text(s.get('pace_s_per_km'), unit, speed)}",
        ]
        bars.append(
            BarSpec(
                x,
                x + max(width, 0.05),
                s.get("pace_s_per_km") or float("nan"),
                str(n),
                fmt.tip(lines),
                "partial" if s.get("partial") else "",
                f"split-{n}",
            )
        )
        x += max(width, 0.05)
    total_s = sum(s.get("duration_s") or 0.0 for s in splits)
    total_m = sum(s.get("distance_m") or 0.0 for s in splits)
    refs = [RefLine("even", "even", total_s / total_m * 1000.0)] if total_m > 0 else []
    return bar_chart(
        "splits-chart",
        bars,
        unit=unit,
        speed=speed,
        lines=refs,
        label="Splits",
        x_name=f"distance ({unit})",
    )
