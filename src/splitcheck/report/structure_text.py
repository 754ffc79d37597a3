"""Terminal rendering of a :class:`~splitcheck.segment.types.Structure`: the workout's
label, its reps, the splits, best efforts and the mile effort's laps."""

from __future__ import annotations

from ..segment.types import Effort, Interval, Split, Structure, Workout
from ..units import (
    MILE_M,
    UNIT_M,
    format_distance,
    format_duration,
    format_pace,
    format_segment_distance,
)

SPLITS_PER_LINE = 6
EFFORT_NAMES = {
    "400m": "400 m",
    "800m": "800 m",
    "1km": "1 km",
    "mile": "mile",
    "5km": "5 km",
    "10km": "10 km",
    "half_marathon": "half marathon",
    "marathon": "marathon",
}
"""Best efforts' keys (``segment.efforts``) in words: the names of track and road distances,
the same in every unit."""


def render_structure(structure: Structure, *, unit: str = "km") -> str:
    """The structure block of the terminal report (indented two spaces)."""
    s = structure
    w = s.workout
    lines = [f"  workout: {workout_label(w, unit)} ({w.type.replace('_', ' ')})"]
    if s.work:
        lines += ["", *_reps_table(s.intervals, unit)]
    if s.mile_effort is not None:
        lines += ["", _mile_line(s.mile_effort, unit), *_why_two_times(s, unit)]
    if s.splits:
        lines += ["", *_splits_lines(s.splits, s.split_distance_m, unit)]
    efforts = _efforts_shown(s)
    if efforts:
        lines += ["", *_efforts_lines(efforts, unit, w.type == "continuous")]
    lines += [f"  note: {n}" for n in s.notes]
    return "\n".join(lines)


def workout_label(workout: Workout, unit: str = "km") -> str:
    """The session in runner's words, in ``unit`` (``km`` or ``mi``): the workout's
    unit-free words with its measured parts put in the runner's units.

    ``continuous run: 9.99 mi in 1:53:11, with a 26:35 tempo at 7:10 /mi`` (the run's
    time is the watch's timer, with its stops said when a minute or more);
    ``10 km race / time trial: 44:18 (7:08 /mi)``; rep names stay as run ("6x400 m").
    """
    text = workout.label
    if workout.race is not None:
        race = workout.race
        text += f": {format_duration(race.duration_s)} ({format_pace(race.speed_mps, unit)})"
    elif workout.run is not None:
        run = workout.run
        text += f": {format_distance(run.distance_m, unit)} in {format_duration(run.duration_s)}"
        if run.paused_s >= STOPS_SHOWN_S:
            text += f" plus {format_duration(run.paused_s)} stopped"
    if workout.tempo is not None:
        tempo = workout.tempo
        text += (
            f", with a {format_duration(tempo.duration_s)} tempo at"
            f" {format_pace(tempo.speed_mps, unit)}"
        )
    return text


STOPS_SHOWN_S = 60.0
"""A continuous run's time is its timer time, as the watch shows it; a minute or more of
timer stops inside it is said beside it ("16.77 km in 1:54:16 plus 29:34 stopped"), so the
time does not look wrong against the run's span of the clock. A few seconds at a crossing
are not worth the words."""


SAME_EFFORT_SHARE = 0.5
"""A best mile overlapping the mile effort by half or more is that effort: it is shown once,
with the mile effort's time (one number per thing)."""


def _efforts_shown(s: Structure) -> dict[str, Effort]:
    """Best efforts, without the mile when it is the session's mile effort."""
    best, effort = s.efforts.get("mile"), s.mile_effort
    if best is None or effort is None:
        return dict(s.efforts)
    overlap = min(best.end_s, effort.end_s) - max(best.start_s, effort.start_s)
    if overlap < SAME_EFFORT_SHARE * effort.duration_s:
        return dict(s.efforts)
    return {k: e for k, e in s.efforts.items() if k != "mile"}


