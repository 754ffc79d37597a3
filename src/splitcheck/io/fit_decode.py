"""FIT decoding with fitparse (the reference decoder): bytes in, :class:`FitMessages` out.

This module is the reference the fast decoder (``fit_fast.py``) must match exactly, so
every choice it makes is written down here.

Chained files
    A FIT file may hold several FIT files back to back (a header, data, a CRC, then the
    next header). Each one is cut out by its header's ``header_size + data_size + 2`` and
    decoded by a fresh ``fitparse.FitFile`` (local message definitions and compressed
    timestamps start afresh in each, as the protocol says). ``FitMessages.files`` counts
    the headers read. Bytes after the last file that are not a FIT header are damage.

Damage
    Decoding stops at the first message fitparse cannot read; everything read before it
    is kept, ``damaged`` is set and one warning names the byte offset of the message that
    failed and how many records were kept: ``truncated at byte 768 (salvaged 14
    records)`` when the data ends early, ``undecodable data at byte 7471: ... (salvaged
    473 records)`` otherwise. A file CRC that does not match keeps all data with
    ``file CRC does not match (data kept; values may be wrong)``; a header CRC that does
    not match is read without the check and says so. Offsets count from the start of
    ``data`` (across chained files).

Which fields are kept
    Only fields the FIT profile (as fitparse 1.2.0 knows it) names: ``unknown_NN`` fields
    and developer fields are left out (developer field names are free text and could
    shadow profile names). Subfields appear under their resolved name (an event's
    ``data`` as ``timer_trigger``). Component-expanded fields (``speed`` and
    ``distance`` from ``compressed_speed_distance``, ``enhanced_speed`` from ``speed``)
    appear under their own names. When one message yields the same name twice, the first
    non-None value read directly from the file wins, then the first non-None expanded
    value, else None.

Values
    Numbers (ints and floats, not bools) become Python floats, except that a field whose
    profile type names its values (an enum such as ``event`` or ``garmin_product``) keeps
    a value the profile does not name as its int; bools, strings (enum names) and None
    stay as they are; tuples (array fields) keep these rules per element.
    ``date_time`` values (``timestamp``, ``start_time`` ...) are raw FIT seconds: this
    decoder asks fitparse not to turn them into datetimes.

Records
    ``records`` has one float64 column, in sorted name order, per field name that has at
    least one float value (by the rule above: a number that is not an enum's) among the
    record messages; a row where the field is missing, invalid or not a float is NaN.
    When there is at least one record message there is always a ``timestamp`` column
    (all NaN if no record has one).

fitparse keeps developer field definitions in a module-level dict; it is cleared before
each decode (under a lock) so that one file's definitions never leak into another's.
"""

from __future__ import annotations

import io
import struct
import threading
from typing import Any

import numpy as np
from fitparse import FitFile
from fitparse import records as fp_records
from fitparse.processors import FitFileDataProcessor
from fitparse.profile import FIELD_TYPE_TIMESTAMP
from fitparse.utils import FitCRCError, FitEOFError

from .fit_messages import MESSAGE_LISTS, FitMessages, plain_value

FIT_HEADER_MIN_BYTES = 12
"""A FIT file header is 12 or 14 bytes (FIT protocol, 'File Header')."""
FIT_CRC_BYTES = 2
FIT_SIGNATURE = b".FIT"

# fitparse raises these (not only its own FitParseError, a ValueError) on bad bytes.
_DECODE_ERRORS = (ValueError, KeyError, IndexError, TypeError, struct.error)

_LISTS = MESSAGE_LISTS

_DEV_TYPES_LOCK = threading.Lock()


class _RawTimes(FitFileDataProcessor):
    """fitparse's default processing, except that times stay raw FIT seconds.

    The default processor only turns ``bool`` fields into bools and times into
    datetimes; doing the first directly also saves fitparse three method look-ups per
    field (about a tenth of its decode time).
    """

    def run_type_processor(self, field_data) -> None:
        if field_data.value is not None and field_data.type.name == "bool":
            field_data.value = bool(field_data.value)

    def run_field_processor(self, field_data) -> None:
        pass

    def run_unit_processor(self, field_data) -> None:
        pass

    def run_message_processor(self, data_message) -> None:
        pass


class _Collector:
    """Accumulates decoded messages across chained files."""

    def __init__(self) -> None:
        self.out = FitMessages()
        self.record_rows: list[dict[str, Any]] = []

    def add(self, message) -> None:
        name = message.name
        if name == "record":
            self.record_rows.append(_message_fields(message))
        elif name in _LISTS:
            getattr(self.out, _LISTS[name]).append(_message_fields(message))

    def damage(self, warning: str) -> None:
        self.out.damaged = True
        self.out.warnings.append(warning)

    def finish(self) -> FitMessages:
        self.out.records = _record_columns(self.record_rows)
        return self.out


