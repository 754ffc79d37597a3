"""Rep consistency: each work rep's pace against the goal mile pace, grouped by rep
distance (or duration), with the fade within each group.

The article's test is "each interval would be run at goal mile pace or faster"
(guidance.md section 2); consistency is the spread of rep paces and the fade the OLS slope
of pace over the reps of one distance (``metrics.series``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ...metrics.series import fade_s_per_km_per_rep
from ...scoring.intervals import FADE_FULL, GOAL_TOLERANCE_PCT
from ...units import KM_M, UNIT_M, format_duration
from . import style
from .data import Bar, ChartData, Series, goal_line, pace_s_per_unit, rep_name

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

MIN_REPS_FOR_FADE = 3
"""A fade line needs three reps of one distance: two points always lie on a line."""
GROUP_GAP = 1.0
"""Empty bar slots between groups of reps."""


def reps_data(
    analysis: Any, *, profile: Any = None, unit: str = "km", goal_mile_s: float | None = None
) -> ChartData:
    """Bars for the work reps (pace [s per unit], ``at_goal`` / ``off_goal`` when a goal
    is known), grouped by nominal distance, shortest first; a ``fade <group>`` series per
    group of :data:`MIN_REPS_FOR_FADE` or more reps."""
    structure = getattr(analysis, "structure", None)
    work = [i for i in (structure.work if structure is not None else ()) if i.duration_s > 0]
    if not work:
        return ChartData("reps", "No work intervals in this run", unit, notes=("no reps",))
    lines, extra, notes = goal_line(analysis, profile, goal_mile_s, unit)
    goal = lines.get("goal")
    bars: list[Bar] = []
    series: dict[str, Series] = {}
    fades: dict[str, float] = {}
    x = 0.0
    for name, reps in _groups(work, unit):
        xs = x + np.arange(len(reps), dtype=np.float64)
        paces = [pace_s_per_unit(r.duration_s, r.distance_m, unit) for r in reps]
        for xi, rep, pace in zip(xs, reps, paces, strict=True):
            bars.append(Bar(name, pace, _flag(pace, goal), _bar_text(rep), name, float(xi)))
        if len(reps) >= MIN_REPS_FOR_FADE:
            slope = fade_s_per_km_per_rep([p / UNIT_M[unit] * KM_M for p in paces])
            fades[name] = slope / KM_M * UNIT_M[unit]
            series[f"fade {name}"] = _fade_line(xs, paces)
        x = float(xs[-1]) + 1 + GROUP_GAP
    title = _title(bars, fades, extra.get("goal_name"), unit)
    title = (
        f"{reps_words([rep_name(r, unit) for r in work])}: {title}"
        if title
        else reps_words([rep_name(r, unit) for r in work])
    )
    extra["fade_s_per_unit_per_rep"] = fades
    return ChartData("reps", title, unit, tuple(bars), lines, series, notes=notes, extra=extra)


def _groups(work: list, unit: str) -> list[tuple[str, list]]:
    """Reps by name, groups ordered by nominal distance (or duration), shortest first."""
    groups: dict[str, list] = {}
    for rep in work:
        groups.setdefault(rep_name(rep, unit), []).append(rep)

    def size(item: tuple[str, list]) -> tuple[int, float]:
        first = item[1][0]
        if first.nominal_duration_s:  # timed reps after distance reps
            return (1, first.nominal_duration_s)
        return (0, first.nominal_distance_m or first.distance_m)

    return sorted(groups.items(), key=size)


def _flag(pace: float, goal: float | None) -> str | None:
    """``at_goal`` within the scorecard's tolerance of goal pace or faster (by speed)."""
    if goal is None or not math.isfinite(pace):
        return None
    vs_goal_pct = (goal / pace - 1.0) * 100.0
    return "at_goal" if vs_goal_pct >= -GOAL_TOLERANCE_PCT else "off_goal"


def _bar_text(rep: Any) -> str:
    """Time for a distance rep, distance for a timed rep: the part the runner controls."""
    if rep.nominal_duration_s:
        return f"{rep.distance_m:.0f} m"
    return format_duration(rep.duration_s)


def _fade_line(xs: np.ndarray, paces: list[float]) -> Series:
    """The least-squares line of pace over the group's reps, across its bars."""
    p = np.asarray(paces, dtype=np.float64)
    idx = np.arange(len(p), dtype=np.float64)
    ok = np.isfinite(p)
    slope, intercept = np.polyfit(idx[ok], p[ok], 1)
    return Series(xs.copy(), intercept + slope * idx, "fade")


