"""The archive's index page: weekly volume (a chart that shows a week's numbers on hover)
and the weekly review, records, and every activity linked to its page.

Its numbers are the archive view's JSON (``ArchiveView.to_dict()``, what ``splitcheck
batch --json`` prints) and its activity rows (the ``activities`` table).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ...localtime import offset_words
from ...units import SPEED_SPORTS, UNIT_M
from ..structure_text import EFFORT_NAMES
from . import fmt
from .assets import page_shell
from .svg import FRAMES, Frame, spaced, svg_open, tip_in
from .tables import Column, table, text_col

CHART_WEEKS = 52
"""The volume chart shows the last year of weeks (the table below holds every week)."""
VOLUME_H = 220
VOLUME_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)
CHART_MONTHS_FROM = 12
"""A second chart, distance per month over the whole archive, when it spans more months."""
RUNNING = frozenset({"running", "trail_running", "treadmill_running", "track_running"})


def render_index(view: Any, hrefs: Mapping[tuple[str, int], str], *, unit: str = "km") -> str:
    """The index page of an archive; ``hrefs`` maps (source, session index) to the
    activity's page (relative to the index)."""
    doc = view.to_dict()
    rows = sorted(view.activities, key=lambda r: str(r.get("start_utc") or ""), reverse=True)
    weeks = [w for w in doc["weeks"] if w.get("activities")]
    first = weeks[0]["start"] if weeks else ""
    last = weeks[-1]["end"] if weeks else ""
    body = [
        "<header><h1>Training archive</h1>"
        f'<p class="meta">{fmt.esc(first)} to {fmt.esc(last)} · {len(rows)} activities · '
        f"days and times in {fmt.esc(doc.get('timezone') or 'UTC')}</p></header>",
        _tiles(rows, doc, unit),
        _volume(doc, unit),
        _weeks_table(weeks[::-1], doc, unit),
        _records(doc.get("records") or [], hrefs, unit),
        _mile_trend(doc.get("mile_trend") or {}),
        _activities(rows, hrefs, unit),
        "<footer><p>Made by <code>splitcheck batch --html</code>; the numbers are those of "
        "<code>splitcheck batch --json</code>.</p></footer>",
    ]
    return page_shell("Training archive", "".join(body))


def _tiles(rows: Sequence[Mapping[str, Any]], doc: Mapping[str, Any], unit: str) -> str:
    runs = [r for r in rows if r.get("sport") in RUNNING]
    dist = sum(r.get("distance_m") or 0.0 for r in runs)
    secs = sum(r.get("elapsed_s") or 0.0 for r in runs)
    mile = [r for r in doc.get("records") or [] if r["effort"] == "mile" and r["year"] is None]
    tiles = [
        ("runs", str(len(runs))),
        ("distance run", f"{dist / UNIT_M[unit]:,.0f} {unit}"),
        ("time running", fmt.duration(secs)),
        ("best mile", fmt.duration(mile[0]["duration_s"], 1) if mile else fmt.DASH),
    ]
    return (
        '<section class="tiles">'
        + "".join(
            f'<div class="tile"><span class="v">{fmt.esc(v)}</span>'
            f'<span class="k">{fmt.esc(k)}</span></div>'
            for k, v in tiles
        )
        + "</section>"
    )


def _week_tip(w: Mapping[str, Any], unit: str) -> str:
    lines = [
        f"Week {w['week']} ({w['start']} to {w['end']})",
        f"{fmt.number((w.get('distance_m') or 0) / UNIT_M[unit], '.1f')} {unit} in "
        f"{w.get('runs', 0)} runs, {fmt.duration(w.get('duration_s'))}",
    ]
    if fmt.finite(w.get("long_run_m")):
        lines.append(f"long run {fmt.distance(w['long_run_m'], unit, metres_below_m=0)}")
    if fmt.finite(w.get("hard_min")) and w["hard_min"] > 0:
        lines.append(f"hard {w['hard_min']:.0f} min")
    lines += list(w.get("review") or [])
    return fmt.tip(lines)


