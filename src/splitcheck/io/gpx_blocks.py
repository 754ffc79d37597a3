"""GPX points of one shape read by slicing the parser's ended elements, not point by point.

A watch writes every point alike: ``<trkpt><ele/><time/><extensions><gpxtpx:...>
<gpxtpx:hr/><gpxtpx:cad/></...></extensions></trkpt>``. The streaming parser
(:mod:`.xmlstream`) hands over the elements in the order they end, so such a run of points
is a repeated block of K elements, the point last. When every block has the same tags and
the same number of children at every position (post-order plus arities fix a tree
exactly), the first block's tree tells where each value sits, and each value of every
point is one slice of the list (``elements[j::K]``): no method call per point.

:func:`uniform_points` returns None for anything else (points of different shapes, a
block that is not exactly one point's subtree, typed fields gpxpy checks point by point),
and the caller reads those points one by one (:func:`.gpx_fast._read_points`), with the
same result.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter, methodcaller
from xml.etree.ElementTree import Element

import numpy as np

_TEXT = attrgetter("text")
_LAT, _LON = methodcaller("get", "lat"), methodcaller("get", "lon")


@dataclass(frozen=True)
class Tags:
    """The GPX tags looked for (namespaced, ``{...}trkpt``) and the point's children
    that need no check (``ele``, ``time``, ``extensions``); ``ns`` the GPX namespace."""

    point: str
    ele: str
    time: str
    extensions: str
    plain_children: frozenset[str]
    ns: str


@dataclass(frozen=True)
class Shape:
    """Where a point's values sit in its block (offsets into the K elements)."""

    size: int
    ele: int | None
    time: int | None
    extension_values: tuple[tuple[int, str], ...]
    """(offset, tag) of the elements inside the first ``extensions`` child, in document
    order (the extensions element itself first, as ``Element.iter`` gives them)."""


@dataclass(frozen=True)
class Points:
    """The values of a run of points, as gpx_fast._read_points reads them (also what
    :mod:`.gpx_regex` reads from a segment's text)."""

    elements: list[Element]
    """The points' elements, cleared once read (none when read from the text)."""
    lat: list
    lon: list
    ele: list
    time: list
    extension_texts: list[tuple[str, list]]
    """Per element inside ``extensions`` (document order): its tag, each point's text."""


def uniform_points(ended: list[Element], tags: list[str], gpx: Tags) -> tuple[int, Points] | None:
    """The points whose blocks make up ``ended[:used]``, and ``used``; None when the
    blocks are not all of one shape (see the module docstring)."""
    n = tags.count(gpx.point)
    if not n:
        return None
    size = tags.index(gpx.point) + 1
    used = n * size
    if len(tags) < used:
        return None
    lens = list(map(len, ended[:used]))
    for j in range(size):  # every block alike, tag and arity at each position
        if tags[j:used:size].count(tags[j]) != n or lens[j:used:size].count(lens[j]) != n:
            return None
    shape = _shape(tags[:size], lens[:size], gpx)
    if shape is None:
        return None
    points = ended[size - 1 : used : size]

    def texts(j: int | None) -> list:
        if j is None:
            return [None] * n
        found = list(map(_TEXT, ended[j:used:size]))
        return [t or None for t in found] if "" in found else found  # <ele/>: None

    return used, Points(
        elements=points,
        lat=list(map(_LAT, points)),
        lon=list(map(_LON, points)),
        ele=texts(shape.ele),
        time=texts(shape.time),
        extension_texts=[
            (tag, list(map(_TEXT, ended[j:used:size]))) for j, tag in shape.extension_values
        ],
    )


def _shape(tags: list[str], lens: list[int], gpx: Tags) -> Shape | None:
    """The block's tree (post-order with each element's number of children), or None
    unless it is exactly one point whose children are all plain GPX fields or outside
    the GPX namespace."""
    size = len(tags)
    stack: list[int] = []
    children: list[list[int]] = [[] for _ in range(size)]
    for j, arity in enumerate(lens):
        if arity > len(stack):
            return None
        if arity:
            children[j] = stack[-arity:]
            del stack[-arity:]
        stack.append(j)
    if stack != [size - 1]:
        return None
    kids = children[size - 1]
    if any(tags[k].startswith(gpx.ns) and tags[k] not in gpx.plain_children for k in kids):
        return None
    first = {}
    for k in kids:
        first.setdefault(tags[k], k)
    values: list[tuple[int, str]] = []
    ext = first.get(gpx.extensions)
    if ext is not None:
        todo = [ext]  # pre-order, as Element.iter
        while todo:
            j = todo.pop()
            values.append((j, tags[j]))
            todo += reversed(children[j])
    return Shape(size, first.get(gpx.ele), first.get(gpx.time), tuple(values))


def runs_by_column(runs: list) -> Iterator[tuple[int, np.ndarray, list]]:
    """A track's runs of extension values joined into one per column, in document order
    (points in order, a point's values in their order), so that each column's texts are
    converted at once."""
    by_code: dict[int, list] = {}
    for code, at, texts in runs:
        by_code.setdefault(code, []).append((at, texts))
    for code, mine in by_code.items():
        if len(mine) == 1:
            yield code, np.asarray(mine[0][0]), mine[0][1]
            continue
        at = np.concatenate([a for a, _ in mine])
        texts = list(chain.from_iterable(t for _, t in mine))
        if (np.diff(at) < 0).any():  # a point's values in several runs (nested elements)
            order = np.argsort(at, kind="stable")
            at, texts = at[order], [texts[j] for j in order.tolist()]
        yield code, at, texts
