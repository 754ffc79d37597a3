"""Putting the segmentation together: laps or trace, nominals, shape, efforts, label."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from ..errors import OptionError
from ..model import Activity, Lap
from ..units import format_duration
from .efforts import best_efforts, standard_end, with_laps
from .laps import type_laps
from .mile import lapped_quarters
from .race import RACE_SPLIT_CV, race_effort, race_label
from .session import choose_structure, numbered, span
from .splits import distance_splits
from .trace import Trace, build_trace, untraceable_note
from .track import snap_end, track_trace
from .types import Effort, Interval, Span, Structure, Workout
from .wording import label
from .workout import MILE_TT_M, TRACK_DISTANCES_M, snap, with_nominals

MILE_TT_1600_M = 1600.0
CONTINUOUS_LABEL = "continuous run"
WALK_LABELS = {"walking": "walk", "hiking": "hike"}
"""A walk's continuous session is no run: "walk: 5.63 km in 1:43:24"."""


LAPS_MODES = ("auto", "use", "ignore")
"""How the device's laps are used for the structure: ``auto`` (laps or pace trace,
whichever explains the session better), ``use`` (the laps whenever they mark reps),
``ignore`` (the pace trace alone, for runners whose lap presses are wrong)."""


def find_structure(activity: Activity, *, split_m: float = 1000.0, laps: str = "auto") -> Structure:
    """Everything the segmentation finds in one activity (see :class:`Structure`).

    Parameters
    ----------
    activity : Activity
        Any activity; one without distance or shorter than a minute gets an empty structure.
    split_m : float
        Distance of the splits [m]: 1000 for km, 1609.344 for miles, 400 for track laps.
    laps : str
        One of :data:`LAPS_MODES`; ``Structure.structure_source`` says which was used.
    """
    if laps not in LAPS_MODES:
        raise OptionError(f"laps must be one of {', '.join(LAPS_MODES)}, not {laps!r}")
    mode = laps
    trace = build_trace(activity)
    laps = type_laps(activity, trace, mark_reps=mode != "ignore")
    if trace is None:
        note = untraceable_note(activity) or "no distance, or under a minute: nothing to segment"
        return Structure(
            Workout("continuous", note), split_distance_m=split_m, laps=laps, notes=(note,),
            laps_mode=mode,
        )  # fmt: skip
    notes: list[str] = []
    intervals, kind, tempo, source = choose_structure(trace, laps, notes, mode)
    race = race_effort(trace, tempo) if kind == "continuous" else None
    if race is not None:
        intervals, kind, tempo, source = _race_intervals(trace, race), "time_trial", None, "trace"
        notes.append(_race_note(race))
    device_laps = activity.laps if mode != "ignore" else ()
    mile_effort, intervals, kind = _mile_effort(activity, trace, intervals, kind, device_laps)
    laps_text = (
        ", ".join(format_duration(lap.duration_s, decimals=1) for lap in mile_effort.laps)
        if mile_effort
        else ""
    )
    if race is not None:
        workout = Workout(kind, race_label(race), race=race)
    elif kind == "continuous":
        words = WALK_LABELS.get(activity.sport, CONTINUOUS_LABEL)
        workout = Workout(kind, words, run=_whole(trace), tempo=tempo)
    else:
        workout = Workout(kind, label(kind, intervals, laps_text))
    return Structure(
        workout=workout,
        splits=distance_splits(trace, split_m),
        split_distance_m=split_m,
        intervals=tuple(intervals),
        efforts=best_efforts(trace),
        mile_effort=mile_effort,
        notes=tuple(notes),
        laps=laps,
        laps_mode=mode,
        structure_source=source,
    )


