"""Time as the watch keeps it: every split, lap, rep and effort leaves the timer's pauses out.

A rep the runner paused in (a treadmill stop, a traffic light with auto-pause) is shown,
and paced, over the time the watch's timer ran, as Garmin Connect and Strava show it;
its elapsed time stays in :attr:`~.types.Span.elapsed_s`. A device lap takes the watch's
own lap timer when the file has it; a rep made of laps the sum of its laps'; anything
else the activity's timer pauses that fall inside it. Each span's moving time is measured
from the samples as the activity's is (:func:`~splitcheck.model.moving_time_s`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from ..model import Activity, moving_within_s, paused_within_s
from .types import DeviceLap, Effort, Interval, Span, Structure, Workout

S = TypeVar("S", bound=Span)

LAP_MATCH_S = 0.5
"""A rep made of laps contains the laps starting and ending within this of its edges."""
STAMP_ROUNDING_S = 1.0
"""A lap timer up to 1 s longer than the lap's start-to-end time is its stamps' rounding,
not time the timer invented: a TCX lap's ``StartTime`` has whole seconds while its
``TotalTimeSeconds`` has hundredths (activityio/c2eb1b_6.tcx: a 200 m rep's lap timer
60.71 s between starts 60 s apart). The lap, and a rep made of it, takes the timer."""


def with_timer(structure: Structure, activity: Activity) -> Structure:
    """``structure`` with every span's ``paused_s`` set (see the module docstring)."""
    laps = tuple(_lap(lap, activity) for lap in structure.laps)
    return dataclasses.replace(
        structure,
        laps=laps,
        splits=_paused(structure.splits, activity),
        intervals=tuple(_interval(iv, laps, activity) for iv in structure.intervals),
        efforts={k: _effort(e, activity) for k, e in structure.efforts.items()},
        mile_effort=_effort(structure.mile_effort, activity) if structure.mile_effort else None,
        workout=_workout(structure.workout, activity),
    )


def _workout(workout: Workout, activity: Activity) -> Workout:
    """The workout's measured parts (the run, race, tempo its label words) on the timer:
    a continuous run with 30 min of timer stops is read in the watch's timer time, its
    stops in its ``paused_s`` (tormoder-fit/mornindew-broken.fit: 1:54:16, not the
    2:23:50 it spans)."""
    parts = {k: v for k, v in workout.parts().items() if v is not None}
    if not parts:
        return workout
    timed_parts = _paused(tuple(parts.values()), activity)
    return dataclasses.replace(workout, **dict(zip(parts, timed_parts, strict=True)))


def _lap(lap: DeviceLap, activity: Activity) -> DeviceLap:
    (measured,) = _paused((lap,), activity)
    if not 1 <= lap.index <= len(activity.laps):
        return measured
    shown = activity.laps[lap.index - 1].shown_s
    paused = float(lap.elapsed_s - shown)
    if paused < -STAMP_ROUNDING_S:  # a timer longer than its lap by more than rounding: not it
        paused = 0.0
    return dataclasses.replace(measured, paused_s=paused)


def _interval(iv: Interval, laps: Sequence[DeviceLap], activity: Activity) -> Interval:
    inside = [
        lap
        for lap in laps
        if lap.start_s >= iv.start_s - LAP_MATCH_S and lap.end_s <= iv.end_s + LAP_MATCH_S
    ]
    (measured,) = _paused((iv,), activity)
    if iv.source == "laps" and inside:
        paused = min(sum(lap.paused_s for lap in inside), iv.elapsed_s)
        return dataclasses.replace(measured, paused_s=float(paused))
    return measured


def _effort(effort: Effort, activity: Activity) -> Effort:
    (out,) = _paused((effort,), activity)
    return dataclasses.replace(out, laps=_paused(effort.laps, activity))


def timed(spans: Sequence[S], activity: Activity) -> tuple[S, ...]:
    """``spans`` (splits, efforts) timed as :func:`with_timer` times a structure's."""
    return _paused(spans, activity)


def _paused(spans: Sequence[S], activity: Activity) -> tuple[S, ...]:
    """The spans with their pause (from the activity's pauses) and moving time."""
    if not spans:
        return tuple(spans)
    starts = np.array([s.start_s for s in spans])
    ends = np.array([s.end_s for s in spans])
    paused = paused_within_s(starts, ends, activity.pauses)
    moving = moving_within_s(activity.samples, activity.pauses, starts, ends)
    return tuple(
        dataclasses.replace(s, paused_s=float(p), moving_s=float(m))
        for s, p, m in zip(spans, paused, moving, strict=True)
    )
