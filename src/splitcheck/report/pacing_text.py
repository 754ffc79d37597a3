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
    if card.reps and any(r.vs_goal_pct is not None for r in card.reps):
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
    return f"  pacing score {card.score}/100 ({kind})"


def _part_line(p) -> str:
    if p.points is None:
        got, mark = "  -", " "
    else:
        got, mark = f"{p.points:>3.0f}", {True: "ok", False: "!!", None: "  "}[p.passed]
    return f"    {mark} {p.name:<15} {got}/{p.max_points:<3.0f} {p.value:<30}  [{p.threshold}]"


def _laps_lines(card: Scorecard) -> list[str]:
    head = "  " + f"{'lap':<8}" + "".join(f"{lap.index:>9}" for lap in card.laps)
    times = (
        "  "
        + f"{'time':<8}"
        + "".join(f"{format_duration(lap.time_s, decimals=1):>9}" for lap in card.laps)
    )
    rows = [head, times]
    rows.append("  " + f"{'vs mean':<8}" + "".join(_pct_cell(lap.vs_mean_pct) for lap in card.laps))
    if any(lap.vs_goal_pct is not None for lap in card.laps):
        rows.append(
            "  " + f"{'vs goal':<8}" + "".join(_pct_cell(lap.vs_goal_pct) for lap in card.laps)
        )
    rows.append("  (speed vs the mean / goal; + is faster)")
    return rows


def _reps_lines(card: Scorecard) -> list[str]:
    cells = [_pct_cell(r.vs_goal_pct).strip() for r in card.reps]
    source = card.metrics.get("goal_source") or "goal"
    lines = [f"  reps vs {source} pace (+ is faster):"]
    for k in range(0, len(cells), 8):
        chunk = cells[k : k + 8]
        lines.append("    " + "  ".join(f"{k + j + 1}: {c}" for j, c in enumerate(chunk)))
    return lines


def _pct_cell(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return f"{'-':>9}"
    return f"{value:>+7.1f} %"
