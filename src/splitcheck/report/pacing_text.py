"""Terminal rendering of the pacing scorecard: score and parts, laps or reps against the
goal, findings, and the one thing to do next time."""

from __future__ import annotations

import math
import textwrap

from ..scoring import Scorecard
from ..units import format_duration

WIDTH = 96
"""Wrap findings to this many columns (the CLI's help is 100 wide)."""


def render_pacing(card: Scorecard) -> str:
    """The pacing block of the terminal report (indented two spaces)."""
    lines = [_headline(card)]
    lines += [_part_line(p) for p in card.parts]
    if card.laps:
        lines += ["", *_laps_lines(card)]
    if card.reps:
        lines += ["", *_reps_lines(card)]
    if card.findings:
        lines += ["", "  findings:"]
        for f in card.findings:
            lines += textwrap.wrap(f.text, WIDTH, initial_indent="  - ", subsequent_indent="    ")
    if card.next_time:
        lines += ["", *textwrap.wrap(f"next time: {card.next_time}", WIDTH, initial_indent="  ",
                                     subsequent_indent="    ")]  # fmt: skip
    return "\n".join(lines)


def _headline(card: Scorecard) -> str:
    what = {"mile": "mile effort", "intervals": "interval session", "continuous": "continuous run"}
    kind = what.get(card.kind, card.kind)
    if card.score is None:
        return f"  pacing ({kind}): not scored"
    line = f"  pacing score {card.score}/100 ({kind})"
    left_out = [p for p in card.parts if not p.judged]
    if left_out:
        judged = sum(p.max_points for p in card.parts if p.judged)
        total = sum(p.max_points for p in card.parts)
        names = ", ".join(p.name for p in left_out)
        line += f": out of the {judged:g} of {total:g} points judged ({names} not judged)"
    return line


def _part_line(p) -> str:
    if p.points is None:
        got, mark = "  -", " "
    else:
        got, mark = f"{p.points:>3.0f}", {True: "ok", False: "!!", None: "  "}[p.passed]
    return f"    {mark} {p.name:<15} {got}/{p.max_points:<3.0f} {p.value:<30}  [{p.threshold}]"


def _laps_lines(card: Scorecard) -> list[str]:
    width = 12 if any(lap.uncertainty_s > 0 for lap in card.laps) else 9
    head = "  " + f"{'lap':<8}" + "".join(f"{lap.index:>{width}}" for lap in card.laps)
    times = "  " + f"{'time':<8}" + "".join(f"{timed(lap):>{width}}" for lap in card.laps)
    rows = [head, times]
    rows.append(
        "  " + f"{'vs mean':<8}" + "".join(_pct_cell(lap.vs_mean_pct, width) for lap in card.laps)
    )
    if any(lap.vs_goal_pct is not None for lap in card.laps):
        rows.append(
            "  "
            + f"{'vs goal':<8}"
            + "".join(_pct_cell(lap.vs_goal_pct, width) for lap in card.laps)
        )
    rows += _stats_rows(card.laps, width)
    rows.append("  (speed vs the mean / goal; + is faster)" + _source_note(card.laps))
    return rows


def timed(item) -> str:
    """``1:32.3 ±0.8`` for a GPS-timed lap or rep (90 % interval), ``1:32.3`` when pressed."""
    text = format_duration(item.time_s, decimals=1)
    return f"{text} ±{item.uncertainty_s:.1f}" if item.uncertainty_s > 0 else text


def _source_note(items) -> str:
    gps = sum(1 for x in items if x.time_source == "gps")
    if not gps:
        return "; times from your lap presses: exact"
    if gps == len(items):
        return "; times from GPS, ± its 90 % error"
    return "; times from your laps, else GPS (± its 90 % error)"


STAT_ROWS = (
    ("avg HR", "hr_avg_bpm", "{:.0f}"),
    ("max HR", "hr_max_bpm", "{:.0f}"),
    ("cadence", "cadence_avg_spm", "{:.0f}"),
    ("power", "power_avg_w", "{:.0f} W"),
)
"""Rows under the laps: heart rate (bpm), cadence (steps/min), power, when the file has them."""


def _stats_rows(items, width: int) -> list[str]:
    rows = []
    for label, key, fmt in STAT_ROWS:
        values = [x.stats.get(key) for x in items]
        if all(v is None for v in values):
            continue
        cells = "".join(f"{'-' if v is None else fmt.format(v):>{width}}" for v in values)
        rows.append("  " + f"{label:<8}" + cells)
    return rows


REP_COLUMNS = (
    ("avg HR", "hr_avg_bpm", "{:.0f}"),
    ("max HR", "hr_max_bpm", "{:.0f}"),
    ("cadence", "cadence_avg_spm", "{:.0f}"),
    ("power", "power_avg_w", "{:.0f} W"),
)


def _reps_lines(card: Scorecard) -> list[str]:
    """One row per rep: its time (± when GPS-timed), against goal pace, % of max heart
    rate at its peak, and heart rate, cadence and power where the file has them."""
    reps = card.reps
    goal = any(r.vs_goal_pct is not None for r in reps)
    peak = any(r.peak_hr_pct_max is not None for r in reps)
    cols = [c for c in REP_COLUMNS if any(r.stats.get(c[1]) is not None for r in reps)]
    source = card.metrics.get("goal_source") or "goal"
    head = f"  {'rep':>3}  {'time':>12}"
    head += f"  {'vs ' + source:>14}" if goal else ""
    head += f"  {'peak HR':>8}" if peak else ""
    head += "".join(f"  {label:>8}" for label, _, _ in cols)
    lines = [head]
    for r in reps:
        row = f"  {r.rep:>3}  {timed(r):>12}"
        if goal:
            row += f"  {_pct_cell(r.vs_goal_pct, 14)}"
        if peak:
            p = r.peak_hr_pct_max
            row += f"  {'-' if p is None else f'{p:.0f} %':>8}"
        for _, key, fmt in cols:
            v = r.stats.get(key)
            row += f"  {'-' if v is None else fmt.format(v):>8}"
        lines.append(row)
    notes = ["+ is faster than goal pace"] if goal else []
    notes += ["peak HR as % of your max, to 10 s after the rep"] if peak else []
    notes.append(_source_note(reps).lstrip("; "))
    lines.append("  (" + "; ".join(notes) + ")")
    return lines


def _pct_cell(value: float | None, width: int = 9) -> str:
    if value is None or not math.isfinite(value):
        return f"{'-':>{width}}"
    return f"{value:>+{width - 2}.1f} %"
