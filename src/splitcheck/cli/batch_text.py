"""The archive view in the terminal: recent weeks (volume and the review in words), months,
training load, time in zones, records and repeated workouts; and the batch's one-line
summary whose counts add up."""

from __future__ import annotations

from ..batch.miles import HARD_MILES_WORDS
from ..batch.review_words import FLAG_EXPLAINED
from ..report.structure_text import EFFORT_NAMES
from ..units import FOOT_M, UNIT_M, format_duration

DEFAULT_WEEKS_SHOWN = 12
"""Weeks printed by default: the last quarter, as intervals.icu's and Garmin Connect's
training views open on (the files hold every week)."""
MONTHS_SHOWN = 6
RACES_SHOWN = 10
ZONE_WEEKS = 4
"""Time in zones is summed over the last 4 weeks shown."""


def render_archive(view, *, unit: str = "km", weeks_shown: int = DEFAULT_WEEKS_SHOWN) -> str:
    """The archive view as text (see the module docstring)."""
    lines = _weeks(view, unit, weeks_shown)
    lines += _months(view, unit)
    lines += _load(view)
    lines += _records(view)
    lines += _mile_trend(view)
    lines += _workouts(view, unit)
    used = sorted({f for w in view.review.weeks for f in w.flags})
    if used:
        lines += ["", "The review's rules:"]
        lines += [f"  {f.replace('_', ' ')}: {FLAG_EXPLAINED.get(f, '')}" for f in used]
    lines += [f"not judged: {n}" for n in view.review.not_judged]
    lines += [f"note: {n}" for n in view.review.notes]
    return "\n".join(lines)


def _weeks(view, unit: str, shown: int) -> list[str]:
    weeks = list(view.weeks)
    if not weeks:
        return ["No activities with a date in this period."]
    recent = weeks[-shown:] if shown else weeks
    review = {w.week: w for w in view.review.weeks}
    title = f"Weekly volume and review (days in {view.review.timezone})"
    if len(recent) < len(weeks):
        title = (
            f"Weekly volume and review: the last {len(recent)} of {len(weeks)} weeks "
            f"(days in {view.review.timezone})"
        )
    head = (
        f"{'week':<9} {'runs':>4} {'distance':>9} {'time':>8} {'climb':>6} {'long run':>9} "
        f"{'hard min':>8} {'load':>5}  review"
    )
    lines = [title, head]
    empty = 0
    for p in recent:
        judged = review.get(p.period)
        if not p.activities:
            empty += 1
            continue
        if empty:
            lines.append(f"  ({empty} week{'s' if empty > 1 else ''} without activities)")
            empty = 0
        words = "; ".join(judged.words()) if judged else ""
        lines.append(
            f"{p.period:<9} {p.runs:>4} {_dist(p.distance_m, unit):>9} "
            f"{format_duration(p.duration_s):>8} {_climb(p.elevation_gain_m, unit):>6} "
            f"{_dist(p.long_run_m, unit):>9} {p.hard_s / 60:>8.1f} {p.load:>5.0f}  {words}"
        )
    if empty:
        lines.append(f"  ({empty} week{'s' if empty > 1 else ''} without activities)")
    if len(recent) < len(weeks):
        lines.append(
            f"  ({len(weeks) - len(recent)} earlier weeks not shown: --weeks 0 shows every week, "
            "--since/--until/--last choose the period; all are in weeks.csv)"
        )
    return lines


def _months(view, unit: str) -> list[str]:
    months = [m for m in view.months if m.activities][-MONTHS_SHOWN:]
    if not months:
        return []
    lines = ["", f"Months (the last {len(months)} with activities)"]
    lines.append(
        f"{'month':<9} {'runs':>4} {'distance':>9} {'time':>9} {'climb':>7} {'long run':>9} "
        f"{'hard min':>8} {'load':>6}"
    )
    for p in months:
        lines.append(
            f"{p.period:<9} {p.runs:>4} {_dist(p.distance_m, unit):>9} "
            f"{format_duration(p.duration_s):>9} {_climb(p.elevation_gain_m, unit):>7} "
            f"{_dist(p.long_run_m, unit):>9} {p.hard_s / 60:>8.1f} {p.load:>6.0f}"
        )
    return lines


