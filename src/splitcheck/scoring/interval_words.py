"""Findings and next-time advice of an interval session, in runner's words."""

from __future__ import annotations

import math

from ..arrays import median
from ..profile import Profile
from ..units import UNIT_M, format_duration
from .card import Finding
from .recoveries import recovery_rule
from .words import mile_time, pace, pct

G_GOAL = "docs/guidance.md I1: each rep at goal mile pace or faster (article tip #6)"
G_CONS = "docs/guidance.md I2: consistency across reps of one distance"
G_FADE = "docs/guidance.md I3: fade"
G_REC = "docs/guidance.md I4: recoveries"
G_PYR = "docs/guidance.md I5: pyramid, hammer home the descending portion"
G_HR = "docs/guidance.md I6: time-based speed reps at 90-95 % of max HR"
G_LEN = "docs/guidance.md I7: 4 x 5 min vs 4 x 3 min from your best mile"
G_BUILD = "docs/guidance.md W3: build intensity gradually (article tip #7)"


def findings(f, mx: dict, profile: Profile, unit: str) -> tuple[Finding, ...]:
    """Each judged aspect of the session as one sentence, with the guidance it applies."""
    from . import intervals as iv

    out = [_goal_finding(f, mx, unit)]
    cv = mx["consistency_cv_pct"]
    if f.workout_type != "pyramid" and not math.isnan(cv):
        verdict = "consistent" if cv <= iv.CONSISTENCY_OK_PCT else "uneven"
        if mx.get("consistency_cannot_tell"):
            verdict = (
                f"GPS cannot tell whether that is consistent ({iv.CONSISTENCY_OK_PCT:g} % or "
                "less); press lap at each rep's start and end to judge it"
            )
        out.append(Finding(f"{_paces_of(f)} varied by {cv:.1f} % (CV): {verdict}.", G_CONS))
    if f.fade_group and f.workout_type != "pyramid":
        out.append(_fade_finding(f, mx, unit))
    if f.workout_type == "pyramid":
        out.append(_pyramid_finding(mx))
    out.append(_recovery_finding(f, mx))
    if iv.is_short_time_reps(f):
        out.append(_hr_finding(f, mx, profile))
    if iv.is_long_time_reps(f):
        out.append(_length_finding(f, mx, profile))
    return tuple(x for x in out if x is not None)


def _paces_of(f) -> str:
    """Whose paces the CV compares: "Rep paces over the 3 min reps" when one kind of rep
    was repeated (time reps are no distance: garmin-stamina.fit's 5x3 min read "within each
    distance"), else "Rep paces within each rep length"."""
    repeated = [name for name, idx in f.groups.items() if len(idx) > 1]
    if len(repeated) == 1:
        return f"Rep paces over the {repeated[0]} reps"
    return "Rep paces within each rep length"


def _goal_finding(f, mx: dict, unit: str) -> Finding:
    n = len(f.reps)
    if f.goal_speed_mps is None:
        return Finding(
            "Reps not judged against goal pace: give --goal-mile (or --best-mile).",
            G_GOAL,
        )
    from .intervals import goal_call

    goal = pace(f.goal_speed_mps, unit)
    unsure = [r.rep for r in f.reps if goal_call(r) is None]
    slow = [r for r in f.reps if goal_call(r) is False]
    text = _goal_text(f, n, slow, goal, unit, len(unsure))
    if unsure:
        named = ", ".join(str(k) for k in unsure[:6]) + (" ..." if len(unsure) > 6 else "")
        text += (
            f" Rep{'s' if len(unsure) > 1 else ''} {named}: within GPS error of goal pace, "
            "cannot tell (press lap at each rep's start and end to judge)."
        )
    return Finding(text, G_GOAL)


