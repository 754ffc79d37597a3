"""Vectorised FIT decoding: the same :class:`FitMessages` as fitparse, ~100x faster.

fitparse spends its time in Python per field. This decoder reads only the definition
messages in Python and finds the data messages with one tight loop over their headers
(``fit_fast_scan``). Each layout's record messages are then gathered into a byte matrix
and decoded as a numpy structured array, column by column (``fit_fast_records``); the
few other messages (laps, sessions, events ...) are decoded column-wise too and zipped
into fit_decode's dicts (``fit_fast_messages``), with fitparse's own profile objects for
names, enums, scale, offset, subfields and components (``fit_fast_profile``).
Compressed-timestamp headers and accumulated components are resolved with fitparse's
rollover rule over all messages in file order.

fitparse (``fit_decode.decode_fitparse``) stays the reference and the fallback: a file
this decoder does not handle, or finds damaged (a truncated or undecodable message, bytes
after the last file; a CRC that does not match is only a warning, as in fitparse), makes
:func:`decode_fast` return None, and the caller decodes it with fitparse, which salvages
what it can.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from .fit_fast_messages import layout_dicts
from .fit_fast_profile import RECORD_MESG, TIMESTAMP_FIELD, FastPathUnsupported, Layout
from .fit_fast_records import (
    Candidate,
    accumulate,
    invalid_mask,
    layout_candidates,
    rank,
    scale_offset,
)
from .fit_fast_scan import Scan
from .fit_messages import MESSAGE_LISTS, FitMessages

__all__ = ["FastPathUnsupported", "decode_fast"]

TIME_OFFSET_BITS = 5
"""Compressed-timestamp headers carry the time's low 5 bits (FIT protocol)."""
_LISTS = MESSAGE_LISTS


def decode_fast(data: bytes, source: str) -> FitMessages | None:
    """Decode a FIT file's bytes, or None when fitparse must do it.

    Parameters
    ----------
    data : bytes
        The whole (decompressed) file.
    source : str
        The file's name (unused; the decoders share one signature).

    Returns
    -------
    FitMessages or None
        Identical to ``decode_fitparse(data, source)`` for every file decoded; None for a
        file that is damaged or uses something this decoder leaves to fitparse.
    """
    del source
    try:
        # Float fields may hold signalling NaNs (any bytes can): casting them is no error.
        with np.errstate(invalid="ignore"):
            return _Decoder(Scan(data)).run()
    except FastPathUnsupported:
        return None