def _reps_table(intervals: tuple[Interval, ...], unit: str) -> list[str]:
    rows = [
        f"  {'rep':>3}  {'start':>8}  {'time':>7}  {'distance':>8}  {'pace':>10}  "
        f"{'nominal':<8}  recovery after"
    ]
    for i, iv in enumerate(intervals):
        if iv.kind != "work":
            continue
        nxt = intervals[i + 1] if i + 1 < len(intervals) else None
        rec = ""
        if nxt is not None and nxt.kind == "recovery":
            rec_m = format_segment_distance(nxt.distance_m, unit)
            rec = f"{format_duration(nxt.duration_s)}, {rec_m}"
        rows.append(
            f"  {iv.rep or '':>3}  {format_duration(max(iv.start_s, 0.0)):>8}  "
            f"{format_duration(iv.duration_s, decimals=1):>7}  "
            f"{format_segment_distance(iv.distance_m, unit):>8}  "
            f"{format_pace(iv.speed_mps, unit):>10}  {iv.nominal or 'none':<8}  {rec}"
        )
    source = {iv.source for iv in intervals if iv.kind == "work"}
    rows.append(f"  (reps from {' and '.join(sorted(source))})")
    return rows


def _why_two_times(s: Structure, unit: str) -> list[str]:
    """When the mile effort's time differs from the rep it was found in (the rep timed by
    your laps, the mile measured to 1609 m from its start), say why: one effort, two ways
    of timing it."""
    effort = s.mile_effort
    rep = next((w for w in s.work if w.start_s < effort.end_s and effort.start_s < w.end_s), None)
    if rep is None or abs(rep.duration_s - effort.duration_s) < 0.05:
        return []
    timed = "your laps time" if rep.source == "laps" else "the pace trace finds"
    return [
        f"  ({timed} the rep {format_duration(rep.duration_s, decimals=1)}; the mile effort "
        f"is {format_distance(effort.distance_m, unit)} measured from its start)"
    ]


def _mile_line(effort: Effort, unit: str) -> str:
    name = EFFORT_NAMES.get(effort.name, effort.name)
    laps = ", ".join(format_duration(lap.duration_s, decimals=1) for lap in effort.laps)
    start = format_duration(max(effort.start_s, 0.0))
    return (
        f"  {name} effort: {format_duration(effort.duration_s, decimals=1)} "
        f"({format_pace(effort.speed_mps, unit)}), from {start}; laps {laps}"
    )


PACED_PARTIAL_FRAC = 0.2
"""A last partial split shorter than a fifth of a split shows no pace: over a few dozen
metres GPS pace is mostly noise (as the splits chart, report/charts/laps.py)."""
SHOWN_PARTIAL_UNITS = 0.005
"""A last partial split that :func:`format_distance` (two decimals of km or mi) would show as
0.00 is not listed: "then 0.00 mi in 0:03" tells the runner nothing."""


def _splits_lines(splits: tuple[Split, ...], split_m: float, unit: str) -> list[str]:
    if abs(split_m - MILE_M) < 1:
        name = "mile"
    elif split_m % 1000 == 0:
        name = f"{split_m / 1000:g} km"
    else:
        name = f"{split_m:g} m"
    full = [sp for sp in splits if not sp.partial]
    cells = [f"{sp.index:>3} {format_duration(sp.duration_s):>7}" for sp in full]
    lines = [f"  splits per {name} (time of each):"]
    for k in range(0, len(cells), SPLITS_PER_LINE):
        lines.append("  " + "  ".join(cells[k : k + SPLITS_PER_LINE]))
    for sp in splits:
        if not sp.partial or sp.distance_m < SHOWN_PARTIAL_UNITS * UNIT_M[unit]:
            continue
        line = f"  then {format_distance(sp.distance_m, unit)} in {format_duration(sp.duration_s)}"
        if sp.distance_m >= PACED_PARTIAL_FRAC * split_m and sp.duration_s > 0:
            line += f" ({format_pace(sp.speed_mps, unit)})"
        lines.append(line)
    return lines


def _efforts_lines(efforts: dict[str, Effort], unit: str, continuous: bool) -> list[str]:
    """Best efforts; the best mile's laps only for a run without reps (in an interval
    session they would mix reps and recoveries)."""
    cells = [
        f"{EFFORT_NAMES.get(k, k)} {format_duration(e.duration_s, decimals=1)}"
        f" ({format_pace(e.speed_mps, unit)})"
        for k, e in efforts.items()
    ]
    lines = ["  best efforts: " + ", ".join(cells[:3])]
    if len(cells) > 3:
        lines.append("                " + ", ".join(cells[3:]))
    mile = efforts.get("mile")
    if mile is not None and mile.laps and continuous:
        laps = ", ".join(format_duration(lap.duration_s, decimals=1) for lap in mile.laps)
        lines.append(f"  best mile laps: {laps}")
    return lines
