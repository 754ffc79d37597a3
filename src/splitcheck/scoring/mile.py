"""The scorecard of one hard effort of about a mile (guidance.md section 1).

Parts and their default thresholds (each shown in the report):

- evenness (40 points): CV of lap speeds; full marks at <= 1 % (what the next world record
  may need, Foster et al. 2014), none at >= 8 %; "even" is <= 3 % (guidance.md 1).
- start (25): lap 1 vs goal pace (else laps 2-4); full marks within +3 %, none at +10 %
  faster (guidance.md 1, "went out too fast").
- halves (20): half split; full marks from -4 % to +1 % (the even band), none at +5 %
  (positive) or -12 % (a mile held back).
- finish (15): kick, last lap vs laps 2-3; full marks at >= 102 %, none at <= 97 %.
"""

from __future__ import annotations

import numpy as np

from .. import metrics as m
from ..metrics.laps import (
    EVEN_CV_PCT,
    FAST_START_PCT,
    HALF_SPLIT_EVEN_BAND_PCT,
    KICK_MIN_PCT,
    SHAPE_WORDS,
)
from ..profile import Profile
from ..units import MILE_M
from .card import Finding, Scorecard
from .margins import boundary_sigmas_s, margin_metrics
from .parts import LapResult, Part, first_failed, ramp, total_score
from .stats import lap_stats
from .words import faster_slower, lap_time, lap_times, mile_time, pct

EVENNESS_POINTS, CV_FULL_PCT, CV_ZERO_PCT = 40.0, 1.0, 8.0
"""Evenness part: full at CV <= 1 % (Foster, de Koning & Thiel 2014: the next record may
need ~1 %), zero at >= 8 % (inside Thiel 2012's tactical Olympic finals, 3.6-11.4 %)."""
START_POINTS, START_ZERO_PCT = 25.0, 10.0
"""Start part: full while lap 1 is <= FAST_START_PCT (3 %) faster than its reference,
zero at 10 % faster."""
HALVES_POINTS, HALF_NEG_FULL_PCT, HALF_POS_ZERO_PCT, HALF_NEG_ZERO_PCT = 20.0, -4.0, 5.0, -12.0
"""Halves part: full from -4 % to +1 %; zero at +5 % (fading) or -12 % (held back)."""
KICK_POINTS, KICK_ZERO_PCT = 15.0, 97.0
"""Finish part: full at a kick >= KICK_MIN_PCT (102 %), zero at <= 97 % (slowing)."""

MILE_TOLERANCE = 0.02
"""An effort within 2 % of a mile by the watch IS the mile (GPS distance errs by 0.6-1.9 %
on roads, pacing-science.md); further off (a 1500 m) its time is converted by Riegel."""

G_START = "docs/guidance.md M2: went out too fast (article tip #4)"
G_EVEN = "docs/guidance.md M1: evenness (article tip #4, even splits)"
G_HALF = "docs/guidance.md M3: half split"
G_KICK = "docs/guidance.md M4: kick (article tip #6)"
G_SHAPE = "docs/guidance.md M5: shape"
G_GOAL = "docs/guidance.md M6: the mile time, against your goal (R)"
G_AGE = "docs/guidance.md R: age and sex (2020 road age grading)"
G_SOURCE = "docs/guidance.md U1-U2: lap times from lap presses or GPS"