def _goal_text(f, n: int, slow: list, goal: str, unit: str, unsure: int) -> str:
    if not slow:
        if unsure == n:
            return f"Reps against {f.goal_source} pace ({goal}): GPS cannot tell."
        told = "All" if not unsure else f"{n - unsure} of {n}"
        return f"{told} {'' if unsure else f'{n} '}reps at {f.goal_source} pace ({goal}) or faster."
    if len(slow) == n:
        mean_v = sum(r.distance_m for r in f.reps) / sum(r.time_s for r in f.reps)
        behind = (mean_v / f.goal_speed_mps - 1.0) * 100.0
        return (
            f"None of the {n} reps reached {f.goal_source} pace ({goal}): they averaged "
            f"{pace(mean_v, unit)}, {pct(behind)} slower."
        )
    worst = min(slow, key=lambda r: r.vs_goal_pct)
    named = ", ".join(str(r.rep) for r in slow[:4]) + (" ..." if len(slow) > 4 else "")
    return (
        f"{n - len(slow) - unsure} of {n} reps at {f.goal_source} pace ({goal}) or faster; "
        f"rep{'s' if len(slow) > 1 else ''} {named} fell behind (rep {worst.rep}: "
        f"{pace(1000.0 / worst.pace_s_per_km, unit)}, {pct(worst.vs_goal_pct)} slower)."
    )


def _fade_finding(f, mx: dict, unit: str) -> Finding:
    from .intervals import FADE_FULL, FADE_OK

    fade = mx["fade_s_per_km_per_rep"]
    shown = fade * UNIT_M[unit] / 1000.0  # s per the runner's unit, per rep
    idx = f.groups[f.fade_group]
    first, last = f.reps[idx[0]], f.reps[idx[-1]]
    span = (
        f"rep {first.rep} {pace(1000.0 / first.pace_s_per_km, unit)}, "
        f"rep {last.rep} {pace(1000.0 / last.pace_s_per_km, unit)}"
    )
    if mx.get("fade_cannot_tell"):
        lo, hi = (x * UNIT_M[unit] / 1000.0 for x in mx["fade_interval_s_per_km_per_rep"])
        return Finding(
            f"Fade over the {f.fade_group} reps {shown:+.1f} s/{unit} per rep ({lo:+.1f} to "
            f"{hi:+.1f} within GPS error; {span}): GPS cannot tell whether that is a fade "
            f"(above +{FADE_OK * UNIT_M[unit] / 1000.0:.2g}). Press lap at each rep's start "
            "and end to judge it.",
            G_FADE,
        )
    if fade > FADE_OK:
        return Finding(
            f"You faded: {shown:+.1f} s/{unit} slower each {f.fade_group} rep ({span}).", G_FADE
        )
    if fade < -FADE_FULL:
        return Finding(
            f"You sped up through the {f.fade_group} reps ({shown:+.1f} s/{unit} per rep; {span}).",
            G_FADE,
        )
    if fade > FADE_FULL:
        return Finding(
            f"A slight fade over the {f.fade_group} reps ({shown:+.1f} s/{unit} per rep; {span}).",
            G_FADE,
        )
    return Finding(f"No fade over the {f.fade_group} reps ({shown:+.1f} s/{unit} per rep).", G_FADE)


def _pyramid_finding(mx: dict) -> Finding:
    d = mx["descending_vs_ascending_pct"]
    if math.isnan(d):
        return Finding("Pyramid halves not compared: no distance run both ways.", G_PYR)
    if d > 0:
        return Finding(
            f"The way down was {pct(d)} faster than the same reps going up: "
            "you hammered home the descending half.",
            G_PYR,
        )
    return Finding(
        f"The way down was {pct(d)} slower than the same reps going up: "
        "the article asks you to hammer home the descending half.",
        G_PYR,
    )


