"""Message layouts and per-message field rules for the fast FIT decoder (``fit_fast.py``).

A :class:`Layout` is one definition message: the global message, byte order and each
field's number, size and base type, plus where its data messages are in the file.

The value functions follow fitparse 1.2.0's ``FitFile._parse_data_message`` step by step
(subfields, components, enum names, scale then offset, the ``bool`` processor) with
fitparse's own profile objects, then fit_decode's value rule, so both decoders agree by
construction. ``fit_fast_messages`` applies them to laps, sessions, events ...;
``fit_fast_records`` applies the same rules to record columns with numpy.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from fitparse.profile import MESSAGE_TYPES
from fitparse.records import BASE_TYPE_BYTE, BASE_TYPES

from .fit_messages import plain_value

RECORD_MESG = 20
TIMESTAMP_FIELD = 253
"""Field number of ``timestamp`` in every message (FIT profile)."""

INVALID = {
    "enum": 0xFF,
    "sint8": 0x7F,
    "uint8": 0xFF,
    "sint16": 0x7FFF,
    "uint16": 0xFFFF,
    "sint32": 0x7FFFFFFF,
    "uint32": 0xFFFFFFFF,
    "uint8z": 0,
    "uint16z": 0,
    "uint32z": 0,
    "sint64": 0x7FFFFFFFFFFFFFFF,
    "uint64": 0xFFFFFFFFFFFFFFFF,
    "uint64z": 0,
}
"""Each integer base type's invalid value (FIT protocol, base type table), as
``fitparse.records.BASE_TYPES`` tests for it."""

_NUMPY_CODES = {"B": "u1", "b": "i1", "h": "i2", "H": "u2", "i": "i4", "I": "u4"}
_NUMPY_CODES |= {"q": "i8", "Q": "u8", "f": "f4", "d": "f8"}


class FastPathUnsupported(Exception):
    """The fast decoder does not handle this file; fitparse must decode it.

    Raised for damage (bad CRC, truncation, undefined local message) as well as for
    rare features the fast path leaves to fitparse; ``decode_fast`` turns it into None.
    """


_BASE_SIZES = {num: base.size for num, base in BASE_TYPES.items()}


@dataclass(frozen=True)
class FieldDef:
    """One field of a definition message.

    ``count`` is how many values of the base type it holds (1 for a string, which is one
    value; more for an array); ``is_scalar`` is true for a single number.
    """

    num: int
    size: int
    base: Any  # a fitparse BaseType
    offset: int
    count: int
    is_scalar: bool

    def numpy_dtype(self, endian: str) -> np.dtype:
        if self.base.name == "string":
            return np.dtype(f"S{self.size}")
        code = endian + _NUMPY_CODES[self.base.fmt]
        return np.dtype(code) if self.count == 1 else np.dtype((code, self.count))


class LayoutSpec:
    """What a definition message says (immutable, shared by every file that has it)."""

    def __init__(self, key: bytes) -> None:
        n_fields = key[5]
        self.endian = ">" if key[2] else "<"
        (self.mesg_num,) = struct.unpack_from(self.endian + "H", key, 3)
        self.fields = make_fields([key[p : p + 3] for p in range(6, 6 + 3 * n_fields, 3)])
        dev_start = 7 + 3 * n_fields
        self.dev_size = sum(key[p + 1] for p in range(dev_start, len(key), 3)) if key[0] else 0
        self.mtype = MESSAGE_TYPES.get(self.mesg_num)
        self.name = self.mtype.name if self.mtype else None
        self.size = sum(f.size for f in self.fields) + self.dev_size
        self.readable = all(f.size for f in self.fields)
        """False when fitparse cannot read its data messages (a field of size 0)."""
        self.plans: dict[bool, tuple[list, list]] = {}  # see fit_fast_messages._plan
        self._struct: struct.Struct | None = None
        self._dtype: np.dtype | None = None

    @property
    def struct(self) -> struct.Struct:
        """Unpacks one message's fields (after the 1-byte header) as fitparse reads them."""
        if self._struct is None:
            fmt = "".join(
                f"{f.size if f.base.name == 'string' else f.count}{f.base.fmt}" for f in self.fields
            )
            self._struct = struct.Struct(self.endian + fmt)
        return self._struct

    def dtype(self) -> np.dtype:
        """Structured dtype of one message's bytes (after the 1-byte header)."""
        if self._dtype is None:
            self._dtype = np.dtype(
                {
                    "names": [f"f{i}" for i in range(len(self.fields))],
                    "formats": [f.numpy_dtype(self.endian) for f in self.fields],
                    "offsets": [f.offset for f in self.fields],
                    "itemsize": self.size,
                }
            )
        return self._dtype


MAX_CACHED_SPECS = 4096
"""Definitions remembered across files (a device writes the same few dozen each time)."""
_SPECS: dict[bytes, LayoutSpec] = {}


def layout_spec(key: bytes) -> LayoutSpec:
    """The (cached) spec of a definition message.

    ``key`` is the developer-data flag as one byte, then the definition message's bytes
    after its header byte.
    """
    spec = _SPECS.get(key)
    if spec is None:
        if len(_SPECS) >= MAX_CACHED_SPECS:
            _SPECS.clear()
        spec = _SPECS[key] = LayoutSpec(key)
    return spec


