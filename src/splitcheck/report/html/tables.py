"""The report's tables (laps, reps, the mile's laps, splits, best efforts, the scorecard),
straight from the analysis's JSON document (``Analysis.to_dict()``, what ``analyze
--json`` prints): the numbers are the JSON's by construction, and each cell keeps the
JSON's value in ``data-v`` beside the text a runner reads.

Heart rate, cadence and power columns appear when any row has them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..structure_text import EFFORT_NAMES
from . import fmt

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    """A table column: its header, the row's key, how the value is shown, and whether it
    is left out when no row has a value (heart rate on a file without a strap)."""

    head: str
    key: str
    show: Callable[[Any], str]
    optional: bool = False
    numeric: bool = True


def columns_for(unit: str, speed: bool) -> dict[str, Column]:
    """The columns the tables share, in ``unit``; speed instead of pace for speed sports."""
    if speed:
        pace_col = Column(fmt.SPEED_UNIT[unit][0], "pace_s_per_km", lambda v: fmt.speed(v, unit))
    else:
        pace_col = Column(f"pace /{unit}", "pace_s_per_km", lambda v: fmt.pace(v, unit))
    return {
        "start": Column("start", "start_s", lambda v: fmt.duration(max(v, 0.0))),
        "time": Column("time", "duration_s", lambda v: fmt.duration(v, 1)),
        "distance": Column("distance", "distance_m", lambda v: fmt.distance(v, unit)),
        "pace": pace_col,
        "hr": Column("avg HR", "hr_avg_bpm", fmt.number, optional=True),
        "hr_max": Column("max HR", "hr_max_bpm", fmt.number, optional=True),
        "cadence": Column("cadence", "cadence_avg_spm", fmt.number, optional=True),
        "power": Column("power W", "power_avg_w", fmt.number, optional=True),
    }


def table(
    table_id: str,
    caption: str,
    columns: Sequence[Column],
    rows: Sequence[Row],
    row_id: str,
    keys: Sequence[str] | None = None,
) -> str:
    """An HTML table: one row per ``rows`` item (``id="{row_id}-{n}"``, n from 1, or
    ``{row_id}-{key}`` with ``keys``), the optional columns no row has left out."""
    if not rows:
        return ""
    cols = [c for c in columns if not c.optional or any(fmt.finite(r.get(c.key)) for r in rows)]
    head = "".join(f'<th scope="col"{_num(c)}>{fmt.esc(c.head)}</th>' for c in cols)
    body = []
    for n, r in enumerate(rows, start=1):
        rid = f"{row_id}-{keys[n - 1] if keys is not None else n}"
        cells = []
        for c in cols:
            value = r.get(c.key)
            text = c.show(value) if value is not None else fmt.DASH
            cells.append(
                f"<td{fmt.attrs(data_k=c.key, data_v=fmt.raw(value))}{_num(c)}>{fmt.esc(text)}</td>"
            )
        body.append(f'<tr id="{fmt.esc(rid)}" data-row="{fmt.esc(rid)}">{"".join(cells)}</tr>')
    return (
        f'<div class="table-wrap"><table id="{fmt.esc(table_id)}">'
        f"<caption>{fmt.esc(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _num(c: Column) -> str:
    return ' class="num"' if c.numeric else ""


def text_col(head: str, key: str) -> Column:
    return Column(head, key, str, numeric=False)


def lap_rows(doc: Row) -> list[dict[str, Any]]:
    """The watch's laps: the segmentation's view of them (``device_laps``: pace, role)
    with the scorecard's heart rate, cadence and power per lap; the file's own laps when
    the activity was not segmented (pace from the lap's timer and distance)."""
    stats = {int(s["lap"]): s for s in ((doc.get("pacing") or {}).get("lap_stats") or [])}
    rows = []
    laps = doc.get("device_laps")
    if laps is None:  # not segmented (a bike ride, a file too short): the file's laps
        laps = [
            {
                **lap,
                "index": i,
                "duration_s": lap.get("timer_s", lap.get("duration_s")),
                "pace_s_per_km": _pace(lap.get("timer_s"), lap.get("distance_m")),
            }
            for i, lap in enumerate(doc.get("laps") or [], start=1)
        ]
    for lap in laps:
        st = stats.get(int(lap["index"]), {})
        what = lap.get("role") or lap.get("trigger") or ""
        rows.append({**lap, **{k: v for k, v in st.items() if k != "lap"}, "what": what})
    return rows


def _pace(seconds: Any, distance_m: Any) -> float | None:
    if fmt.finite(seconds) and fmt.finite(distance_m) and distance_m >= 1 and seconds >= 1:
        return round(seconds / distance_m * 1000.0, 2)
    return None


def laps_table(doc: Row, unit: str, speed: bool) -> str:
    c = columns_for(unit, speed)
    cols = [
        Column("lap", "index", str),
        c["start"],
        c["time"],
        c["distance"],
        c["pace"],
        c["hr"],
        c["hr_max"],
        c["cadence"],
        c["power"],
        text_col("", "what"),
    ]
    return table("laps-table", "Laps (the watch's)", cols, lap_rows(doc), "lap")


def rep_rows(doc: Row) -> list[dict[str, Any]]:
    """The work reps: the scorecard's (with recoveries, heart rate...) when it judged the
    reps, else the segmentation's work intervals."""
    reps = (doc.get("pacing") or {}).get("reps") or []
    if reps:
        return [{**r, "duration_s": r.get("time_s")} for r in reps]
    work = [i for i in (doc.get("intervals") or []) if i.get("kind") == "work"]
    return [{**w, "rep": n} for n, w in enumerate(work, start=1)]


def reps_table(doc: Row, unit: str, speed: bool) -> str:
    c = columns_for(unit, speed)
    cols = [
        Column("rep", "rep", str),
        text_col("target", "nominal"),
        c["start"],
        c["time"],
        c["distance"],
        c["pace"],
        Column("vs goal", "vs_goal_pct", fmt.signed_pct, optional=True),
        c["hr"],
        c["hr_max"],
        c["cadence"],
        c["power"],
        Column("recovery", "recovery_s", lambda v: fmt.duration(v), optional=True),
        Column("rec. dist", "recovery_distance_m", lambda v: fmt.distance(v, unit), optional=True),
    ]
    return table("reps-table", "Reps", cols, rep_rows(doc), "rep")


def mile_lap_rows(doc: Row) -> list[dict[str, Any]]:
    """The mile effort's four laps as the scorecard judged them (mile sessions)."""
    laps = (doc.get("pacing") or {}).get("laps") or []
    return [{**lap, "duration_s": lap.get("time_s")} for lap in laps]


def mile_table(doc: Row, unit: str, speed: bool) -> str:
    c = columns_for(unit, speed)
    cols = [
        Column("lap", "lap", str),
        c["time"],
        c["distance"],
        c["pace"],
        Column("vs mean", "vs_mean_pct", fmt.signed_pct, optional=True),
        Column("vs goal", "vs_goal_pct", fmt.signed_pct, optional=True),
        Column("± GPS s", "uncertainty_s", lambda v: fmt.number(v, ".1f"), optional=True),
        c["hr"],
        c["hr_max"],
        c["cadence"],
        c["power"],
    ]
    caption = "The mile's four laps (speed vs the mean / goal; + is faster)"
    return table("mile-table", caption, cols, mile_lap_rows(doc), "mile")


def splits_table(doc: Row, unit: str, speed: bool) -> str:
    c = columns_for(unit, speed)
    rows = [{**s, "note": "partial" if s.get("partial") else ""} for s in doc.get("splits") or []]
    cols = [
        Column(unit, "index", str),
        c["start"],
        c["time"],
        c["distance"],
        c["pace"],
        text_col("", "note"),
    ]
    return table("splits-table", f"Splits per {unit}", cols, rows, "split")


def efforts_table(doc: Row, unit: str, speed: bool) -> str:
    c = columns_for(unit, speed)
    rows = [
        {**e, "name": EFFORT_NAMES.get(e.get("name"), e.get("name"))}
        for e in (doc.get("efforts") or {}).values()
    ]
    cols = [text_col("best effort", "name"), c["start"], c["time"], c["pace"]]
    return table("efforts-table", "Best efforts in this run", cols, rows, "effort")


def parts_table(parts: Sequence[Row]) -> str:
    """The scorecard: each part's points out of its maximum, the value and the rule."""
    rows = [
        {
            **p,
            "mark": {True: "\u2713", False: "\u2717"}.get(p.get("passed"), fmt.DASH),
        }
        for p in parts
    ]
    cols = [
        text_col("", "mark"),
        text_col("part", "name"),
        Column("points", "points", lambda v: fmt.number(v, ".0f")),
        Column("of", "max_points", lambda v: fmt.number(v, ".0f")),
        text_col("measured", "value"),
        text_col("rule", "threshold"),
    ]
    return table("score-table", "Scorecard", cols, rows, "part")
