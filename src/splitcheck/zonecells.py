"""The time zone of a position from timezonefinder's shortcut index alone, when that
index holds the whole answer: the cheap first step of :func:`.localtime.zone_at_start`.

``timezonefinder`` answers a lookup from an index of H3 cells (resolution 4, ~1,800 km²
each): a cell one zone covers holds that zone's id, and only a cell several zones share
needs the polygon tests. Importing and building a ``TimezoneFinder`` costs ~90 ms of CPU
in an analysis (cffi and its C parser, the polygon machinery), a fifth of ``analyze``,
for a lookup that, away from borders, reads two bytes (this way: ~35 ms, mostly ``h3``).
This module reads those two bytes itself: the H3 cell from ``h3`` (which timezonefinder
uses for it), the table entry from the same data file
(``timezonefinder_data/data/shortcuts.bin``, layout 2) and the name from
``timezone_names.txt``. A cell several zones share, or data in another layout, is left to
``TimezoneFinder`` (:data:`ASK_TIMEZONEFINDER`), so every answer is the one
``TimezoneFinder().timezone_at`` gives (tests/test_localtime_cells.py checks that on
thousands of points).
"""

from __future__ import annotations

import functools
import importlib.util
import math
import struct
from pathlib import Path

ASK_TIMEZONEFINDER = "ask timezonefinder"
"""The answer when this index cannot tell: several zones share the cell, or the data is
not in the layout read here."""
FILE_ID = b"TZSC"
LAYOUT_VERSION = 2
"""timezonefinder's ``SHORTCUT_LAYOUT_VERSION`` of the file read here."""
RESOLUTION = 4
"""timezonefinder's ``SHORTCUT_H3_RES``; the file states the resolution it was built at."""
HEADER_B = 40
BASE_CELL_SHIFT = 45
"""H3 index bits: the base cell (7 bits) at 45-51, then 3 bits per resolution digit."""
ABSENT = -1
"""Table entry of a cell no zone covers; below it, an index of candidate polygons."""


@functools.cache
def _data() -> tuple[Path, list[str]] | None:
    """The shortcut file and the zone names, or None if not there or not this layout."""
    spec = importlib.util.find_spec("timezonefinder_data")  # found, not imported
    if importlib.util.find_spec("timezonefinder") is None or spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent / "data"
    try:
        with (folder / "shortcuts.bin").open("rb") as fh:
            head = fh.read(HEADER_B)
        names = (folder / "timezone_names.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    if len(head) < HEADER_B or head[:4] != FILE_ID:
        return None
    (layout,) = struct.unpack_from("<I", head, 4)
    (resolution,) = struct.unpack_from("<q", head, 8)
    if layout != LAYOUT_VERSION or resolution != RESOLUTION:
        return None
    return folder / "shortcuts.bin", [n.strip() for n in names if n.strip()]


def zone_in_cell(lat: float, lon: float) -> str | None:
    """The IANA zone timezonefinder gives at (lat, lon) when its cell holds the whole
    answer, None when no zone covers the cell, else :data:`ASK_TIMEZONEFINDER`."""
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90):
        return ASK_TIMEZONEFINDER  # timezonefinder's validation and its error
    if not -180 <= lon <= 180:
        return ASK_TIMEZONEFINDER
    data = _data()
    if data is None:
        return ASK_TIMEZONEFINDER
    try:
        from h3.api import basic_int as h3
    except ImportError:
        return ASK_TIMEZONEFINDER
    path, names = data
    cell = h3.latlng_to_cell(lat, lon, RESOLUTION)
    slot = (cell >> BASE_CELL_SHIFT) & 0x7F  # the file: base cell, then digits in base 7
    for digit in range(RESOLUTION):
        slot = slot * 7 + ((cell >> (BASE_CELL_SHIFT - 3 * (digit + 1))) & 7)
    with path.open("rb") as fh:
        fh.seek(HEADER_B + 2 * slot)
        raw = fh.read(2)
    if len(raw) != 2:
        return ASK_TIMEZONEFINDER
    (entry,) = struct.unpack("<h", raw)
    if entry == ABSENT:
        return None
    if entry < ABSENT or entry >= len(names):
        return ASK_TIMEZONEFINDER
    return names[entry]