def _mile_effort(
    activity: Activity,
    trace: Trace,
    intervals: list[Interval],
    kind: str,
    device_laps: Sequence[Lap],
) -> tuple[Effort | None, list[Interval], str]:
    """The mile effort of a time trial (or of a run that is itself a mile race); on a
    track its quarters are measured along the fitted lane (:mod:`.track`)."""
    work = [i for i in intervals if i.kind == "work"]
    if kind == "continuous":
        total = float(trace.raw_d_m[-1] - trace.raw_d_m[0])
        if not MILE_TT_M[0] <= total <= MILE_TT_M[1]:
            return None, intervals, kind
        t0, t1 = float(trace.t_s[0]), float(trace.t_s[-1])
        work = with_nominals([span(trace, "work", t0, t1, "trace")])
        intervals, kind = [dataclasses.replace(work[0], rep=1)], "time_trial"
    if kind != "time_trial" or not MILE_TT_M[0] <= work[0].distance_m <= MILE_TT_M[1]:
        return None, intervals, kind  # a 3 km - marathon race has no mile effort
    rep = work[0]
    nominal = rep.nominal_distance_m or snap(rep.distance_m, TRACK_DISTANCES_M, 0.08)
    # 1600 m and the mile differ by 9 m, less than GPS error: a time trial of either is
    # the runner's mile (guidance.md section 1)
    name = "1500m" if nominal is not None and nominal < MILE_TT_1600_M - 50 else "mile"
    if rep.source == "trace":
        intervals = _moved_end(trace, intervals, rep, standard_end(trace, rep.start_s, rep.end_s))
        rep = next(i for i in intervals if i.kind == "work")
    effort = Effort(rep.start_s, rep.end_s, rep.distance_m, name=name)
    on_track = track_trace(activity, trace, rep.start_s, rep.end_s)
    if on_track is not None:
        end_s = snap_end(on_track, rep.start_s, rep.end_s)
        d = on_track.distance_at(np.array([rep.start_s, end_s]))
        effort = dataclasses.replace(effort, end_s=end_s, distance_m=float(d[1] - d[0]))
    lapped = lapped_quarters(device_laps, effort)
    if lapped is not None:
        return lapped, intervals, kind
    return with_laps(on_track or trace, effort), intervals, kind


def _race_intervals(trace: Trace, race: Interval) -> list[Interval]:
    """Warm-up (when the race started after the file did), the race, cool-down."""
    t0, t1 = float(trace.t_s[0]), float(trace.t_s[-1])
    out = [span(trace, "warmup", t0, race.start_s, "trace")] if race.start_s > t0 else []
    out.append(race)
    if race.end_s < t1:
        out.append(span(trace, "cooldown", race.end_s, t1, "trace"))
    return out


def _moved_end(
    trace: Trace, intervals: list[Interval], rep: Interval, end_s: float
) -> list[Interval]:
    """``intervals`` with ``rep`` ending at ``end_s`` and the stretch after it starting
    there (dropped when ``end_s`` passes its end)."""
    if end_s == rep.end_s:
        return intervals
    out = []
    for i in intervals:
        if i is rep:
            i = dataclasses.replace(span(trace, "work", i.start_s, end_s, i.source), rep=i.rep)
        elif i.start_s >= rep.end_s - 1e-6:
            if i.end_s <= end_s:
                continue
            i = span(trace, i.kind, max(i.start_s, end_s), i.end_s, i.source)
        out.append(i)
    return numbered(out)


def _whole(trace: Trace) -> Span:
    """The run from its first sample to its last, on the clock (the label's "9.99 mi in
    1:53:11")."""
    t0, t1 = float(trace.raw_t_s[0]), float(trace.raw_t_s[-1])
    return Span(t0, t1, float(trace.raw_d_m[-1] - trace.raw_d_m[0]))


def _race_note(race: Interval) -> str:
    """Why the run reads as a race, in words that need no unit (the GPS's reading against
    the race's distance as a percentage)."""
    long_pct = (race.distance_m / (race.nominal_distance_m or race.distance_m) - 1) * 100
    return (
        f"read as a {race.nominal} race: one even effort without stops (its splits within"
        f" {RACE_SPLIT_CV:.0%}); GPS measured it {abs(long_pct):.1f} %"
        f" {'long' if long_pct >= 0 else 'short'}"
    )
