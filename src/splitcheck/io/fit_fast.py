"""Vectorised FIT decoding: the same :class:`FitMessages` as fitparse, ~100x faster.

fitparse spends its time in Python per field; this decoder reads only the definition
messages in Python and finds every data message by walking the headers, jumping over
runs of identical headers with one C-level byte scan. Each layout's record messages are
then gathered into a byte matrix and decoded as a numpy structured array, column by
column (``fit_fast_records.py``); the few other messages (laps, sessions, events ...)
are unpacked with one precompiled ``struct`` each and turned into dicts by fitparse's
own rules (``fit_fast_profile.py``). Compressed-timestamp headers and accumulated
components are resolved with fitparse's rollover rule over all messages in file order.

fitparse (``fit_decode.decode_fitparse``) stays the reference and the fallback: a file
this decoder does not handle, or finds damaged (a CRC that does not match, a truncated
or undecodable message, bytes after the last file), makes :func:`decode_fast` return
None, and the caller decodes it with fitparse, which salvages what it can.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from .fit_fast_crc import crc16
from .fit_fast_profile import (
    RECORD_MESG,
    TIMESTAMP_FIELD,
    FastPathUnsupported,
    Layout,
    make_fields,
    message_dict,
    raw_values,
)
from .fit_fast_records import (
    Candidate,
    accumulate,
    invalid_mask,
    layout_candidates,
    rank,
    scale_offset,
)
from .fit_messages import FitMessages

__all__ = ["FastPathUnsupported", "decode_fast"]

FIT_SIGNATURE = b".FIT"
HEADER_SIZES = (12, 14)
"""FIT header sizes the fast path reads (FIT protocol: 12, or 14 with a header CRC)."""
CRC_BYTES = 2
RUN_PROBE = 512
"""Messages looked at per step when skipping a run of identical headers."""
TIME_OFFSET_BITS = 5
"""Compressed-timestamp headers carry the time's low 5 bits (FIT protocol)."""

DEVELOPER_DATA_ID = 207
FIELD_DESCRIPTION = 206
_LISTS = {
    "lap": "laps",
    "session": "sessions",
    "event": "events",
    "file_id": "file_ids",
    "device_info": "device_infos",
    "activity": "activities",
    "sport": "sports",
}
_ONE_BYTE = [bytes((i,)) for i in range(256)]
_MASK_OFFSET = bytes(b & 0xE0 if b & 0x80 else b for b in range(256))
"""Maps a compressed-timestamp header to its local message type (time offset zeroed)."""


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
        return _Decoder(data).run()
    except FastPathUnsupported:
        return None


