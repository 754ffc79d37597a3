"""Putting the segmentation together: laps or trace, nominals, shape, efforts, label."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from ..model import Activity
from ..units import format_duration
from .efforts import best_efforts, standard_end, with_laps
from .intervals import Bout, find_bouts
from .laps import type_laps
from .mile import lapped_quarters, lone_mile, mile_bout
from .splits import distance_splits
from .trace import Trace, build_trace, untraceable_note
from .track import snap_end, track_trace
from .types import DeviceLap, Effort, Interval, Structure, Workout
from .workout import (
    MILE_TT_M,
    TRACK_DISTANCES_M,
    label,
    snap,
    tolerances,
    with_nominals,
    workout_type,
)

TEMPO_MIN_S = 600.0
"""One hard bout of 10 min or more (and not a mile) is a tempo: the session is a continuous
run, not a set of reps (guidance.md section 2: "continuous runs (easy, tempo, long)")."""
MAX_UNFIT = 1 / 3
"""Reps where over a third fit no standard distance or round duration well (within half
the snapping tolerance) are no session: real sessions, mixed ones too, are made of named
reps (strides, 200 m, 30 s sprints, 3 min intervals); the running stretches of a run
with walk breaks, or surges, are not."""
MIN_WORK_SHARE = 0.10
MAX_INCIDENTAL_REPS = 3
"""Up to three bouts adding to under 10 % of the session are surges or strides in a
continuous run, not its structure (a session of reps spends 15-40 % of its time in them;
10 x 30 s has more reps)."""
MIN_SET = 3
"""A rep sharing its nominal with two others belongs to a set, however loosely it fits."""
MILE_TT_1600_M = 1600.0
CROSS_CHECK_S = 10.0
"""A lap rep and a trace bout whose edges are this close are the same rep."""


def find_structure(activity: Activity, *, split_m: float = 1000.0) -> Structure:
    """Everything the segmentation finds in one activity (see :class:`Structure`).

    Parameters
    ----------
    activity : Activity
        Any activity; one without distance or shorter than a minute gets an empty structure.
    split_m : float
        Distance of the splits [m]: 1000 for km, 1609.344 for miles, 400 for track laps.
    """
    trace = build_trace(activity)
    laps = type_laps(activity, trace)
    if trace is None:
        note = untraceable_note(activity) or "no distance, or under a minute: nothing to segment"
        return Structure(
            Workout("continuous", note), split_distance_m=split_m, laps=laps, notes=(note,)
        )
    notes: list[str] = []
    intervals, kind, tempo = _session(trace, laps, notes)
    mile_effort, intervals, kind = _mile_effort(activity, trace, intervals, kind)
    laps_text = (
        ", ".join(format_duration(lap.duration_s, decimals=1) for lap in mile_effort.laps)
        if mile_effort
        else ""
    )
    text = label(kind, intervals, laps_text) if kind != "continuous" else _continuous_label(trace)
    if tempo is not None:
        text += f", with a {format_duration(tempo.duration_s)} tempo at {_pace(tempo)}"
    return Structure(
        workout=Workout(kind, text),
        splits=distance_splits(trace, split_m),
        split_distance_m=split_m,
        intervals=tuple(intervals),
        efforts=best_efforts(trace),
        mile_effort=mile_effort,
        notes=tuple(notes),
        laps=laps,
    )


def _session(
    trace: Trace, laps: Sequence[DeviceLap], notes: list[str]
) -> tuple[list[Interval], str, Interval | None]:
    """Intervals (from laps marking reps, else the trace), the workout type and the tempo
    bout of a tempo run (None otherwise); explanations go to ``notes``."""
    bouts = find_bouts(trace)
    intervals = _from_laps(laps)
    if intervals:
        notes.append(_cross_check(intervals, bouts))
    else:
        mile = mile_bout(trace, bouts) if bouts else lone_mile(trace)
        if mile is not None and len(bouts) > 1:
            notes.append(f"{len(bouts) - 1} short surges (strides) count as warm-up/cool-down")
        intervals = _from_bouts(trace, [mile] if mile is not None else bouts)
    intervals = _numbered(intervals)
    work = [i for i in intervals if i.kind == "work"]
    kind = workout_type(work)
    tempo = _tempo(work, kind)
    if tempo is not None or _unstructured(work, kind) or _incidental(trace, work, kind):
        if tempo is None:
            notes.append(f"{len(work)} surges between slower stretches form no rep structure")
        return [], "continuous", tempo
    return intervals, kind, None


def _span(trace: Trace, kind: str, start_s: float, end_s: float, source: str) -> Interval:
    d = trace.distance_at(np.array([start_s, end_s]))
    return Interval(start_s, end_s, float(d[1] - d[0]), kind=kind, source=source)


def _from_bouts(trace: Trace, bouts: Sequence[Bout]) -> list[Interval]:
    """Warm-up, work, recovery ... work, cool-down from the trace's work bouts."""
    if not bouts:
        return []
    t0, t1 = float(trace.t_s[0]), float(trace.t_s[-1])
    out = []
    if bouts[0].start_s > t0:
        out.append(_span(trace, "warmup", t0, bouts[0].start_s, "trace"))
    for i, b in enumerate(bouts):
        if i:
            out.append(_span(trace, "recovery", bouts[i - 1].end_s, b.start_s, "trace"))
        out.append(_span(trace, "work", b.start_s, b.end_s, "trace"))
    if bouts[-1].end_s < t1:
        out.append(_span(trace, "cooldown", bouts[-1].end_s, t1, "trace"))
    return out


