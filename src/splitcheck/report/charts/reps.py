"""The reps in the order they were run: each one's pace against the goal mile pace (or,
without a goal, the reps' average), numbered, labelled with its time and pace, coloured
by its distance or duration, with the recovery before the next one between them.

The article's test is "each interval would be run at goal mile pace or faster"
(guidance.md section 2); consistency is the spread of rep paces and the fade the OLS slope
of pace over the reps of one distance (``metrics.series``).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from ...metrics.series import fade_s_per_km_per_rep
from ...scoring.intervals import FADE_FULL, GOAL_TOLERANCE_PCT
from ...units import KM_M, UNIT_M, format_duration
from .data import (
    Bar,
    ChartData,
    Series,
    goal_line,
    pace_label,
    pace_s_per_unit,
    rep_name,
    workout_words,
)

MIN_REPS_FOR_FADE = 3
"""A fade line needs three reps of one distance: two points always lie on a line."""


def reps_data(
    analysis: Any, *, profile: Any = None, unit: str = "km", goal_mile_s: float | None = None
) -> ChartData:
    """A bar per work rep in the order run: its pace against the goal pace (else the reps'
    average pace) [s per unit, positive = faster], flagged ``at_goal`` / ``off_goal`` when
    a goal is known; a ``fade <name>`` series over each run of :data:`MIN_REPS_FOR_FADE` or
    more consecutive reps of one name; the recoveries between reps in ``extra``."""
    structure = getattr(analysis, "structure", None)
    work = [i for i in (structure.work if structure is not None else ()) if i.duration_s > 0]
    if not work:
        label = workout_words(structure, unit)
        why = f"no work intervals in this run ({label})" if label else "no work intervals"
        return ChartData("reps", "No work intervals in this run", unit, notes=(why,))
    lines, extra, notes = goal_line(analysis, profile, goal_mile_s, unit)
    goal = lines.get("goal")
    paces = [pace_s_per_unit(r.duration_s, r.distance_m, unit) for r in work]
    names = [rep_name(r, unit) for r in work]
    if goal is not None:
        ref, ref_name = goal, extra["goal_name"]
        extra["band"] = goal * GOAL_TOLERANCE_PCT / 100
        extra["band_label"] = f"within {GOAL_TOLERANCE_PCT:g}% of goal"
    else:
        ref = _mean_pace(work, unit)
        ref_name, lines = "the reps' average pace", {"average": ref}
    bars = [
        Bar(
            label=f"{i}\n{name}",
            value=ref - pace,
            flag=_flag(pace, goal),
            text=_bar_text(rep, pace, unit),
            group=name,
            x=float(i),
            pace=pace,
        )
        for i, (rep, pace, name) in enumerate(zip(work, paces, names, strict=True), start=1)
    ]
    fades = _fades(names, paces, unit)
    series = {
        f"fade {name}": Series(np.asarray(xs, dtype=np.float64), ref - fit, "fade")
        for name, xs, fit in _consecutive_fits(names, paces)
    }
    title = _title(bars, fades, extra.get("goal_name"), unit)
    words = reps_words(names)
    extra |= {
        "fade_s_per_unit_per_rep": fades,
        "reference": "goal" if goal is not None else "average",
        "reference_name": ref_name,
        "delta_scale": 1.0,
        "delta_label": f"pace vs {'goal' if goal is not None else 'average'} (s/{unit})",
    }
    extra["recoveries"], recovery_kind = _recoveries(analysis.activity, work)
    groups = sorted(set(names), key=lambda n: _size(work[names.index(n)]))
    extra["groups"] = groups
    return ChartData(
        "reps",
        f"{words}: {title}" if title else words,
        unit,
        tuple(bars),
        lines,
        series,
        x_label=_x_label(bool(extra["recoveries"]), recovery_kind, unit),
        notes=notes,
        extra=extra,
    )


def _x_label(recoveries: bool, kind: str | None, unit: str) -> str:
    """ "rep in order · time, pace /km · grey: jog between" (the recoveries' kind named once
    when they are all alike)."""
    between = f"grey: {kind} between" if kind else "grey: recovery"
    head = f"rep in order · time, pace /{unit}"
    return f"{head} · {between}" if recoveries else head


def _mean_pace(work: list, unit: str) -> float:
    return pace_s_per_unit(sum(r.duration_s for r in work), sum(r.distance_m for r in work), unit)


def _size(rep: Any) -> tuple[int, float]:
    """Sort key of a rep's group: distance reps by distance, then timed reps by time."""
    if rep.nominal_duration_s:
        return (1, rep.nominal_duration_s)
    return (0, rep.nominal_distance_m or rep.distance_m)


