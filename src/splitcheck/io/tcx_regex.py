"""TCX tracks read by one strict regular expression each, the rest by the tree.

The same idea as :mod:`.gpx_regex`: each ``<Track>`` body is matched *in full* by a
compiled pattern, trackpoint after trackpoint, each child optional in the schema's
order::

    <Trackpoint> [<Time>T</Time>] [<Position><LatitudeDegrees>N</LatitudeDegrees>
        <LongitudeDegrees>N</LongitudeDegrees></Position>] [<AltitudeMeters>N</...>]
        [<DistanceMeters>N</...>] [<HeartRateBpm ...><Value>N</Value></HeartRateBpm>]
        [<Cadence>N</Cadence>] [<SensorState>Present</SensorState>]
        [<Extensions><TPX xmlns="..."><Speed>N</Speed><RunCadence>N</RunCadence>...
        </TPX></Extensions>] </Trackpoint>

``HeartRateBpm``'s attributes (``xsi:type``) and the extensions' tags are those of the
first trackpoint that has them; an extension element may declare a default namespace
(Garmin's ``<TPX xmlns=...>``: tcx.py reads local names only). Values are in tight
character classes and only white space separates tags, so each value's text is the
parser's; each column appears at most once in the pattern, so tcx.py's "last value
wins" is the one value. Anything else is declined (None) and tcx.py streams the whole
text as before: the tracks' rows are handed over by track (:func:`split_tracks`), and
the tree path reads the skeleton (the text with the track bodies cut out), so laps,
activities and the rest are read as before. A matched body is well-formed by
construction (see :mod:`.gpx_regex`), so only the skeleton is parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

import numpy as np

from .gpx_regex import (
    BLANK,
    NOT_XML_CHARS,
    NUMBER,
    OTHER_TEXT,
    TIME,
    WS,
    XML_NAME,
    optional_element,
    positions,
)
from .xmlvalues import numbers

_ROOT_TAG = re.compile(
    r"<(?:[A-Za-z_][\w.-]*:)?TrainingCenterDatabase"
    + "(?:[ \t\r\n]+[^\\s=<>/]+"
    + WS
    + "="
    + WS
    + "(?:\"[^\"<]*\"|'[^'<]*'))*"
    + WS
    + ">"
)
ROOT_SEARCH_CHARS = 4096
"""Where the root's start tag is looked for."""
_TRACK_OPEN = re.compile("<Track" + WS + "(/?)>")
_TRACK_CLOSE = re.compile("</Track" + WS + ">")
_URI = f'[^"<&\t\r\n{NOT_XML_CHARS}]*'
_TOKEN = re.compile(
    r"<(/?)([^\s/<>]+)((?:[ \t\r\n]+xmlns"
    + WS
    + "="
    + WS
    + '"'
    + _URI
    + '")?)'
    + WS
    + r"(/?)>|([^<]+)|(<)"
)
"""A tag (with at most a default namespace declared), text, or anything else."""
_RESERVED_URIS = ("http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2000/xmlns/")
_HR_OPEN = re.compile(
    "<HeartRateBpm((?:[ \t\r\n]+"
    + XML_NAME.pattern
    + WS
    + "="
    + WS
    + f'"[^"<&{NOT_XML_CHARS}]*")*)'
    + WS
    + ">"
)
_ATTRIBUTE_NAME = re.compile("(" + XML_NAME.pattern + ")" + WS + "=")
_EXTENSIONS, _EXTENSIONS_END = "<Extensions>", "</Extensions>"
TEMPLATE_BLOCKS = 64
"""Extension blocks looked at for the template (the one with the most elements wins)."""
SENSOR_STATE = "[A-Za-z]*"
"""``Present``/``Absent``: read by no column."""
TRACKPOINT_COLUMNS = ("time", "lat_deg", "lon_deg", "altitude_m", "distance_m", "heart_rate_bpm")
"""The groups before ``Cadence`` and the extensions', in order."""


class _Unread(Exception):
    """A shape this module does not read: tcx.py streams the file."""