class _Decoder:
    """Turns a scanned file into :class:`FitMessages`."""

    def __init__(self, scan: Scan) -> None:
        self.scan = scan
        self.buf = scan.buf
        self.layouts = [lay for lay in scan.layouts.values() if len(lay.pos)]

    def run(self) -> FitMessages:
        out = FitMessages(files=len(self.scan.file_starts))
        out.warnings.extend(self.scan.warnings)
        out.damaged = bool(self.scan.warnings)
        compressed = any((self.buf[lay.pos] & 0x80).any() for lay in self.layouts)
        times = self._compressed_times() if compressed else {}
        self._records(out, times)
        self._other_messages(out, times)
        return out

    # -- time stamps --------------------------------------------------------------------

    def _compressed_times(self) -> dict[int, np.ndarray]:
        """Resolved time of each compressed-header message (NaN elsewhere), per layout.

        fitparse keeps one accumulator per file: 0 at the header, set by every valid
        ``timestamp`` field of any message, advanced by each compressed header's offset.
        """
        starts = np.array(self.scan.file_starts, dtype=np.int64)
        reset_keys, reset_values = [2 * starts], [np.zeros(len(starts), np.int64)]
        comp_keys, comp_values, owners = [], [], []
        for layout in self.layouts:
            ts = self._timestamp_field(layout)
            if ts is not None:
                raw, valid = ts
                reset_keys.append(2 * layout.pos[valid])
                reset_values.append(raw[valid])
            head = self.buf[layout.pos]
            comp = np.flatnonzero(head & 0x80)
            if len(comp):
                comp_keys.append(2 * layout.pos[comp] + 1)
                comp_values.append((head[comp] & 0x1F).astype(np.int64))
                owners.append((layout, comp))
        n_resets = sum(len(k) for k in reset_keys)
        keys = np.concatenate(reset_keys + comp_keys)
        is_reset = np.arange(len(keys)) < n_resets
        acc = accumulate(
            keys, is_reset, np.concatenate(reset_values + comp_values), TIME_OFFSET_BITS
        )
        times = {}
        done = n_resets
        for layout, comp in owners:
            resolved = np.full(len(layout.pos), np.nan)
            resolved[comp] = acc[done : done + len(comp)]
            done += len(comp)
            times[id(layout)] = resolved
        return times

    def _timestamp_field(self, layout: Layout) -> tuple[np.ndarray, np.ndarray] | None:
        """Per message, the last valid ``timestamp`` field and whether there is one.

        fitparse sets its compressed-time base from every valid field number 253 it
        reads, so with two such fields the later one counts. None without any.
        """
        value = valid = None
        for fdef in layout.fields:
            if fdef.num != TIMESTAMP_FIELD:
                continue
            if not fdef.is_scalar or fdef.base.size not in (1, 2, 4) or "float" in fdef.base.name:
                raise FastPathUnsupported("a timestamp field that is not one 32-bit integer")
            idx = layout.pos[:, None] + 1 + fdef.offset + np.arange(fdef.size)
            raw = self.buf[idx].view(fdef.numpy_dtype(layout.endian))[:, 0].astype(np.int64)
            ok = ~invalid_mask(fdef, raw)
            value = raw if value is None else np.where(ok, raw, value)
            valid = ok if valid is None else valid | ok
        return None if value is None else (value, valid)

    # -- output -------------------------------------------------------------------------

    def _rows(self, layout: Layout) -> np.ndarray:
        """The layout's messages as a (messages, bytes) matrix, headers left out."""
        return self.buf[layout.pos[:, None] + np.arange(1, layout.size + 1)]

    def _records(self, out: FitMessages, times: dict[int, np.ndarray]) -> None:
        parts = []
        for layout in self.layouts:
            if layout.mesg_num != RECORD_MESG or not len(layout.pos):
                continue
            cands = layout_candidates(layout, self._rows(layout)) if layout.size else []
            resolved = times.get(id(layout))
            if resolved is not None:  # fitparse adds it after the fields, as read directly
                ts = Candidate("timestamp", False, np.isnan(resolved), resolved)
                cands.append(ts)
            parts.append((layout, cands))
        if not parts:
            return
        self._accumulate_components(parts)
        columns = [rank(cands, len(layout.pos)) for layout, cands in parts]
        out.records = _merge_columns([layout.pos for layout, _ in parts], columns)

    def _accumulate_components(self, parts: list[tuple[Layout, list[Candidate]]]) -> None:
        """Fill accumulated components (``distance`` from ``compressed_speed_distance``).

        fitparse sets the accumulator to 0 at each definition of a field with such a
        component and adds each valid value with rollover, over all layouts in file order.
        """
        pending = [(layout, c) for layout, cands in parts for c in cands if c.raw_bits is not None]
        for def_num, bits in {(c.component.def_num, c.component.bits) for _, c in pending}:
            mine = [(layout, c) for layout, c in pending if c.component.def_num == def_num]
            resetting = [lay for lay in self.scan.layouts.values() if _resets(lay, def_num)]
            resets = np.array([p for lay in resetting for p in lay.def_positions], np.int64)
            keys = [2 * resets] + [2 * lay.pos[~c.is_none] + 1 for lay, c in mine]
            values = [np.zeros(len(resets), np.int64)] + [c.raw_bits[~c.is_none] for _, c in mine]
            is_reset = np.arange(sum(len(k) for k in keys)) < len(resets)
            acc = accumulate(np.concatenate(keys), is_reset, np.concatenate(values), bits)
            done = len(resets)
            for _, c in mine:
                ok = ~c.is_none
                c.values[ok] = scale_offset(c.component, acc[done : done + int(ok.sum())])
                done += int(ok.sum())

    def _other_messages(self, out: FitMessages, times: dict[int, np.ndarray]) -> None:
        found: dict[str, list[tuple[np.ndarray, list[dict]]]] = {}
        for layout in self.layouts:
            if layout.name in _LISTS:
                rows = partial(self._rows, layout)
                dicts = layout_dicts(layout, self.scan.data, rows, times.get(id(layout)))
                found.setdefault(_LISTS[layout.name], []).append((layout.pos, dicts))
        for attr, parts in found.items():
            pos = np.concatenate([p for p, _ in parts])
            dicts = [d for _, ds in parts for d in ds]
            setattr(out, attr, [dicts[i] for i in np.argsort(pos, kind="stable")])


def _resets(layout: Layout, def_num: int) -> bool:
    """Whether the layout's definitions reset the accumulator of field ``def_num``."""
    if layout.mesg_num != RECORD_MESG:
        return False
    for fdef in layout.fields:
        fld = layout.mtype.fields.get(fdef.num)
        for comp in (fld.components or ()) if fld else ():
            if comp.accumulate and comp.def_num == def_num:
                return True
    return False


def _merge_columns(
    positions: list[np.ndarray], parts: list[dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """Rows of every record layout in file order; a column per name with a number."""
    names = {"timestamp"}
    for columns in parts:
        names.update(k for k, v in columns.items() if not np.isnan(v).all())
    order = None
    if len(parts) > 1:
        order = np.argsort(np.concatenate(positions), kind="stable")
    out = {}
    for name in sorted(names):
        pieces = [
            c.get(name, np.full(len(p), np.nan)) for p, c in zip(positions, parts, strict=True)
        ]
        col = pieces[0] if order is None else np.concatenate(pieces)[order]
        out[name] = np.ascontiguousarray(col, dtype=np.float64)
    return out
