"""GPX track segments read by one strict regular expression each, the rest by the tree.

Even streamed and sliced (:mod:`.gpx_blocks`), a GPX read builds an element per value
and reads it back: half of the read. A watch writes its points alike, so each segment's
body (the text between ``<trkseg>`` and ``</trkseg>``) is matched *in full* by a
compiled pattern built from the body's own tags::

    <trkpt lat="N" lon="N"> [<ele>N</ele>] [<time>T</time>]
        [<extensions><P:TrackPointExtension>[<P:hr>N</P:hr>][<P:cad>N</P:cad>]...
        </P:TrackPointExtension></extensions>] </trkpt>

the attributes in the first point's order, ``ele``, ``time`` and ``extensions`` each
optional (or empty, ``<ele/>``) in the schema's order, the extensions' tags those of the
first point that has some, each optional. Values are restricted to tight character
classes (numbers ``[-+0-9.eE]``, times ``[-+0-9:.TZ]``, no ``&``, ``<`` or white space),
so a value's text is exactly what the XML parser would hand over, and only white space
separates tags. ``findall`` then gives every value of every point in one C call.

Anything else is declined (:func:`split_segments` returns None) and the tree path
(:mod:`.gpx_fast`) reads the whole file as before: an entity, a comment, CDATA or a
processing instruction anywhere, a namespace declared outside the root's start tag, a
point with another child or attribute, children out of order, text between points, a
container in the extensions named like a value column (the tree would read its text),
mixed content, attributes on extension elements.

What is outside the segments (root, metadata, tracks, types, the number of tracks and
segments, gpxpy's field checks) is read by the tree path from a *skeleton*, the text
with the segment bodies cut out, which hands each segment's values to the track its
``</trkseg>`` ends in, so the tree path's checks still decide what is declined.

Why the text is safe to cut: without comments, CDATA and processing instructions, every
``<`` starts a tag (``<`` is not allowed in text or attribute values, and a DTD is
refused by :mod:`.xmlsafe`), so every ``<trkseg`` is a real segment; with no namespace
declared past the root, an unprefixed tag is in the root's default namespace (GPX 1.1,
checked by :mod:`.gpx_fast`). The extension columns depend only on local names
(gpx.py's rule), so prefixes need no mapping.

Why no parser checks the bodies: a body the pattern matches is well-formed content by
construction (every tag spelled in full and closed, names checked as XML names, each
prefix declared on the root, attribute values quoted alike, only XML characters in
texts, no references), and well-formed content put inside an element of a well-formed
document keeps it well-formed. The skeleton is parsed by the tree path, so the whole
text is well-formed exactly when the skeleton is, and a text that is not falls back to
the tree path whole, as before. (expat over the whole text, even without handlers, was
a third of the read.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gpx import EXTENSION_COLUMNS
from .gpx_blocks import Points

WS = "[ \t\r\n]*"
"""White space XML allows between tags (inside a point, between points)."""
_WS1 = "[ \t\r\n]+"
NUMBER = "[-+0-9.eE]*"
"""A number's text, as ``float`` or numpy read it (empty: no value, as ``<ele/>``)."""
TIME = "[-+0-9:.TZ]*"
"""A time stamp's text (its form is checked afterwards by gpx_fast's time reading)."""
NOT_XML_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
"""Characters XML 1.0 does not allow (outside its ``Char``), for negated classes."""
OTHER_TEXT = f"[^<&>{NOT_XML_CHARS}]*"
"""Text of an extension element no column reads: XML characters (XML 1.0's ``Char``),
no markup, no reference, no ``>`` (so no ``]]>``)."""
XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?")
"""An XML name with at most one prefix (ASCII; any other is left to the tree path)."""
_ATTRIBUTE = (
    "(?:" + _WS1 + r"[^\s=<>/]+" + WS + "=" + WS + "(?:\"[^\"<]*\"|'[^'<]*'))"
)  # an attribute, to find the tag's end (the root's is checked by the skeleton's parse)
ROOT_SEARCH_CHARS = 4096
"""Where the root's start tag is looked for (as gpx_fast looks for a prefixed root)."""
_ROOT_TAG = re.compile("<gpx" + _ATTRIBUTE + "*" + WS + ">")
BLANK = re.compile(WS)
_SEGMENT_OPEN = re.compile("<trkseg" + WS + "(/?)>")
_SEGMENT_CLOSE = re.compile("</trkseg" + WS + ">")
_POINT_OPEN = re.compile("<trkpt(" + _ATTRIBUTE + "*)" + WS + ">")
_ATTRIBUTE_NAME = re.compile(r"([^\s=]+)" + WS + "=" + WS + "([\"'])")
_TOKEN = re.compile(r"<(/?)([^\s/<>]+)" + WS + r"(/?)>|([^<]+)|(<)")
_EXTENSIONS, _EXTENSIONS_END = "<extensions>", "</extensions>"