@dataclass(frozen=True)
class Track:
    """One track's trackpoints: the value texts of each column (tcx.py's row columns by
    name; '' where a trackpoint has none) and the time texts."""

    n: int
    texts: dict[str, tuple]
    times: tuple

    def rows(self, names: tuple[str, ...]) -> np.ndarray:
        """The rows as tcx.py builds them (NaN where there is no value)."""
        out = np.full((self.n, len(names)), np.nan)
        for name, texts in self.texts.items():
            present = np.fromiter(map(bool, texts), dtype=bool, count=self.n)
            if present.all():
                out[:, names.index(name)] = numbers(texts)
            elif present.any():
                out[present, names.index(name)] = numbers(list(compress(texts, present)))
        return out


@dataclass(frozen=True)
class Split:
    skeleton: str
    tracks: list[Track]
    """One per ``<Track>`` in document order (empty ones too)."""


@dataclass(frozen=True)
class _Template:
    pattern: re.Pattern
    columns: tuple[str, ...]
    """The column of each group after the time (``cadence`` and the extensions')."""


def split_tracks(text: str, fields: dict[str, str], marks: set[str]) -> Split | None:
    """The tracks of a TCX text read by their patterns, and the skeleton; None when any
    part is outside what this module reads exactly. ``fields``: tcx.py's value element
    local names -> column; ``marks``: local names with a meaning of their own there."""
    root = _ROOT_TAG.search(text, 0, ROOT_SEARCH_CHARS)
    if root is None:
        return None
    pieces, tracks, done = [], [], 0
    for start in positions(text, "<Track"):
        if text.startswith("<Trackpoint", start):
            continue
        opened = _TRACK_OPEN.match(text, start)
        if opened is None:
            return None
        if opened.group(1):
            tracks.append(Track(0, {}, ()))
            continue
        closed = _TRACK_CLOSE.search(text, opened.end())  # (not ``</Trackpoint>``)
        if closed is None:
            return None
        close = closed.start()
        try:
            tracks.append(_read_body(text, opened.end(), close, root.group(), fields, marks))
        except _Unread:
            return None
        pieces.append(text[done : opened.end()])
        done = close
    pieces.append(text[done:])
    skeleton = "".join(pieces)
    if "<!" in skeleton or "<?" in skeleton:  # comments, CDATA, processing instructions
        return None
    return Split(skeleton, tracks)


def _read_body(
    text: str, start: int, end: int, root_tag: str, fields: dict[str, str], marks: set[str]
) -> Track:
    if BLANK.fullmatch(text, start, end):
        return Track(0, {}, ())
    template = _template(text, start, end, root_tag, fields, marks)
    found = template.pattern.findall(text, start, end)
    columns = list(zip(*found, strict=True))
    if not columns or any(columns[-1]):
        raise _Unread  # something else than trackpoints and white space
    names = TRACKPOINT_COLUMNS[1:] + template.columns
    texts = {name: columns[1 + k] for k, name in enumerate(names)}
    return Track(len(found), texts, columns[0])


_TEMPLATES: dict[str, _Template] = {}
_MAX_TEMPLATES = 64


def _template(
    text: str, start: int, end: int, root_tag: str, fields: dict[str, str], marks: set[str]
) -> _Template:
    hr = _HR_OPEN.search(text, start, end)
    hr_attributes = hr.group(1) if hr is not None else ""
    names = _ATTRIBUTE_NAME.findall(hr_attributes)
    if len(set(names)) != len(names) or any(n == "xmlns" or n.startswith("xmlns:") for n in names):
        raise _Unread
    extensions = _extension_tree(text, start, end)
    prefixes = {n.partition(":")[0] for n in names if ":" in n} | _prefixes(extensions or ())
    for prefix in prefixes:
        if prefix == "xmlns" or not re.search(f"[ \t\r\n]xmlns:{re.escape(prefix)}{WS}=", root_tag):
            raise _Unread
    key = repr((hr_attributes, extensions))
    template = _TEMPLATES.get(key)
    if template is None:
        if len(_TEMPLATES) >= _MAX_TEMPLATES:
            _TEMPLATES.clear()
        template = _TEMPLATES[key] = _build(hr_attributes, extensions, fields, marks)
    return template


def _prefixes(nodes: tuple) -> set[str]:
    found = set()
    for (name, _), children in nodes:
        if ":" in name:
            found.add(name.partition(":")[0])
        found |= _prefixes(children or ())
    return found


