"""One activity's page: the session in the runner's words, the scorecard and its findings,
the charts, and the laps, reps, mile and splits tables.

The numbers come from the analysis's JSON document (``Analysis.to_dict()``, what
``splitcheck analyze --json`` prints) and the trace chart's data; every text read from a
file (its name, the device, the sport) is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import __version__
from ...units import SPEED_SPORTS, format_distance, format_duration, format_for_sport
from . import fmt
from .assets import page_shell
from .bars import laps_chart, mile_chart, reps_chart, splits_chart
from .tables import (
    efforts_table,
    laps_table,
    mile_table,
    parts_table,
    reps_table,
    splits_table,
)
from .trace_svg import route_svg, trace_chart

PAGE_VERSION = "1"
"""Bump when what a page shows changes: ``batch --html`` then rewrites the pages it kept."""
KIND_WORDS = {
    "mile": "mile effort",
    "intervals": "intervals",
    "continuous": "continuous run",
}
"""The scorecard's kind, as the page names it."""


def render_page(
    analysis: Any,
    source: str,
    *,
    unit: str = "km",
    profile: Any = None,
    sessions: int = 1,
    index_href: str | None = None,
    meta: Mapping[str, str] | None = None,
) -> str:
    """The HTML page of one analysed activity (a complete, self-contained document).

    ``source`` is the file's name as the runner knows it; ``sessions`` how many the file
    holds (a triathlon's legs); ``index_href`` a link back to the archive's index page;
    ``meta`` extra ``<meta name content>`` tags for the page's head.
    """
    doc = analysis.to_dict()
    activity = analysis.activity
    speed = doc.get("sport") in SPEED_SPORTS
    title = _title(doc, activity, unit)
    if sessions > 1:
        title += f" (session {doc.get('session_index', 0) + 1} of {sessions})"
    goal_s = getattr(profile, "goal_mile_s", None)
    body = [
        _header(doc, analysis, source, title, index_href),
        _summary(doc, activity, unit),
        _warnings(activity.warnings),
        _session_words(doc),
        _charts_and_tables(analysis, doc, unit, speed, profile, goal_s),
        _footer(doc, profile, unit),
    ]
    return page_shell(title, "".join(body), meta=meta)


def _title(doc: dict, activity: Any, unit: str) -> str:
    label = (doc.get("workout") or {}).get("label")
    if label:
        return label[:1].upper() + label[1:]
    sport = str(doc.get("sport") or "activity").replace("_", " ")
    return f"{sport.capitalize()}, {format_distance(activity.distance_m, unit)}"


def _header(doc: dict, analysis: Any, source: str, title: str, index_href: str | None) -> str:
    when = analysis.local.words() if analysis.local is not None else (doc.get("start_utc") or "")
    device = f" · {doc['device']}" if doc.get("device") else ""
    back = (
        f'<nav class="back"><a href="{fmt.esc(index_href)}">&larr; all activities</a></nav>'
        if index_href
        else ""
    )
    sport = str(doc.get("sport") or "").replace("_", " ")
    return (
        f"<header>{back}<h1>{fmt.esc(title)}</h1>"
        f'<p class="meta">{fmt.esc(sport)} · {fmt.esc(when)}{fmt.esc(device)}</p>'
        f'<p class="meta file">{fmt.esc(source)}</p></header>'
    )


def _tile(label: str, value: str, tile_id: str) -> str:
    return (
        f'<div class="tile" id="{tile_id}"><span class="v">{fmt.esc(value)}</span>'
        f'<span class="k">{fmt.esc(label)}</span></div>'
    )


def _summary(doc: dict, activity: Any, unit: str) -> str:
    tiles = [
        _tile("distance", format_distance(activity.distance_m, unit), "t-distance"),
        _tile("elapsed", format_duration(activity.elapsed_s), "t-elapsed"),
        _tile("moving", format_duration(activity.moving_s), "t-moving"),
        _tile(
            "average",
            format_for_sport(activity.average_speed_mps, activity.sport, unit),
            "t-average",
        ),
    ]
    pacing = doc.get("pacing") or {}
    if fmt.finite(pacing.get("score")):
        kind = KIND_WORDS.get(pacing.get("kind"), pacing.get("kind") or "")
        tiles.append(_tile(f"pacing score ({kind})", f"{pacing['score']}/100", "t-score"))
    return f'<section class="tiles">{"".join(tiles)}</section>'


def _warnings(warnings: Any) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{fmt.esc(w)}</li>" for w in warnings)
    return f'<section class="warnings"><h2>Read with care</h2><ul>{items}</ul></section>'


