"""Finding every message of a FIT file for the fast decoder (``fit_fast.py``).

The walk is one tight Python loop over data messages: a 256-entry table gives the length
of the message a header byte starts (set from the definitions in force), so a data
message costs a table look-up and an append, and a run of messages with the same header
(a file of records alone) is crossed in a few steps with a strided slice. Definitions,
developer messages and anything unexpected take the slow path. Which layout each message
uses is worked out afterwards with numpy from the header bytes and the definitions in
force at the time.

A header or file CRC that does not match is a warning, as fitparse's reading makes it.
Everything fitparse would stop at, or read differently, raises
:class:`FastPathUnsupported` (the caller then decodes with fitparse): a file cut short,
bytes after the last file, a message of an undefined local type, a message running past
the data, field sizes fitparse rejects, developer fields without a description.
"""

from __future__ import annotations

import struct
from array import array
from typing import Any

import numpy as np
from fitparse.records import BASE_TYPES

from .fit_fast_crc import crc16
from .fit_fast_profile import (
    TIMESTAMP_FIELD,
    FastPathUnsupported,
    Layout,
    layout_spec,
    raw_values,
)

FIT_SIGNATURE = b".FIT"
HEADER_SIZES = (12, 14)
"""FIT header sizes the fast path reads (FIT protocol: 12, or 14 with a header CRC)."""
CRC_BYTES = 2
LOCAL_TYPES = 16
COMPRESSED_LOCAL_TYPES = 4
"""Compressed-timestamp headers have 2 bits of local type (FIT protocol)."""
RUN_MIN = 4
"""A run is looked for when the messages 1 and 4 ahead have the same header (short runs
of 2-3, as in files that interleave records with other messages, cost more to probe
than to step through)."""
RUN_PROBE = 1024
"""Most messages looked at in one step of a run of identical headers."""
_ONE_BYTE = [bytes((i,)) for i in range(256)]
HEADER_CRC_WARNING = "header CRC of the FIT file at byte {offset} does not match (read anyway)"
FILE_CRC_WARNING = "file CRC does not match (data kept; values may be wrong)"
"""fit_decode's warnings for the same damage (the decoders give identical messages)."""
DEVELOPER_DATA_ID = 207
FIELD_DESCRIPTION = 206


def _header_bytes(local: int) -> list[int]:
    """Every data-message header byte that names local message type ``local``."""
    normal = [local | reserved for reserved in (0x00, 0x10, 0x20, 0x30)]
    if local >= COMPRESSED_LOCAL_TYPES:
        return normal
    return normal + [0x80 | local << 5 | offset for offset in range(32)]


_HEADERS = [_header_bytes(local) for local in range(LOCAL_TYPES)]


