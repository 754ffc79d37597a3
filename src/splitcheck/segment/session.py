"""The session's reps: from the device's laps or from the pace trace, whichever explains
the session better, and whether they form a structure at all.

Laps that mark reps (workout steps, rest intensity, manual presses around reps) are
usually exact; but runners forget a press, press lap by mistake, or lap every 400 m on a
track, and the pace trace alone is then the better account. Each candidate is scored by
how much of it is explained: reps that fit a standard distance or round duration, or
belong to a set of alike reps (:func:`explained`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from ..arrays import median
from .intervals import Bout, find_bouts
from .laps import SKIP_PRESS_S
from .mend import mend_laps, span
from .mile import lone_mile, mile_bout
from .trace import Trace
from .types import DeviceLap, Interval
from .workout import rep_key, tolerances, with_nominals, workout_type

TEMPO_MIN_S = 600.0
"""One hard bout of 10 min or more (and not a mile) is a tempo: the session is a continuous
run, not a set of reps (guidance.md section 2: "continuous runs (easy, tempo, long)").
Inside a session of several reps a bout that long is a rep (a 2 x 10 min session)."""
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
ALIKE_LAP_CV = 0.10
"""Reps the runner lapped that are alike within a coefficient of variation of 10 % in
distance or duration are a set even when no standard size fits them (3 x ~1.3 km with
standing rests): a run's random surges are not lapped, nor alike."""
MAX_MIXED_GROUPS = 4
"""A mixed session is a few sets (strides, then 3 min reps; 4 x 1 min, then 3 x 200 m):
bouts of more than 4 sizes, and more than one size for every 3 bouts, are the surges of
a run on a noisy trace (a foot pod's speed on a treadmill: 42 "reps" of 25 sizes).
Strides read alternately as 15 s and 20 s are still two sizes. Only for 12 reps or more:
a pyramid with one rep misread has 5 sizes in 7 reps."""
SCATTERED_MIN_REPS = 12
CROSS_CHECK_S = 10.0
"""A lap rep and a trace bout whose edges are this close are the same rep."""
SHAPES = ("ladder_ascending", "ladder_descending", "pyramid")
TRACE_BETTER = 0.25
"""The trace's reps replace the laps' when they explain the session by 25 points more
(:func:`explained`, 0-1): laps are exact when right, so they win ties and near-ties."""


def choose_structure(
    trace: Trace, laps: Sequence[DeviceLap], notes: list[str], mode: str = "auto"
) -> tuple[list[Interval], str, Interval | None, str]:
    """Intervals, workout type, the tempo bout of a tempo run (None otherwise) and where
    the reps came from (``laps``, ``trace``, ``laps+trace`` or ``none``); the reasons go to
    ``notes``. ``mode``: ``auto``, ``use`` or ``ignore`` (see ``assemble.LAPS_MODES``)."""
    trace_notes: list[str] = []
    bouts = find_bouts(trace, trace_notes)
    from_trace = _trace_session(trace, bouts, trace_notes)
    lap_iv = numbered(_from_laps(laps)) if mode != "ignore" else []
    if mode == "ignore":
        notes.append("laps ignored (--laps ignore): structure from the pace trace alone")
    if not lap_iv:
        if mode != "ignore" and len(laps) > 1:
            notes.append("the laps do not mark reps (splits or one lap): reps from the pace trace")
        notes += trace_notes
        return _finish(trace, from_trace, notes, "trace")
    notes.append(_cross_check(lap_iv, bouts))
    source = "laps"
    if mode == "auto":
        presses = np.array([lap.end_s for lap in laps if not (lap.empty or lap.sub_second)])
        added = mend_laps(trace, lap_iv, bouts, presses)
        if added != lap_iv:
            n = sum(i.kind == "work" for i in added) - sum(i.kind == "work" for i in lap_iv)
            if n:
                notes.append(f"{_reps(n)} the laps miss (a press forgotten) added from the trace")
            trimmed = sum(i.kind == "work" and i.source == "trace" for i in added) - n
            if trimmed:
                notes.append(
                    f"{_reps(trimmed)} cut from the trace out of laps that also hold a stand,"
                    " walk or jog (a press forgotten or made early)"
                )
            lap_iv, source = numbered(added), "laps+trace"
        lap_score = explained(trace, lap_iv)
        trace_score = explained(trace, from_trace)
        if trace_score >= lap_score + TRACE_BETTER:
            notes.append(
                f"structure from the pace trace: it explains the session better than the"
                f" laps ({trace_score:.0%} of reps named or alike vs {lap_score:.0%})"
            )
            notes += trace_notes
            return _finish(trace, from_trace, notes, "trace")
        notes.append(
            f"structure from the laps ({lap_score:.0%} of reps named or alike;"
            f" the pace trace alone {trace_score:.0%})"
        )
    else:
        notes.append("structure from the laps, as asked (--laps use)")
    return _finish(trace, lap_iv, notes, source)