def _recovery_finding(f, mx: dict) -> Finding | None:

    ok, count = mx["recoveries_ok"], mx["recoveries_count"]
    if ok is None:
        return None
    recs = [r.recovery_s for r in f.reps[:-1] if r.recovery_s is not None]
    lo, hi = format_duration(min(recs)), format_duration(max(recs))
    spread = lo if lo == hi else f"{lo}-{hi}"
    rule = recovery_rule(f)
    what = {
        "full": "full recoveries (at least as long as the rep, 90 s or more)",
        "speed": "60 s jog recoveries",
        "even": "even recoveries",
    }[rule]
    return Finding(f"Recoveries {spread}: {ok} of {count} were {what}.", G_REC)


def _hr_finding(f, mx: dict, profile: Profile) -> Finding:
    hits = mx["reps_reaching_hr_target"]
    if hits is None:
        why = "give --max-hr" if not profile.max_hr_bpm else "the file has no heart rate"
        return Finding(f"Heart rate on the speed reps not judged ({why}).", G_HR)
    from .intervals import HR_HIGH_PCT

    peaks = [r.peak_hr_pct_max for r in f.reps]
    text = (
        f"Heart rate reached 90 % of max in {hits} of {len(f.reps)} reps "
        f"(peaks {min(peaks):.0f}-{max(peaks):.0f} %; target 90-95 %)."
    )
    over = sum(p > HR_HIGH_PCT for p in peaks)
    if over > len(peaks) / 2:
        text += f" Above 95 % in {over}: these can be a touch easier."
    return Finding(text, G_HR)


def _length_finding(f, mx: dict, profile: Profile) -> Finding:
    rec = mx["recommended_rep_s"]
    if rec is None:
        return Finding(
            "4 x 5 vs 4 x 3 min not judged: give --best-mile (best_mile in a profile).", G_LEN
        )
    best = mile_time(profile.best_mile_s)
    if rec == 0.0:
        return Finding(
            f"With a {best} best mile, both 4 x 3 and 4 x 5 min at mile pace suit you.", G_LEN
        )
    rep_s = float(median([r.time_s for r in f.reps]))
    other = 180.0 if rec == 300.0 else 300.0
    fit = (
        "suits" if abs(rep_s - rec) <= 0.2 * rec else f"suits you better than {other / 60:.0f} min"
    )
    return Finding(f"With a {best} best mile, {rec / 60:.0f} min reps at mile pace {fit}.", G_LEN)


def advice(f, mx: dict, profile: Profile, unit: str) -> dict[str, str]:
    """The one thing to do next time, for each part that can lose points."""
    goal = pace(f.goal_speed_mps, unit) if f.goal_speed_mps else "goal mile pace"
    rec_s = mx["recommended_rep_s"]
    return {
        "fade": _fade_advice(f, unit),
        "goal pace": f"Hold every rep at {goal} or faster: if the last reps drop off, "
        "take a longer recovery rather than slowing.",
        "descending half": "On the way down the pyramid, run each rep faster than "
        "the same distance going up.",
        "consistency": f"Run every rep of one distance at the same pace ({goal}); "
        "start the first ones no faster.",
        "heart rate": "Push the short reps harder: heart rate should reach 90-95 % of max "
        "by the end of each.",
        "recoveries": _recovery_advice(f),
        "rep length": f"Switch to {rec_s / 60:.0f} min reps at mile pace." if rec_s else "",
        "keep": "Good session: repeat it before making it harder, and build intensity gradually.",
    }


def _fade_advice(f, unit: str) -> str:
    if not f.fade_group:
        return ""
    reps = [f.reps[k] for k in f.groups[f.fade_group]]
    mean_v = sum(r.distance_m for r in reps) / sum(r.time_s for r in reps)
    return (
        f"Start the {f.fade_group} reps at the pace you averaged ({pace(mean_v, unit)}), "
        "not faster, and hold it to the last one."
    )


def _recovery_advice(f) -> str:

    rule = recovery_rule(f)
    if rule == "full":
        return "Take full recoveries between reps: at least as long as the rep, 90 s or more."
    if rule == "speed":
        return "Jog 60 s between the speed reps: not a stand, not a longer break."
    return "Keep recoveries the same length between reps."