def decode_fitparse(data: bytes, source: str) -> FitMessages:
    """Decode a FIT file's bytes with fitparse.

    Parameters
    ----------
    data : bytes
        The whole (decompressed) file.
    source : str
        The file's name; unused by the decoding, kept for the decoders' common signature.

    Returns
    -------
    FitMessages
        Messages read, with ``damaged`` and ``warnings`` saying what could not be read
        (see the module docstring for every convention).
    """
    del source  # both decoders share one signature; messages need no file name
    col = _Collector()
    with _DEV_TYPES_LOCK:
        fp_records.DEV_TYPES.clear()
        offset = 0
        while offset < len(data):
            end = _decode_one_file(data, offset, col)
            if end is None:
                break
            offset = end
        fp_records.DEV_TYPES.clear()
    return col.finish()


def _decode_one_file(data: bytes, offset: int, col: _Collector) -> int | None:
    """Decode the chained FIT file starting at ``offset``; its end offset, or None to stop."""
    rest = len(data) - offset
    if rest < FIT_HEADER_MIN_BYTES or data[offset + 8 : offset + 12] != FIT_SIGNATURE:
        what = "the first" if offset == 0 else "a chained"
        col.damage(
            f"no FIT header at byte {offset} ({what} file's header is damaged); "
            f"ignored the last {rest} bytes (salvaged {len(col.record_rows)} records)"
        )
        return None
    header_size = data[offset]
    data_size = struct.unpack_from("<I", data, offset + 4)[0]
    end = min(offset + header_size + data_size + FIT_CRC_BYTES, len(data))
    opened = _open(data[offset:end], offset, col)
    if opened is None:
        return None
    fit, stream = opened
    col.out.files += 1
    ok = _read_messages(fit, stream, offset, col)
    return end if ok else None


def _open(segment: bytes, offset: int, col: _Collector) -> tuple[FitFile, io.BytesIO] | None:
    """A FitFile positioned after the header, and its stream (None: header unreadable)."""
    stream = io.BytesIO(segment)
    try:
        return FitFile(stream, check_crc=True, data_processor=_RawTimes()), stream
    except FitCRCError:
        col.out.warnings.append(
            f"header CRC of the FIT file at byte {offset} does not match (read anyway)"
        )
        col.out.damaged = True
    except _DECODE_ERRORS as err:
        col.damage(
            f"damaged FIT header at byte {offset} ({_reason(err)}); "
            f"salvaged {len(col.record_rows)} records"
        )
        return None
    stream = io.BytesIO(segment)  # the failed FitFile closed the first one
    try:
        return FitFile(stream, check_crc=False, data_processor=_RawTimes()), stream
    except _DECODE_ERRORS as err:
        col.damage(f"damaged FIT header at byte {offset} ({_reason(err)})")
        return None


def _read_messages(fit: FitFile, stream: io.BytesIO, offset: int, col: _Collector) -> bool:
    """Read one file's messages into ``col``; False when damage stopped the reading."""
    messages = fit.get_messages(with_definitions=True)
    position = stream.tell()
    while True:
        try:
            message = next(messages)
        except StopIteration:
            return True
        except FitCRCError:
            col.damage("file CRC does not match (data kept; values may be wrong)")
            return True
        except FitEOFError:
            col.damage(
                f"truncated at byte {offset + position} (salvaged {len(col.record_rows)} records)"
            )
            return False
        except _DECODE_ERRORS as err:
            col.damage(
                f"undecodable data at byte {offset + position}: {_reason(err)} "
                f"(salvaged {len(col.record_rows)} records)"
            )
            return False
        position = stream.tell()
        if message.type == "data":
            col.add(message)


def _reason(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    return text[0].lower() + text[1:]


def _message_fields(message) -> dict[str, Any]:
    """Field name to value for one data message (see the module docstring's rules)."""
    out: dict[str, Any] = {}
    rank: dict[str, tuple[bool, bool]] = {}
    for fd in message.fields:
        field = fd.field
        if field is None or field.field_type == "devfield":
            continue
        value = plain_value(fd.value, _is_enum(field))
        expanded = fd.field_def is None and field is not FIELD_TYPE_TIMESTAMP
        key = (value is None, expanded)
        name = fd.name
        if name not in rank or key < rank[name]:
            out[name] = value
            rank[name] = key
    return out


def _is_enum(field) -> bool:
    """True for fields whose profile type names its values (enums, ``garmin_product``)."""
    return bool(getattr(field.type, "values", None))


def _is_number(value: Any) -> bool:
    return isinstance(value, float)


def _record_columns(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    if not rows:
        return {}
    names = {"timestamp"}
    for row in rows:
        names.update(k for k, v in row.items() if _is_number(v))
    nan = float("nan")
    return {
        name: np.array(
            [v if _is_number(v := row.get(name)) else nan for row in rows], dtype=np.float64
        )
        for name in sorted(names)
    }