def _trace_session(trace: Trace, bouts: list[Bout], notes: list[str]) -> list[Interval]:
    mile = mile_bout(trace, bouts) if bouts else lone_mile(trace)
    if mile is not None and len(bouts) > 1:
        n = len(bouts) - 1
        notes.append(
            "1 short surge (a stride) counts as warm-up/cool-down"
            if n == 1
            else f"{n} short surges (strides) count as warm-up/cool-down"
        )
    return numbered(_from_bouts(trace, [mile] if mile is not None else bouts))


def _finish(
    trace: Trace, intervals: list[Interval], notes: list[str], source: str
) -> tuple[list[Interval], str, Interval | None, str]:
    work = [i for i in intervals if i.kind == "work"]
    kind = workout_type(work)
    tempo = _tempo(work, kind)
    if tempo is not None or _unstructured(work, kind) or _incidental(trace, work, kind):
        if tempo is None and work:
            notes.append(
                "1 surge between slower stretches forms no rep structure"
                if len(work) == 1
                else f"{len(work)} surges between slower stretches form no rep structure"
            )
        return [], "continuous", tempo, "none"
    return intervals, kind, None, source if work else "none"


def explained(trace: Trace, intervals: Sequence[Interval]) -> float:
    """How well a set of intervals explains the session, 0-1: the share of its work reps
    that fit a standard size well or belong to a set; 0 when they form no structure
    (see :func:`_unstructured`), 0.5 for no reps at all (a continuous run is a fair
    account of a session whose reps nothing else explains)."""
    work = [i for i in intervals if i.kind == "work"]
    if not work:
        return 0.5
    kind = workout_type(work)
    if _tempo(work, kind) is not None:
        return 0.5
    if _unstructured(work, kind) or _incidental(trace, work, kind):
        return 0.0
    if kind in SHAPES:  # rungs stepping one way (or up and back down) are their own account
        return 1.0
    fits = _fit_flags(work)
    return fits.count(True) / len(work)


def _from_bouts(trace: Trace, bouts: Sequence[Bout]) -> list[Interval]:
    """Warm-up, work, recovery ... work, cool-down from the trace's work bouts."""
    if not bouts:
        return []
    t0, t1 = float(trace.t_s[0]), float(trace.t_s[-1])
    out = []
    if bouts[0].start_s > t0:
        out.append(span(trace, "warmup", t0, bouts[0].start_s, "trace"))
    for i, b in enumerate(bouts):
        if i:
            out.append(span(trace, "recovery", bouts[i - 1].end_s, b.start_s, "trace"))
        out.append(span(trace, "work", b.start_s, b.end_s, "trace"))
    if bouts[-1].end_s < t1:
        out.append(span(trace, "cooldown", bouts[-1].end_s, t1, "trace"))
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
            # laps, unless steps change (a skip press's lap is part of the next step)
            same = lap.workout_step == prev.workout_step or prev.elapsed_s < SKIP_PRESS_S
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


def numbered(intervals: Sequence[Interval]) -> list[Interval]:
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
        edge_s = float(median(offsets))
        text += f", {matched} of them within {CROSS_CHECK_S:.0f} s (median edge {edge_s:.1f} s)"
    return text


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
    if kind == "mixed" and _scattered(work):
        return True
    return _fit_flags(work).count(False) > MAX_UNFIT * len(work)


def _scattered(work: Sequence[Interval]) -> bool:
    """Reps of so many sizes that they form no sets (see :data:`MAX_MIXED_GROUPS`)."""
    sizes = len({rep_key(r) for r in work})
    return len(work) >= SCATTERED_MIN_REPS and sizes > max(MAX_MIXED_GROUPS, len(work) / 3)


def _fit_flags(work: Sequence[Interval]) -> list[bool]:
    """Per rep: does it fit its nominal well, share it with :data:`MIN_SET` - 1 others, or
    belong to a lapped set of alike reps (:data:`ALIKE_LAP_CV`)?"""
    names = [w.nominal for w in work]
    in_set = [w.nominal is not None and names.count(w.nominal) >= MIN_SET for w in work]
    lapped = [w for w in work if w.source == "laps"]
    alike = (
        len(lapped) >= 2
        and min(_cv([w.distance_m for w in lapped]), _cv([w.duration_s for w in lapped]))
        <= ALIKE_LAP_CV
    )
    return [
        s or _fits_well(w) or (alike and w.source == "laps")
        for s, w in zip(in_set, work, strict=True)
    ]


def _cv(values: Sequence[float]) -> float:
    arr = np.asarray(values, dtype=float)
    return float(arr.std() / arr.mean()) if arr.mean() > 0 else np.inf


def _fits_well(rep: Interval) -> bool:
    """Within half the snapping tolerance of its nominal distance or duration."""
    tol_d, tol_t = tolerances(rep)
    if rep.nominal_distance_m is not None:
        return abs(rep.distance_m / rep.nominal_distance_m - 1) <= tol_d / 2
    if rep.nominal_duration_s is not None:
        return abs(rep.duration_s / rep.nominal_duration_s - 1) <= tol_t / 2
    return False


def _reps(n: int) -> str:
    return f"{n} rep" if n == 1 else f"{n} reps"