class _Decoder:
    """One decode: the scan state and its results."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.buf = np.frombuffer(data, dtype=np.uint8)
        self.layouts: dict[bytes, Layout] = {}
        self.file_starts: list[int] = []
        self.compressed = False
        self.dev_types: dict[Any, dict[Any, Any]] = {}
        self.dev_layouts: list[Layout] = []

    def run(self) -> FitMessages:
        offset = 0
        while offset < len(self.data):
            offset = self._file(offset)
        for layout in self.layouts.values():
            layout.pos = layout.positions()
        out = FitMessages(files=len(self.file_starts))
        times = self._compressed_times() if self.compressed else {}
        self._records(out, times)
        self._other_messages(out, times)
        return out

    # -- scanning ---------------------------------------------------------------------

    def _file(self, offset: int) -> int:
        """Check and scan the chained file at ``offset``; the offset after it."""
        data = self.data
        if len(data) - offset < HEADER_SIZES[0] or data[offset + 8 : offset + 12] != FIT_SIGNATURE:
            raise FastPathUnsupported(f"no FIT header at byte {offset}")
        header_size = data[offset]
        if header_size not in HEADER_SIZES:
            raise FastPathUnsupported(f"header of {header_size} bytes")
        (data_size,) = struct.unpack_from("<I", data, offset + 4)
        start = offset + header_size
        end = start + data_size
        if end + CRC_BYTES > len(data):
            raise FastPathUnsupported("truncated file")
        view = memoryview(data)
        if header_size == 14:
            stored = data[offset + 12] | data[offset + 13] << 8
            if stored and crc16(view[offset : offset + 12]) != stored:
                raise FastPathUnsupported("header CRC does not match")
        if crc16(view[offset : end + CRC_BYTES]) != 0:
            raise FastPathUnsupported("file CRC does not match")
        self.file_starts.append(offset)
        self._messages(start, end)
        return end + CRC_BYTES

    def _messages(self, pos: int, end: int) -> None:
        """Walk one file's messages, recording each data message run on its layout."""
        data = self.data
        local: list[Layout | None] = [None] * 16
        while pos < end:
            h = data[pos]
            if h & 0x80:
                layout = local[(h >> 5) & 0x3]
                self.compressed = True
            elif h & 0x40:
                pos = self._definition(pos, end, local)
                continue
            else:
                layout = local[h & 0x0F]
            if layout is None:
                raise FastPathUnsupported(f"data message of an undefined type at byte {pos}")
            stride = layout.size + 1
            last = end - stride
            if pos > last:
                raise FastPathUnsupported(f"message at byte {pos} runs past the data")
            if layout.mesg_num in (DEVELOPER_DATA_ID, FIELD_DESCRIPTION):
                self._developer_message(layout, pos)
                layout.runs.append((pos, 1))
                pos += stride
                continue
            probe = data[pos : min(last, pos + stride * RUN_PROBE) + 1 : stride]
            if h & 0x80:
                probe = probe.translate(_MASK_OFFSET)
                h &= 0xE0
            count = len(probe) - len(probe.lstrip(_ONE_BYTE[h]))
            layout.runs.append((pos, count))
            pos += count * stride

    def _definition(self, pos: int, end: int, local: list[Layout | None]) -> int:
        """Read the definition message at ``pos`` into ``local``; the offset after it."""
        data = self.data
        h = data[pos]
        if pos + 6 > end:
            raise FastPathUnsupported("definition runs past the data")
        n_fields = data[pos + 5]
        stop = pos + 6 + 3 * n_fields
        n_dev = 0
        if h & 0x20:
            if stop >= end:
                raise FastPathUnsupported("definition runs past the data")
            n_dev = data[stop]
            stop += 1 + 3 * n_dev
        if stop > end:
            raise FastPathUnsupported("definition runs past the data")
        key = bytes((h & 0x20,)) + data[pos + 1 : stop]
        layout = self.layouts.get(key)
        if layout is None:
            layout = self.layouts[key] = self._new_layout(pos, n_fields, n_dev)
        if n_dev:
            self._check_developer_fields(pos + 7 + 3 * n_fields, n_dev)
        layout.def_positions.append(pos)
        local[h & 0x0F] = layout
        return stop

    def _new_layout(self, pos: int, n_fields: int, n_dev: int) -> Layout:
        data = self.data
        endian = ">" if data[pos + 2] else "<"
        (mesg_num,) = struct.unpack_from(endian + "H", data, pos + 3)
        defs = [tuple(data[p : p + 3]) for p in range(pos + 6, pos + 6 + 3 * n_fields, 3)]
        dev_start = pos + 7 + 3 * n_fields
        dev_size = sum(data[p + 1] for p in range(dev_start, dev_start + 3 * n_dev, 3))
        return Layout(mesg_num, endian, make_fields(defs), dev_size)

    def _check_developer_fields(self, start: int, n_dev: int) -> None:
        """fitparse needs a field description for each developer field, read before."""
        for p in range(start, start + 3 * n_dev, 3):
            num, size, index = self.data[p : p + 3]
            base = self.dev_types.get(index, {}).get(num)
            if base is None:
                raise FastPathUnsupported("developer field without a description")
            if num == TIMESTAMP_FIELD or size == 0 or size % base.size:
                raise FastPathUnsupported("developer field fitparse would misread")

    def _developer_message(self, layout: Layout, pos: int) -> None:
        """Register developer data ids and field descriptions as fitparse does."""
        if layout.mtype is None:
            return
        raws = raw_values(layout, self.data, pos)
        by_num: dict[int, Any] = {}
        for fdef, raw in zip(layout.fields, raws, strict=True):
            by_num.setdefault(fdef.num, raw)
        if layout.mesg_num == DEVELOPER_DATA_ID:
            self.dev_types[by_num.get(3)] = {}
            return
        index = by_num.get(0)
        if index not in self.dev_types:
            raise FastPathUnsupported("field description of an undeclared developer")
        from fitparse.records import BASE_TYPES

        base = BASE_TYPES.get(by_num.get(2))
        if base is None:
            raise FastPathUnsupported("developer field of an unknown base type")
        self.dev_types[index][by_num.get(1)] = base

    # -- time stamps --------------------------------------------------------------------

    def _compressed_times(self) -> dict[int, np.ndarray]:
        """Resolved time of each compressed-header message (-1 elsewhere), per layout.

        fitparse keeps one accumulator per file: 0 at the header, set by every valid
        ``timestamp`` field of any message, advanced by each compressed header's offset.
        """
        starts = np.array(self.file_starts, dtype=np.int64)
        reset_keys, reset_values = [2 * starts], [np.zeros(len(starts), np.int64)]
        comp_keys, comp_values, owners = [], [], []
        for layout in self.layouts.values():
            ts = self._timestamp_field(layout, layout.pos)
            if ts is not None:
                reset_keys.append(2 * layout.pos[ts >= 0])
                reset_values.append(ts[ts >= 0])
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
            resolved = np.full(len(layout.pos), -1, dtype=np.int64)
            resolved[comp] = acc[done : done + len(comp)]
            done += len(comp)
            times[id(layout)] = resolved
        return times

    def _timestamp_field(self, layout: Layout, pos: np.ndarray) -> np.ndarray | None:
        """Raw ``timestamp`` field per message (-1 where invalid), or None without one."""
        found = [f for f in layout.fields if f.num == TIMESTAMP_FIELD]
        if not found or not len(pos):
            return None
        fdef = found[0]
        if len(found) > 1 or not fdef.is_scalar or fdef.base.name in ("float32", "float64"):
            raise FastPathUnsupported("a timestamp field that is not one integer")
        idx = pos[:, None] + 1 + fdef.offset + np.arange(fdef.size)
        raw = self.buf[idx].view(fdef.numpy_dtype(layout.endian))[:, 0].astype(np.int64)
        return np.where(invalid_mask(fdef, raw), -1, raw)

    # -- output -------------------------------------------------------------------------

    def _rows(self, layout: Layout) -> np.ndarray:
        """The layout's messages as a (messages, bytes) matrix, headers left out."""
        return self.buf[layout.pos[:, None] + np.arange(1, layout.size + 1)]

    def _records(self, out: FitMessages, times: dict[int, np.ndarray]) -> None:
        parts = []
        for layout in self.layouts.values():
            if layout.mesg_num != RECORD_MESG or not len(layout.pos):
                continue
            cands = layout_candidates(layout, self._rows(layout)) if layout.size else []
            resolved = times.get(id(layout))
            if resolved is not None:  # fitparse adds it after the fields, as read directly
                ts = Candidate("timestamp", False, resolved < 0, resolved.astype(np.float64))
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
            resets = np.array(
                [
                    p
                    for lay in self.layouts.values()
                    if _resets(lay, def_num)
                    for p in lay.def_positions
                ],
                dtype=np.int64,
            )
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
        found: dict[str, list[tuple[int, dict]]] = {}
        for layout in self.layouts.values():
            if layout.name not in _LISTS or not len(layout.pos):
                continue
            resolved = times.get(id(layout))
            items = found.setdefault(_LISTS[layout.name], [])
            for i, p in enumerate(layout.pos.tolist()):
                ts = None
                if resolved is not None and resolved[i] >= 0:
                    ts = int(resolved[i])
                items.append((p, message_dict(layout, raw_values(layout, self.data, p), ts)))
        for attr, items in found.items():
            items.sort(key=lambda item: item[0])
            setattr(out, attr, [d for _, d in items])


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
