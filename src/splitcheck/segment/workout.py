"""Workout recognition: each rep's nominal distance or duration, the session's shape, and
a label in the runner's words (guidance.md section 2)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from ..arrays import median
from ..units import MILE_M, format_duration
from .types import Interval

TRACK_DISTANCES_M = (100, 150, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500, 1600, MILE_M)
TRACK_DISTANCES_M += (2000, 3000)
"""Standard track rep distances, metres (guidance.md section 2, plus 1500 m for a metric
mile and 2000 / 3000 m for longer reps)."""
ROUND_DURATIONS_S = (15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360, 420, 480, 540, 600)
ROUND_DURATIONS_S += (720, 900, 1200, 1800)
"""Round rep durations, seconds: 15, 20, 30, 45, 60, 90 s, 2, 3, 4, 5 ... 10 min, then
12, 15, 20, 30 min (guidance.md section 2)."""
DISTANCE_TOLERANCE = 0.05
"""A rep snaps to a track distance within +-5 % (GPS error on a track is 1-3 %)."""
DURATION_TOLERANCE = 0.10
"""A rep snaps to a round duration within +-10 % (a rep's edges are fuzzier in time)."""
DISTANCE_PREFERENCE = 1.5
"""Reps fitting a distance and a duration about equally well (distance error up to 1.5
times the duration error) are distance reps: runners name track sessions by distance,
and a rep's duration is measured about as precisely as its GPS distance."""
TIMED_SET_MIN = 3
TIMED_MIN_S = 120.0
TIMED_WITHIN_S = 1.5
"""A set of 3 or more reps of 2 min or more, each within 1.5 s of one round duration, is a
timed session whatever distance it covers: a watch's timed step, or a press at its beep,
ends a rep within a second, and the pace trace finds its edges to ~1 s (1.5 s is 1.25 %
of 2 min, tighter than GPS distance), while
distance reps of that length vary by seconds with pace (4 x 3 min at a pace that also
covers 800 m each time is 4 x 3 min, the guidance's session)."""
LADDER_PACE_SPREAD = 1.2
"""A ladder or pyramid is run at about one pace (the article: "at goal mile pace or
faster"; short rungs a little quicker): reps whose speeds spread by more than 20 % are
a mixed session (strides plus speed-endurance reps)."""
COMMON_TOLERANCE = 0.15
"""A rep within 15 % of the session's most common nominal, fitting nothing else, is one of
that set cut short or stretched (an auto-paused restart on sparse samples); standard
distances next to each other differ by 25 % or more at rep lengths."""
ONE_OF_THE_SESSION = 0.08
"""A rep read in the session's minority mode within 8 % of a nominal the majority mode
names elsewhere in the session is one of those (GPS error on a 200 m rep reaches 5-8 %;
standard distances next to each other differ by 25 % or more)."""
LADDER_MAX_STEP = 2.5
"""Consecutive rungs of a ladder or pyramid differ by at most 2.5 times (200-400-600-800,
30 s-60 s-90 s); 4 x 100 m strides before 800 m reps are a mixed session."""
LADDER_MIN_RUNGS = 3
"""A ladder climbs (or descends) at least three rungs (the article's 200-400-600-800 m);
a set of one size then a set of another (4 x 400 m, 2 x 800 m) is a mixed session."""
SET_SIMILARITY = 0.15
"""Consecutive reps within 15 % of each other in distance or in duration are one set
(time reps up and down hills differ in distance, distance reps in duration)."""
EDGE_UNCERTAINTY_S = 2.0
MAX_TOLERANCE = 0.15
"""A short rep's edges are uncertain by ~1 s each (a sprint start, sparse samples): its
tolerance widens to 2 s over its duration (a 17 s stride: +-12 %), at most +-15 %."""
MILE_TT_M = (1450.0, 1750.0)
"""A single hard effort of this length is a mile time trial (1500 m - 1 mile, with GPS
error either side)."""
EVEN_SET_MIN = 3
EVEN_SET_ROUNDING = (50.0, 5.0)
"""A set of at least 3 equal reps fitting no standard size is named by its median size
rounded to 50 m or 5 s (350 m, 1:15): runners choose such sizes, a 3 % GPS error or 1 s
lap-press delay does not."""
UNNAMED_LADDER_MIN = 4
"""Four or more unnamed reps stepping one way can be a ladder (:func:`_unnamed_ladder`);
three reps stepping one way happen by chance among a run's surges."""


def snap(value: float, targets: Sequence[float], tolerance: float) -> float | None:
    """The target nearest ``value`` by relative error, or None when none is within it."""
    if not np.isfinite(value) or value <= 0:
        return None
    arr = np.asarray(targets, dtype=float)
    err = np.abs(value / arr - 1)
    i = int(np.argmin(err))
    return float(arr[i]) if err[i] <= tolerance else None


def distance_name(distance_m: float) -> str:
    """``400 m``, ``mile`` for a nominal distance."""
    return "mile" if abs(distance_m - MILE_M) < 1 else f"{distance_m:.0f} m"


def duration_name(duration_s: float) -> str:
    """``30 s``, ``5 min``, ``1:30`` for a nominal duration."""
    if duration_s < 60:
        return f"{duration_s:.0f} s"
    if duration_s % 60 == 0:
        return f"{duration_s / 60:.0f} min"
    return format_duration(duration_s)


def tolerances(rep: Interval) -> tuple[float, float]:
    """Relative snapping tolerances (distance, duration) for one rep: the base ones,
    widened for short reps by the uncertainty of their edges (:data:`EDGE_UNCERTAINTY_S`)."""
    widen = EDGE_UNCERTAINTY_S / rep.duration_s if rep.duration_s > 0 else 0.0
    return (
        min(max(DISTANCE_TOLERANCE, widen), MAX_TOLERANCE),
        min(max(DURATION_TOLERANCE, widen), MAX_TOLERANCE),
    )


def with_nominals(work: Sequence[Interval]) -> list[Interval]:
    """Work reps with their nominal distance or duration.

    Consecutive reps of about one size (:data:`SET_SIMILARITY`) form a set, and a set is
    read in one mode: distance or duration, whichever its reps fit more closely (median
    relative error; distance wins near-ties, :data:`DISTANCE_PREFERENCE`). A rep that
    does not fit its set's mode but lies within :data:`COMMON_TOLERANCE` (or twice its
    tolerance) of the session's most common nominal in that mode takes it (GPS error on
    sparse samples); else the other mode's fit; else it keeps ``nominal`` None.
    """
    groups = _sets(work)
    _, d_all, t_all = _fits(work)
    common = (
        _most_common([f for f in d_all if f is not None]),
        _most_common([f for f in t_all if f is not None]),
    )
    modes = [_set_mode(g) for g in groups]
    votes = sum(len(g) * (1 if m[0] else -1) for g, m in zip(groups, modes, strict=True))
    out: list[Interval] = []
    off: set[int] = set()
    for group, (by_distance, ambiguous) in zip(groups, modes, strict=True):
        if _off_standard(group):  # its own size names it (_name_even_sets), or none does
            out += [_nominal(r, None, "d") for r in group]
            off.update(range(len(out) - len(group), len(out)))
            continue
        # a set fitting both a distance and a duration follows the rest of the session
        out += _set_nominals(group, votes >= 0 if ambiguous else by_distance, common)
    used = (
        sorted({r.nominal_distance_m for r in out if r.nominal_distance_m is not None}),
        sorted({r.nominal_duration_s for r in out if r.nominal_duration_s is not None}),
    )
    joined = [
        r if i in off else _join_majority(r, votes >= 0, common, used) for i, r in enumerate(out)
    ]
    return _name_even_sets(joined)


def _off_standard(group: Sequence[Interval]) -> bool:
    """Is a set of :data:`EVEN_SET_MIN` reps or more, by its median size, outside the
    snapping tolerance of every standard distance, and outside half of it of every round
    duration (5 x ~850 m at 3:12: a few of its reps within 5 % of 800 m do not make it
    800 m reps, nor does a duration 7 % off make it 3 min reps)?"""
    if len(group) < EVEN_SET_MIN:
        return False
    tol = median([tolerances(r) for r in group], axis=0)
    dist = float(median([r.distance_m for r in group]))
    dur = float(median([r.duration_s for r in group]))
    return (
        snap(dist, TRACK_DISTANCES_M, float(tol[0])) is None
        and snap(dur, ROUND_DURATIONS_S, float(tol[1]) / 2) is None
    )


def _name_even_sets(work: list[Interval]) -> list[Interval]:
    """Name a set of at least :data:`EVEN_SET_MIN` equal reps that fits no standard
    distance or duration by its own size, rounded (:data:`EVEN_SET_ROUNDING`): 8 x 75 s
    reps are ``8x1:15``, not eight unnamed surges, and 5 x 850 m ``5x~850 m`` (no line on a
    track marks it: the size is the runner's, measured by GPS). The mode fitting the rounded size
    more closely wins (distance on near-ties, :data:`DISTANCE_PREFERENCE`); every rep must
    lie within its snapping tolerance of it."""
    out: list[Interval] = []
    for group in _sets(work):
        if len(group) < EVEN_SET_MIN or any(r.nominal is not None for r in group):
            out += group
            continue
        tol = [tolerances(r) for r in group]
        fits = []
        for mode, k, step in (("d", 0, EVEN_SET_ROUNDING[0]), ("t", 1, EVEN_SET_ROUNDING[1])):
            sizes = np.array([r.distance_m if k == 0 else r.duration_s for r in group])
            target = round(float(median(sizes)) / step) * step
            err = np.abs(sizes / target - 1) if target > 0 else np.full(len(sizes), np.inf)
            if np.all(err <= np.array([t[k] for t in tol])):
                fits.append(
                    (float(err.max()) * (1 / DISTANCE_PREFERENCE if k == 0 else 1), mode, target)
                )
        if fits:
            _, mode, target = min(fits)
            group = [_nominal(r, float(target), mode) for r in group]
            if mode == "d":  # a distance no track marks: "~850 m"
                group = [dataclasses.replace(r, nominal=f"~{r.nominal}") for r in group]
        out += group
    return out


def _join_majority(
    rep: Interval,
    by_distance: bool,
    commons: tuple[float | None, float | None],
    used: tuple[list, list] = ([], []),
) -> Interval:
    """A rep named in the session's minority mode but within :data:`COMMON_TOLERANCE` of
    the majority's most common nominal is one of that set (8 x 200 m where an auto-paused
    restart made two reps look like 45 s); a rep named in the minority mode alone in its
    set takes the nearest nominal the majority mode names in the session within
    :data:`ONE_OF_THE_SESSION` (a pyramid's last 200 m measured 188 m is not "45 s")."""
    common = commons[0] if by_distance else commons[1]
    size = rep.distance_m if by_distance else rep.duration_s
    minority = (
        rep.nominal_duration_s is not None if by_distance else rep.nominal_distance_m is not None
    )
    mode = "d" if by_distance else "t"
    if (minority or rep.nominal is None) and common and abs(size / common - 1) <= COMMON_TOLERANCE:
        return _nominal(rep, common, mode)
    named = used[0] if by_distance else used[1]
    if minority and named:
        near = min(named, key=lambda n: abs(size / n - 1))
        if abs(size / near - 1) <= ONE_OF_THE_SESSION:
            return _nominal(rep, near, mode)
    return rep


def _sets(work: Sequence[Interval]) -> list[list[Interval]]:
    groups: list[list[Interval]] = []
    for rep in work:
        prev = groups[-1][-1] if groups else None
        similar = prev is not None and (
            abs(rep.distance_m / prev.distance_m - 1) <= SET_SIMILARITY
            or abs(rep.duration_s / prev.duration_s - 1) <= SET_SIMILARITY
        )
        if similar:
            groups[-1].append(rep)
        else:
            groups.append([rep])
    return groups


def _fits(work: Sequence[Interval]) -> tuple[list, list, list]:
    tol = [tolerances(r) for r in work]
    d_fit = [snap(r.distance_m, TRACK_DISTANCES_M, t[0]) for r, t in zip(work, tol, strict=True)]
    t_fit = [snap(r.duration_s, ROUND_DURATIONS_S, t[1]) for r, t in zip(work, tol, strict=True)]
    return tol, d_fit, t_fit


def _set_mode(work: Sequence[Interval]) -> tuple[bool, bool]:
    """(read by distance?, does every rep fit both a distance and a duration?)."""
    _, d_fit, t_fit = _fits(work)
    if _timed_set(work, t_fit):
        return False, False
    d_err = median([_err(r.distance_m, s) for r, s in zip(work, d_fit, strict=True)])
    t_err = median([_err(r.duration_s, s) for r, s in zip(work, t_fit, strict=True)])
    ambiguous = None not in d_fit and None not in t_fit
    return bool(d_err <= DISTANCE_PREFERENCE * t_err), ambiguous


def _timed_set(work: Sequence[Interval], t_fit: list) -> bool:
    """Do at least :data:`TIMED_SET_MIN` reps all last one round duration of
    :data:`TIMED_MIN_S` or more to within :data:`TIMED_WITHIN_S`?"""
    if len(work) < TIMED_SET_MIN or None in t_fit or len(set(t_fit)) != 1:
        return False
    if t_fit[0] < TIMED_MIN_S:
        return False
    return all(abs(r.duration_s - t_fit[0]) <= TIMED_WITHIN_S for r in work)


def _set_nominals(
    work: Sequence[Interval], by_distance: bool, commons: tuple[float | None, float | None]
) -> list[Interval]:
    tol, d_fit, t_fit = _fits(work)
    d_fit, t_fit = _one_for_the_set(work, d_fit, 0), _one_for_the_set(work, t_fit, 1)
    fits, mode = (d_fit, "d") if by_distance else (t_fit, "t")
    others, other_mode = (t_fit, "t") if by_distance else (d_fit, "d")
    common = commons[0] if by_distance else commons[1]
    out = []
    for rep, (tol_d, tol_t), fit, other in zip(work, tol, fits, others, strict=True):
        size, tol_mode = (rep.distance_m, tol_d) if by_distance else (rep.duration_s, tol_t)
        near = max(2 * tol_mode, COMMON_TOLERANCE)
        if fit is None and common is not None and abs(size / common - 1) <= near:
            fit = common  # one rep of a set, stretched by GPS error on sparse samples
        if fit is None and other is not None:
            out.append(_nominal(rep, other, other_mode))
        else:
            out.append(_nominal(rep, fit, mode))
    return out


def _one_for_the_set(work: Sequence[Interval], fits: list, k: int) -> list:
    """One nominal for a whole set when every rep lies within its tolerance of the
    nominal nearest the set's median size (distance: k=0, duration: k=1): 3 x 1 mile
    with one rep measured 1604 m is 3 x mile, not "2xmile, 1x1600 m" (standard sizes
    closer than GPS error are told apart by the set, not rep by rep)."""
    if len(work) < 2:
        return fits
    sizes = np.array([r.distance_m if k == 0 else r.duration_s for r in work])
    targets = TRACK_DISTANCES_M if k == 0 else ROUND_DURATIONS_S
    tol = np.array([tolerances(r)[k] for r in work])
    target = snap(float(median(sizes)), targets, float(median(tol)))
    if target is None or np.any(np.abs(sizes / target - 1) > tol):
        return fits
    return [target] * len(work)


def _most_common(values: Sequence[float]) -> float | None:
    if not values:
        return None
    uniq, counts = np.unique(np.asarray(values), return_counts=True)
    return float(uniq[np.argmax(counts)]) if counts.max() >= 2 else None


def _err(value: float, snapped: float | None) -> float:
    """Relative error of a snap; a value fitting nothing costs 0.2 (twice any tolerance)."""
    return 0.2 if snapped is None else abs(value / snapped - 1)


def _nominal(rep: Interval, value: float | None, mode: str) -> Interval:
    if value is None:
        return dataclasses.replace(
            rep, nominal=None, nominal_distance_m=None, nominal_duration_s=None
        )
    if mode == "d":
        return dataclasses.replace(
            rep, nominal=distance_name(value), nominal_distance_m=value, nominal_duration_s=None
        )
    return dataclasses.replace(
        rep, nominal=duration_name(value), nominal_distance_m=None, nominal_duration_s=value
    )


def rep_key(rep: Interval) -> tuple[str, float]:
    """What makes two reps "the same": their nominal, else their rounded size."""
    if rep.nominal_distance_m is not None:
        return ("d", rep.nominal_distance_m)
    if rep.nominal_duration_s is not None:
        return ("t", rep.nominal_duration_s)
    return ("?", round(rep.distance_m, -1))


def workout_type(work: Sequence[Interval]) -> str:
    """One of :data:`~.types.WORKOUT_TYPES` for the session's work reps (with nominals)."""
    if not work:
        return "continuous"
    if len(work) == 1 and MILE_TT_M[0] <= work[0].distance_m <= MILE_TT_M[1]:
        return "time_trial"
    keys = [rep_key(r) for r in work]
    if len(work) >= UNNAMED_LADDER_MIN and any(k[0] == "?" for k in keys):
        return _unnamed_ladder(work)
    if any(k[0] == "?" for k in keys) and len(work) > 1:
        return "mixed"
    if len({k[0] for k in keys}) > 1:
        return "mixed"
    seq = [k[1] for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
    if len(set(seq)) == 1:
        return "time_reps" if keys[0][0] == "t" else "repeats"
    speeds = [
        median([r.speed_mps for r, k in zip(work, keys, strict=True) if k == key])
        for key in set(keys)
    ]  # per set: one rep up a hill is not the set's pace
    if max(speeds) > LADDER_PACE_SPREAD * min(speeds):
        return "mixed"  # sprints and speed-endurance reps, not one ladder
    ratios = np.asarray(seq[1:]) / np.asarray(seq[:-1])
    if np.any(np.maximum(ratios, 1 / ratios) > LADDER_MAX_STEP):
        return "mixed"
    steps = np.sign(np.diff(seq))
    if np.all(steps > 0) and len(seq) >= LADDER_MIN_RUNGS:
        return "ladder_ascending"
    if np.all(steps < 0) and len(seq) >= LADDER_MIN_RUNGS:
        return "ladder_descending"
    peak = int(np.argmax(seq))
    up_down = 0 < peak < len(seq) - 1 and np.all(steps[:peak] > 0) and np.all(steps[peak:] < 0)
    if up_down and keys == keys[::-1]:  # a pyramid comes down the steps it went up
        return "pyramid"
    return "mixed"


def _unnamed_ladder(work: Sequence[Interval]) -> str:
    """``ladder_descending`` / ``ladder_ascending`` for reps, some fitting no standard size, whose
    distances and durations both step one way by :data:`SET_SIMILARITY` or more at each
    rung (at most :data:`LADDER_MAX_STEP`) at about one pace (:data:`LADDER_PACE_SPREAD`):
    a treadmill's 6-5-4-3-2-1 km ladder measured by a foot pod reading 2.3 times long is
    still a ladder. Anything else is ``mixed``."""
    for sizes in (
        np.array([r.distance_m for r in work]),
        np.array([r.duration_s for r in work]),
    ):
        ratio = sizes[1:] / sizes[:-1]
        step = np.maximum(ratio, 1 / ratio)
        if np.any(step < 1 + SET_SIMILARITY) or np.any(step > LADDER_MAX_STEP):
            return "mixed"
        if not (np.all(ratio > 1) or np.all(ratio < 1)):
            return "mixed"
    speeds = [r.speed_mps for r in work]
    if max(speeds) > LADDER_PACE_SPREAD * min(speeds):
        return "mixed"
    return "ladder_ascending" if work[-1].distance_m > work[0].distance_m else "ladder_descending"