def _title(bars: list[Bar], fades: dict[str, float], goal_name: str | None, unit: str) -> str:
    """ "6 of 8 on goal pace, slowing 2.1 s/km per rep" ("" when there is nothing to say)."""
    parts = []
    if goal_name is not None:
        hit = sum(b.flag == "at_goal" for b in bars)
        parts.append(f"{hit} of {len(bars)} on {goal_name.replace(' mile', '')}")
    worst = max(fades.items(), key=lambda kv: abs(kv[1]), default=None)
    if worst is not None:
        name, slope = worst
        who = "" if len({b.group for b in bars}) == 1 else _plural(name) + " "
        parts.append(who + _fade_words(slope, unit, long=True))
    return ", ".join(parts)


def _plural(name: str) -> str:
    """ "200 m" -> "200s", "3:00" -> "3:00 reps" (what runners call a group of reps)."""
    return name[:-2] + "s" if name.endswith(" m") and name[:-2].isdigit() else f"{name} reps"


def reps_words(names: list[str]) -> str:
    """ "4×200, 2×400, 1×800 m" from rep names in order (runs of one name counted)."""
    runs: list[list] = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    counted = any(n > 1 for _, n in runs)  # "4×200, 1×800 m"; a pyramid: "200, 400, 200 m"
    words = [f"{n}×{name}" if counted else name for name, n in runs]
    if all(w.endswith(" m") for w in words) and len(words) > 1:
        return ", ".join(w[:-2] for w in words) + " m"
    return ", ".join(words)


def draw_reps(fig: Figure | SubFigure, data: ChartData) -> list[Axes]:
    """Draw a reps ChartData: pace bars (faster up) grouped by distance, goal line, fades."""
    from .laps import draw_empty

    ax = fig.subplots()
    if data.empty:
        draw_empty(ax, data)
        return [ax]
    slow, fast = style.pace_limits([b.value for b in data.bars] + list(data.lines.values()))
    xs = [b.x for b in data.bars]
    colours = [_COLOURS.get(b.flag, style.BAR) for b in data.bars]
    heights = [b.value - slow for b in data.bars]
    rects = ax.bar(xs, heights, bottom=slow, color=colours, width=BAR_WIDTH, zorder=2)
    for rect, bar in zip(rects, data.bars, strict=True):
        rect.set_gid(f"bar:{bar.group}")
    ax.set_ylim(slow, fast)
    style.pace_axis(ax, data.unit)
    _group_ticks(ax, data)
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    style.bar_texts(ax, xs, slow - (slow - fast) * 0.02, [b.text for b in data.bars], BAR_WIDTH)
    flags = {b.flag for b in data.bars}
    handles = [_legend_patch(f, text) for f, text in _FLAG_NAMES.items() if f in flags]
    handles += [style.goal_hline(ax, data, value) for value in data.lines.values()]
    for key, s in data.series.items():
        (line,) = ax.plot(
            s.x,
            s.y,
            color=style.BLACK,
            lw=2.2,
            zorder=5,
            gid=f"series:{key}",
            label="trend over the reps (fade)",
        )
    if data.series:
        handles.append(line)
    ax.set_title(style.wrap_title(data.title), loc="left")
    fig.legend(handles=handles, loc="outside lower center", ncol=2)
    return [ax]


BAR_WIDTH = 0.8

_COLOURS = {"at_goal": style.GOOD, "off_goal": style.SLOW}
_FLAG_NAMES = {
    "at_goal": f"on goal (within {GOAL_TOLERANCE_PCT:g}%) or faster",
    "off_goal": "slower than goal",
}


def _legend_patch(flag: str, text: str):
    from matplotlib.patches import Patch

    return Patch(facecolor=_COLOURS[flag], label=text)


def _group_ticks(ax: Axes, data: ChartData) -> None:
    """One tick per group, under its bars: "6×400 m", with its fade when it has one."""
    names = list(dict.fromkeys(b.group for b in data.bars))
    fades = data.extra.get("fade_s_per_unit_per_rep", {})
    ticks, labels = [], []
    for name in names:
        xs = [b.x for b in data.bars if b.group == name]
        ticks.append(sum(xs) / len(xs))
        label = f"{len(xs)}×{name}" if len(xs) > 1 else name
        if name in fades:
            label += "\n" + _fade_words(fades[name], data.unit)
        labels.append(label)
    ax.set_xticks(ticks, labels)
    ax.tick_params(axis="x", length=0)


def _fade_words(slope_s_per_unit: float, unit: str, *, long: bool = False) -> str:
    """ "steady" within the scorecard's full-marks fade, else the fade per rep."""
    if abs(slope_s_per_unit) / UNIT_M[unit] * KM_M <= FADE_FULL:
        return "steady"
    if long:
        verb = "slowing" if slope_s_per_unit > 0 else "speeding up"
        return f"{verb} {abs(slope_s_per_unit):.1f} s/{unit} per rep"
    return f"fade {slope_s_per_unit:+.1f} s/{unit}/rep"
