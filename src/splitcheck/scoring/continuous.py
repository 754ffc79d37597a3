"""Continuous runs (easy, tempo, long): drift, aerobic decoupling, grade-adjusted pace.

Not scored: guidance.md judges a continuous run only by its existence (a 30-minute run a
week for beginners, section 3), so the card has findings and numbers but no score.
"""

from __future__ import annotations

import math

import numpy as np

from .. import metrics as m
from ..metrics.physio import DECOUPLING_GOOD_PCT, DECOUPLING_WEAK_PCT
from ..metrics.trend import RunTrend, run_trend
from ..model import MOVING_SPEED_MPS, interval_speeds_mps
from ..profile import Profile
from ..units import KM_M, UNIT_M, format_duration
from .card import Finding, Scorecard
from .words import format_duration_words, pace, part_name, trend_sentence

GAP_SHOW_S_PER_KM = 3.0
"""Grade-adjusted pace is worth a sentence when it differs from pace by 3 s/km or more."""
BEGINNER_RUN_S = 30 * 60.0
"""'Build up to at least one 30-minute run per week' (guidance.md 3, beginners)."""
TRACK_SUB_SPORTS = ("track", "indoor_running", "treadmill", "indoor_track")

G_TREND = "docs/guidance.md C1: pace over the whole run (first against last third)"
G_DEC = "docs/guidance.md C2: aerobic decoupling (article tip #1, aerobic base)"
G_GAP = "docs/guidance.md C3: grade-adjusted pace (Minetti 2002)"
G_BASE = "docs/guidance.md W2: a 30-minute run per week (beginners, article tip #1)"
G_PRED = "docs/guidance.md C4: predicted mile (Riegel / VDOT)"


def score_continuous(activity, structure, profile: Profile) -> Scorecard:
    """Card of a continuous run: numbers and findings, no score."""
    unit = profile.units or "km"
    speeds = _km_split_speeds(activity, structure)
    moving_s = activity.moving_s
    trend = run_trend_of(activity)
    mx: dict = {
        "drift_s_per_km_per_km": trend.drift_s_per_km_per_km if trend else None,
        "speed_change_pct": trend.change_pct if trend else None,
        "steady": m.is_steady(speeds, moving_s),
        "decoupling_pct": None,
        "pace_s_per_km": _pace(activity.average_speed_mps),
        "grade_adjusted_pace_s_per_km": _gap_pace(activity),
        "predicted_mile": None,
    }
    mx.update(trend.to_dict() if trend else {"trend": None})
    s = activity.samples
    if mx["steady"] and s.has("heart_rate_bpm"):
        mx["decoupling_pct"] = m.aerobic_decoupling_pct(s.elapsed_s, s.distance_m, s.heart_rate_bpm)
    if m.predict.RIEGEL_MIN_S <= moving_s <= m.predict.RIEGEL_MAX_S and activity.distance_m > 0:
        mx["predicted_mile"] = m.predict_mile(activity.distance_m, moving_s).to_dict()
    effort = structure.mile_effort
    if effort is not None and len(effort.laps) == 4:
        from .mile import effort_laps, mile_metrics  # only a run with a mile effort

        _, times, dists = effort_laps(effort.laps)
        mx.update(mile_metrics(dists, times, profile.goal_speed_mps))
    return Scorecard(
        kind="continuous",
        workout_type=structure.workout.type,
        score=None,
        findings=_findings(mx, trend, moving_s, profile, unit, _best_mile_s(structure)),
        next_time=_next_time(mx, trend, moving_s, profile),
        metrics=mx,
        units=unit,
    )


def _best_mile_s(structure) -> float | None:
    """The fastest mile measured inside the run (its best effort), seconds."""
    mile = (structure.efforts or {}).get("mile")
    return float(mile.duration_s) if mile is not None and mile.duration_s > 0 else None


def _km_split_speeds(activity, structure) -> np.ndarray:
    """Speeds of the run's full 1 km splits, m/s: steadiness (guidance.md C2) is judged on
    km splits whatever the runner's unit, so ``--units mi`` never changes the verdict
    (activityio/c2eb1b_2.tcx was judged on its km splits, not on its mile splits)."""
    splits = structure.splits
    if abs(structure.split_distance_m - KM_M) >= 1.0:
        from ..segment.splits import distance_splits
        from ..segment.timing import timed
        from ..segment.trace import build_trace

        trace = build_trace(activity)
        splits = timed(distance_splits(trace, KM_M), activity) if trace is not None else ()
    return np.array([s.speed_mps for s in splits if not s.partial and s.duration_s > 0])


def _pace(speed_mps: float) -> float | None:
    return 1000.0 / speed_mps if math.isfinite(speed_mps) and speed_mps > 0 else None


def _hilly_route(activity) -> bool:
    """Altitude off a track: grade adjustment applies (pacing-science.md leaves it off on
    a track, where wrist altimeters wander 4-7 m per 1200 m)."""
    s = activity.samples
    if activity.sub_sport in TRACK_SUB_SPORTS or not s.has("altitude_m"):
        return False
    return not m.on_track(s.lat_deg, s.lon_deg)


def run_trend_of(activity) -> RunTrend | None:
    """The run's change of pace from its first to its last third (grade-adjusted off a
    track): the one verdict the findings, the JSON and the splits chart's title share."""
    s = activity.samples
    hilly = _hilly_route(activity)
    return run_trend(s.elapsed_s, s.distance_m, s.altitude_m if hilly else None)


