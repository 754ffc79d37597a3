"""Reading FIT activity files: decoded messages to one :class:`Activity` per session.

Decoding (bytes to :class:`~splitcheck.io.fit_messages.FitMessages`) happens in
:func:`_decode`; everything after it works on FitMessages only, so any decoder that honours
that contract can be slotted in.

How messages become activities:

* One activity per session message; a multisport file (triathlon) gives one per leg, in
  start order. A session's records are those from its ``start_time`` up to the next
  session's ``start_time`` (the first session also takes records before it, the last one
  those after it). Sessions repeated verbatim (the same FIT file chained twice) are read
  once.
* A file without session messages is read as one activity from all its records.
* ``enhanced_speed`` / ``enhanced_altitude`` are preferred over ``speed`` / ``altitude``
  sample by sample; positions go from semicircles to degrees.
* FIT running cadence counts one foot (strides per minute): for foot sports the cadence
  column is ``(cadence + fractional_cadence) * 2`` steps per minute.
* Timer events (``event=timer``) give pauses: a ``stop``/``stop_all`` up to the next
  ``start``.
* Times below 0x10000000 are seconds since the device powered on (FIT ``date_time``):
  such files are read with relative times and no start date.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import CorruptFileError, Damage, NotAnActivityError, NoTimedDataError
from ..model import Activity, FileSummary
from ..units import FIT_EPOCH_UNIX_S, FIT_SEMICIRCLE_DEG
from .common import FOOT_SPORTS, build_activity, utc_offset_s
from .fit_clock import repair_clock
from .fit_device import device_name
from .fit_messages import FitMessages
from .fit_span import keep_contiguous

RELATIVE_TIME_LIMIT_S = 0x10000000
"""FIT ``date_time`` values below this are seconds since power-on, not dates (FIT profile)."""
FOOT_CADENCE_FACTOR = 2.0
"""FIT running cadence is per leg (strides/min); steps/min count both feet."""
SESSION_MARGIN_S = 300.0
"""Records timed further than this outside every session are misread (damaged files);
devices write their last records within seconds of the session's end."""
TIMER_STOP_TYPES = frozenset({"stop", "stop_all", "stop_disable", "stop_disable_all"})

_FILE_TYPE_WORDS = {
    "monitoring_a": "monitoring",
    "monitoring_b": "monitoring",
    "monitoring_daily": "monitoring",
}
_LAP_TRIGGERS = {
    "manual": "manual",
    "time": "time",
    "distance": "distance",
    "position_start": "position",
    "position_lap": "position",
    "position_waypoint": "position",
    "position_marked": "position",
    "session_end": "session_end",
    "fitness_equipment": "fitness_equipment",
}


def read_fit(data: bytes, source: str, *, damage: Damage = Damage.SALVAGE) -> list[Activity]:
    """Read every session in a FIT file.

    Parameters
    ----------
    data : bytes
        The whole file (already decompressed).
    source : str
        The file's name, for messages.
    damage : Damage
        SALVAGE keeps what was read before damage (with a warning on each activity);
        RAISE turns any damage into :class:`CorruptFileError`.

    Returns
    -------
    list of Activity
        One per session, in start order.

    Raises
    ------
    NotAnActivityError, CorruptFileError, NoTimedDataError
        See :func:`activities_from_messages`.
    """
    msgs = _decode(data, source)
    if damage is Damage.RAISE and msgs.damaged:
        raise CorruptFileError(source, "; ".join(msgs.warnings))
    return activities_from_messages(msgs, source)


def _decode(data: bytes, source: str) -> FitMessages:
    """The one place that picks a decoder: the vectorised fast path, else fitparse.

    ``decode_fast`` gives the same FitMessages as fitparse ~100x faster, and None for
    any file it leaves to fitparse (damaged ones included, so salvage is fitparse's).
    """
    from .fit_fast import decode_fast

    msgs = decode_fast(data, source)
    if msgs is not None:
        return msgs
    from .fit_decode import decode_fitparse

    return decode_fitparse(data, source)


def activities_from_messages(msgs: FitMessages, source: str) -> list[Activity]:
    """Turn decoded FIT messages into activities (see the module docstring).

    Raises
    ------
    NotAnActivityError
        A workout, monitoring, settings ... file, or one without records.
    CorruptFileError
        Damage before any record could be read.
    NoTimedDataError
        Records without time stamps.
    """
    _refuse_non_activity(msgs, source)
    msgs = repair_clock(msgs)
    warnings = list(msgs.warnings)
    sessions = _unique_sessions(msgs.sessions, warnings)
    fit_t = _record_times(msgs, source, sessions, warnings)
    relative = bool(np.nanmax(fit_t) < RELATIVE_TIME_LIMIT_S)
    to_unix = 0.0 if relative else float(FIT_EPOCH_UNIX_S)
    fit_t, columns = _merge_same_time(fit_t, _columns(msgs.records))
    if np.isfinite(fit_t).sum() == 1 and msgs.record_count > 1:
        raise NoTimedDataError(
            source, f"all {msgs.record_count} records have the same time stamp; need two times"
        )
    common = {
        "source": source,
        "device": device_name(msgs),
        "relative_times": relative,
        "utc_offset_s": _local_offset(msgs),
        "pauses_unix": _pauses(msgs.events, to_unix),
    }
    if not sessions:
        warnings.append(
            f"the file has no session summary; read all {msgs.record_count} records as one activity"
        )
        sport = msgs.sports[0] if msgs.sports else {}
        whole = {"sport": sport.get("sport"), "sub_sport": sport.get("sub_sport")}
        mask = np.ones(len(fit_t), dtype=bool)
        laps = _laps(msgs.laps, -np.inf, np.inf, to_unix)
        return [_activity(whole, 0, mask, fit_t + to_unix, columns, laps, warnings, common)]
    return _split_sessions(msgs, sessions, fit_t, to_unix, columns, warnings, common)