def _session_words(doc: dict) -> str:
    """What the runner did and how it went, in sentences: the workout, the findings, what
    to do next time, and how the structure was found."""
    pacing = doc.get("pacing") or {}
    parts = ['<section class="words"><h2>The session</h2>']
    label = (doc.get("workout") or {}).get("label")
    if label:
        parts.append(f'<p class="workout">{fmt.esc(label[:1].upper() + label[1:])}.</p>')
    findings = pacing.get("findings") or []
    if findings:
        items = "".join(
            f"<li>{fmt.esc(f.get('text', ''))}"
            + (f'<span class="why">{fmt.esc(f["guidance"])}</span>' if f.get("guidance") else "")
            + "</li>"
            for f in findings
        )
        parts.append(f'<ul class="findings">{items}</ul>')
    if pacing.get("next_time"):
        parts.append(
            f'<p class="next"><strong>Next time:</strong> {fmt.esc(pacing["next_time"])}</p>'
        )
    if not label and not findings:
        parts.append("<p>No structure or pacing scorecard for this activity.</p>")
    notes = doc.get("structure_notes") or []
    if notes:
        items = "".join(f"<li>{fmt.esc(n)}</li>" for n in notes)
        parts.append(
            f'<details class="notes"><summary>How the structure was found</summary>'
            f"<ul>{items}</ul></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _section(section_id: str, heading: str, *content: str) -> str:
    inner = "".join(c for c in content if c)
    if not inner:
        return ""
    return f'<section id="{section_id}"><h2>{fmt.esc(heading)}</h2>{inner}</section>'


def _charts_and_tables(analysis, doc: dict, unit: str, speed: bool, profile, goal_s) -> str:
    from ..charts import chart_data  # the matplotlib-free data builders

    pacing = doc.get("pacing") or {}
    out = []
    if pacing.get("parts"):
        out.append(
            _section(
                "scorecard", f"Pacing score {pacing.get('score')}/100", parts_table(pacing["parts"])
            )
        )
    trace = chart_data(analysis, "trace", profile=profile, units=unit)
    if not trace.empty:
        notes = "".join(f'<p class="note">{fmt.esc(n)}</p>' for n in trace.notes)
        legend = _trace_legend(trace)
        what = "Speed" if "speed" in trace.series else "Pace"
        out.append(
            _section(
                "trace",
                f"{what} through the session",
                _chart(trace_chart("trace-chart", trace, unit), legend + notes),
            )
        )
        route = route_svg(trace.series.get("route"), unit)
        if route:
            key = (
                '<p class="legend"><span class="key start">start</span>'
                '<span class="key finish">finish</span> (north up)</p>'
            )
            out.append(
                _section("route", "Route", f'<figure class="route-fig">{route}{key}</figure>')
            )
    out.append(
        _section(
            "mile",
            "The mile's laps",
            _chart(mile_chart(doc, unit, goal_s), _legend_mile()),
            mile_table(doc, unit, speed),
        )
    )
    out.append(
        _section("reps", "Reps", _chart(reps_chart(doc, unit, speed)), reps_table(doc, unit, speed))
    )
    out.append(
        _section("laps", "Laps", _chart(laps_chart(doc, unit, speed)), laps_table(doc, unit, speed))
    )
    workout = (doc.get("workout") or {}).get("type")
    splits = doc.get("splits") or []
    split_chart = splits_chart(splits, unit, speed) if workout in (None, "continuous") else ""
    out.append(
        _section(
            "splits", f"Splits per {unit}", _chart(split_chart), splits_table(doc, unit, speed)
        )
    )
    out.append(_section("efforts", "Best efforts", efforts_table(doc, unit, speed)))
    return "".join(out)


def _chart(svg: str, caption: str = "") -> str:
    if not svg:
        return ""
    hint = '<p class="hint">Hover or tap a bar or the line for its numbers.</p>'
    return f'<figure class="chart">{svg}<figcaption>{caption}{hint}</figcaption></figure>'


def _trace_legend(trace: Any) -> str:
    keys = [("pace", "speed" if "speed" in trace.series else "pace")]
    if "heart_rate" in trace.series:
        keys.append(("hr", "heart rate"))
    if "elevation" in trace.series:
        keys.append(("elevation", "elevation"))
    if trace.shades:
        keys.append(("shade", "work reps"))
    return (
        '<p class="legend">'
        + "".join(f'<span class="key {k}">{fmt.esc(text)}</span>' for k, text in keys)
        + "</p>"
    )


def _legend_mile() -> str:
    return (
        '<p class="legend"><span class="key even">even pace</span>'
        '<span class="key goal">goal pace</span>'
        '<span class="key too_fast">out too fast</span><span class="key kick">kick</span></p>'
    )


STRUCTURE_SOURCE_WORDS = {
    "laps": "the watch's laps",
    "trace": "the pace trace",
    "laps+trace": "the watch's laps and the pace trace",
}
"""``structure_source.used`` in words (``none``: no reps, nothing to say)."""


def _footer(doc: dict, profile: Any, unit: str) -> str:
    source = (doc.get("structure_source") or {}).get("used")
    goal = getattr(profile, "goal_mile_s", None)
    bits = [f"units {unit}"]
    if goal:
        bits.append(f"goal mile {format_duration(goal)}")
    if source in STRUCTURE_SOURCE_WORDS:
        bits.append(f"reps from {STRUCTURE_SOURCE_WORDS[source]}")
    return (
        f"<footer><p>Made by splitcheck {fmt.esc(__version__)} ({fmt.esc(', '.join(bits))}). "
        "Times from GPS carry its error; the numbers are those of "
        "<code>splitcheck analyze --json</code>.</p></footer>"
    )
