"""The scorecard of an interval session (guidance.md section 2).

Parts (a part that does not apply to the session type is left out; one that needs a value
the runner did not give is shown as not judged; the score counts judged parts only):

- goal pace (35 points): share of reps at goal mile pace or faster.
- consistency (20): CV of rep paces within each rep distance; not for pyramids.
- fade (20): OLS slope of pace over the reps of the largest group (3+ reps).
- recoveries (15): full recoveries in ladders and pyramids, 60 s jogs after short time
  reps, even recoveries otherwise.
- descending half (20, pyramids): the way down faster than the way up.
- heart rate (15, time reps of <= 60 s): peak HR reaching 90 % of max.
- rep length (10, time reps of 2.5-5.5 min): 4 x 5 min or 4 x 3 min for your best mile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import metrics as m
from ..arrays import median
from ..profile import Profile
from ..units import MILE_M, UNIT_M
from .card import Scorecard
from .interval_words import advice, findings
from .margins import boundary_sigmas_s, consistency_told, fade_told
from .parts import Part, RepResult, first_failed, ramp, total_score
from .recoveries import recoveries_ok, recovery_part
from .stats import lap_stats

GOAL_POINTS = 35.0
GOAL_TOLERANCE_PCT = 1.0
"""A rep within 1 % of goal pace counts as on it ("each interval would be run at goal mile
pace or faster", guidance.md 2): GPS distance errs by 0.6-1.9 % (pacing-science.md)."""
CONSISTENCY_POINTS, CONSISTENCY_FULL_PCT, CONSISTENCY_ZERO_PCT = 20.0, 2.0, 8.0
CONSISTENCY_OK_PCT = 3.0
"""Rep-pace CV: full <= 2 % (as even as a record mile's laps, Foster et al. 2014),
consistent <= 3 % (guidance.md 1's "even"), none >= 8 % (defaults)."""
FADE_POINTS, FADE_FULL, FADE_ZERO = 20.0, 1.0, 5.0
FADE_OK = 2.0
"""Fade in s/km per rep: full <= 1 (8 reps lose < 2 %), a fade above 2, none >= 5
(defaults)."""
FADE_MIN_REPS = 3
SHORT_REP_MAX_S = 60.0
"""Time reps this short are speed reps: 30 s at 90-95 % of max HR, 60 s jog (guidance.md 2)."""
DESCENDING_POINTS, DESCENDING_FULL_PCT, DESCENDING_ZERO_PCT = 20.0, 1.0, -2.0
"""Pyramid: descending reps >= 1 % faster than the same distances going up for full
marks, none when 2 % slower ('hammer home the descending portion', guidance.md 2)."""
HR_POINTS, HR_TARGET_PCT, HR_HIGH_PCT = 15.0, 90.0, 95.0
HR_PASS_SHARE = 0.8
"""Short speed reps should take heart rate to 90-95 % of max (guidance.md 2); passed
when 80 % of reps get there (HR lags the first reps)."""
REP_LENGTH_POINTS = 10.0
LONG_REP_S = (150.0, 330.0)
"""Time reps of 2.5-5.5 min are the 4 x 3 / 4 x 5 min speed-endurance sessions."""
SLOW_MILER_S, FAST_MILER_S = 540.0, 480.0
"""Best mile 9:00 or slower: 5 min reps; 8:00 or faster: 3 min (guidance.md 2)."""


@dataclass(frozen=True)
class SessionFacts:
    """What the parts and findings are computed from."""

    workout_type: str
    reps: tuple[RepResult, ...]
    goal_speed_mps: float | None
    goal_source: str | None
    groups: dict[str, list[int]]
    fade_group: str | None


def score_intervals(activity, structure, profile: Profile) -> Scorecard:
    """Scorecard of an interval session from its work reps and recoveries."""
    facts = _facts(activity, structure, profile)
    mx = _metrics(facts, profile)
    parts = _parts(facts, mx, profile)
    unit = profile.units or "km"
    tips = advice(facts, mx, profile, unit)
    return Scorecard(
        kind="intervals",
        workout_type=facts.workout_type,
        score=total_score(parts),
        parts=parts,
        findings=findings(facts, mx, profile, unit),
        next_time=first_failed(parts, tips) or tips["keep"],
        metrics=mx,
        reps=facts.reps,
        units=unit,
    )


def _goal(profile: Profile) -> tuple[float | None, str | None]:
    if profile.goal_mile_s:
        return MILE_M / profile.goal_mile_s, "goal mile"
    if profile.best_mile_s:
        return MILE_M / profile.best_mile_s, "best mile"
    return None, None


def _facts(activity, structure, profile: Profile) -> SessionFacts:
    goal_v, source = _goal(profile)
    work = [i for i in structure.intervals if i.kind == "work"]
    recs = _recoveries_after(structure.intervals)
    hr = _peak_hr(activity, work, profile)
    stats = lap_stats(activity, [w.start_s for w in work], [w.end_s for w in work])
    reps = []
    for k, rep in enumerate(work):
        half_w, _, timed_by, _ = boundary_sigmas_s(
            activity,
            [rep.start_s],
            [rep.duration_s],
            [rep.distance_m],
            trace_edges=rep.source == "trace",
            end_s=rep.end_s,
        )
        rec = recs.get(id(rep))
        v = rep.distance_m / rep.duration_s if rep.duration_s > 0 else math.nan
        reps.append(
            RepResult(
                rep=k + 1,
                nominal=rep.nominal,
                start_s=rep.start_s,
                time_s=rep.duration_s,
                distance_m=rep.distance_m,
                vs_goal_pct=(v / goal_v - 1.0) * 100.0 if goal_v else None,
                recovery_s=rec.duration_s if rec else None,
                recovery_distance_m=rec.distance_m if rec else None,
                peak_hr_pct_max=None if hr is None or not np.isfinite(hr[k]) else float(hr[k]),
                uncertainty_s=float(half_w[0]),
                time_source="laps" if timed_by == "laps" else "gps",
                stats=stats[k],
            )
        )
    groups: dict[str, list[int]] = {}
    for k, rep in enumerate(work):
        groups.setdefault(rep.nominal or f"~{rep.distance_m:.0f} m", []).append(k)
    big = max(groups, key=lambda g: len(groups[g]), default=None)
    fade_group = big if big and len(groups[big]) >= FADE_MIN_REPS else None
    return SessionFacts(structure.workout.type, tuple(reps), goal_v, source, groups, fade_group)


def _recoveries_after(intervals) -> dict[int, object]:
    """Map each work rep (by id) to the recovery that follows it before the next rep."""
    out: dict[int, object] = {}
    last_work = None
    for iv in intervals:
        if iv.kind == "work":
            last_work = iv
        elif iv.kind == "recovery" and last_work is not None and id(last_work) not in out:
            out[id(last_work)] = iv
    return out


def _peak_hr(activity, work, profile: Profile) -> np.ndarray | None:
    s = activity.samples
    if not profile.max_hr_bpm or not work or not s.has("heart_rate_bpm"):
        return None
    return m.peak_hr_pct_of_max(
        s.elapsed_s,
        s.heart_rate_bpm,
        [w.start_s for w in work],
        [w.end_s for w in work],
        profile.max_hr_bpm,
    )


def _metrics(f: SessionFacts, profile: Profile) -> dict:
    paces = np.array([r.pace_s_per_km for r in f.reps])
    cvs = [
        (m.consistency_cv_pct(paces[idx]), len(idx)) for idx in f.groups.values() if len(idx) > 1
    ]
    cv = sum(c * n for c, n in cvs) / sum(n for _, n in cvs) if cvs else math.nan
    fade = m.fade_s_per_km_per_rep(paces[f.groups[f.fade_group]]) if f.fade_group else math.nan
    told, fade_range = (
        fade_told([f.reps[k] for k in f.groups[f.fade_group]], FADE_OK)
        if f.fade_group
        else (True, [])
    )
    calls = [goal_call(r) for r in f.reps if r.vs_goal_pct is not None]
    on_goal = [c is True for c in calls]
    return {
        "reps_count": len(f.reps),
        "goal_source": f.goal_source,
        "goal_pace_s_per_km": 1000.0 / f.goal_speed_mps if f.goal_speed_mps else None,
        "reps_on_goal_pace": sum(on_goal) if f.goal_speed_mps else None,
        "reps_goal_cannot_tell": sum(c is None for c in calls) if f.goal_speed_mps else None,
        "consistency_cv_pct": cv,
        "consistency_cannot_tell": not consistency_told(
            f.reps, list(f.groups.values()), CONSISTENCY_OK_PCT
        ),
        "fade_s_per_km_per_rep": fade,
        "fade_group": f.fade_group,
        "fade_cannot_tell": not told,
        "fade_interval_s_per_km_per_rep": fade_range or None,
        "descending_vs_ascending_pct": _descending_pct(f) if f.workout_type == "pyramid" else None,
        "reps_reaching_hr_target": _hr_count(f),
        "recoveries_ok": recoveries_ok(f),
        "recoveries_count": sum(1 for r in f.reps[:-1] if r.recovery_s is not None),
        "recommended_rep_s": _recommended_rep_s(profile.best_mile_s),
    }


def _descending_pct(f: SessionFacts) -> float:
    """Mean % by which reps after the longest are faster than the same distances before."""
    reps = f.reps
    peak = int(np.argmax([r.distance_m for r in reps]))
    gains = []
    for idx in f.groups.values():
        up = [reps[k].distance_m / reps[k].time_s for k in idx if k < peak]
        down = [reps[k].distance_m / reps[k].time_s for k in idx if k > peak]
        if up and down:
            gains.append((np.mean(down) / np.mean(up) - 1.0) * 100.0)
    return float(np.mean(gains)) if gains else math.nan


def is_short_time_reps(f: SessionFacts) -> bool:
    return f.workout_type == "time_reps" and all(r.time_s <= SHORT_REP_MAX_S * 1.1 for r in f.reps)


def is_long_time_reps(f: SessionFacts) -> bool:
    lo, hi = LONG_REP_S
    return f.workout_type == "time_reps" and all(lo <= r.time_s <= hi for r in f.reps)


def _hr_count(f: SessionFacts) -> int | None:
    peaks = [r.peak_hr_pct_max for r in f.reps]
    if not is_short_time_reps(f) or any(p is None for p in peaks):
        return None
    return sum(p >= HR_TARGET_PCT for p in peaks)  # type: ignore[operator]


def _recommended_rep_s(best_mile_s: float | None) -> float | None:
    if best_mile_s is None:
        return None
    if best_mile_s >= SLOW_MILER_S:
        return 300.0
    if best_mile_s <= FAST_MILER_S:
        return 180.0
    return 0.0  # either fits


def _parts(f: SessionFacts, mx: dict, profile: Profile) -> tuple[Part, ...]:
    n = len(f.reps)
    parts = [_goal_part(f, mx, n)]
    if f.workout_type != "pyramid":
        cv = mx["consistency_cv_pct"]
        parts.append(
            Part(
                "consistency",
                None
                if math.isnan(cv)
                else CONSISTENCY_POINTS * ramp(cv, CONSISTENCY_FULL_PCT, CONSISTENCY_ZERO_PCT),
                CONSISTENCY_POINTS,
                "no repeated distance"
                if math.isnan(cv)
                else f"rep-pace CV {cv:.1f} %"
                + (", GPS cannot tell" if mx["consistency_cannot_tell"] else ""),
                f"full <= {CONSISTENCY_FULL_PCT:g} %, consistent <= {CONSISTENCY_OK_PCT:g} %, "
                f"none >= {CONSISTENCY_ZERO_PCT:g} %",
                passed=None
                if math.isnan(cv) or mx["consistency_cannot_tell"]
                else bool(cv <= CONSISTENCY_OK_PCT),
            )
        )
    if f.fade_group and f.workout_type != "pyramid":
        fade = mx["fade_s_per_km_per_rep"]
        unit = profile.units or "km"
        k = UNIT_M[unit] / 1000.0  # s/km -> s per the runner's unit
        parts.append(
            Part(
                "fade",
                FADE_POINTS * ramp(fade, FADE_FULL, FADE_ZERO),
                FADE_POINTS,
                f"{fade * k:+.1f} s/{unit} per rep over the {f.fade_group} reps"
                + (", GPS cannot tell" if mx["fade_cannot_tell"] else ""),
                f"full <= +{FADE_FULL * k:.2g}, a fade > +{FADE_OK * k:.2g}, "
                f"none >= +{FADE_ZERO * k:.2g} s/{unit} per rep",
                passed=None if mx["fade_cannot_tell"] else bool(fade <= FADE_OK),
            )
        )
    parts.append(recovery_part(f, mx))
    parts.extend(_special_parts(f, mx, profile))
    return tuple(parts)


def _goal_part(f: SessionFacts, mx: dict, n: int) -> Part:
    threshold = f"reps at goal mile pace or faster (within {GOAL_TOLERANCE_PCT:g} %)"
    if f.goal_speed_mps is None:
        return Part(
            "goal pace",
            None,
            GOAL_POINTS,
            "not judged: no goal mile given (--goal-mile or --best-mile)",
            threshold,
        )
    ok, unsure = mx["reps_on_goal_pace"], mx["reps_goal_cannot_tell"]
    judged = n - unsure
    if judged == 0:
        return Part(
            "goal pace",
            None,
            GOAL_POINTS,
            "not judged: every rep within its GPS error of goal pace",
            threshold,
        )
    tail = f" ({unsure} too close to call from GPS)" if unsure else ""
    return Part(
        "goal pace",
        GOAL_POINTS * ok / judged,
        GOAL_POINTS,
        f"{ok} of {judged} reps on goal pace{tail}",
        threshold,
        passed=ok == judged,
    )


def goal_call(r: RepResult) -> bool | None:
    """Was the rep at goal pace or faster (within the tolerance)? None when the margin lies
    inside its time's GPS uncertainty (docs/guidance.md U2): GPS cannot tell."""
    margin = r.vs_goal_pct + GOAL_TOLERANCE_PCT
    unc_pct = r.uncertainty_s / r.time_s * 100.0 if r.time_s > 0 else 0.0
    if abs(margin) <= unc_pct:
        return None
    return margin > 0


def _special_parts(f: SessionFacts, mx: dict, profile: Profile) -> list[Part]:
    parts = []
    if f.workout_type == "pyramid":
        d = mx["descending_vs_ascending_pct"]
        parts.append(
            Part(
                "descending half",
                None
                if math.isnan(d)
                else DESCENDING_POINTS * ramp(d, DESCENDING_FULL_PCT, DESCENDING_ZERO_PCT),
                DESCENDING_POINTS,
                "no matching distances" if math.isnan(d) else f"way down {d:+.1f} % vs way up",
                f"full >= +{DESCENDING_FULL_PCT:g} % faster, none <= {DESCENDING_ZERO_PCT:g} %",
                passed=None if math.isnan(d) else bool(d > 0),
            )
        )
    if is_short_time_reps(f):
        hits = mx["reps_reaching_hr_target"]
        why = (
            "no max heart rate given (--max-hr)"
            if not profile.max_hr_bpm
            else "no heart rate in the file"
        )
        parts.append(
            Part(
                "heart rate",
                None if hits is None else HR_POINTS * hits / len(f.reps),
                HR_POINTS,
                f"not judged: {why}"
                if hits is None
                else f"{hits} of {len(f.reps)} reps reached {HR_TARGET_PCT:g} % of max",
                f"peak HR {HR_TARGET_PCT:g}-{HR_HIGH_PCT:g} % of max in "
                f"{HR_PASS_SHARE:.0%} of reps",
                passed=None if hits is None else hits >= HR_PASS_SHARE * len(f.reps),
            )
        )
    if is_long_time_reps(f):
        rec = mx["recommended_rep_s"]
        rep_s = float(median([r.time_s for r in f.reps]))
        fits = rec is not None and (rec == 0.0 or abs(rep_s - rec) <= 0.2 * rec)
        parts.append(
            Part(
                "rep length",
                None if rec is None else REP_LENGTH_POINTS * fits,
                REP_LENGTH_POINTS,
                "not judged: no best mile given (--best-mile)"
                if rec is None
                else f"{rep_s / 60:.0f} min reps",
                "best mile >= 9:00: 5 min; <= 8:00: 3 min; between: either",
                passed=None if rec is None else bool(fits),
            )
        )
    return parts
