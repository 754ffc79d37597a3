"""The time zone of a position from timezonefinder's shortcut index alone, when that
index holds the whole answer: the cheap first step of :func:`.localtime.zone_at_start`.

``timezonefinder`` answers a lookup from an index of H3 cells (resolution 4, ~1,800 km²
each): a cell one zone covers holds that zone's id, and only a cell several zones share
needs the polygon tests. Importing and building a ``TimezoneFinder`` costs ~90 ms of CPU
in an analysis (cffi and its C parser, the polygon machinery), a fifth of ``analyze``,
for a lookup that, away from borders, reads two bytes. This module reads those two
bytes itself: the table entry from timezonefinder's data file
(``timezonefinder_data/data/shortcuts.bin``, layout 2), the name from
``timezone_names.txt``, and the H3 cell from H3's own C function ``latLngToCell``, the
one ``h3.latlng_to_cell`` (which timezonefinder uses) calls. Importing the ``h3`` package
for it would cost another ~45-75 ms of CPU, most of it ``importlib.metadata`` (email,
zipfile ...) that ``h3/_version.py`` imports to look up its own version; so the function
is called through ``ctypes`` (which numpy has already imported) in the h3 extension
module that holds it, and ``h3`` is imported only when that library is not there as
expected (another h3 major version, a build that does not export the symbol).

A cell several zones share, or data in another layout, is left to ``TimezoneFinder``
(:data:`ASK_TIMEZONEFINDER`), so every answer is the one
``TimezoneFinder().timezone_at`` gives (tests/test_localtime_cells.py checks that on
thousands of points, and the cell against ``h3``'s on many more).
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import math
import struct
from collections.abc import Callable
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
H3_MAJOR = "4"
"""The H3 major version whose C signature is called here:
``H3Error latLngToCell(const LatLng *g, int res, H3Index *out)``, radians in."""
H3_CELL_MODULE = "latlng"
"""The h3 extension module (``h3/_cy/latlng*.so``) whose library holds ``latLngToCell``."""


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
    cell = h3_cell(lat, lon)
    if cell is None:
        return ASK_TIMEZONEFINDER
    path, names = data
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


def h3_cell(lat: float, lon: float) -> int | None:
    """``h3.api.basic_int.latlng_to_cell(lat, lon, 4)`` (degrees in), or None when h3 is
    not installed or gives no cell."""
    to_cell = _latlng_to_cell()
    return None if to_cell is None else to_cell(lat, lon)


@functools.cache
def _latlng_to_cell() -> Callable[[float, float], int | None] | None:
    """H3's ``latLngToCell`` at :data:`RESOLUTION`: through ctypes where h3's extension
    library exports it, else through the ``h3`` package; None without h3."""
    spec = importlib.util.find_spec("h3")  # found, not imported
    if spec is None or not spec.origin:
        return None
    try:
        return _c_latlng_to_cell(Path(spec.origin).parent)
    except (OSError, AttributeError, ImportError, StopIteration):
        pass
    try:
        from h3.api import basic_int as h3
    except ImportError:
        return None

    def by_package(lat: float, lon: float) -> int | None:
        try:
            return h3.latlng_to_cell(lat, lon, RESOLUTION)
        except ValueError:  # h3's errors are ValueErrors
            return None

    return by_package


def _c_latlng_to_cell(package: Path) -> Callable[[float, float], int | None]:
    """The C function, as h3-py's ``latlng_to_cell`` calls it (its ``degsToRads`` too, so
    the radians are the same to the bit). Raises when the library is not the expected one.
    """
    versions = [p.name.split("-")[1] for p in package.parent.glob("h3-*.dist-info")]
    if [v.split(".")[0] for v in versions] != [H3_MAJOR]:
        raise ImportError(f"h3 {versions}, not one {H3_MAJOR}.x")
    folder = package / "_cy"
    library = next(
        folder / f"{H3_CELL_MODULE}{suffix}"
        for suffix in importlib.machinery.EXTENSION_SUFFIXES
        if (folder / f"{H3_CELL_MODULE}{suffix}").is_file()
    )
    import ctypes

    class LatLng(ctypes.Structure):
        _fields_ = (("lat", ctypes.c_double), ("lng", ctypes.c_double))

    lib = ctypes.CDLL(str(library))
    rads = lib.degsToRads
    rads.restype, rads.argtypes = ctypes.c_double, (ctypes.c_double,)
    to_cell = lib.latLngToCell
    to_cell.restype = ctypes.c_uint32  # H3Error: 0 for success
    to_cell.argtypes = (ctypes.POINTER(LatLng), ctypes.c_int, ctypes.POINTER(ctypes.c_uint64))

    def by_c(lat: float, lon: float) -> int | None:
        out = ctypes.c_uint64()
        point = LatLng(rads(lat), rads(lon))
        if to_cell(ctypes.byref(point), RESOLUTION, ctypes.byref(out)):
            return None
        return out.value

    return by_c