@dataclass(frozen=True)
class Split:
    """A GPX text with its segments read: the skeleton for the tree path, and each
    segment's values (in document order, one per ``<trkseg>``)."""

    skeleton: str
    segments: list[Points]


@dataclass(frozen=True)
class _Template:
    """A segment's point pattern and what its groups hold."""

    pattern: re.Pattern
    """A point after white space, or else one other character (its group then says the
    body is not points and white space only)."""
    lat: int
    lon: int
    extension_tags: tuple[str, ...]
    """Local names of the extension values, in document order (groups 4, 5...)."""


def split_segments(text: str) -> Split | None:
    """The segments of a GPX 1.1 text read by their patterns, and the skeleton; None
    when any part of the text is outside what this module reads exactly."""
    root = _ROOT_TAG.search(text, 0, ROOT_SEARCH_CHARS)
    if root is None:
        return None
    pieces, segments = [], []
    done = 0
    for start in positions(text, "<trkseg"):
        opened = _SEGMENT_OPEN.match(text, start)
        if opened is None:
            return None
        if opened.group(1):  # <trkseg/>: an empty segment
            segments.append(_points([]))
            continue
        end = text.find("</trkseg", opened.end())
        if end < 0 or _SEGMENT_CLOSE.match(text, end) is None:
            return None
        found = _read_body(text, opened.end(), end, root.group())
        if found is None:
            return None
        segments.append(found)
        pieces.append(text[done : opened.end()])
        done = end
    pieces.append(text[done:])
    skeleton = "".join(pieces)  # the bodies hold none of what follows (their pattern)
    if "<!" in skeleton or "<?" in skeleton:  # comments, CDATA, processing instructions
        return None  # (the XML declaration is blanked by xmlsafe, a DTD refused there)
    if skeleton.count("xmlns") != root.group().count("xmlns"):
        return None  # a namespace declared past the root: tags may mean something else
    return Split(skeleton, segments)


def positions(text: str, needle: str):
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + len(needle))


def _read_body(text: str, start: int, end: int, root_tag: str) -> Points | None:
    """The points of a segment body (``text[start:end]``, not copied), or None unless
    the pattern built from it matches the whole body."""
    if BLANK.fullmatch(text, start, end):
        return _points([])
    template = _template(text, start, end, root_tag)
    if template is None:
        return None
    columns = list(zip(*template.pattern.findall(text, start, end), strict=True))
    if not columns or any(columns[-1]):
        return None  # something else than points and white space
    return _points(columns, template)


def _points(columns: list[tuple], template: _Template | None = None) -> Points:
    """Points from ``findall``'s groups as columns: no loop per point."""
    if not columns:
        return Points([], [], [], [], [], [])
    return Points(
        elements=[],
        lat=list(columns[template.lat]),
        lon=list(columns[template.lon]),
        ele=_or_none(columns[2]),
        time=_or_none(columns[3]),
        extension_texts=[
            (tag, list(columns[4 + k])) for k, tag in enumerate(template.extension_tags)
        ],
    )


def _or_none(texts: tuple) -> list:
    """Empty texts (``<ele/>``, ``<ele></ele>`` or no element) as None, as the tree
    path reads them."""
    return [t or None for t in texts] if "" in texts else list(texts)


_TEMPLATES: dict[str, _Template] = {}
_MAX_TEMPLATES = 64
"""Compiled patterns kept (a watch writes one shape; bounded for a batch of many)."""


class _Unread(Exception):
    """A shape this module does not read: the tree path reads the file."""


