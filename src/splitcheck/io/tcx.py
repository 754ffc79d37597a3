"""Reading Garmin Training Center (TCX) files: Garmin Connect, Polar Flow, Strava exports.

TCX is parsed here on the safe XML layer (:mod:`.xmlsafe`: decoded, DTDs refused, then
the stdlib's C parser, with repairs and salvage), not by a TCX library. Each ``<Activity>`` (also
inside a ``<MultiSportSession>``) becomes one :class:`~splitcheck.model.Activity`;
activities without trackpoints are skipped.

Mapping to the model:

* ``Sport`` attribute: Running -> running, Biking -> cycling, Other -> generic.
* Laps: ``StartTime``, ``TotalTimeSeconds`` (timer time), ``DistanceMeters``,
  ``TriggerMethod`` and ``Intensity``. A lap ends where the next one starts; the last
  one at its last trackpoint (or start + timer time, whichever is later).
* Trackpoints: ``Time``, ``Position``, ``AltitudeMeters``, ``DistanceMeters``,
  ``HeartRateBpm/Value``, ``Cadence`` and the ActivityExtension ``TPX`` ``Speed``,
  ``RunCadence`` and ``Watts``. Treadmill files without positions keep the device's
  distance. Cadence in TCX counts one foot for running (Garmin ``RunCadence``, Polar
  ``Cadence``) and is doubled to steps/min for foot sports.
* ``Creator/Name`` is the device.
* The file's own totals (sums of the laps' distance and timer time, first to last
  trackpoint) are kept as a :class:`~splitcheck.model.FileSummary` to cross-check.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

import numpy as np

from ..errors import Damage, NotAnActivityError, NoTimedDataError
from ..model import Activity, FileSummary
from .common import FOOT_SPORTS, build_activity, iso_utc_offset_s
from .xmlsafe import cadence_to_spm, iso_to_unix_s, local_name, parse_xml
from .xmlvalues import number

TCX_SPORTS = {"running": "running", "biking": "cycling", "other": "generic"}
"""``Sport`` attribute (lower case) -> sport; the TCX schema allows only these three."""
TRIGGERS = {
    "manual": "manual",
    "distance": "distance",
    "location": "position",
    "time": "time",
    "heartrate": "unknown",
}
"""``TriggerMethod`` (lower case) -> the model's lap trigger."""
INTENSITIES = {"active": "active", "resting": "rest"}
"""``Intensity`` (lower case) -> the model's lap intensity."""

_ROW = (
    "lat_deg",
    "lon_deg",
    "altitude_m",
    "distance_m",
    "heart_rate_bpm",
    "cadence",
    "run_cadence",
    "speed_mps",
    "power_w",
)
"""Columns of the trackpoint matrix (``cadence`` and ``run_cadence`` raw, per leg)."""
_FIELDS = {
    "LatitudeDegrees": "lat_deg",
    "LongitudeDegrees": "lon_deg",
    "AltitudeMeters": "altitude_m",
    "DistanceMeters": "distance_m",
    "Cadence": "cadence",
    "RunCadence": "run_cadence",  # ActivityExtension v2 TPX
    "Speed": "speed_mps",  # TPX
    "Watts": "power_w",  # TPX
}
"""Trackpoint value elements (local names) -> row column."""
_HR_COLUMN = _ROW.index("heart_rate_bpm")
_TRACKPOINT, _LAP, _TIME, _HEART_RATE, _VALUE = -1, -2, -3, -4, -5
_MARKS = {
    "Trackpoint": _TRACKPOINT,
    "Lap": _LAP,
    "Time": _TIME,
    "HeartRateBpm": _HEART_RATE,
    "Value": _VALUE,
}