def _gap_pace(activity) -> float | None:
    """Flat-equivalent pace over moving time, s/km; None on a track or without altitude."""
    s = activity.samples
    if not _hilly_route(activity):
        return None
    altitude = m.running_altitude_m(s.elapsed_s, s.distance_m, s.altitude_m)
    grade = m.grade_from_altitude(s.distance_m, altitude)
    dd, dt = np.diff(s.distance_m), np.diff(s.elapsed_s)
    moving = np.isfinite(dd) & (dt > 0)
    moving &= interval_speeds_mps(s.elapsed_s, s.distance_m) > MOVING_SPEED_MPS
    mid_grade = np.nan_to_num((grade[1:] + grade[:-1]) / 2, nan=0.0)
    factor = m.minetti_cost_j_per_kg_m(mid_grade) / m.minetti_cost_j_per_kg_m(0.0)
    flat_m = float((dd[moving] * factor[moving]).sum())
    return float(dt[moving].sum() / flat_m * 1000.0) if flat_m > 0 else None


def _findings(
    mx, trend, moving_s, profile: Profile, unit: str, best_mile_s: float | None = None
) -> tuple[Finding, ...]:
    out = []
    per_unit = UNIT_M[unit] / 1000.0  # s/km -> s per the runner's unit
    if trend is not None:
        out.append(Finding(trend_sentence(trend, unit), G_TREND))
    dec = mx["decoupling_pct"]
    if dec is not None and math.isfinite(dec):
        verdict = (
            "good aerobic base"
            if dec < DECOUPLING_GOOD_PCT
            else "moderate"
            if dec <= DECOUPLING_WEAK_PCT
            else "a weak aerobic base"
        )
        out.append(
            Finding(f"Heart rate drifted {dec:.1f} % against pace (decoupling): {verdict}.", G_DEC)
        )
    elif not mx["steady"]:
        out.append(Finding("Decoupling not judged: not a steady run (or under 20 min).", G_DEC))
    gap, actual = mx["grade_adjusted_pace_s_per_km"], mx["pace_s_per_km"]
    if gap is not None and actual is not None and abs(gap - actual) >= GAP_SHOW_S_PER_KM:
        out.append(
            Finding(
                f"Grade-adjusted pace {pace(1000 / gap, unit)} against {pace(1000 / actual, unit)} "
                f"actual: the hills cost you {abs(actual - gap) * per_unit:.0f} s/{unit}."
                if gap < actual
                else f"Grade-adjusted pace {pace(1000 / gap, unit)}: the downhills helped you.",
                G_GAP,
            )
        )
    if profile.level == "beginner":
        done = moving_s >= BEGINNER_RUN_S
        out.append(
            Finding(
                f"{format_duration_words(moving_s)} of running: "
                + ("counts as this week's 30-minute run." if done else "build up to 30 minutes."),
                G_BASE,
            )
        )
    pred = mx["predicted_mile"]
    if pred and pred["in_range"]:
        out.append(Finding(_prediction_sentence(pred, best_mile_s), G_PRED))
    return tuple(out)


def _prediction_sentence(pred: dict, best_mile_s: float | None) -> str:
    """What the whole run predicts for a mile if it was run all out. When a mile inside the
    run was already faster than that, Riegel's premise (one even, all-out effort) does not
    hold, and the prediction would be a slower mile than the runner just ran
    (elevate/20171011_run_2088390344.fit, a walk/run: "a 14:03 mile" beside its own 12:35),
    so that is said instead; the run may still have been all out (a hilly race's downhill
    mile: tcx-test-files/running_activity_1.tcx), so the words blame the uneven pace."""
    riegel = format_duration(pred["riegel_mile_s"])
    if best_mile_s is not None and best_mile_s < pred["riegel_mile_s"]:
        return (
            f"No mile prediction from this run: your fastest mile in it, "
            f"{format_duration(best_mile_s, decimals=1)}, already beats the {riegel} the whole "
            "run would predict (Riegel assumes one even, all-out effort; this run's pace "
            "varied too much)."
        )
    return (
        f"Had this been an all-out run, it would predict {_a(riegel)} mile (Riegel; VDOT "
        f"{pred['vdot']:.1f}: {format_duration(pred['vdot_mile_s'])})."
    )


def _next_time(mx, trend, moving_s: float, profile: Profile) -> str:
    dec = mx["decoupling_pct"]
    if profile.level == "beginner" and moving_s < BEGINNER_RUN_S:
        return "Add a few minutes each week until one run lasts 30 minutes."
    if dec is not None and math.isfinite(dec) and dec > DECOUPLING_WEAK_PCT:
        return "Build your aerobic base: more easy runs at a conversational pace."
    if trend is None:
        return "Keep the same effort next time."
    part = part_name(trend)
    return {
        "fading": f"Start a little slower so the last {part} is as quick as the first.",
        "progression": "A controlled progression: keep starting easy and finishing strong.",
        "negative": f"You finished faster than you started: hold the last {part}'s pace for "
        "longer, or start a touch quicker.",
        "even": "Evenly run: keep the same effort next time.",
        "hills": "On a hilly route, hold an even effort (heart rate, breathing), not an even pace.",
    }[trend.name]


def _a(time_text: str) -> str:
    """The article a runner says before a time: "an 8:57", "a 7:05"."""
    return ("an " if time_text[:1] == "8" or time_text[:2] in ("11", "18") else "a ") + time_text