def _load(view) -> list[str]:
    days = list(view.fitness)
    acts = list(view.activities)
    if not days:
        return []
    last = days[-1]
    counts: dict[str, int] = {}
    for a in acts:
        key = a.get("load_from") or "none"
        counts[key] = counts.get(key, 0) + 1
    parts = [f"{n} from {k}" for k, n in sorted(counts.items(), key=lambda kv: len(kv[0]))]
    parts = [p for p in parts if not p.endswith(" from none")]
    lines = [
        "",
        f"Training load on {last.date}: fitness (CTL, 42 d) {last.ctl:.1f}, fatigue (ATL, "
        f"7 d) {last.atl:.1f}, form (TSB) {last.tsb:+.1f}",
        f"  activities with a load: {', '.join(parts) or 'none'}; without: "
        f"{counts.get('none', 0)}; every day in fitness.csv",
    ]
    lines += [f"  {s}" for s in view.load_settings.sources]
    weeks = [w for w in view.weeks][-ZONE_WEEKS:]
    total = [sum(w.zone_s[i] for w in weeks) for i in range(5)]
    if sum(total) > 0:
        zones = ", ".join(f"Z{i + 1} {format_duration(t)}" for i, t in enumerate(total))
        lines.append(
            f"  heart-rate zones, last {len(weeks)} weeks: {zones} (% of max HR: 50-60-70-80-90)"
        )
    return lines


def _records(view) -> list[str]:
    alltime = [r for r in view.records if r.year is None]
    if not alltime:
        return []
    lines = ["", "Records (all-time; each year's in records.csv)"]
    for r in alltime:
        name = EFFORT_NAMES.get(r.effort, r.effort)
        where = r.source.rsplit("/", 1)[-1]
        lines.append(
            f"  {name:<14} {format_duration(r.duration_s, decimals=1):>10}  {r.date}  {where}"
        )
    if view.races:
        lines += [
            "",
            "Races and time trials (time trials found in the runs, and runs over a race "
            "distance within 3 % of your record there)",
        ]
        for r in view.races[-RACES_SHOWN:]:
            name = EFFORT_NAMES.get(r.effort, r.effort)
            where = r.source.rsplit("/", 1)[-1]
            lines.append(
                f"  {r.date}  {name:<14} {format_duration(r.duration_s, decimals=1):>10}  {where}"
            )
    return lines


def _mile_trend(view) -> list[str]:
    """The best mile run hard and its trend: easy runs' fastest miles left out."""
    trend = getattr(view, "mile_trend", None)
    if trend is None or not view.weeks:
        return []
    return ["", f"Mile trend (hard miles only: {HARD_MILES_WORDS})", f"  {trend.words()}"]


def _workouts(view, unit: str) -> list[str]:
    sessions = list(view.workouts)
    if not sessions:
        return []
    lines = ["", "The same workout over time (mean rep pace, fade first to second half, recovery)"]
    current = None
    for s in sessions:
        if s.workout != current:
            current = s.workout
            lines.append(f"  {s.workout}")
        pace = (
            "-"
            if s.mean_rep_pace_s_per_km is None
            else f"{format_duration(s.mean_rep_pace_s_per_km * UNIT_M[unit] / 1000.0)}/{unit}"
        )
        fade = "-" if s.fade_pct is None else f"{s.fade_pct:+.1f} %"
        rec = "-" if s.mean_recovery_s is None else format_duration(s.mean_recovery_s)
        lines.append(f"    {s.date}  {s.reps} reps  {pace:>9}  fade {fade:>7}  recovery {rec}")
    return lines


def _climb(metres: float, unit: str) -> str:
    """Climb in metres, or feet with miles."""
    if unit == "mi":
        return f"{metres / FOOT_M:.0f} ft"
    return f"{metres:.0f} m"


def _dist(metres: float | None, unit: str) -> str:
    if metres is None:
        return "-"
    return f"{metres / UNIT_M[unit]:.1f} {unit}"


def summary_lines(result, out_dir, failures_file, wall_s: float) -> list[str]:
    """The batch's summary: one line whose counts add up (files = read + skipped + failed
    + duplicates), then the skipped reasons and the failures."""
    activities = len(result.tables["activities"])
    twins = sum(
        len(a["also_in"].split("; ")) for a in result.tables["activities"] if a.get("also_in")
    )
    parts = [f"{result.read} read ({activities} distinct activities"]
    parts[0] += f"; {twins} others were copies of them in other files)" if twins else ")"
    parts += [f"{result.skipped} skipped", f"{result.failed} failed"]
    if result.duplicates:
        parts.append(f"{result.duplicates} duplicate files")
    lines = [
        f"splitcheck: {result.files} files: {', '.join(parts)}; "
        f"{result.analysed} analysed now, {result.cached} from the cache; "
        f"{format_duration(wall_s, decimals=1) if wall_s >= 60 else f'{wall_s:.1f} s'}; "
        f"tables in {out_dir}"
    ]
    for reason, n in sorted(result.skipped_reasons.items()):
        lines.append(f"splitcheck: skipped {n}: {reason}")
    if result.read == 0 and not result.failures:
        lines.append(
            "splitcheck: no activity files found (.fit, .gpx, .tcx, .gz of them, or .zip exports)"
        )
    if result.failures:
        lines.append(f"splitcheck: failures (also in {failures_file}):")
        lines += [f"  {failure.line()}" for failure in result.failures]
    return lines
