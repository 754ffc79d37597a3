"""Record messages as float64 columns, decoded per layout with numpy (``fit_fast.py``).

Every rule is fitparse 1.2.0's (as ``fit_decode`` applies it), done on whole columns:
the definition's base type decides the invalid value, the profile's type decides enum
names (a named value is not a number, so NaN), scale is applied before offset, and
component fields (``enhanced_speed`` from ``speed``, ``speed`` and ``distance`` from
``compressed_speed_distance``) are unpacked from bits, accumulated where the profile
says so and ranked after direct fields: in each row the first non-None direct value of
a name wins, then the first non-None expanded one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fit_fast_profile import INVALID, FastPathUnsupported, FieldDef, Layout


@dataclass
class Candidate:
    """One field (or component) of a layout that yields values for a column name.

    ``is_none`` marks rows whose value is None; ``values`` holds the float value where
    it is a number, else NaN. Accumulated components keep their unaccumulated ``bits``
    until :func:`accumulate` fills ``values``.
    """

    name: str
    expanded: bool
    is_none: np.ndarray
    values: np.ndarray
    component: object = None
    raw_bits: np.ndarray | None = None


def invalid_mask(fdef: FieldDef, raw: np.ndarray) -> np.ndarray:
    """Rows where a scalar field holds its base type's invalid value (fitparse's test)."""
    name = fdef.base.name
    if name in ("float32", "float64"):
        return np.isnan(raw)
    return raw == INVALID[name]


def scale_offset(fld, values: np.ndarray) -> np.ndarray:
    if fld.scale:
        values = values / fld.scale
    if fld.offset:
        values = values - fld.offset
    return values


def direct_candidate(fld, fdef: FieldDef, raw: np.ndarray) -> Candidate:
    """The column a field read from the file gives, rendered like fitparse does."""
    n = len(raw)
    nan = np.full(n, np.nan)
    base = fdef.base.name
    if base == "string":
        return Candidate(fld.name, False, raw[:, 0] == 0, nan)  # empty -> None
    if base == "byte":
        return Candidate(fld.name, False, (raw == 0xFF).all(axis=1), nan)
    if fdef.count > 1:
        return Candidate(fld.name, False, np.zeros(n, dtype=bool), nan)  # a tuple
    is_none = invalid_mask(fdef, raw)
    numeric = ~is_none
    if fld.type.values:
        # A named value is a string; fit_decode keeps an unnamed int of an enum as int.
        # Only a float (a float base type, or scaled) is a number in a record column.
        if fld.scale or base in ("float32", "float64"):
            numeric &= ~np.isin(raw, list(fld.type.values))
        else:
            numeric[:] = False
    if fld.type.name == "bool":
        numeric[:] = False  # fitparse's processor makes it a bool, not a number
    values = np.where(numeric, scale_offset(fld, raw.astype(np.float64)), np.nan)
    return Candidate(fld.name, False, is_none, values)


def component_candidate(layout: Layout, comp, fdef: FieldDef, raw: np.ndarray):
    """The expanded column one component gives, or None when fitparse skips it."""
    base = fdef.base.name
    if base == "byte":
        if comp.bit_offset and comp.bit_offset >= fdef.size * 8:
            return None
        if fdef.size > 7:
            raise FastPathUnsupported(f"component {comp.name} of a {fdef.size}-byte field")
        is_none = (raw == 0xFF).all(axis=1)
        packed = np.zeros(len(raw), dtype=np.int64)
        for i in range(fdef.size):
            packed |= raw[:, i].astype(np.int64) << (8 * i)
    elif fdef.is_scalar and base not in ("float32", "float64", "uint64", "uint64z"):
        is_none = invalid_mask(fdef, raw)
        packed = raw.astype(np.int64)
    else:
        raise FastPathUnsupported(f"component {comp.name} of a {base} field")
    bits = (packed >> comp.bit_offset) & ((1 << comp.bits) - 1)
    target = layout.mtype.fields.get(comp.def_num)
    if target is None or target.subfields or target.type.values:
        raise FastPathUnsupported(f"component {comp.name} needs a rendered target")
    cand = Candidate(target.name, True, is_none, np.full(len(raw), np.nan), comp)
    if comp.accumulate:
        cand.raw_bits = bits
    else:
        cand.values = np.where(is_none, np.nan, scale_offset(comp, bits.astype(np.float64)))
    return cand


def layout_candidates(layout: Layout, rows: np.ndarray) -> list[Candidate]:
    """Every column candidate of one record layout, in fitparse's field order.

    ``rows`` holds the layout's messages as bytes, one row each (headers excluded).
    """
    table = rows.view(layout.dtype())[:, 0]
    out = []
    for i, fdef in enumerate(layout.fields):
        fld = layout.mtype.fields.get(fdef.num)
        if fld is None:
            continue
        if fld.subfields:
            raise FastPathUnsupported(f"record field {fld.name} has subfields")
        if fdef.base.name in ("string", "byte"):
            raw = rows[:, fdef.offset : fdef.offset + fdef.size]
        else:
            raw = table[f"f{i}"]
        for comp in fld.components or ():
            cand = component_candidate(layout, comp, fdef, raw)
            if cand is not None:
                out.append(cand)
        out.append(direct_candidate(fld, fdef, raw))
    return out


def rank(candidates: list[Candidate], n: int) -> dict[str, np.ndarray]:
    """Name -> column: per row the first non-None direct value, then expanded."""
    columns: dict[str, np.ndarray] = {}
    decided: dict[str, np.ndarray] = {}
    ordered = [c for c in candidates if not c.expanded] + [c for c in candidates if c.expanded]
    for cand in ordered:
        if cand.name not in columns:
            columns[cand.name] = np.full(n, np.nan)
            decided[cand.name] = np.zeros(n, dtype=bool)
        take = ~decided[cand.name] & ~cand.is_none
        columns[cand.name][take] = cand.values[take]
        decided[cand.name] |= take
    return columns


def accumulate(keys: np.ndarray, is_reset: np.ndarray, values: np.ndarray, bits: int) -> np.ndarray:
    """fitparse's compressed accumulation over events in file order.

    Parameters
    ----------
    keys : ndarray
        Sort keys (file order) of the events.
    is_reset : ndarray of bool
        True where the accumulator is set to ``values`` (a full value); elsewhere
        ``values`` are ``bits``-wide raw values added with rollover.
    values : ndarray of int64
    bits : int

    Returns
    -------
    ndarray of int64
        The accumulator after each event, in the input order. The first event must be a
        reset (fitparse starts each file at 0).
    """
    order = np.argsort(keys, kind="stable")
    reset = is_reset[order]
    val = values[order].astype(np.int64)
    mask = (1 << bits) - 1
    idx = np.arange(len(val))
    last_reset = np.maximum.accumulate(np.where(reset, idx, 0))
    low = val & mask
    prev_low = np.empty_like(low)
    prev_low[0] = 0
    prev_low[1:] = low[:-1]
    rolled = (~reset & (low < prev_low)).astype(np.int64)
    rolled_total = np.cumsum(rolled)
    rolls = rolled_total - rolled_total[last_reset]
    high = (val[last_reset] >> bits) + rolls
    acc = np.where(reset, val, (high << bits) + low)
    out = np.empty_like(acc)
    out[order] = acc
    return out