def effort_laps(effort_laps: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start times, durations and distances of the effort's laps as arrays."""
    starts = np.array([lap.start_s for lap in effort_laps], dtype=np.float64)
    times = np.array([lap.duration_s for lap in effort_laps], dtype=np.float64)
    dists = np.array([lap.distance_m for lap in effort_laps], dtype=np.float64)
    return starts, times, dists


def mile_metrics(dists, times, goal_speed_mps: float | None) -> dict:
    """The named numbers of one effort in laps (keys as in docs/pacing.md)."""
    speeds = m.lap_speeds_mps(dists, times)
    half = m.half_split_pct(dists, times)
    start = m.went_out_too_fast(dists, times, goal_speed_mps)
    kick = m.kick_pct(speeds)
    return {
        "effort_distance_m": float(dists.sum()),
        "effort_time_s": float(times.sum()),
        "evenness_cv_pct": m.evenness_cv_pct(speeds),
        "half_split_pct": half,
        "kick_pct": kick,
        "kick_vs_average_pct": m.kick_vs_average_pct(dists, times),
        "has_kick": bool(kick >= KICK_MIN_PCT),
        "went_out_too_fast": start.too_fast,
        "start_reference": start.reference,
        "lap1_vs_reference_pct": start.lap1_vs_ref_pct,
        "laps23_vs_reference_pct": start.middle_vs_ref_pct,
        "shape": m.pacing_shape(speeds, half),
    }


def score_mile(
    effort, profile: Profile, workout_type: str = "time_trial", activity=None
) -> Scorecard:
    """Scorecard of a mile effort (an ``Effort`` whose ``laps`` are its quarters).

    With ``activity``, laps whose ends the runner did not press are GPS-timed: each gets
    its 90 % uncertainty, and a verdict inside it is not judged (scoring.margins)."""
    unit = profile.units or "km"
    starts, times, dists = effort_laps(effort.laps)
    goal_v = profile.goal_speed_mps
    mx = mile_metrics(dists, times, goal_v)
    mx.update(_result_metrics(mx, profile))
    half_w, source = np.zeros(len(times)), "laps"
    if activity is not None:
        half_w, sigma_b, source, timing = boundary_sigmas_s(activity, starts, times, dists)
        mx.update(margin_metrics(mx, dists, times, sigma_b, goal_v, source, timing))
    stats = lap_stats(activity, starts, starts + times) if activity is not None else None
    speeds = dists / times
    laps = tuple(
        LapResult(
            index=i + 1,
            start_s=float(starts[i]),
            time_s=float(times[i]),
            distance_m=float(dists[i]),
            vs_goal_pct=(speeds[i] / goal_v - 1) * 100 if goal_v else None,
            vs_mean_pct=(speeds[i] / speeds.mean() - 1) * 100,
            uncertainty_s=float(half_w[i]),
            time_source="laps" if half_w[i] == 0 else "gps",
            stats=stats[i] if stats else {},
        )
        for i in range(len(times))
    )
    parts = _parts(mx)
    even_lap_s = (profile.goal_mile_s or mx["effort_time_s"] * MILE_M / mx["effort_distance_m"]) / 4
    findings = _findings(mx, profile, times, even_lap_s, unit)
    advice = _advice(mx, profile, times, even_lap_s)
    next_time = first_failed(parts, advice) or _keep_going(mx, profile, even_lap_s)
    return Scorecard(
        kind="mile",
        workout_type=workout_type,
        score=total_score(parts),
        parts=parts,
        findings=findings,
        next_time=next_time,
        metrics=mx,
        laps=laps,
        units=unit,
    )


def _result_metrics(mx: dict, profile: Profile) -> dict:
    """Mile time (Riegel-converted when the effort is not a mile), vs goal, age grade."""
    d, t = mx["effort_distance_m"], mx["effort_time_s"]
    mile_s = t if abs(d - MILE_M) <= MILE_TOLERANCE * MILE_M else m.riegel_time_s(t, d)
    out = {"mile_time_s": mile_s, "goal_mile_s": profile.goal_mile_s, "age_grade_pct": None}
    out["vs_goal_s"] = mile_s - profile.goal_mile_s if profile.goal_mile_s else None
    if profile.age is not None and profile.sex is not None:
        from ..agegrade import age_grade_mile_pct

        out["age_grade_pct"] = age_grade_mile_pct(mile_s, profile.age, profile.sex)
    return out


def _parts(mx: dict) -> tuple[Part, ...]:
    cv, half, kick, lap1 = (
        mx["evenness_cv_pct"],
        mx["half_split_pct"],
        mx["kick_pct"],
        mx["lap1_vs_reference_pct"],
    )
    ref = "goal pace" if mx["start_reference"] == "goal" else "laps 2-4"
    unsure = set(mx.get("cannot_tell") or ())
    if half <= HALF_SPLIT_EVEN_BAND_PCT:
        half_frac = ramp(half, HALF_NEG_FULL_PCT, HALF_NEG_ZERO_PCT)
    else:
        half_frac = ramp(half, HALF_SPLIT_EVEN_BAND_PCT, HALF_POS_ZERO_PCT)
    return (
        Part(
            "evenness",
            EVENNESS_POINTS * ramp(cv, CV_FULL_PCT, CV_ZERO_PCT),
            EVENNESS_POINTS,
            f"lap-speed CV {cv:.2f} %" + _unsure("even", unsure),
            f"full <= {CV_FULL_PCT:g} %, even <= {EVEN_CV_PCT:g} %, none >= {CV_ZERO_PCT:g} %",
            passed=None if "even" in unsure else bool(cv <= EVEN_CV_PCT),
        ),
        Part(
            "start",
            START_POINTS * ramp(lap1, FAST_START_PCT, START_ZERO_PCT),
            START_POINTS,
            f"lap 1 {lap1:+.1f} % vs {ref}" + _unsure("start", unsure),
            f"full <= +{FAST_START_PCT:g} % faster, none >= +{START_ZERO_PCT:g} %",
            passed=None if "start" in unsure else not mx["went_out_too_fast"],
        ),
        Part(
            "halves",
            HALVES_POINTS * float(half_frac),
            HALVES_POINTS,
            f"half split {half:+.1f} %" + _unsure("halves", unsure),
            f"full {HALF_NEG_FULL_PCT:g} % to +{HALF_SPLIT_EVEN_BAND_PCT:g} %, "
            f"none >= +{HALF_POS_ZERO_PCT:g} % or <= {HALF_NEG_ZERO_PCT:g} %",
            passed=None
            if "halves" in unsure
            else bool(HALF_NEG_ZERO_PCT / 2 <= half <= HALF_SPLIT_EVEN_BAND_PCT),
        ),
        Part(
            "finish",
            KICK_POINTS * ramp(kick, KICK_MIN_PCT, KICK_ZERO_PCT),
            KICK_POINTS,
            f"last lap {kick:.1f} % of laps 2-3" + _unsure("kick", unsure),
            f"kick >= {KICK_MIN_PCT:g} %, none <= {KICK_ZERO_PCT:g} %",
            passed=None if "kick" in unsure else bool(kick >= KICK_MIN_PCT),
        ),
    )


def _unsure(name: str, unsure: set) -> str:
    return ", GPS cannot tell" if name in unsure else ""


def _findings(mx, profile: Profile, times, even_lap_s: float, unit: str) -> tuple[Finding, ...]:
    unsure = set(mx.get("cannot_tell") or ())
    out = [_result_finding(mx, profile)]
    out.append(_start_finding(mx, profile, even_lap_s))
    cv = mx["evenness_cv_pct"]
    cv_txt = f"{cv:.2f}" if abs(cv - EVEN_CV_PCT) < 0.1 else f"{cv:.1f}"
    if "even" in unsure:
        lo, hi = mx["evenness_cv_interval_pct"]
        text = (
            f"Lap speeds varied by {cv_txt} % (CV; {lo:.1f}-{hi:.1f} % within GPS error): "
            f"GPS cannot tell whether that is even ({EVEN_CV_PCT:g} % or less). {PRESS_LAP}"
        )
    elif cv <= EVEN_CV_PCT:
        text = f"Lap speeds varied by {cv_txt} % (CV): even, like world-record miles (1-3 %)."
    else:
        text = (
            f"Lap speeds varied by {cv_txt} % (CV): uneven (even is {EVEN_CV_PCT:g} % or less); "
            f"laps ran {lap_times(times)}."
        )
    out.append(Finding(text, G_EVEN))
    half = mx["half_split_pct"]
    if "halves" in unsure:
        lo, hi = mx["half_split_interval_pct"]
        text = (
            f"Half split {half:+.1f} % ({lo:+.1f} to {hi:+.1f} % within GPS error): GPS cannot "
            f"tell positive, even or negative halves (even is within "
            f"+-{HALF_SPLIT_EVEN_BAND_PCT:g} %). {PRESS_LAP}"
        )
        out.append(Finding(text, G_HALF))
    else:
        out.append(Finding(_half_text(half), G_HALF))
    if "kick" in unsure:
        lo, hi = mx["kick_interval_pct"]
        out.append(
            Finding(
                f"Kick: GPS cannot tell: last lap {mx['kick_pct'] - 100:+.1f} % against laps 2-3 "
                f"({lo - 100:+.1f} to {hi - 100:+.1f} % within GPS error; a kick is "
                f"+{KICK_MIN_PCT - 100:g} %). Press lap at each 400 m to judge a "
                f"{KICK_MIN_PCT - 100:g} % kick.",
                G_KICK,
            )
        )
    else:
        out.append(Finding(_kick_text(mx["kick_pct"]), G_KICK))
    if unsure:
        out.append(Finding("Shape: GPS cannot tell (" + SHAPE_WORDS[mx["shape"]] + "?).", G_SHAPE))
    else:
        out.append(Finding(f"Shape: {SHAPE_WORDS[mx['shape']]}.", G_SHAPE))
    out.append(_source_finding(mx))
    out.append(_age_finding(mx, profile))
    return tuple(f for f in out if f is not None)


PRESS_LAP = "Press lap at each 400 m (or each quarter) to judge it."


def _source_finding(mx) -> Finding | None:
    source = mx.get("time_source")
    if source == "laps":
        return Finding("Lap times from your lap presses: exact.", G_SOURCE)
    if source is None:
        return None
    what = "GPS" if source == "gps" else "GPS where you did not press lap"
    return Finding(
        f"Lap times measured from {what} ({mx['gps_timing']}): each carries its 90 % "
        "uncertainty (+-); verdicts inside it are not judged.",
        G_SOURCE,
    )


def _age_finding(mx, profile: Profile) -> Finding | None:
    if mx["age_grade_pct"] is not None:
        return Finding(
            f"Age grade {mx['age_grade_pct']:.1f} % ({profile.age}-year-old "
            f"{'woman' if profile.sex == 'female' else 'man'}, 2020 road tables).",
            G_AGE,
        )
    if profile.age is None and profile.sex is None:
        return None
    need = "--sex" if profile.sex is None else "--age"
    return Finding(f"Age grade not judged: give {need} too (the tables need age and sex).", G_AGE)


def _result_finding(mx, profile: Profile) -> Finding:
    t = mx["mile_time_s"]
    is_mile = abs(mx["effort_distance_m"] - MILE_M) <= MILE_TOLERANCE * MILE_M
    name = "Mile" if is_mile else "Mile equivalent"
    text = f"{name} {mile_time(t)}"
    if profile.goal_mile_s:
        diff = t - profile.goal_mile_s
        goal = mile_time(profile.goal_mile_s)
        if abs(diff) < 0.5:
            text += f": right on your {goal} goal."
        else:
            text += (
                f": {abs(diff):.1f} s {'slower' if diff > 0 else 'faster'} than your {goal} goal."
            )
    else:
        text += " (no goal mile given, laps judged against each other: --goal-mile to judge it)."
    return Finding(text, G_GOAL)


def _start_finding(mx, profile: Profile, even_lap_s: float) -> Finding | None:
    lap1, mid = mx["lap1_vs_reference_pct"], mx["laps23_vs_reference_pct"]
    goal_words = f"for a {mile_time(even_lap_s * 4)} mile"
    if "start" in (mx.get("cannot_tell") or ()):
        ref = "your goal pace" if mx["start_reference"] == "goal" else "your other laps"
        return Finding(
            f"Lap 1 was {pct(lap1)} {faster_slower(lap1)} than {ref}: GPS cannot tell whether "
            f"you went out too fast (more than {FAST_START_PCT:g} % faster). {PRESS_LAP}",
            G_START,
        )
    if mx["went_out_too_fast"]:
        if mx["start_reference"] == "goal":
            head = f"Lap 1 was {pct(lap1)} faster than your goal pace and laps 2-3 fell {pct(mid)}"
            head += " behind it"
        else:
            head = f"Lap 1 was {pct(lap1)} faster than your other laps and laps 2-3 fell "
            head += f"{pct(mid)} behind your average"
        return Finding(
            f"{head}: you went out too fast. Aim for even laps: {lap_time(even_lap_s)} each "
            f"{goal_words}.",
            G_START,
        )
    if mx["start_reference"] == "goal" and lap1 < -FAST_START_PCT:
        return Finding(
            f"Lap 1 was {pct(lap1)} slower than your goal pace: a cautious start "
            f"({lap_time(even_lap_s)} per lap is goal pace).",
            G_START,
        )
    return None


def _half_text(half: float) -> str:
    if abs(half) <= HALF_SPLIT_EVEN_BAND_PCT:
        return f"Even halves: second half {pct(half)} {faster_slower(-half)} than the first."
    if half > 0:
        return f"Positive split: second half {pct(half)} slower than the first."
    return f"Negative split: second half {pct(half)} faster than the first."


def _kick_text(kick: float) -> str:
    if kick >= KICK_MIN_PCT:
        return f"Kick: last lap {pct(kick - 100)} faster than laps 2-3."
    if kick >= 100:
        return f"No real kick: last lap only {pct(kick - 100)} faster than laps 2-3."
    return f"No kick: last lap {pct(kick - 100)} slower than laps 2-3."


def _advice(mx, profile: Profile, times, even_lap_s: float) -> dict[str, str]:
    lap = lap_time(even_lap_s)
    return {
        "start": f"Run lap 1 in {lap}, not {lap_time(times[0])}: start at "
        f"{'goal' if profile.goal_mile_s else 'even'} pace, not faster.",
        "evenness": f"Practise even laps with your watch: {lap} each "
        f"for a {mile_time(even_lap_s * 4)} mile.",
        "halves": f"Hold {lap} through laps 2 and 3 (you ran "
        f"{lap_time(times[1])} and {lap_time(times[2])}): that is where the mile is lost.",
        "finish": "Keep something for lap 4: run laps 2-3 at even pace, then "
        "speed up over the last 200-400 m.",
    }


def _keep_going(mx, profile: Profile, even_lap_s: float) -> str:
    mile_s = mx["mile_time_s"]
    if profile.goal_mile_s and mile_s > profile.goal_mile_s:
        return (
            f"Pacing was sound; the gap to your goal is fitness: keep up the interval work "
            f"and try {lap_time(even_lap_s)} laps again."
        )
    faster = mile_s * 0.99 / 4
    return (
        f"Well paced. Next time try even laps of {lap_time(faster)} "
        f"(a {mile_time(faster * 4)} mile), with the same kick."
    )