def _split_sessions(msgs, sessions, fit_t, to_unix, columns, warnings, common) -> list[Activity]:
    starts = [s["start_time"] for s in sessions]
    bounds = [-np.inf, *starts[1:], np.inf]
    chosen = []
    for i, session in enumerate(sessions):
        lo, hi = bounds[i], bounds[i + 1]
        mask = (fit_t >= lo) & (fit_t < hi)
        if int(np.isfinite(fit_t[mask]).sum()) < 2:
            warnings.append(
                f"session {i + 1} ({session.get('sport') or 'unknown sport'}) has fewer than "
                "two records; skipped"
            )
            continue
        chosen.append((i, session, mask, _laps(msgs.laps, lo, hi, to_unix)))
    if not chosen:
        raise NoTimedDataError(common["source"], "no session has two or more timed records")
    return [
        _activity(session, i, mask, fit_t + to_unix, columns, laps, warnings, common)
        for i, session, mask, laps in chosen
    ]


def _activity(session, index, mask, t_unix, columns, laps, warnings, common) -> Activity:
    sport = session.get("sport")
    sport = sport if isinstance(sport, str) else "unknown"
    cols = {k: v[mask] for k, v in columns.items() if k != "cadence_rpm"}
    cadence = columns["cadence_rpm"][mask]
    cols["cadence_spm"] = cadence * FOOT_CADENCE_FACTOR if sport in FOOT_SPORTS else cadence
    summary = FileSummary(
        distance_m=_num(session.get("total_distance")),
        elapsed_s=_num(session.get("total_elapsed_time")),
        timer_s=_num(session.get("total_timer_time")),
    )
    if summary == FileSummary():
        summary = None
    return build_activity(
        source_format="fit",
        time_unix_s=t_unix[mask],
        columns=cols,
        laps_unix=laps,
        sport=sport,
        sub_sport=_str_or_none(session.get("sub_sport")),
        session_index=index,
        file_summary=summary,
        warnings=warnings,
        **common,
    )


def _refuse_non_activity(msgs: FitMessages, source: str) -> None:
    file_type = msgs.file_ids[0].get("type") if msgs.file_ids else None
    if file_type not in (None, "activity"):
        if isinstance(file_type, str):
            word = _FILE_TYPE_WORDS.get(file_type, file_type.replace("_", " "))
            raise NotAnActivityError(source, f"a FIT {word} file, not an activity")
        raise NotAnActivityError(source, f"a FIT file of type {file_type}, not an activity")
    if msgs.record_count == 0:
        if msgs.damaged:
            raise CorruptFileError(
                source, f"damaged before any record could be read: {msgs.warnings[0]}"
            )
        raise NotAnActivityError(source, "a FIT file without records (no activity data)")


def _record_times(
    msgs: FitMessages, source: str, sessions: list[dict], warnings: list[str]
) -> np.ndarray:
    """Record times in FIT seconds, NaN where a time cannot be trusted.

    Device-relative times are dropped when the other records have dates; times far
    outside every session (a damaged file's last, misread record) are dropped too.
    """
    t = msgs.records["timestamp"].copy()
    finite = np.isfinite(t)
    if not finite.any():
        raise NoTimedDataError(source, f"none of the {len(t)} records has a time stamp")
    relative = finite & (t < RELATIVE_TIME_LIMIT_S)
    if relative.any() and not relative[finite].all():
        t[relative] = np.nan
        warnings.append(f"dropped {int(relative.sum())} record(s) with device-relative time stamps")
    spans = [
        (s["start_time"], s["start_time"] + s["total_elapsed_time"])
        for s in sessions
        if isinstance(s.get("total_elapsed_time"), float)
    ]
    if spans:
        keep_contiguous(msgs, t, spans, SESSION_MARGIN_S, warnings)
    return t