class Scan:
    """The messages of a FIT file: layouts, and where each one's data messages are."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.buf = np.frombuffer(data, dtype=np.uint8)
        self.layouts: dict[bytes, Layout] = {}
        self.file_starts: list[int] = []
        self.warnings: list[str] = []
        """CRCs that do not match, in fit_decode's words: the messages still decode (a
        damaged message stops the walk like any other), so fitparse's ~100x slower pass
        is not needed for a flipped bit (a 318 KB file took 11 s)."""
        self.positions = array("q")
        self.runs: list[tuple[int, int, int]] = []  # (first position, messages, length)
        self.segment_starts: list[int] = []
        self.segment_locals: list[list[int]] = []
        self.dev_types: dict[Any, dict[Any, Any]] = {}
        offset = 0
        while offset < len(data):
            offset = self._file(offset)
        self._assign_layouts()

    def _file(self, offset: int) -> int:
        """Check and walk the chained file at ``offset``; the offset after it."""
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
        header_ok = True
        if header_size == 14:
            stored = data[offset + 12] | data[offset + 13] << 8
            if stored and crc16(view[offset : offset + 12]) != stored:
                # as fit_decode does: read anyway, the file CRC then unchecked
                self.warnings.append(HEADER_CRC_WARNING.format(offset=offset))
                header_ok = False
        if header_ok and crc16(view[offset : end + CRC_BYTES]) != 0:
            self.warnings.append(FILE_CRC_WARNING)
        self.file_starts.append(offset)
        self._walk(start, end)
        return end + CRC_BYTES

    def _walk(self, pos: int, end: int) -> None:
        """Record the position of every data message between ``pos`` and ``end``.

        A message whose next messages have the same header starts a run: the whole run
        is found with one strided slice and ``lstrip`` (a header byte at each multiple of
        the message length), so a file of records alone takes a few steps.
        """
        data = self.data
        length = [0] * 256  # message length by header byte; 0: the slow path
        local: list[tuple[Layout | None, bool]] = [(None, False)] * LOCAL_TYPES
        append = self.positions.append
        try:
            while pos < end:
                h = data[pos]
                step = length[h]
                if not step:
                    pos = self._slow(pos, end, local, length)
                elif data[pos + step] != h or (
                    pos + RUN_MIN * step >= end or data[pos + RUN_MIN * step] != h
                ):
                    append(pos)
                    pos += step
                else:
                    probe = data[pos : min(end - step, pos + step * RUN_PROBE) + 1 : step]
                    count = len(probe) - len(probe.lstrip(_ONE_BYTE[h]))
                    if not count:
                        break  # the message runs past the data
                    self.runs.append((pos, count, step))
                    pos += count * step
        except IndexError as err:  # a message longer than the bytes left
            raise FastPathUnsupported("a message runs past the end of the file") from err
        if pos != end:
            raise FastPathUnsupported(f"the last message runs {pos - end} bytes past the data")

    def _slow(self, pos: int, end: int, local: list, length: list[int]) -> int:
        h = self.data[pos]
        if h & 0xC0 == 0x40:
            return self._definition(pos, end, local, length)
        layout, readable = local[(h >> 5) & 0x3] if h & 0x80 else local[h & 0x0F]
        if layout is None:
            raise FastPathUnsupported(f"data message of an undefined type at byte {pos}")
        if not readable:
            raise FastPathUnsupported(f"a data message at byte {pos} fitparse cannot read")
        if pos + layout.size + 1 > end:
            raise FastPathUnsupported(f"message at byte {pos} runs past the data")
        self._developer_message(layout, pos)
        self.positions.append(pos)
        return pos + layout.size + 1

    def _definition(self, pos: int, end: int, local: list, length: list[int]) -> int:
        """Read the definition message at ``pos``; the offset after it."""
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
            layout = self.layouts[key] = Layout(layout_spec(key), len(self.layouts))
        readable = layout.spec.readable
        if n_dev:
            readable &= self._developer_fields_readable(pos + 7 + 3 * n_fields, n_dev)
        layout.def_positions.append(pos)
        local[h & 0x0F] = (layout, readable)
        special = layout.mesg_num in (DEVELOPER_DATA_ID, FIELD_DESCRIPTION)
        step = layout.size + 1 if readable and not special else 0
        for byte in _HEADERS[h & 0x0F]:
            length[byte] = step
        self.segment_starts.append(pos)
        self.segment_locals.append([-1 if lay is None else lay.index for lay, _ in local])
        return stop

    def _developer_fields_readable(self, start: int, n_dev: int) -> bool:
        """Whether fitparse reads these developer fields right (False: it misreads them).

        fitparse rejects the definition itself when a field has no description.
        """
        readable = True
        for p in range(start, start + 3 * n_dev, 3):
            num, size, index = self.data[p : p + 3]
            base = self.dev_types.get(index, {}).get(num)
            if base is None:
                raise FastPathUnsupported("developer field without a description")
            if num == TIMESTAMP_FIELD or size % base.size or size < base.size:
                readable = False
        return readable

    def _developer_message(self, layout: Layout, pos: int) -> None:
        """Register a developer data id or field description as fitparse does."""
        if layout.mtype is None:
            return
        by_num: dict[int, Any] = {}
        for fdef, raw in zip(layout.fields, raw_values(layout, self.data, pos), strict=True):
            by_num.setdefault(fdef.num, raw)
        if layout.mesg_num == DEVELOPER_DATA_ID:
            self.dev_types[by_num.get(3)] = {}
            return
        index = by_num.get(0)
        if index is None or index not in self.dev_types:
            raise FastPathUnsupported("field description of an undeclared developer")
        base = BASE_TYPES.get(by_num.get(2))
        if base is None:
            raise FastPathUnsupported("developer field of an unknown base type")
        self.dev_types[index][by_num.get(1)] = base

    def _assign_layouts(self) -> None:
        """Give each layout the positions of its data messages, in file order.

        A message's layout is the one its local type had under the last definition
        before it.
        """
        pos = np.frombuffer(self.positions, dtype=np.int64).astype(np.intp)
        if self.runs:
            start, count, step = np.array(self.runs, dtype=np.intp).T
            first = np.cumsum(count) - count
            index = np.arange(int(count.sum())) - np.repeat(first, count)
            pos = np.sort(
                np.concatenate([pos, np.repeat(start, count) + index * np.repeat(step, count)])
            )
        if not len(pos):
            return
        head = self.buf[pos]
        local = np.where(head & 0x80, (head >> 5) & 0x3, head & 0x0F)
        segment = np.searchsorted(self.segment_starts, pos, side="right") - 1
        which = np.array(self.segment_locals, dtype=np.intp)[segment, local]
        order = np.argsort(which, kind="stable")
        layouts = list(self.layouts.values())
        bounds = np.searchsorted(which[order], np.arange(len(layouts) + 1))
        sorted_pos = pos[order]
        for i, layout in enumerate(layouts):
            layout.pos = sorted_pos[bounds[i] : bounds[i + 1]]