def _template(text: str, start: int, end: int, root_tag: str) -> _Template | None:
    """The pattern of the body's points, from the first point's attributes (their order
    and quote) and the first ``<extensions>``'s tags (None for anything this module
    does not read)."""
    first = _POINT_OPEN.search(text, start, end)
    if first is None:
        return None
    attributes = _ATTRIBUTE_NAME.findall(first.group(1))
    names = tuple(name for name, _ in attributes)
    quotes = {quote for _, quote in attributes}
    if sorted(names) != ["lat", "lon"] or len(quotes) != 1:
        return None
    try:
        extensions = _extension_tree(text, start, end)
        for prefix in _prefixes(extensions or ()):
            if prefix == "xmlns" or not re.search(
                f"[ \t\r\n]xmlns:{re.escape(prefix)}{WS}=", root_tag
            ):
                raise _Unread  # not declared on the root: expat would refuse it
        key = repr((names, quotes, extensions))
        template = _TEMPLATES.get(key)  # (one lookup: safe beside another thread's clear)
        if template is None:
            if len(_TEMPLATES) >= _MAX_TEMPLATES:
                _TEMPLATES.clear()
            template = _TEMPLATES[key] = _build(names, quotes.pop(), extensions)
    except _Unread:
        return None
    return template


def _prefixes(nodes: tuple) -> set[str]:
    found = set()
    for name, children in nodes:
        if ":" in name:
            found.add(name.partition(":")[0])
        found |= _prefixes(children or ())
    return found


def _extension_tree(text: str, start: int, end: int) -> tuple | None:
    """The element tree inside the body's first ``<extensions>`` as nested
    ``(name, children)`` (children None for a leaf); None when no point has any."""
    at = text.find(_EXTENSIONS, start, end)
    if at < 0:
        return None
    end = text.find(_EXTENSIONS_END, at, end)
    if end < 0:
        raise _Unread
    stack: list[tuple[str, list, list[bool]]] = [("", [], [False])]
    for close, name, empty, chars, other in _TOKEN.findall(text, at + len(_EXTENSIONS), end):
        if other:  # a tag with attributes, or not a tag
            raise _Unread
        if chars:
            stack[-1][2][0] |= bool(chars.strip(" \t\r\n"))
        elif close:
            if empty or len(stack) == 1 or stack[-1][0] != name:
                raise _Unread
            stack[-2][1].append(_node(*stack.pop()))
        elif empty:
            stack[-1][1].append(_node(name, [], [False]))
        else:
            stack.append((name, [], [False]))
    if len(stack) != 1 or stack[0][2][0]:
        raise _Unread
    return tuple(stack[0][1])


def _node(name: str, children: list, has_text: list[bool]) -> tuple:
    if not XML_NAME.fullmatch(name):
        raise _Unread
    if not children:
        return name, None
    if has_text[0]:  # mixed content: the tree would read a container's text
        raise _Unread
    return name, tuple(children)


def optional_element(name: str, content: str) -> str:
    """``<name>content</name>`` or ``<name/>`` or nothing, after white space (as an
    alternation with an empty branch: sre runs it faster than ``(?:...)?``)."""
    tag = re.escape(name)
    return f"(?:{WS}<{tag}(?:>{content}</{tag}>|/>)|)"


def _build(names: tuple[str, ...], quote: str, extensions: tuple | None) -> _Template:
    tags: list[str] = []
    number = "(" + NUMBER[:-1] + "+)"
    attributes = "".join(f"{_WS1}{n}{WS}={WS}{quote}{number}{quote}" for n in names)
    ext = ""
    if extensions is not None:
        ext = optional_element("extensions", _extension_pattern(extensions, tags) + WS)
    point = (
        f"<trkpt{attributes}{WS}>{optional_element('ele', f'({NUMBER})')}"
        f"{optional_element('time', f'({TIME})')}{ext}{WS}</trkpt>"
    )
    return _Template(
        pattern=re.compile(f"{WS}(?:{point}|([^ \t\r\n]))"),
        lat=names.index("lat"),
        lon=names.index("lon"),
        extension_tags=tuple(tags),
    )


def _extension_pattern(nodes: tuple, tags: list[str]) -> str:
    """Each element optional, in the template's order; a value column's text as a
    group (its local name appended to ``tags``)."""
    parts = []
    for name, children in nodes:
        local = name.rpartition(":")[2]
        column = EXTENSION_COLUMNS.get(local.lower())
        if children is not None:
            if column is not None:  # the tree would read this container's text
                raise _Unread
            parts.append(optional_element(name, _extension_pattern(children, tags) + WS))
        elif column is not None:
            tags.append(local)
            parts.append(optional_element(name, f"({NUMBER})"))
        else:
            parts.append(optional_element(name, OTHER_TEXT))
    return "".join(parts)