def _extension_tree(text: str, start: int, end: int) -> tuple | None:
    """The richest tree inside the first :data:`TEMPLATE_BLOCKS` ``<Extensions>`` (a
    watch adds the cadence once the runner moves), or None when there is none."""
    best, best_size = None, -1
    at = text.find(_EXTENSIONS, start, end)
    for _ in range(TEMPLATE_BLOCKS):
        if at < 0:
            break
        stop = text.find(_EXTENSIONS_END, at, end)
        if stop < 0:
            raise _Unread
        tree = _block_tree(text, at, stop)
        size = repr(tree).count("(")
        if size > best_size:
            best, best_size = tree, size
        at = text.find(_EXTENSIONS, stop, end)
    return best


def _block_tree(text: str, at: int, end: int) -> tuple:
    """The tree inside one ``<Extensions>`` (``text[at:end]``): nested ``((name, start
    tag's attributes), children)``, children None for a leaf."""
    stack: list[tuple[tuple[str, str], list, list[bool]]] = [(("", ""), [], [False])]
    for close, name, declared, empty, chars, other in _TOKEN.findall(
        text, at + len(_EXTENSIONS), end
    ):
        if other or any(uri in declared for uri in _RESERVED_URIS):
            raise _Unread
        if chars:
            stack[-1][2][0] |= bool(chars.strip(" \t\r\n"))
        elif close:
            if empty or declared or len(stack) == 1 or stack[-1][0][0] != name:
                raise _Unread
            stack[-2][1].append(_node(*stack.pop()))
        elif empty:
            stack[-1][1].append(_node((name, declared), [], [False]))
        else:
            stack.append(((name, declared), [], [False]))
    if len(stack) != 1 or stack[0][2][0]:
        raise _Unread
    return tuple(stack[0][1])


def _node(tag: tuple[str, str], children: list, has_text: list[bool]) -> tuple:
    if not XML_NAME.fullmatch(tag[0]):
        raise _Unread
    if not children:
        return tag, None
    if has_text[0]:
        raise _Unread
    return tag, tuple(children)


def _build(
    hr_attributes: str, extensions: tuple | None, fields: dict[str, str], marks: set[str]
) -> _Template:
    columns: list[str] = []
    ext = ""
    if extensions is not None:
        inner = _extension_pattern(extensions, fields, marks, columns)
        ext = optional_element("Extensions", inner + WS)
    number = f"({NUMBER})"
    position = (
        f"{WS}<LatitudeDegrees>{number}</LatitudeDegrees>"
        f"{WS}<LongitudeDegrees>{number}</LongitudeDegrees>{WS}"
    )
    value = f"{WS}<Value>{number}</Value>{WS}"
    hr = f"(?:{WS}<HeartRateBpm{re.escape(hr_attributes)}{WS}>{value}</HeartRateBpm>|)"
    point = (
        "<Trackpoint>"
        f"{optional_element('Time', f'({TIME})')}"
        f"{optional_element('Position', position)}"
        f"{optional_element('AltitudeMeters', number)}"
        f"{optional_element('DistanceMeters', number)}"
        f"{hr}"
        f"{optional_element('Cadence', number)}"
        f"{optional_element('SensorState', SENSOR_STATE)}"
        f"{ext}{WS}</Trackpoint>"
    )
    if len(set(columns)) != len(columns) or set(columns) & {*TRACKPOINT_COLUMNS, "cadence"}:
        raise _Unread  # a column twice: "last value wins" would need the empty ones
    return _Template(re.compile(f"{WS}(?:{point}|([^ \\t\\r\\n]))"), ("cadence", *columns))


def _extension_pattern(
    nodes: tuple, fields: dict[str, str], marks: set[str], columns: list[str]
) -> str:
    parts = []
    for (name, declared), children in nodes:
        local = name.rpartition(":")[2]
        if local in marks or (children is not None and local in fields):
            raise _Unread  # tcx.py gives these a meaning (or would read a container's text)
        tag = re.escape(name)
        if children is not None:
            inner = _extension_pattern(children, fields, marks, columns) + WS
        elif local in fields:
            columns.append(fields[local])
            inner = f"({NUMBER})"
        else:
            inner = OTHER_TEXT
        attrs = re.escape(declared)
        parts.append(f"(?:{WS}<{tag}{attrs}{WS}(?:>{inner}</{tag}>|/>)|)")
    return "".join(parts)