def _from_laps(laps: Sequence[DeviceLap]) -> list[Interval]:
    """Intervals from laps with roles: consecutive laps of one role merge (work laps only
    within one workout step: a workout's steps are its reps)."""
    marked = [lap for lap in laps if lap.role is not None]
    groups: list[list[DeviceLap]] = []
    for lap in marked:
        prev = groups[-1][-1] if groups else None
        same = prev is not None and prev.role == lap.role
        if same and lap.role == "work":  # back-to-back work laps: one effort split by
            same = lap.workout_step == prev.workout_step  # laps, unless steps change
        if same:
            groups[-1].append(lap)
        else:
            groups.append([lap])
    return [
        Interval(
            g[0].start_s,
            g[-1].end_s,
            float(sum(lap.distance_m for lap in g)),
            paused_s=float(sum(lap.paused_s for lap in g)),  # timed as its laps' timers
            kind=g[0].role or "work",
            source="laps",
        )
        for g in groups
    ]


def _numbered(intervals: Sequence[Interval]) -> list[Interval]:
    work = with_nominals([i for i in intervals if i.kind == "work"])
    it = iter(enumerate(work, start=1))
    out = []
    for i in intervals:
        if i.kind == "work":
            n, rep = next(it)
            out.append(dataclasses.replace(rep, rep=n))
        else:
            out.append(i)
    return out


def _cross_check(intervals: Sequence[Interval], bouts: Sequence[Bout]) -> str:
    """One line: do the laps' reps match the reps the pace trace finds on its own?"""
    work = [i for i in intervals if i.kind == "work"]
    offsets = []
    for rep in work:
        near = [b for b in bouts if abs(b.start_s - rep.start_s) <= CROSS_CHECK_S]
        if near:
            b = near[0]
            offsets += [abs(b.start_s - rep.start_s), abs(b.end_s - rep.end_s)]
    matched = len(offsets) // 2
    text = f"laps mark {_reps(len(work))}; the pace trace alone finds {_reps(len(bouts))}"
    if matched:
        median = float(np.median(offsets))
        text += f", {matched} of them within {CROSS_CHECK_S:.0f} s (median edge {median:.1f} s)"
    return text


def _mile_effort(
    activity: Activity, trace: Trace, intervals: list[Interval], kind: str
) -> tuple[Effort | None, list[Interval], str]:
    """The mile effort of a time trial (or of a run that is itself a mile race); on a
    track its quarters are measured along the fitted lane (:mod:`.track`)."""
    work = [i for i in intervals if i.kind == "work"]
    if kind == "continuous":
        total = float(trace.raw_d_m[-1] - trace.raw_d_m[0])
        if not MILE_TT_M[0] <= total <= MILE_TT_M[1]:
            return None, intervals, kind
        t0, t1 = float(trace.t_s[0]), float(trace.t_s[-1])
        work = with_nominals([_span(trace, "work", t0, t1, "trace")])
        intervals, kind = [dataclasses.replace(work[0], rep=1)], "time_trial"
    if kind != "time_trial":
        return None, intervals, kind
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
    lapped = lapped_quarters(activity.laps, effort)
    if lapped is not None:
        return lapped, intervals, kind
    return with_laps(on_track or trace, effort), intervals, kind


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
            i = dataclasses.replace(_span(trace, "work", i.start_s, end_s, i.source), rep=i.rep)
        elif i.start_s >= rep.end_s - 1e-6:
            if i.end_s <= end_s:
                continue
            i = _span(trace, i.kind, max(i.start_s, end_s), i.end_s, i.source)
        out.append(i)
    return _numbered(out)


def _continuous_label(trace: Trace) -> str:
    dist = float(trace.raw_d_m[-1] - trace.raw_d_m[0])
    dur = float(trace.raw_t_s[-1] - trace.raw_t_s[0])
    return f"continuous run: {dist / 1000:.2f} km in {format_duration(dur)}"


def _tempo(work: Sequence[Interval], kind: str) -> Interval | None:
    """The tempo bout when the session is one long hard bout (see :data:`TEMPO_MIN_S`)."""
    if len(work) == 1 and kind != "time_trial" and work[0].duration_s >= TEMPO_MIN_S:
        return work[0]
    return None


def _incidental(trace: Trace, work: Sequence[Interval], kind: str) -> bool:
    """A few short surges in a long run (see :data:`MIN_WORK_SHARE`)."""
    if kind == "time_trial" or not work or len(work) > MAX_INCIDENTAL_REPS:
        return False
    if any(w.source == "laps" for w in work):  # the runner marked them: they are reps
        return False
    total = float(trace.t_s[-1] - trace.t_s[0])
    return sum(w.duration_s for w in work) < MIN_WORK_SHARE * total


def _unstructured(work: Sequence[Interval], kind: str) -> bool:
    """Bouts of no recognisable shape, most fitting no standard distance or duration: the
    running stretches of a run with walk breaks, or surges (see :data:`MAX_UNFIT`)."""
    if kind not in ("mixed", "repeats", "time_reps") or not work:
        return False
    names = [w.nominal for w in work]
    in_set = [w.nominal is not None and names.count(w.nominal) >= MIN_SET for w in work]
    fits = [s or _fits_well(w) for s, w in zip(in_set, work, strict=True)]
    return fits.count(False) > MAX_UNFIT * len(work)


def _fits_well(rep: Interval) -> bool:
    """Within half the snapping tolerance of its nominal distance or duration."""
    tol_d, tol_t = tolerances(rep)
    if rep.nominal_distance_m is not None:
        return abs(rep.distance_m / rep.nominal_distance_m - 1) <= tol_d / 2
    if rep.nominal_duration_s is not None:
        return abs(rep.duration_s / rep.nominal_duration_s - 1) <= tol_t / 2
    return False


def _pace(interval: Interval) -> str:
    return f"{format_duration(interval.pace_s_per_km)} /km"


def _reps(n: int) -> str:
    return f"{n} rep" if n == 1 else f"{n} reps"