def read_tcx(data: bytes, source: str, *, damage: Damage = Damage.SALVAGE) -> list[Activity]:
    """Read every activity in a TCX file.

    Parameters
    ----------
    data : bytes
        The file's content (already gunzipped).
    source : str
        The file's name, for messages.
    damage : Damage
        SALVAGE reads a damaged (truncated) file up to the damage, with a warning
        (:mod:`.xmlsafe`); RAISE refuses it.

    Returns
    -------
    list of Activity
        One per ``<Activity>`` with trackpoints, in file order.

    Raises
    ------
    FileError
        The XML declares a DOCTYPE or entities (refused as unsafe).
    CorruptFileError
        Not well-formed XML (``not well-formed XML at line 4653, column 6 (...)``).
    NotAnActivityError
        No ``<Activity>`` (a course or workout file).
    NoTimedDataError
        Activities without timed trackpoints.
    """
    root, file_warnings, salvage = parse_xml(data, source, damage=damage)
    elements = _activity_elements(root)
    if not elements and salvage is not None:
        raise salvage.nothing_left(source)
    if not elements:
        raise NotAnActivityError(source, "a TCX file without activities (a course or workout)")
    if salvage is not None:
        points = len(root.findall(".//{*}Trackpoint"))
        file_warnings.append(salvage.warning(points))
    activities, first_error = [], None
    for element in elements:
        try:
            activities.append(_activity(element, source, len(activities), file_warnings))
        except NoTimedDataError as err:
            first_error = first_error or err
    if not activities:
        raise salvage.nothing_left(source) if salvage is not None else first_error
    return activities


def _activity_elements(root: Element) -> list[Element]:
    container = root if local_name(root.tag) == "Activities" else root.find("{*}Activities")
    if container is None:
        return []
    found = []
    for child in container:
        name = local_name(child.tag)
        if name == "Activity":
            found.append(child)
        elif name == "MultiSportSession":
            found.extend(child.findall("{*}*/{*}Activity"))  # FirstSport, NextSport
    return found


def _activity(element: Element, source: str, index: int, file_warnings: list[str]) -> Activity:
    warnings: list[str] = list(file_warnings)
    sport_text = (element.get("Sport") or "").strip().lower()
    sport = TCX_SPORTS.get(sport_text, "unknown")
    rows, times, laps, bounds = _scan(element)
    if not times:
        raise NoTimedDataError(source, f"activity {index + 1} has no trackpoints")
    t, n_naive = iso_to_unix_s(times)
    if n_naive:
        warnings.append(f"{n_naive} time stamps have no time zone; read as UTC")
    n_untimed = int((~np.isfinite(t)).sum())
    if n_untimed == len(t):
        raise NoTimedDataError(
            source, f"activity {index + 1}: none of its {len(t)} trackpoints has a readable time"
        )
    if n_untimed:
        warnings.append(f"{n_untimed} of {len(t)} trackpoints have no time; left out")
    columns = _columns(np.array(rows, dtype=np.float64).reshape(-1, len(_ROW)), sport, warnings)
    lap_dicts = _laps(laps, bounds, t)
    return build_activity(
        source=source,
        source_format="tcx",
        time_unix_s=t,
        columns=columns,
        laps_unix=lap_dicts,
        sport=sport,
        device=_device(element),
        session_index=index,
        file_summary=_summary(lap_dicts, t),
        warnings=warnings,
        utc_offset_s=iso_utc_offset_s(times),
    )


def _scan(activity: Element) -> tuple[list, list[str], list[Element], list[tuple]]:
    """Walk an activity's elements once, in document order (one C iterator).

    Returns trackpoint rows (values in :data:`_ROW` order, NaN where absent), their time
    texts, the ``Lap`` elements and each lap's (first, stop) trackpoint index range.
    A lap's own totals (DistanceMeters, Cadence, AverageHeartRateBpm) come before its
    Track, where no trackpoint is open, so they never reach a row.
    """
    codes: dict[str, int | None] = {}
    rows: list[list[float]] = []
    times: list[str] = []
    laps: list[Element] = []
    starts: list[int] = []
    row: list[float] | None = None
    in_heart_rate = False
    for el in activity.iter():
        tag = el.tag
        code = codes[tag] if tag in codes else codes.setdefault(tag, _code(tag))
        if code is None:
            continue
        if code >= 0:
            if row is not None:
                row[code] = number(el.text)
        elif code == _TRACKPOINT:
            row = [np.nan] * len(_ROW)
            rows.append(row)
            times.append("")
            in_heart_rate = False
        elif code == _TIME:
            if row is not None:
                times[-1] = el.text or ""
        elif code == _HEART_RATE:
            in_heart_rate = row is not None
        elif code == _VALUE:
            if in_heart_rate:
                row[_HR_COLUMN] = number(el.text)  # type: ignore[index]
                in_heart_rate = False
        elif code == _LAP:
            row = None
            laps.append(el)
            starts.append(len(rows))
    bounds = list(zip(starts, [*starts[1:], len(rows)][: len(starts)], strict=True))
    return rows, times, laps, bounds


