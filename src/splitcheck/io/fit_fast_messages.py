"""Non-record messages (laps, sessions, events ...) as fit_decode's dicts, column-wise.

A layout's messages are decoded as one numpy structured array. A field whose name no
other field of the message can produce (most of them) becomes a Python list in one go
(numbers scaled with numpy, enum names by dict look-up) and the dicts are zipped from
those lists. Fields that depend on other fields (subfields), expand into others
(components), or share a name with another field follow fitparse's steps message by
message (``fit_fast_profile``), ranked as fit_decode ranks them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
from fitparse.records import parse_string

from .fit_fast_profile import (
    FieldDef,
    Layout,
    LayoutSpec,
    Ranked,
    add_component,
    processed,
    raw_values,
    resolve_subfield,
    scale_value,
)


class _Columns:
    """Raw values (fitparse's: invalid -> None) of a layout's fields, made on demand."""

    def __init__(self, layout: Layout, rows: np.ndarray) -> None:
        self.layout = layout
        self.rows = rows
        self.table = rows.view(layout.dtype())[:, 0] if layout.size else None
        self._raw: dict[int, list[Any]] = {}

    def array(self, i: int) -> np.ndarray:
        return self.table[f"f{i}"]

    def raw(self, i: int) -> list[Any]:
        if i not in self._raw:
            self._raw[i] = _raw_list(self.layout.fields[i], self, i)
        return self._raw[i]

    def row(self, r: int) -> Callable[[int], Any]:
        return lambda i: self.raw(i)[r]


def _raw_list(fdef: FieldDef, cols: _Columns, i: int) -> list[Any]:
    base = fdef.base
    if base.name in ("string", "byte"):
        block = cols.rows[:, fdef.offset : fdef.offset + fdef.size]
        if base.name == "string":
            return [parse_string(row.tobytes()) for row in block]
        return [base.parse(tuple(row)) for row in block.tolist()]
    values = cols.array(i).tolist()
    if fdef.count > 1:
        return [tuple(base.parse(v) for v in row) for row in values]
    return [base.parse(v) for v in values]


@cache
def _names(fld) -> frozenset[str]:
    """Every name a field can give: its own, its subfields', its components' targets'."""
    return frozenset([fld.name] + [s.name for s in fld.subfields or ()])


def _entry_names(spec: LayoutSpec, fld) -> set[str]:
    names = set(_names(fld))
    for f in [fld, *(fld.subfields or ())]:
        for comp in f.components or ():
            target = spec.mtype.fields.get(comp.def_num)
            names |= _names(target) if target is not None else {comp.name}
    return names


def _simple_column(fld, fdef: FieldDef, cols: _Columns, i: int) -> list[Any]:
    """fit_decode's value of a field with no subfields or components, for every message."""
    enum = bool(getattr(fld.type, "values", None))
    if not fdef.is_scalar or fld.type.name == "bool" or enum and (fld.scale or fld.offset):
        return [processed(fld, scale_value(fld, fld.render(raw))) for raw in cols.raw(i)]
    raw = cols.raw(i)
    if enum:
        names = fld.type.values
        return [names.get(v, v) for v in raw]
    values = cols.array(i).astype(np.float64)
    if fld.scale:
        values = values / fld.scale
    if fld.offset:
        values = values - fld.offset
    out = values.tolist()
    if None in raw:
        out = [None if r is None else v for r, v in zip(raw, out, strict=True)]
    return out


def _plan(spec: LayoutSpec, with_times: bool) -> tuple[list, list]:
    """Which fields of a layout go straight into the dicts and which need ranking.

    A field goes straight in when no other field of the message (nor a compressed
    header's time) can give its name and it has no subfields or components. Each item is
    ``(index, FieldDef, profile field)``; plans are cached per layout spec.
    """
    plan = spec.plans.get(with_times)
    if plan is not None:
        return plan
    entries = []
    for i, fdef in enumerate(spec.fields):
        fld = spec.mtype.fields.get(fdef.num)
        if fld is not None:
            entries.append((i, fdef, fld, _entry_names(spec, fld)))
    seen: dict[str, int] = {"timestamp": int(with_times)}
    for *_, names in entries:
        for name in names:
            seen[name] = seen.get(name, 0) + 1
    simple, ranked = [], []
    for i, fdef, fld, names in entries:
        alone = names == {fld.name} and seen[fld.name] == 1 and not fld.components
        (simple if alone else ranked).append((i, fdef, fld))
    spec.plans[with_times] = simple, ranked
    return simple, ranked


SMALL_LAYOUT = 3
"""Up to this many messages, a layout is decoded message by message (one ``struct``
unpack each): cheaper than a numpy pass per field."""


def layout_dicts(
    layout: Layout, data: bytes, rows: Callable[[], np.ndarray], times: np.ndarray | None
) -> list[dict]:
    """fit_decode's dict for each of a layout's messages.

    Parameters
    ----------
    data : bytes
        The file (``layout.pos`` are offsets into it).
    rows : callable
        Gives the messages' bytes as an array of shape (messages, layout.size).
    times : ndarray of float or None
        Time from each message's compressed-timestamp header (NaN: none).
    """
    if len(layout.pos) <= SMALL_LAYOUT:
        entries = [e for group in _plan(layout.spec, False) for e in group]
        entries.sort(key=lambda e: e[0])
        out = []
        for r, pos in enumerate(layout.pos.tolist()):
            raws = raw_values(layout, data, pos)
            out.append(_ranked_fields(layout, raws.__getitem__, entries, r, times))
        return out
    cols = _Columns(layout, rows())
    simple, ranked = _plan(layout.spec, times is not None)
    keys = [fld.name for _, _, fld in simple]
    columns = [_simple_column(fld, fdef, cols, i) for i, fdef, fld in simple]
    out = [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]
    if not columns:
        out = [{} for _ in range(len(layout.pos))]
    if ranked or times is not None:
        for r, d in enumerate(out):
            d.update(_ranked_fields(layout, cols.row(r), ranked, r, times))
    return out


def _ranked_fields(layout: Layout, raw_of, entries, r: int, times) -> dict[str, Any]:
    """fitparse's steps for one message's fields, ranked like fit_decode.

    ``raw_of(i)`` is the message's raw value of ``layout.fields[i]``; ``entries`` the
    fields to decode, in the message's order.
    """
    ranked = Ranked()
    for i, _, fld in entries:
        raw = raw_of(i)
        if fld.subfields:
            fld = resolve_subfield(fld, layout, raw_of)
        if fld.components:
            for comp in fld.components:
                add_component(ranked, layout, raw_of, comp, raw)
        ranked.add(fld.name, processed(fld, scale_value(fld, fld.render(raw))), False)
    if times is not None and not math.isnan(times[r]):
        ranked.add("timestamp", float(times[r]), False)
    return ranked.out
