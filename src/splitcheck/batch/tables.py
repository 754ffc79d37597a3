"""One activity's analysis as flat table rows, and the batch's tables as DataFrames.

:func:`rows_from_document` turns one ``Analysis.to_dict()`` document into rows of three
tables (``activities``, ``reps``, ``splits``); it reads optional keys with ``.get`` so it
works whatever parts of the analysis are present. :func:`to_frames` gives the tables as
pandas DataFrames for notebooks (pandas is imported only there: the analysis path stays
light).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..metrics.predict import RIEGEL_MAX_S, RIEGEL_MIN_S, riegel_time_s
from ..units import MILE_M
from .miles import hard_mile

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

TABLES = ("activities", "reps", "splits", "efforts", "heart_rate")
"""``efforts``: each activity's best efforts (400 m to the marathon, the records' source);
``heart_rate``: seconds at each bpm (TRIMP and time in zones, with the runner's max HR)."""

MILE_EFFORT_TOLERANCE = 0.05
"""A mile effort whose distance is off a mile by more than this fraction is not a mile."""
DUPLICATE_START_S = 60.0
DUPLICATE_FRACTION = 0.05
"""Two activities from different files, of the same sport, starting within a minute, with
distance and duration within 5 %, are one activity exported twice (a FIT and its GPX);
the FIT is kept (richest data)."""
FORMAT_PREFERENCE = {"fit": 0, "tcx": 1, "gpx": 2}

ACTIVITY_COLUMNS = (
    "source",
    "session_index",
    "start_utc",
    "start_local",
    "date",
    "iso_week",
    "sport",
    "sub_sport",
    "format",
    "device",
    "distance_m",
    "elapsed_s",
    "timer_s",
    "moving_s",
    "workout_type",
    "workout_label",
    "work_reps",
    "work_s",
    "hard_s",
    "best_mile_s",
    "hard_mile_s",
    "hard_mile_kind",
    "predicted_mile_s",
    "pacing_score",
    "elevation_gain_m",
    "avg_hr_bpm",
    "normalized_speed_mps",
    "warnings",
    "also_in",
    "digest",
    "utc_offset_s",
    "local_time_source",
    "timezone",
)


def rows_from_document(doc: Mapping[str, Any], hard_s: float | None = None) -> dict[str, list]:
    """Rows for one activity's JSON document (``Analysis.to_dict()``).

    ``hard_s`` is the time spent hard outside the reps (above threshold pace) when the
    caller could measure it; reps' time is added here. Source and digest columns are
    filled by the batch, which knows under which name it met the file.
    """
    reps = [_rep_row(doc, i) for i in doc.get("intervals") or []]
    splits = [_split_row(doc, s) for s in doc.get("splits") or []]
    work = [r for r in reps if r["kind"] == "work"]
    work_s = sum(r["duration_s"] or 0.0 for r in work)
    start = doc.get("start_utc")
    workout = doc.get("workout") or {}
    activity = {
        "source": None,
        "session_index": doc.get("session_index", 0),
        "start_utc": start,
        "start_local": doc.get("start_local"),  # the reader's local start time, when known
        "date": None,
        "iso_week": None,
        "sport": doc.get("sport"),
        "sub_sport": doc.get("sub_sport"),
        "format": doc.get("format"),
        "device": doc.get("device"),
        "distance_m": doc.get("distance_m"),
        "elapsed_s": doc.get("elapsed_s"),
        "timer_s": doc.get("timer_s"),
        "moving_s": doc.get("moving_s"),
        "workout_type": workout.get("type"),
        "workout_label": workout.get("label"),
        "work_reps": len(work),
        "work_s": round(work_s, 2),
        "hard_s": round(work_s + _time_trial_s(doc, work) + (hard_s or 0.0), 2),
        "best_mile_s": mile_time_s(doc.get("mile_effort") or _best_mile(doc)),
        **dict(zip(("hard_mile_s", "hard_mile_kind"), hard_mile(doc), strict=True)),
        "predicted_mile_s": predicted_mile_s(doc.get("efforts") or {}),
        "pacing_score": pacing_score(doc.get("pacing")),
        "elevation_gain_m": None,
        "avg_hr_bpm": None,
        "normalized_speed_mps": None,
        "warnings": "; ".join(doc.get("warnings") or []),
        "also_in": None,
        "digest": None,
        "utc_offset_s": doc.get("utc_offset_s"),
        "local_time_source": doc.get("local_time_source"),  # file, position, override, utc
        "timezone": doc.get("timezone"),
    }
    efforts = [_effort_row(doc, name, e) for name, e in (doc.get("efforts") or {}).items()]
    return {
        "activities": [activity],
        "reps": reps,
        "splits": splits,
        "efforts": efforts,
        "heart_rate": [],
    }


def _effort_row(doc: Mapping[str, Any], name: str, effort: Mapping[str, Any]) -> dict[str, Any]:
    row = {"source": None, "session_index": doc.get("session_index", 0), "effort": name}
    row.update({k: effort.get(k) for k in ("distance_m", "duration_s", "start_s")})
    return row


def _rep_row(doc: Mapping[str, Any], interval: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("kind", "rep", "start_s", "end_s", "duration_s", "distance_m", "pace_s_per_km")
    row = {"source": None, "session_index": doc.get("session_index", 0)}
    row.update({k: interval.get(k) for k in keys})
    row.update(nominal=interval.get("nominal"), boundaries=interval.get("source"))
    return row


def _split_row(doc: Mapping[str, Any], split: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("index", "start_s", "end_s", "duration_s", "distance_m", "pace_s_per_km", "partial")
    row = {"source": None, "session_index": doc.get("session_index", 0)}
    row.update({k: split.get(k) for k in keys})
    row["split_distance_m"] = doc.get("split_distance_m")
    return row


def _time_trial_s(doc: Mapping[str, Any], work: list) -> float:
    """A time trial without reps is hard for the length of its mile effort."""
    if work or (doc.get("workout") or {}).get("type") != "time_trial":
        return 0.0
    effort = doc.get("mile_effort") or {}
    return float(effort.get("duration_s") or 0.0)


def _best_mile(doc: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The fastest mile inside the activity (best efforts), when there is no mile effort."""
    for name, effort in (doc.get("efforts") or {}).items():
        if "mile" in str(name).lower():
            return effort
    return None


def mile_time_s(effort: Mapping[str, Any] | None) -> float | None:
    """The mile effort's time scaled to exactly one mile [s]; None without a mile effort."""
    if not effort:
        return None
    t, d = effort.get("duration_s"), effort.get("distance_m")
    if not t or not d or abs(d / MILE_M - 1.0) > MILE_EFFORT_TOLERANCE:
        return None
    return round(t * MILE_M / d, 2)


def predicted_mile_s(efforts: Mapping[str, Mapping[str, Any]]) -> float | None:
    """Fastest mile predicted by Riegel from the best efforts other than the mile [s].

    Only efforts lasting 3.5 to 230 min take part (the formula's range).
    """
    best = math.inf
    for name, effort in efforts.items():
        t, d = effort.get("duration_s"), effort.get("distance_m")
        if not t or not d or "mile" in str(name).lower():
            continue
        if abs(d / MILE_M - 1.0) <= MILE_EFFORT_TOLERANCE or not RIEGEL_MIN_S <= t <= RIEGEL_MAX_S:
            continue
        best = min(best, riegel_time_s(t, d))
    return round(best, 2) if math.isfinite(best) else None


def pacing_score(pacing: Any) -> float | None:
    """The scorecard's 0-100 score, wherever the pacing document keeps it."""
    if isinstance(pacing, int | float) and not isinstance(pacing, bool):
        return float(pacing)
    if not isinstance(pacing, Mapping):
        return None
    for key in ("score", "total", "value"):
        value = pacing.get(key)
        if isinstance(value, Mapping):
            value = value.get("total", value.get("value"))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def iso_week(day: dt.datetime | dt.date) -> str:
    """``2026-W05``: the ISO 8601 week (weeks start on Monday; week 1 holds 4 January)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def local_day(row: Mapping[str, Any], tz: dt.tzinfo | None) -> dt.date | None:
    """The activity's calendar day where the runner was: the one function that puts an
    activity in a day, a week and a month.

    The activity's own local start (``start_local``, an ISO time with its UTC offset, when
    the reader knows it) wins; else the UTC start in the runner's time zone ``tz``.
    """
    local = row.get("start_local")
    if local:
        try:
            return dt.datetime.fromisoformat(str(local).replace("Z", "+00:00")).date()
        except ValueError:
            pass
    start = _parse_utc(row.get("start_utc"))
    if start is None:
        return None
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt.UTC)
    return start.astimezone(tz or row_zone(row)).date()  # None: the run's own offset


def with_local_dates(activities: list[dict[str, Any]], tz: dt.tzinfo) -> list[dict[str, Any]]:
    """Fill ``date`` and ``iso_week`` in the runner's time zone (new dicts; rows are cached
    without them because the zone is the reader's choice, not the file's)."""
    out = []
    for row in activities:
        day = local_day(row, tz)
        out.append(
            {
                **row,
                "date": day.isoformat() if day else None,
                "iso_week": iso_week(day) if day else None,
            }
        )
    return out


CLOCK_SOURCE_WORDS = {
    "override": "in the zone given",
    "file": "from the file",
    "position": "from the start position",
    "utc": "in UTC (no time zone known)",
}
"""How an activity's local clock was found (``localtime.SOURCES``), for the archive's
note of what its times are."""


def local_clocks(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many dated activities have their local time from each source (``override``,
    ``file``, ``position``, ``utc``; ``runner`` for a row without a local start, put in
    the runner's time zone)."""
    counts: dict[str, int] = {}
    for row in rows:
        if not row.get("start_utc"):
            continue
        source = row.get("local_time_source") if row.get("start_local") else None
        key = str(source) if source else "runner"
        counts[key] = counts.get(key, 0) + 1
    return counts


def clock_words(rows: Iterable[Mapping[str, Any]], tz: dt.tzinfo | None) -> str:
    """What the archive's days and times are, to follow "times in" / "days in": the zone
    the runner gave (``Europe/Paris``) when every activity is on it, else each activity's
    own local time with where it came from ("each activity's local time: 40 from the
    file, 9 from the start position, 3 in UTC (no time zone known)")."""
    rows = [r for r in rows if r.get("start_utc")]
    counts = local_clocks(rows)
    zones = {r.get("timezone") for r in rows}
    if set(counts) == {"override"} and len(zones) == 1 and None not in zones:
        return str(zones.pop())
    if set(counts) <= {"utc"}:
        return "UTC (no time zone in any file or from a position)" if counts else "UTC"
    if set(counts) == {"runner"}:
        return str(tz) if tz is not None else "UTC"
    parts = [f"{counts[k]} {words}" for k, words in CLOCK_SOURCE_WORDS.items() if counts.get(k)]
    if counts.get("runner"):
        parts.append(f"{counts['runner']} in {tz if tz is not None else 'UTC'}")
    return f"each activity's local time: {', '.join(parts)}"


def row_zone(row: Mapping[str, Any]) -> dt.tzinfo:
    """The activity's own local clock: its UTC offset when known (the file's, or its
    start position's zone), else UTC."""
    offset = row.get("utc_offset_s")
    if isinstance(offset, int | float) and offset == offset:
        return dt.timezone(dt.timedelta(seconds=float(offset)))
    return dt.UTC


def _parse_utc(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def mark_duplicates(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop activities exported twice in different formats; the kept row lists the others
    in ``also_in``. Rows are dicts as :func:`rows_from_document` makes; order is kept.

    Candidates are looked up by start minute, so years of activities take linear time.
    """
    starts = [_parse_utc(a.get("start_utc")) for a in activities]
    order = sorted(
        range(len(activities)),
        key=lambda i: (FORMAT_PREFERENCE.get(activities[i].get("format"), 9), i),
    )
    by_minute: dict[int, list[int]] = {}
    kept: list[int] = []
    for i in order:
        minute = int(starts[i].timestamp() // DUPLICATE_START_S) if starts[i] else None
        near = (
            []
            if minute is None
            else [k for m in (minute - 1, minute, minute + 1) for k in by_minute.get(m, [])]
        )
        twin = next((k for k in near if _same_activity(activities[k], activities[i])), None)
        if twin is None:
            kept.append(i)
            if minute is not None:
                by_minute.setdefault(minute, []).append(i)
            continue
        row = activities[twin]
        row["also_in"] = "; ".join(filter(None, [row.get("also_in"), activities[i]["source"]]))
    return [activities[i] for i in sorted(kept)]


def _same_activity(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Same start, sport, distance and duration, from different files (the sessions of
    one multisport file are never duplicates of each other)."""
    if a.get("source") == b.get("source"):
        return False
    sports = {a.get("sport"), b.get("sport")} - {None, "unknown", "generic"}
    if len(sports) > 1:
        return False
    ta, tb = _parse_utc(a.get("start_utc")), _parse_utc(b.get("start_utc"))
    if ta is None or tb is None or abs((ta - tb).total_seconds()) > DUPLICATE_START_S:
        return False
    return all(
        abs((a.get(k) or 0.0) - (b.get(k) or 0.0))
        <= DUPLICATE_FRACTION * max(a.get(k) or 0.0, b.get(k) or 0.0, 1.0)
        for k in ("distance_m", "elapsed_s")
    )


def table_columns(name: str, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Column order of a table: the activity columns as listed, else first-seen order."""
    seen = dict.fromkeys(ACTIVITY_COLUMNS) if name == "activities" else {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def to_frames(tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, pd.DataFrame]:
    """The batch's tables as DataFrames (``activities`` with a tz-aware ``start_utc``)."""
    import pandas as pd

    frames = {name: pd.DataFrame(list(tables.get(name, []))) for name in TABLES}
    acts = frames["activities"]
    if acts.empty:
        frames["activities"] = pd.DataFrame(columns=list(ACTIVITY_COLUMNS))
    elif "start_utc" in acts:
        acts["start_utc"] = pd.to_datetime(acts["start_utc"], utc=True, format="ISO8601")
    return frames