def _volume(doc: Mapping[str, Any], unit: str) -> str:
    """Distance per week over the archive's last year, and per month over the whole
    archive when it spans more than a year."""
    weeks = doc["weeks"]
    active = [i for i, w in enumerate(weeks) if w.get("activities")]
    if not active:
        return ""
    shown = weeks[max(0, active[-1] + 1 - CHART_WEEKS) : active[-1] + 1]
    out = [
        '<section id="volume"><h2>Weekly volume</h2>',
        _period_chart(
            "volume-chart",
            shown,
            unit,
            tips=[_week_tip(w, unit) for w in shown],
            rows=[f"week-{w['week']}" for w in shown],
            labels=[str(w["start"])[5:] for w in shown],
            every=4,
            per="week",
        ),
    ]
    months = doc.get("months") or []
    if len(months) > CHART_MONTHS_FROM:
        out.append(
            _period_chart(
                "months-chart",
                months,
                unit,
                tips=[_month_tip(m, unit) for m in months],
                rows=[None] * len(months),
                labels=[str(m["period"]) for m in months],
                every=max(1, len(months) // 8),
                per="month",
            )
        )
    out.append("</section>")
    return "".join(out)


def _month_tip(m: Mapping[str, Any], unit: str) -> str:
    return fmt.tip(
        [
            f"{m['period']}",
            f"{fmt.number((m.get('distance_m') or 0) / UNIT_M[unit], '.1f')} {unit} in "
            f"{m.get('runs', 0)} runs, {fmt.duration(m.get('duration_s'))}",
        ]
    )


def _period_chart(chart_id, periods, unit, *, tips, rows, labels, every, per) -> str:
    """A bar per week or month, height the distance run in it (in each frame)."""
    values = [(p.get("distance_m") or 0.0) / UNIT_M[unit] for p in periods]
    top = max(values) or 1.0
    step = next((s for s in VOLUME_STEPS if top / s <= 5), VOLUME_STEPS[-1])
    top = math.ceil(top / step) * step
    svgs = "".join(
        _period_svg(frame, chart_id, values, (top, step), unit, tips, rows, labels, every, per)
        for frame in FRAMES
    )
    return (
        f'<figure class="chart">{svgs}<figcaption><p class="hint">Hover or tap a {per} for '
        "its numbers.</p></figcaption></figure>"
    )


def _period_svg(frame: Frame, chart_id, values, scale, unit, tips, rows, labels, every, per):
    top, step = scale
    h = VOLUME_H - frame.pad_t - frame.pad_b
    foot = frame.pad_t + h
    slot = frame.plot_w / len(values)
    out = [svg_open(chart_id, VOLUME_H, f"Distance per {per}", frame), '<g class="grid">']
    for v in range(0, int(top) + 1, step):
        y = foot - v / top * h
        out.append(
            f'<line x1="{frame.pad_l}" x2="{frame.width - frame.pad_r}" y1="{y:.1f}" '
            f'y2="{y:.1f}"/><text x="{frame.pad_l - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{v}</text>"
        )
    out.append(
        f'<text class="axis-name" x="2" y="{frame.pad_t - frame.font - 3}">{unit} per {per}'
        '</text></g><g class="bars">'
    )
    centres = [frame.pad_l + (i + 0.5) * slot for i in range(len(values))]
    every_nth = [t if i % every == 0 else "" for i, t in enumerate(labels)]
    shown = spaced(centres, every_nth, frame, frame.pad_l)
    for i, (v, tip, row, label) in enumerate(zip(values, tips, rows, labels, strict=True)):
        x = frame.pad_l + i * slot
        y = foot - v / top * h
        out.append(
            f'<rect x="{x + slot * 0.1:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" '
            f'height="{max(foot - y, 0.5):.1f}"'
            + fmt.attrs(class_="bar", data_tip=tip_in(frame, tip), data_row=row, tabindex="0")
            + "/>"
        )
        if shown[i]:
            out.append(
                f'<text class="bar-label" x="{centres[i]:.1f}" y="{foot + frame.font + 3:.1f}" '
                f'text-anchor="middle">{fmt.esc(label)}</text>'
            )
    out.append("</g></svg>")
    return "".join(out)


def _weeks_table(weeks: Sequence[Mapping[str, Any]], doc: Mapping[str, Any], unit: str) -> str:
    rows = [{**w, "review_text": "; ".join(w.get("review") or [])} for w in weeks]
    km = lambda v: fmt.number(v / UNIT_M[unit], ".1f")  # noqa: E731
    cols = [
        text_col("week", "week"),
        text_col("from", "start"),
        Column("runs", "runs", str),
        Column(unit, "distance_m", km),
        Column("time", "duration_s", fmt.duration),
        Column(f"long run {unit}", "long_run_m", km, optional=True),
        Column("hard min", "hard_min", fmt.number, optional=True),
        Column("sprint", "sprint_sessions", str, optional=True),
        Column("speed end.", "speed_endurance_sessions", str, optional=True),
        Column("review", "review_text", str, numeric=False),  # wraps: see page.css
    ]
    notes = [*doc.get("not_judged", []), *doc.get("notes", [])]
    note_html = "".join(f'<p class="note">{fmt.esc(n)}</p>' for n in notes)
    return (
        '<section id="weeks"><h2>Weekly review</h2>'
        + table(
            "weeks-table",
            "Weeks with activities, latest first",
            cols,
            rows,
            "week",
            keys=[str(w["week"]) for w in weeks],
        )
        + note_html
        + "</section>"
    )


def _link(text: str, href: str | None) -> str:
    return f'<a href="{fmt.esc(href)}">{fmt.esc(text)}</a>' if href else fmt.esc(text)


def _records(records: Sequence[Mapping[str, Any]], hrefs, unit: str) -> str:
    best = [r for r in records if r.get("year") is None]
    if not best:
        return ""
    head = (
        f'<tr><th scope="col">effort</th><th class="num">time</th>'
        f'<th class="num">pace /{unit}</th><th>date</th></tr>'
    )
    body = []
    for r in best:
        href = hrefs.get((r.get("source"), int(r.get("session_index") or 0)))
        body.append(
            f"<tr><td>{fmt.esc(EFFORT_NAMES.get(r['effort'], r['effort']))}</td>"
            f'<td class="num" data-v="{r["duration_s"]}">{fmt.duration(r["duration_s"], 1)}</td>'
            f'<td class="num">{fmt.pace(r.get("pace_s_per_km"), unit)}</td>'
            f"<td>{_link(str(r.get('date') or ''), href)}</td></tr>"
        )
    return (
        '<section id="records"><h2>Records</h2><div class="table-wrap"><table id="records-table">'
        f"<caption>Fastest efforts within any run</caption><thead>{head}</thead>"
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )


def _mile_trend(trend: Mapping[str, Any]) -> str:
    """The best mile run hard and its trend, saying which miles count (batch.miles)."""
    if not trend.get("words"):
        return ""
    return (
        '<section id="mile-trend"><h2>Mile trend</h2>'
        f"<p>{fmt.esc(trend['words'][:1].upper() + trend['words'][1:])}.</p>"
        f'<p class="note">Only miles run hard count: {fmt.esc(trend.get("hard_miles") or "")}. '
        "The fastest mile inside an easy run is not a fitness trend.</p></section>"
    )


def _activities(rows: Sequence[Mapping[str, Any]], hrefs, unit: str) -> str:
    body = []
    for r in rows:
        href = hrefs.get((r.get("source"), int(r.get("session_index") or 0)))
        what = r.get("workout_label") or str(r.get("sport") or "activity").replace("_", " ")
        local = str(r.get("start_local") or r.get("start_utc") or "")[:16].replace("T", " ")
        clock = _clock(r)
        pace = fmt.DASH
        if (
            fmt.finite(r.get("distance_m"))
            and r["distance_m"] > 0
            and fmt.finite(r.get("moving_s"))
        ):
            per_km = r["moving_s"] / r["distance_m"] * 1000.0
            pace = (
                f"{fmt.speed(per_km, unit)} {fmt.SPEED_UNIT[unit][0]}"
                if r.get("sport") in SPEED_SPORTS
                else fmt.pace(per_km, unit)
            )
        body.append(
            f'<tr><td>{fmt.esc(local)}<span class="src">{fmt.esc(clock)}</span></td>'
            f'<td class="what">{_link(what, href)}'
            f'<span class="src">{fmt.esc(r.get("source") or "")}</span></td>'
            f'<td class="num" data-v="{r.get("distance_m")}">'
            f"{fmt.number((r.get('distance_m') or 0) / UNIT_M[unit], '.2f')}</td>"
            f'<td class="num">{fmt.duration(r.get("elapsed_s"))}</td>'
            f'<td class="num">{pace}</td>'
            f'<td class="num">{fmt.number(r.get("pacing_score"))}</td></tr>'
        )
    head = (
        f'<tr><th>start (local)</th><th>activity</th><th class="num">{unit}</th>'
        f'<th class="num">time</th><th class="num">pace /{unit}</th>'
        '<th class="num">score</th></tr>'
    )
    return (
        '<section id="activities"><h2>Activities</h2><div class="table-wrap">'
        f'<table id="activities-table"><caption>Every activity, latest first; each links to '
        f"its page</caption><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
        "</div></section>"
    )


def _clock(row: Mapping[str, Any]) -> str:
    """The clock the start is on: ``UTC-08:00`` (and how it was found when not from the
    file: ``Europe/Paris``, ``no time zone known``)."""
    if not row.get("start_local"):
        return "UTC" if row.get("start_utc") else ""
    offset = row.get("utc_offset_s")
    words = offset_words(float(offset)) if fmt.finite(offset) else "UTC"
    source = row.get("local_time_source")
    if source == "utc":
        return f"{words}: no time zone known"
    if row.get("timezone"):
        return f"{words}, {row['timezone']}"
    return words