def _fades(names: list[str], paces: list[float], unit: str) -> dict[str, float]:
    """The fade [s per unit per rep] of each rep name run :data:`MIN_REPS_FOR_FADE` or
    more times, over its reps in order."""
    out = {}
    for name in dict.fromkeys(names):
        p = [pace for n, pace in zip(names, paces, strict=True) if n == name]
        if len(p) >= MIN_REPS_FOR_FADE:
            slope = fade_s_per_km_per_rep([v / UNIT_M[unit] * KM_M for v in p])
            out[name] = slope / KM_M * UNIT_M[unit]
    return out


def _consecutive_fits(names: list[str], paces: list[float]):
    """(name, rep numbers, least-squares paces) for each run of consecutive reps of one
    name long enough for a trend: a line across reps of other names would mislead."""
    start = 0
    for i in range(1, len(names) + 1):
        if i < len(names) and names[i] == names[start]:
            continue
        if i - start >= MIN_REPS_FOR_FADE:
            p = np.asarray(paces[start:i], dtype=np.float64)
            idx = np.arange(len(p), dtype=np.float64)
            ok = np.isfinite(p)
            slope, intercept = np.polyfit(idx[ok], p[ok], 1)
            yield names[start], [float(start + 1 + k) for k in idx], intercept + slope * idx
        start = i


def _recoveries(activity: Any, work: list) -> tuple[list[tuple[float, str]], str | None]:
    """(x between rep k and k+1, "1:30 jog" or "1:30 rest") for each gap between reps,
    jog or rest by the ground covered in the gap (the samples' distance); when all are
    alike, the times alone and their kind."""
    s = activity.samples
    ok = np.isfinite(s.elapsed_s) & np.isfinite(s.distance_m)
    out = []
    for k, (a, b) in enumerate(itertools.pairwise(work), start=1):
        gap_s = b.start_s - a.end_s
        if gap_s <= 0:
            continue
        how = ""
        if ok.sum() >= 2:
            d0, d1 = np.interp([a.end_s, b.start_s], s.elapsed_s[ok], s.distance_m[ok])
            how = " jog" if (d1 - d0) / gap_s > JOG_MIN_MPS else " rest"
        out.append((k + 0.5, f"{format_duration(gap_s)}{how}"))
    kinds = {text.split(" ")[-1] for _, text in out if " " in text}
    if len(kinds) == 1:  # all jogs (or all rests): the x label says it once
        return [(x, text.split(" ")[0]) for x, text in out], kinds.pop()
    return out, None


JOG_MIN_MPS = 1.0
"""A recovery covering ground faster than 1 m/s on average (a slow walk is ~1.2 m/s) is
a jog or walk, slower a standing rest."""


def _flag(pace: float, goal: float | None) -> str | None:
    """``at_goal`` within the scorecard's tolerance of goal pace or faster (by speed)."""
    if goal is None or not math.isfinite(pace):
        return None
    vs_goal_pct = (goal / pace - 1.0) * 100.0
    return "at_goal" if vs_goal_pct >= -GOAL_TOLERANCE_PCT else "off_goal"


def _bar_text(rep: Any, pace: float, unit: str) -> str:
    """The rep's time (its distance for a timed rep: the part the runner controls), then
    its pace (per the chart's unit, named in the x label)."""
    if rep.nominal_duration_s:
        what = f"{rep.distance_m:.0f} m"
    else:
        what = (
            f"{rep.duration_s:.1f}"  # a runner's "45.1" for a 200
            if rep.duration_s < 59.95
            else format_duration(rep.duration_s, decimals=1 if rep.duration_s < 120 else 0)
        )
    return f"{what}\n{pace_label(pace)}"


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


def _fade_words(slope_s_per_unit: float, unit: str, *, long: bool = False) -> str:
    """ "steady" within the scorecard's full-marks fade, else the fade per rep."""
    if abs(slope_s_per_unit) / UNIT_M[unit] * KM_M <= FADE_FULL:
        return "steady"
    if long:
        verb = "slowing" if slope_s_per_unit > 0 else "speeding up"
        return f"{verb} {abs(slope_s_per_unit):.1f} s/{unit} per rep"
    return f"fade {slope_s_per_unit:+.1f} s/{unit}/rep"
