"""TCX trackpoints of one shape read by slicing the parser's ended elements, as
:mod:`.gpx_blocks` reads GPX points.

A watch writes every trackpoint alike (``Time``, ``Position`` with two values,
``AltitudeMeters``, ``DistanceMeters``, ``HeartRateBpm/Value``, ``Extensions/TPX/...``).
The streaming parser hands the elements over in the order they end, so each trackpoint
is the last of a block of K elements (its subtree in post-order). When every trackpoint
of a chunk has the same tags and the same number of children at every offset of its
block (post-order plus arities fix a tree exactly), the first block tells which offset
gives each column's value, by the rules :func:`.tcx._read_trackpoints` applies point by
point (document order inside the trackpoint, the last value of a column wins, a
``Value`` is the heart rate when the marker before it is ``HeartRateBpm``, the last
``Time`` is the time), and each column is one slice of the elements. Anything else
(shapes that differ, a trackpoint inside a trackpoint) is None, and the caller reads the
trackpoints one by one, with the same result.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter, itemgetter
from xml.etree.ElementTree import Element

import numpy as np

_TEXT = attrgetter("text")
MAX_BLOCK = 256
"""Elements of one trackpoint read this way (a Garmin trackpoint has 12); a longer one
is read point by point."""


@dataclass(frozen=True)
class Codes:
    """What :func:`.tcx._code` gives: a column (>= 0) or one of these marks (< 0)."""

    trackpoint: int
    time: int
    heart_rate: int
    value: int
    heart_rate_column: int
    n_columns: int


def uniform_trackpoints(
    ended: list[Element], tags: list[str], codes: dict[str, int], marks: Codes
) -> tuple[list[Element], list[tuple[int, list]], list[str]] | None:
    """(the trackpoints among ``ended``, (column, each trackpoint's text) for each column
    they have, their time texts), or None when they are not all of one shape (see the
    module). ``codes`` maps every tag in
    ``tags`` (those of ``ended``) to a column or a mark."""
    point_tags = [tag for tag in set(tags) if codes[tag] == marks.trackpoint]
    if len(point_tags) != 1:
        return None
    tag = point_tags[0]
    n = tags.count(tag)
    where, at = [], -1
    for _ in range(n):
        at = tags.index(tag, at + 1)
        where.append(at)
    first = where[0]
    size = _subtree_size(ended, first)
    if size is None or tags[first - size + 1 : first].count(tag):
        return None
    columns: list[tuple] = []
    positions = np.array(where)
    for j in range(1 - size, 1):  # the elements at offset j from every trackpoint
        if n > 1:
            get = itemgetter(*(positions + j).tolist())
            picked, picked_tags = get(ended), get(tags)
        else:
            picked, picked_tags = (ended[first + j],), (tags[first + j],)
        if picked_tags.count(tags[first + j]) != n:
            return None
        if list(map(len, picked)).count(len(ended[first + j])) != n:
            return None
        columns.append(picked)
    block = ended[first - size + 1 : first + 1]
    winner: dict[int, int] = {}  # column -> offset of the value that counts
    time_at, mark_before = None, None
    for j in _preorder(block):
        c = codes[block[j].tag]
        if c >= 0:
            winner[c] = j
        elif c == marks.time:
            time_at = j
        elif c == marks.value and mark_before == marks.heart_rate:
            winner[marks.heart_rate_column] = j
        if c in (marks.heart_rate, marks.value):
            mark_before = c
    values = [(column, list(map(_TEXT, columns[j]))) for column, j in winner.items()]
    times = [""] * n if time_at is None else [t or "" for t in map(_TEXT, columns[time_at])]
    return list(columns[size - 1]), values, times


def _subtree_size(ended: list[Element], at: int) -> int | None:
    """How many elements, ending at ``ended[at]``, make its subtree (post-order: each
    element's children are the subtrees just before it)."""
    need, j = 1, at
    while need:
        if j < 0 or at - j >= MAX_BLOCK:
            return None
        need += len(ended[j]) - 1
        j -= 1
    return at - j


def _preorder(block: list[Element]) -> list[int]:
    """The offsets of a post-order block (one tree, its root last) in document order."""
    stack: list[int] = []
    children: list[list[int]] = [[] for _ in block]
    for j, element in enumerate(block):
        arity = len(element)
        if arity:
            children[j] = stack[-arity:]
            del stack[-arity:]
        stack.append(j)
    out, todo = [], [len(block) - 1]
    while todo:
        j = todo.pop()
        out.append(j)
        todo += reversed(children[j])
    return out