class Layout:
    """A definition message in one file and where that file's data messages using it are."""

    def __init__(self, spec: LayoutSpec, index: int) -> None:
        self.spec = spec
        self.mesg_num = spec.mesg_num
        self.endian = spec.endian
        self.fields = spec.fields
        self.mtype = spec.mtype
        self.name = spec.name
        self.size = spec.size
        self.index = index  # its number in the scan
        self.pos = np.zeros(0, dtype=np.intp)  # its data messages' offsets, once scanned
        self.def_positions: list[int] = []

    @property
    def struct(self) -> struct.Struct:
        return self.spec.struct

    def dtype(self) -> np.dtype:
        return self.spec.dtype()


def make_fields(raw_defs: list[bytes]) -> tuple[FieldDef, ...]:
    """FieldDefs from ``(number, size, base type)`` triples; sizes fitparse rejects raise.

    A field of size 0 is accepted here, as fitparse accepts it in a definition; fitparse
    fails on a data message that uses it (see ``LayoutSpec.readable``).
    """
    out = []
    offset = 0
    for num, size, base_num in raw_defs:
        base = BASE_TYPES.get(base_num, BASE_TYPE_BYTE)
        base_size = _BASE_SIZES.get(base_num, 1)
        if size % base_size:  # fitparse rejects the definition
            raise FastPathUnsupported(f"field {num} has size {size} for {base.name}")
        text = base.name in ("string", "byte")
        count = 1 if base.name == "string" else size // base_size
        out.append(FieldDef(num, size, base, offset, count, count == 1 and not text))
        offset += size
    return tuple(out)


def parse_raw(fdef: FieldDef, values: tuple, start: int) -> tuple[Any, int]:
    """fitparse's raw value of one field from a flat ``struct`` tuple; and the next index."""
    base = fdef.base
    if base.name == "string" or fdef.count == 1 and base.name != "byte":
        return base.parse(values[start]), start + 1
    stop = start + fdef.count
    chunk = values[start:stop]
    if base.name == "byte":
        return base.parse(chunk), stop
    return tuple(base.parse(v) for v in chunk), stop


def raw_values(layout: Layout, data: bytes, pos: int) -> list[Any]:
    """The raw (invalid -> None) value of each field of the data message at ``pos``."""
    flat = layout.struct.unpack_from(data, pos + 1)
    out = []
    i = 0
    for fdef in layout.fields:
        value, i = parse_raw(fdef, flat, i)
        out.append(value)
    return out


def resolve_subfield(fld, layout: Layout, raw_of: Callable[[int], Any]):
    """fitparse's choice of subfield: the first whose reference field has its value.

    ``raw_of(i)`` is the message's raw value of ``layout.fields[i]``.
    """
    for sub in fld.subfields or ():
        for ref in sub.ref_fields:
            for i, fdef in enumerate(layout.fields):
                if fdef.num == ref.def_num and ref.raw_value == raw_of(i):
                    return sub
    return fld


def scale_value(fld, value: Any) -> Any:
    """fitparse's scale then offset, on a number or each number of a tuple."""
    if isinstance(value, tuple):
        return tuple(scale_value(fld, v) for v in value)
    if isinstance(value, int | float):
        if fld.scale:
            value = float(value) / fld.scale
        if fld.offset:
            value = value - fld.offset
    return value


plain = plain_value  # the shared rule (fit_messages.plain_value)


def processed(fld, value: Any) -> Any:
    """fitparse's ``bool`` type processor, then fit_decode's value rule."""
    if fld.type.name == "bool" and value is not None:
        value = bool(value)
    return plain(value, bool(getattr(fld.type, "values", None)))


class Ranked:
    """Name -> value where the first non-None direct value wins, then expanded ones."""

    def __init__(self) -> None:
        self.out: dict[str, Any] = {}
        self.rank: dict[str, tuple[bool, bool]] = {}

    def add(self, name: str, value: Any, expanded: bool) -> None:
        key = (value is None, expanded)
        if name not in self.rank or key < self.rank[name]:
            self.out[name] = value
            self.rank[name] = key


def add_component(ranked: Ranked, layout: Layout, raw_of, comp, raw: Any) -> None:
    """One component's expanded value, as fitparse computes it, into ``ranked``."""
    try:
        value = comp.render(raw)
    except ValueError:
        return  # fitparse skips a component the raw value is too short for
    except TypeError as err:  # fitparse fails on this message: its damage handling applies
        raise FastPathUnsupported(f"component {comp.name} of an array field") from err
    if comp.accumulate and value is not None:
        raise FastPathUnsupported(f"accumulated component {comp.name} outside records")
    value = scale_value(comp, value)
    target = layout.mtype.fields.get(comp.def_num)
    if target is None:
        raise FastPathUnsupported(f"component {comp.name} has no target field")
    target = resolve_subfield(target, layout, raw_of)
    ranked.add(target.name, processed(target, target.render(value)), True)
