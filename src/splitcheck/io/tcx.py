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
* A watch clock that jumped mid-run is re-timed on the trackpoints in file order, and
  each lap's ``StartTime`` moved with the trackpoint it starts at (:mod:`.xml_clock`).
* ``Creator/Name`` is the device.
* The file's own totals (sums of the laps' distance and timer time, first to last
  trackpoint) are kept as a :class:`~splitcheck.model.FileSummary` to cross-check.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from xml.etree.ElementTree import Element, ParseError

import numpy as np

from ..errors import Damage, NotAnActivityError, NoTimedDataError
from ..model import Activity
from .common import FOOT_SPORTS, build_activity, iso_utc_offset_s
from .tcx_blocks import MAX_BLOCK, Codes, uniform_trackpoints
from .tcx_laps import device_name, file_summary, lap_dicts
from .xml_clock import repair_xml_clock
from .xmlsafe import cadence_to_spm, decode_document, iso_to_unix_s, local_name, parse_leniently
from .xmlstream import EndedElements, chunks, gc_paused
from .xmlvalues import numbers

TCX_SPORTS = {"running": "running", "biking": "cycling", "other": "generic"}
"""``Sport`` attribute (lower case) -> sport; the TCX schema allows only these three."""
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
_TAG, _TEXT = attrgetter("tag"), attrgetter("text")
_OTHER = -99
"""Code of an element that is none of the above."""
_TRACKPOINT, _LAP, _TIME, _HEART_RATE, _VALUE = -1, -2, -3, -4, -5
_CODES = Codes(_TRACKPOINT, _TIME, _HEART_RATE, _VALUE, _HR_COLUMN, len(_ROW))
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
    with gc_paused():  # a tree of small objects: collections would walk it again and again
        return _read(data, source, damage)


def _read(data: bytes, source: str, damage: Damage) -> list[Activity]:
    doc = decode_document(data, source)
    file_warnings = list(doc.warnings)
    parsed, salvage = parse_leniently(doc, source, _parse, file_warnings, damage=damage)
    del doc  # the decoded text: not needed any more
    root = parsed.root
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
            activities.append(_activity(element, parsed, source, len(activities), file_warnings))
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


def _activity(
    element: Element, parsed: _Parsed, source: str, index: int, file_warnings: list[str]
) -> Activity:
    warnings: list[str] = list(file_warnings)
    sport_text = (element.get("Sport") or "").strip().lower()
    sport = TCX_SPORTS.get(sport_text, "unknown")
    rows, times, laps, bounds = _scan(element, parsed)
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
    columns = _columns(rows, sport, warnings)
    t, shifts = repair_xml_clock(t, columns, warnings)  # in file order, before sorting
    laps_read = lap_dicts(laps, bounds, t, shifts)
    return build_activity(
        source=source,
        source_format="tcx",
        time_unix_s=t,
        columns=columns,
        laps_unix=laps_read,
        sport=sport,
        device=device_name(element),
        session_index=index,
        file_summary=file_summary(laps_read, t),
        warnings=warnings,
        utc_offset_s=iso_utc_offset_s(times),
    )


@dataclass(frozen=True)
class _Parsed:
    """A streamed TCX: the tree with every trackpoint emptied once read, and the values
    read from each (row ``row_of[trackpoint]``: keyed by the element itself, so a
    trackpoint emptied out of the tree stays alive and its id is never another's)."""

    root: Element
    row_of: dict[Element, int]
    values: np.ndarray
    """One row per trackpoint, columns in :data:`_ROW` order, NaN where absent."""
    times: list[str]


def _parse(text: str) -> _Parsed:
    """Stream the document (:mod:`.xmlstream`): each trackpoint's values are read when it
    ends and the trackpoint is emptied, so an 8 h file never holds its whole tree."""
    stream = EndedElements()
    codes: dict[str, int] = {}
    row_of: dict[Element, int] = {}
    blocks: list[np.ndarray] = []
    times: list[str] = []
    root = None
    pending: list[Element] = []  # ended after the last trackpoint: the next one's, if any
    deferred: dict[int, list] = {}
    for chunk in [*chunks(text), None]:
        ended = stream.feed(chunk) if chunk is not None else stream.close()
        if ended:
            root = ended[-1]
            pending = _read_trackpoints(pending + ended, codes, row_of, blocks, times, deferred)
    if root is None:
        raise ParseError("no element found")
    values = np.concatenate(blocks) if blocks else np.zeros((0, len(_ROW)))
    for column, runs in deferred.items():
        rows = np.concatenate([np.arange(first, first + len(t)) for first, t in runs])
        values[rows, column] = numbers(list(chain.from_iterable(t for _, t in runs)))
    return _Parsed(root, row_of, values, times)