def _merge_same_time(
    t: np.ndarray, columns: dict[str, np.ndarray]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One sample per time stamp: each column takes its first valid value at that time.

    Some apps (Strava) write a position record and a distance record for each second;
    together they are one sample.
    """
    keep = np.isfinite(t)
    order = np.flatnonzero(keep)[np.argsort(t[keep], kind="stable")]
    ts = t[order]
    starts = np.r_[True, ts[1:] != ts[:-1]]
    if starts.all():
        return ts, {k: v[order] for k, v in columns.items()}
    group = np.cumsum(starts) - 1
    merged = {}
    for name, col in columns.items():
        v = col[order]
        valid = np.flatnonzero(np.isfinite(v))
        first = valid[np.r_[True, group[valid][1:] != group[valid][:-1]]] if len(valid) else valid
        out = np.full(int(group[-1]) + 1, np.nan)
        out[group[first]] = v[first]
        merged[name] = out
    return ts[starts], merged


def _columns(records: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Model columns from record fields (cadence stays per-leg rpm until the sport is known)."""
    n = len(records["timestamp"])
    nan = np.full(n, np.nan)

    def get(name: str) -> np.ndarray:
        return records.get(name, nan)

    def prefer(enhanced: str, plain: str) -> np.ndarray:
        e = get(enhanced)
        return np.where(np.isfinite(e), e, get(plain))

    fraction = get("fractional_cadence")
    return {
        "distance_m": get("distance"),
        "speed_mps": prefer("enhanced_speed", "speed"),
        "altitude_m": prefer("enhanced_altitude", "altitude"),
        "lat_deg": get("position_lat") * FIT_SEMICIRCLE_DEG,
        "lon_deg": get("position_long") * FIT_SEMICIRCLE_DEG,
        "heart_rate_bpm": get("heart_rate"),
        "cadence_rpm": get("cadence") + np.where(np.isfinite(fraction), fraction, 0.0),
        "power_w": get("power"),
    }


def _unique_sessions(sessions: list[dict[str, Any]], warnings: list[str]) -> list[dict]:
    """Sessions with a start time, in start order, each distinct one once."""
    seen: set[tuple] = set()
    out = []
    for s in sessions:
        if not isinstance(s.get("start_time"), float):
            warnings.append("a session without a start time was ignored")
            continue
        key = tuple(sorted((k, repr(v)) for k, v in s.items()))
        if key in seen:
            warnings.append("the file holds the same session more than once; read it once")
            continue
        seen.add(key)
        out.append(s)
    return sorted(out, key=lambda s: s["start_time"])


def _laps(laps: list[dict[str, Any]], lo: float, hi: float, to_unix: float) -> list[dict]:
    """Laps starting in [lo, hi) FIT seconds, in start order, repeats dropped."""
    out: dict[tuple, dict] = {}
    for lap in laps:
        start = lap.get("start_time")
        if not isinstance(start, float) or not lo <= start < hi:
            continue
        elapsed = _num(lap.get("total_elapsed_time"))
        end = start + elapsed if elapsed is not None else lap.get("timestamp")
        if not isinstance(end, float):
            continue
        step = lap.get("wkt_step_index")
        out.setdefault(
            (start, end),
            {
                "start_unix_s": start + to_unix,
                "end_unix_s": end + to_unix,
                "distance_m": _or_nan(lap.get("total_distance")),
                "timer_s": _num(lap.get("total_timer_time")),
                "trigger": _LAP_TRIGGERS.get(lap.get("lap_trigger"), "unknown"),
                "intensity": _str_or_none(lap.get("intensity")),
                "workout_step": int(step) if isinstance(step, float) else None,
            },
        )
    return [out[k] for k in sorted(out)]


def _pauses(events: list[dict[str, Any]], to_unix: float) -> list[tuple[float, float]]:
    """Timer stopped intervals (Unix or relative seconds) from timer stop/start events."""
    timer = [
        e for e in events if e.get("event") == "timer" and isinstance(e.get("timestamp"), float)
    ]
    timer.sort(key=lambda e: e["timestamp"])
    pauses, stopped_at = [], None
    for e in timer:
        kind = e.get("event_type")
        if kind in TIMER_STOP_TYPES and stopped_at is None:
            stopped_at = e["timestamp"]
        elif kind == "start" and stopped_at is not None:
            if e["timestamp"] > stopped_at:
                pauses.append((stopped_at + to_unix, e["timestamp"] + to_unix))
            stopped_at = None
    return pauses


def _local_offset(msgs: FitMessages) -> float | None:
    """The local clock's offset from the activity message (``local_timestamp`` is the same
    instant as ``timestamp`` on the watch's local clock)."""
    for act in msgs.activities:
        local = act.get("local_timestamp")  # the profile types it local_date_time: an int
        local = float(local) if isinstance(local, int | float) and local is not True else None
        offset = utc_offset_s(local, _num(act.get("timestamp")))
        if offset is not None:
            return offset
    return None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _num(value: Any) -> float | None:
    """A message's number, or None (missing, invalid, or an array where one was due)."""
    return value if isinstance(value, float) else None


def _or_nan(value: Any) -> float:
    return float(value) if isinstance(value, float) else float("nan")