def _code(tag: str) -> int | None:
    name = local_name(str(tag))
    if name in _FIELDS:
        return _ROW.index(_FIELDS[name])
    return _MARKS.get(name)


def _columns(m: np.ndarray, sport: str, warnings: list[str]) -> dict[str, np.ndarray]:
    """Model columns from the trackpoint matrix (one column per :data:`_ROW` name)."""
    cols = {name: m[:, i].copy() for i, name in enumerate(_ROW)}
    hr = cols["heart_rate_bpm"]
    hr[hr <= 0] = np.nan  # 0 bpm is a strap not in contact
    foot = sport in FOOT_SPORTS or sport == "unknown"
    run_cad, cad = cols.pop("run_cadence"), cols.pop("cadence")
    if foot:
        cad = np.where(np.isfinite(run_cad), run_cad, cad)
    if np.isfinite(cad).any():
        cols["cadence_spm"] = cadence_to_spm(cad, foot, warnings)
    return {name: v for name, v in cols.items() if np.isfinite(v).any()}


def _laps(laps: list[Element], bounds: list[tuple[int, int]], t: np.ndarray) -> list[dict]:
    """Lap dicts for build_activity, in Unix seconds, kept inside the recorded span."""
    starts, _ = iso_to_unix_s([lap.get("StartTime") or "" for lap in laps])
    first_s, last_s = np.nanmin(t), np.nanmax(t)
    out = []
    for i, lap in enumerate(laps):
        lap_t = t[bounds[i][0] : bounds[i][1]]
        lap_t = lap_t[np.isfinite(lap_t)]
        start = starts[i] if np.isfinite(starts[i]) else (lap_t[0] if len(lap_t) else np.nan)
        if not np.isfinite(start):
            continue
        timer = number(lap.findtext("{*}TotalTimeSeconds"))
        end = max(lap_t[-1] if len(lap_t) else start, start + np.nan_to_num(timer))
        if i + 1 < len(laps) and np.isfinite(starts[i + 1]):
            end = starts[i + 1]  # laps are contiguous: one ends when the next starts
        out.append(
            {
                # a lap may start a second before its first trackpoint: keep it in the data
                "start_unix_s": min(max(start, first_s), last_s),
                "end_unix_s": min(max(end, first_s), last_s),
                "distance_m": number(lap.findtext("{*}DistanceMeters")),
                "timer_s": timer if np.isfinite(timer) else None,
                "trigger": TRIGGERS.get(_text(lap, "TriggerMethod").lower(), "unknown"),
                "intensity": INTENSITIES.get(_text(lap, "Intensity").lower()),
            }
        )
    return out


def _summary(laps: list[dict], t: np.ndarray) -> FileSummary:
    distances = [lap["distance_m"] for lap in laps if np.isfinite(lap["distance_m"])]
    timers = [lap["timer_s"] for lap in laps if lap["timer_s"] is not None]
    timed = t[np.isfinite(t)]
    return FileSummary(
        distance_m=float(sum(distances)) if distances else None,
        elapsed_s=float(timed.max() - timed.min()) if len(timed) else None,
        timer_s=float(sum(timers)) if timers else None,
    )


def _device(element: Element) -> str | None:
    name = element.findtext("{*}Creator/{*}Name")
    return name.strip() or None if name else None


def _text(element: Element, child: str) -> str:
    return (element.findtext("{*}" + child) or "").strip()
