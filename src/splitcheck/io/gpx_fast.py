"""A fast path for the GPX files watches and apps write, beside gpxpy.

gpxpy builds an object per point (a deep copy of each point's extensions, a datetime per
time stamp) and, with lxml installed, switches to a backend 2-3x slower. This path reads
the decoded, DTD-checked text from :mod:`.xmlsafe`: each track segment's points by one
strict regular expression when they are all written alike (:mod:`.gpx_regex`), the rest
of the file (or all of it, when that declines any part) with the stdlib's streaming parser
(:mod:`.xmlstream`, fed in chunks, each point cleared once read: the whole tree is never
held; points all of one shape are read by slicing, :mod:`.gpx_blocks`), then builds the
same columns as :mod:`.gpx` in bulk.

It reads GPX 1.1 documents whose fields it checks as gpxpy does: track points with
``lat``/``lon``, ``ele``, ``time`` (``2020-12-20T08:50:47Z``, up to 6 decimals of a
second), string fields and the extensions; tracks and segments with their string fields.
Anything else (GPX 1.0, a prefixed root, waypoints or routes, times with offsets or
without a zone, a value gpxpy would refuse, no recorded track) is declined: ``None``, and
gpxpy reads the file, so every file reads as gpxpy reads it
(tests/test_xml_fast.py checks that on every GPX at hand).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from operator import attrgetter, is_not, methodcaller
from xml.etree.ElementTree import Element, ParseError

import numpy as np

from ..model import Activity
from .common import build_activity
from .gpx import EXTENSION_COLUMNS, MIN_TRACK_TIMED_SHARE, finish_columns, sport_of
from .gpx_blocks import Points, Tags, runs_by_column, uniform_points
from .gpx_regex import split_segments
from .xmlsafe import iso_to_unix_s, local_name
from .xmlstream import EndedElements, chunks, gc_paused
from .xmlvalues import fixed_zulu_unix_s, numbers

NS = "{http://www.topografix.com/GPX/1/1}"
GPX, METADATA, TRK, TRKSEG, TRKPT = (NS + n for n in ("gpx", "metadata", "trk", "trkseg", "trkpt"))
ELE, TIME, EXTENSIONS, TYPE = (NS + n for n in ("ele", "time", "extensions", "type"))
_TAG, _TEXT = attrgetter("tag"), attrgetter("text")
_EXT_NAMES = tuple(sorted(set(EXTENSION_COLUMNS.values())))
_EXT_CODES = {name: k for k, name in enumerate(_EXT_NAMES)}
_FIND_EXTENSIONS = methodcaller("find", EXTENSIONS)
_LAT, _LON = methodcaller("get", "lat"), methodcaller("get", "lon")
_ELE, _TIME = methodcaller("findtext", ELE), methodcaller("findtext", TIME)
_DEFAULT_NS = re.compile(r"""\sxmlns=(['"])([^'"]+)\1""")
_PREFIXED_ROOT = re.compile(r"<[A-Za-z_][\w.-]*:gpx\b")
_TIMES = re.compile(
    r"(?:\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?Z\n)*"
)
"""Time stamps read here: UTC with 'Z', up to microseconds (gpxpy keeps 6 decimals)."""
_STRINGS = {"name", "cmt", "desc", "src", "link", "sym", "type", "keywords", "extensions"}
"""GPX 1.1 fields gpxpy reads as text or leaves as elements: nothing to check."""
_FLOATS = {"magvar", "geoidheight", "hdop", "vdop", "pdop", "ageofdgpsdata"}
_INTS = {"sat", "dgpsid", "number"}
_FIXES = {"none", "2d", "3d", "dgps", "pps", "3"}
"""Typed GPX 1.1 fields gpxpy converts (and refuses the file when it cannot)."""
_METADATA = {"name", "desc", "time", "link", "keywords", "extensions"}
_POINT = _STRINGS | _FLOATS | _INTS | {"fix", "ele", "time"}
_TRACK = _STRINGS | {"number", "trkseg"}
_SEGMENT = {"trkpt", "extensions"}
_ROOT = {"metadata", "trk", "extensions"}


_STRUCTURE = {TRKSEG, TRK, METADATA, GPX}
_POINT_TAGS = {NS + name for name in ("ele", "time", "extensions")}
_SHAPE = Tags(TRKPT, ELE, TIME, EXTENSIONS, frozenset(_POINT_TAGS), NS)


class Declined(Exception):
    """The file is not one this path reads as gpxpy does: gpxpy reads it."""


@dataclass
class _Track:
    type_text: str | None
    lat: list = field(default_factory=list)
    lon: list = field(default_factory=list)
    ele: list = field(default_factory=list)
    time: list = field(default_factory=list)
    extension_values: list = field(default_factory=list)
    """Runs of extension values, in document order: (column index in :data:`_EXT_NAMES`,
    the points' indices in the track (non-decreasing), their texts). Inside a point a
    later value of a column wins (gpx.py's rule)."""


def read_gpx_fast(text: str, source: str, warnings: list[str]) -> list[Activity] | None:
    """The activity of a GPX 1.1 file, as :func:`.gpx.read_gpx` reads it through gpxpy,
    or None when this path declines the file (see the module docstring). ``text`` is the
    decoded, DTD-checked document; ``warnings`` holds the decoding's warnings."""
    head = _DEFAULT_NS.search(text)
    if head is None or head.group(2) != NS[1:-1] or _PREFIXED_ROOT.search(text[:4096]):
        return None
    try:
        with gc_paused():  # a tree of small objects: collections would walk it again and again
            root, tracks = _parse_split(text)
            tracks = [t for t in tracks if t.lat]
            if not tracks:
                return None  # gpxpy's path says what the file is instead
            warnings = list(warnings)
            kept = _recorded(tracks, MIN_TRACK_TIMED_SHARE, warnings)
            sport, sub_sport = sport_of([t.type_text for t in tracks], warnings)
            columns = _columns(kept, sport, warnings)
            times = list(chain.from_iterable(_timed(trk, trk.time) for trk in kept))
            time_unix_s = _unix_s(times)
    except (Declined, ParseError, ValueError, TypeError):
        return None
    return [
        build_activity(
            source=source,
            source_format="gpx",
            time_unix_s=time_unix_s,
            columns=columns,
            sport=sport,
            sub_sport=sub_sport,
            device=(root.get("creator") or "").strip() or None,
            warnings=warnings,
        )
    ]


def _parse_split(text: str) -> tuple[Element, list[_Track]]:
    """The segments read by their patterns (:mod:`.gpx_regex`) and the rest by
    :func:`_parse`; when that path declines any part, :func:`_parse` reads it all."""
    split = split_segments(text)
    if split is not None:
        try:
            return _parse(split.skeleton, split.segments)
        except (Declined, ParseError, ValueError, TypeError):
            pass
    return _parse(text)


def _parse(text: str, segments: list[Points] | None = None) -> tuple[Element, list[_Track]]:
    """Stream the document: each track point's values read and the point cleared. With
    ``segments``, the text is a skeleton whose ``n``-th segment's points are
    ``segments[n]`` (:mod:`.gpx_regex`)."""
    stream = EndedElements()
    tracks: list[_Track] = []
    points: list[Element] = []  # ended since the last segment's end
    segments_ended: list[Element] = []
    n_segments = 0  # of ``segments`` read
    current = _Track(None)
    root = None
    pending: list[Element] = []  # ended after the last point: the next point's, if any
    for chunk in [*chunks(text), None]:
        ended = pending + (stream.feed(chunk) if chunk is not None else stream.close())
        tags = list(map(_TAG, ended))
        if _STRUCTURE.isdisjoint(tags):  # most chunks: points and their children only
            alike = uniform_points(ended, tags, _SHAPE)
            if alike is not None:  # points all of one shape: values by slicing
                used, found = alike
                _add_points(found, current)
                points += found.elements
            else:  # a chunk's points read in bulk, then cleared
                batch = list(compress(ended, map(TRKPT.__eq__, tags)))
                _read_points(batch, current)
                points += batch
                used = len(tags) - tags[::-1].index(TRKPT) if batch else 0
            pending = ended[used:]
            continue
        pending = []
        batch = []  # points ended, not yet read
        for el, tag in zip(ended, tags, strict=True):
            if tag == TRKPT:
                batch.append(el)
                continue
            if tag not in _STRUCTURE:
                continue
            _read_points(batch, current)
            points += batch
            batch = []
            if tag == TRKSEG:
                _children_are(el, points, TRKPT, _SEGMENT)
                if segments is not None:
                    if n_segments == len(segments):
                        raise Declined
                    _add_points(segments[n_segments], current)
                    n_segments += 1
                points = []
                segments_ended.append(el)
            elif tag == TRK:
                _children_are(el, segments_ended, TRKSEG, _TRACK)
                _check_fields(el)
                current.type_text = el.findtext(TYPE)
                tracks.append(current)
                current, segments_ended = _Track(None), []
            elif tag == METADATA:
                _metadata(el)
            else:
                root = el
        _read_points(batch, current)
        points += batch
    if root is None or root.get("version") != "1.1" or points or segments_ended:
        raise Declined
    if segments is not None and n_segments != len(segments):
        raise Declined
    trks = [c for c in root if c.tag == TRK]
    if len(trks) != len(tracks) or any(local_name(c.tag) not in _ROOT for c in _gpx(root)):
        raise Declined
    return root, tracks


def _gpx(el: Element) -> Iterator[Element]:
    """The children of ``el`` in the GPX namespace (others gpxpy never looks at)."""
    return (c for c in el if c.tag.startswith(NS))


def _children_are(el: Element, ended: list[Element], tag: str, allowed: set[str]) -> None:
    """The elements ended since the last one like ``el`` are exactly its ``tag`` children
    (a point or segment anywhere else is not gpxpy's), and its other GPX children are
    ones gpxpy does not refuse."""
    mine = [c for c in el if c.tag == tag]
    if len(mine) != len(ended) or any(map(is_not, mine, ended)):
        raise Declined
    if any(local_name(t) not in allowed for t in {c.tag for c in el} if t.startswith(NS)):
        raise Declined


def _check_fields(el: Element) -> None:
    """Typed fields of a point or track converted as gpxpy converts them, or declined."""
    for child in _gpx(el):
        name = child.tag[len(NS) :]
        if name in _FLOATS or name in _INTS:
            text = child.text
            if text is not None:
                (float if name in _FLOATS else int)(text.strip())
        elif name == "fix" and child.text is not None and child.text not in _FIXES:
            raise Declined


def _metadata(el: Element) -> None:
    for child in _gpx(el):
        name = child.tag[len(NS) :]
        if name not in _METADATA:
            raise Declined
        if name == "time" and child.text and not _TIMES.fullmatch(child.text + "\n"):
            raise Declined


def _read_points(batch: list[Element], track: _Track) -> None:
    """The points' values appended to ``track`` (the first ``ele``, ``time`` and
    ``extensions`` child of each, as gpxpy's ``find``), then the points cleared."""
    if not batch:
        return
    tags = set(map(_TAG, chain.from_iterable(batch))) - _POINT_TAGS
    for tag in tags:
        if tag.startswith(NS):
            if tag[len(NS) :] not in _POINT:
                raise Declined
            for p in batch:
                _check_fields(p)
    first = len(track.lat)
    track.lat += map(_LAT, batch)
    track.lon += map(_LON, batch)
    track.ele += [t or None for t in map(_ELE, batch)]  # <ele/>: None, as gpxpy
    track.time += [t or None for t in map(_TIME, batch)]
    found = [(i, x) for i, x in enumerate(map(_FIND_EXTENSIONS, batch), first) if x is not None]
    if found:
        inside = [list(x.iter()) for _, x in found]
        owner = np.repeat([i for i, _ in found], list(map(len, inside)))
        elements = list(chain.from_iterable(inside))
        tags = list(map(_TAG, elements))
        codes = {tag: _code(tag) for tag in set(tags)}
        texts = list(map(_TEXT, elements))
        keep = [j for j, tag in enumerate(tags) if codes[tag] is not None and texts[j]]
        for code in set(codes.values()) - {None}:
            mine = [j for j in keep if codes[tags[j]] == code]
            track.extension_values.append((code, owner[mine], [texts[j] for j in mine]))
    deque(map(Element.clear, batch), maxlen=0)


def _add_points(found: Points, track: _Track) -> None:
    """A run of points read by :mod:`.gpx_blocks` appended to ``track`` as
    :func:`_read_points` appends them, then the points cleared."""
    first = len(track.lat)
    track.lat += found.lat
    track.lon += found.lon
    track.ele += found.ele
    track.time += found.time
    at = np.arange(first, first + len(found.lat))
    for tag, texts in found.extension_texts:  # in document order inside each point
        code = _code(tag)
        if code is not None:
            track.extension_values.append((code, at, texts))
    deque(map(Element.clear, found.elements), maxlen=0)


def _code(tag: str) -> int | None:
    return _EXT_CODES.get(_column(tag))


def _column(tag: str) -> str | None:
    return EXTENSION_COLUMNS.get(local_name(str(tag)).lower())


def _timed(track: _Track, values: list) -> list:
    """The values of the points with a time."""
    if None not in track.time:
        return values
    return [v for t, v in zip(track.time, values, strict=True) if t is not None]


def _recorded(tracks: list[_Track], min_share: float, warnings: list[str]) -> list[_Track]:
    """The tracks recorded (most points timed), with gpx.py's warnings; NoTimedData is
    gpxpy's path's to raise."""
    recorded, skipped = [], 0
    for track in tracks:
        n_timed = len(track.time) - track.time.count(None)
        if n_timed >= min_share * len(track.time):
            recorded.append(track)
        else:
            skipped += 1
    if not recorded:
        raise Declined
    if skipped:
        warnings.append(f"{skipped} track(s) without times left out (routes or saved copies)")
    if len(recorded) > 1:
        warnings.append(f"{len(recorded)} tracks joined into one activity")
    n_kept = sum(len(t.time) for t in recorded)
    n_timed = sum(len(trk.time) - trk.time.count(None) for trk in recorded)
    if n_timed < n_kept:
        warnings.append(f"{n_kept - n_timed} of {n_kept} points have no time; left out")
    return recorded


def _floats(tracks: list[_Track], name: str, optional: bool) -> np.ndarray:
    """A column as gpxpy converts it (``float(text.strip())``: numpy parses a text as
    ``float`` does, and refuses what it refuses); a missing ``optional`` value is NaN."""
    values = list(chain.from_iterable(_timed(trk, getattr(trk, name)) for trk in tracks))
    if not optional and None in values:
        raise Declined
    return np.array(values, dtype=np.float64)  # None -> NaN


def _columns(tracks: list[_Track], sport: str, warnings: list[str]) -> dict[str, np.ndarray]:
    cols = {
        "lat_deg": _floats(tracks, "lat", optional=False),
        "lon_deg": _floats(tracks, "lon", optional=False),
        "altitude_m": _floats(tracks, "ele", optional=True),
    }
    cols.update(_extension_columns(tracks, len(cols["lat_deg"])))
    return finish_columns(cols, sport, warnings)


def _extension_columns(tracks: list[_Track], n: int) -> dict[str, np.ndarray]:
    """Heart rate, cadence and power from the points' extension values (each point's in
    document order: a later value of a column wins, as in gpx.py)."""
    out = {}
    values = np.full((len(_EXT_NAMES), n), np.nan)
    base = 0
    for trk in tracks:
        timed = np.fromiter(map(is_not, trk.time, repeat(None)), dtype=bool, count=len(trk.time))
        row = np.cumsum(timed) - 1 + base  # a timed point's row in the columns
        base += int(timed.sum())
        for code, at, texts in runs_by_column(trk.extension_values):
            keep = np.fromiter(map(bool, texts), dtype=bool, count=len(texts)) & timed[at]
            pick = np.flatnonzero(keep)
            if not len(pick):
                continue
            last = np.append(at[pick[1:]] != at[pick[:-1]], True)  # a point's last value
            pick = pick[last]
            chosen = texts if len(pick) == len(texts) else [texts[j] for j in pick.tolist()]
            values[code, row[at[pick]]] = numbers(chosen)
    for code, name in enumerate(_EXT_NAMES):
        if np.isfinite(values[code]).any():
            out[name] = values[code]
    return out


def _unix_s(times: list[str]) -> np.ndarray:
    """Unix seconds of 'Z' time stamps (declined unless every one is of that form)."""
    fixed = fixed_zulu_unix_s(times)  # only ever reads times of that form
    if fixed is not None:
        if not np.isfinite(fixed).all():
            raise Declined
        return fixed
    if not _TIMES.fullmatch("\n".join(times) + "\n" if times else ""):
        raise Declined
    seconds, n_naive = iso_to_unix_s(times)
    if n_naive or not np.isfinite(seconds).all():
        raise Declined
    return seconds