def _read_trackpoints(
    ended: list[Element],
    codes: dict[str, int],
    row_of: dict[Element, int],
    blocks: list[np.ndarray],
    times: list[str],
    deferred: dict[int, list],
) -> list[Element]:
    """The values of the trackpoints among ``ended`` appended (a row each, as numbers, in
    ``blocks``, or as texts in ``deferred``: column -> (first row, texts); the time text
    in ``times``), then the trackpoints emptied; returns the elements after the last
    trackpoint (the next one's, when it ends in the next chunk).

    Trackpoints all of one shape are read by slicing (:mod:`.tcx_blocks`), others in
    bulk over their elements in document order: inside a trackpoint the last value of a
    column wins, and a ``Value`` is the heart rate when the marker before it
    (``HeartRateBpm`` or ``Value``) is ``HeartRateBpm``.
    """
    tags = list(map(_TAG, ended))
    for tag in set(tags).difference(codes):
        code = _code(tag)
        codes[tag] = _OTHER if code is None else code
    alike = uniform_trackpoints(ended, tags, codes, _CODES)
    if alike is not None:
        points, texts, point_times = alike
        first = len(row_of)
        for column, column_texts in texts:  # converted all at once at the end
            deferred.setdefault(column, []).append((first, column_texts))
        rows = np.full((len(points), len(_ROW)), np.nan)
        _add_rows(points, rows, point_times, row_of, blocks, times)
        last = len(tags) - 1 - tags[::-1].index(points[0].tag)
        return ended[last + 1 :][-MAX_BLOCK:]
    marks = {tag for tag, code in codes.items() if code == _TRACKPOINT}
    points = [el for el in ended if el.tag in marks]
    if not points:
        return ended[-MAX_BLOCK:]
    subtrees = [list(point.iter()) for point in points]
    flat = list(chain.from_iterable(subtrees))
    code = np.fromiter(map(codes.__getitem__, map(_TAG, flat)), np.int64, len(flat))
    owner = np.repeat(np.arange(len(points)), list(map(len, subtrees)))
    texts = list(map(_TEXT, flat))
    value_at = np.flatnonzero(code >= 0)
    hr_marks = np.flatnonzero((code == _HEART_RATE) | (code == _VALUE))
    after_hr = np.zeros(len(hr_marks), dtype=bool)
    before = hr_marks[:-1]
    after_hr[1:] = (code[before] == _HEART_RATE) & (owner[before] == owner[hr_marks[1:]])
    hr_at = hr_marks[after_hr & (code[hr_marks] == _VALUE)]
    at = np.concatenate([value_at, hr_at])
    column = np.concatenate([code[value_at], np.full(len(hr_at), _HR_COLUMN)])
    order = np.argsort(at, kind="stable")
    at, cell = at[order], (owner[at] * len(_ROW) + column)[order]
    last = len(cell) - 1 - np.unique(cell[::-1], return_index=True)[1]  # last one wins
    block = np.full(len(points) * len(_ROW), np.nan)
    block[cell[last]] = numbers([texts[i] for i in at[last].tolist()])
    time_at = np.flatnonzero(code == _TIME).tolist()
    time_of = dict(zip(owner[time_at].tolist(), [texts[i] or "" for i in time_at], strict=True))
    point_times = [time_of.get(i, "") for i in range(len(points))]
    _add_rows(points, block.reshape(-1, len(_ROW)), point_times, row_of, blocks, times)
    last = next(i for i in range(len(tags) - 1, -1, -1) if tags[i] in marks)
    return ended[last + 1 :][-MAX_BLOCK:]


def _add_rows(
    points: list[Element],
    rows: np.ndarray,
    point_times: list[str],
    row_of: dict[Element, int],
    blocks: list[np.ndarray],
    times: list[str],
) -> None:
    """Trackpoints read: their rows and times kept, each trackpoint emptied."""
    blocks.append(rows)
    times += point_times
    first = len(row_of)
    row_of.update(zip(points, range(first, first + len(points)), strict=True))
    deque(map(Element.clear, points), maxlen=0)


def _scan(activity: Element, parsed: _Parsed) -> tuple[np.ndarray, list[str], list, list]:
    """An activity's trackpoint rows and time texts, its ``Lap`` elements and each lap's
    (first, stop) row range, in document order. A lap's own totals (DistanceMeters,
    Cadence, AverageHeartRateBpm) are outside its trackpoints and never reach a row."""
    picks: list[int] = []
    laps: list[Element] = []
    starts: list[int] = []
    row_of = parsed.row_of
    for el in activity.iter():
        row = row_of.get(el)
        if row is not None:
            picks.append(row)
        elif local_name(str(el.tag)) == "Lap":
            laps.append(el)
            starts.append(len(picks))
    bounds = list(zip(starts, [*starts[1:], len(picks)][: len(starts)], strict=True))
    rows = parsed.values[np.array(picks, dtype=np.intp)]
    return rows, [parsed.times[i] for i in picks], laps, bounds


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
