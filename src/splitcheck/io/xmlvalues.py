"""Values in GPX and TCX text: ISO 8601 times to Unix seconds (vectorised), cadence units.

:func:`iso_to_unix_s` turns ISO 8601 strings into Unix seconds with numpy, without one
datetime object per sample; times outside :data:`MIN_UNIX_S`..:data:`MAX_UNIX_S` (a year
9999 or 0001 written by a broken exporter) are NaN, like unreadable ones, so one bad time
cannot stretch an activity over millennia.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from ..arrays import median

PER_LEG_CADENCE_MAX = 120.0
"""A median cadence above this cannot be per leg (strides/min): even a sprinter's
~120 strides/min is 240 steps/min, and runners average 75-95 strides/min (160-190
steps/min, pacing-science.md). Above it the file already counts both feet."""
MIN_UNIX_S = 0.0
"""1970-01-01: no GPS watch or app writes an earlier time (some write 1970 when they
know no date, which still reads)."""
MAX_UNIX_S = 4102444800.0
"""2100-01-01: a later time is a corrupt field, not a recording."""
MAX_ABS_VALUE = 1e9
"""No value a watch writes (metres, bpm, degrees, watts) comes near a billion: a larger
one, or inf, is a corrupt field and reads as NaN (2 x 1e308 overflowed)."""
MIN_YEAR, MAX_YEAR_EXCL = 1970, 2100
"""The same span as years (the bulk reader of times, :func:`fixed_zulu_unix_s`)."""
NUMPY_ZONE_WARNING = "no explicit representation of timezones"
"""numpy's warning when a string it parses carries a zone; only damaged times reach numpy
with one (zones are taken off first), and the caller already says what was unreadable."""
MAX_OFFSET_H = 14
"""UTC offsets run from -12:00 to +14:00 (Kiribati); "-25:00" is not a time zone."""


# -- times ------------------------------------------------------------------------------
def iso_to_unix_s(texts: Sequence[str]) -> tuple[np.ndarray, int]:
    """Unix seconds from ISO 8601 date-times, vectorised.

    Accepts ``2020-12-20T08:50:47Z``, fractional seconds, ``+02:00`` / ``-0300`` /
    ``+02`` offsets, and times without a zone (read as UTC). Empty or unreadable strings,
    offsets beyond +-24 h and times outside 1970-2100 give NaN.

    Returns
    -------
    seconds : ndarray of float64
        Seconds since 1970-01-01T00:00:00Z.
    n_naive : int
        How many non-empty times had no zone (the caller warns).
    """
    fixed = fixed_zulu_unix_s(texts)
    if fixed is not None:  # the usual case: every time written alike, in UTC
        return fixed, 0
    a = np.asarray(texts, dtype=str).reshape(-1)
    if a.size == 0:
        return np.zeros(0), 0
    zulu = np.char.endswith(a, "Z")
    if zulu.all():  # the usual case, a few ms for an hour of 1 s samples
        try:
            return _in_range(_datetime64_to_unix_s(np.char.rstrip(a, "Z"), strict=True)), 0
        except (ValueError, OverflowError):
            pass
    a = np.char.replace(np.char.strip(a), " ", "T")  # "2020-12-20 08:50:47" is ISO too
    zulu = np.char.endswith(a, "Z") | np.char.endswith(a, "z")
    a = np.where(zulu, np.char.rstrip(a, "Zz"), a)
    offset_s = np.zeros(a.shape)
    date, _, clock = np.char.partition(a, "T").T
    signed = np.char.find(clock, "-") >= 0
    clock, plus, zone = np.char.partition(np.char.replace(clock, "-", "+"), "+").T
    has_offset = plus == "+"
    if has_offset.any():
        offset_s = _offset_seconds(zone, has_offset, signed)
        a = np.where(has_offset, np.char.add(np.char.add(date, "T"), clock), a)
    seconds = _in_range(_datetime64_to_unix_s(a) - offset_s)
    n_naive = int((np.isfinite(seconds) & ~zulu & ~has_offset).sum())
    return seconds, n_naive


_SEPARATORS = np.array([4, 7, 10, 13, 16])
_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
_PLACES = np.array([1000, 100, 10, 1])
"""``YYYY-MM-DDTHH:MM:SS``: where the separators and the digits sit (the year's four,
then two for each other field)."""
_FIELD_MAX = np.array([MAX_YEAR_EXCL - 1, 12, 31, 23, 59, 59])
_FIELD_MIN = np.array([MIN_YEAR, 1, 1, 0, 0, 0])
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def fixed_zulu_unix_s(texts: Sequence[str]) -> np.ndarray | None:
    """Unix seconds of times all written alike as ``2020-12-20T08:50:47Z`` or with 1-6
    decimals of a second (``...:47.250Z``), in 1970-2099, read from their bytes in bulk
    (no parse per string); None for anything else (other lengths or forms, a day the
    month does not have, a non-ASCII digit), which :func:`iso_to_unix_s` reads its slower
    way. Where it answers, it answers as ``datetime64[us]`` does: microseconds / 1e6."""
    n = len(texts)
    if not n:
        return None
    try:
        size = len(texts[0])
        if size != 20 and not 22 <= size <= 27 or set(map(len, texts)) != {size}:
            return None
        raw = "".join(texts).encode("ascii")
    except (TypeError, UnicodeEncodeError):
        return None
    a = np.frombuffer(raw, np.uint8).reshape(n, size)
    head = a[:, _SEPARATORS]
    if not (head == np.frombuffer(b"--T::", np.uint8)).all() or not (a[:, -1] == 90).all():
        return None  # 90: "Z"
    digits = a[:, _DIGITS].astype(np.int64) - 48
    fraction = a[:, 20:-1].astype(np.int64) - 48
    if size > 20 and not (a[:, 19] == 46).all() or size == 20 and not (a[:, 19] == 90).all():
        return None  # 46: "."
    if ((digits < 0) | (digits > 9)).any() or ((fraction < 0) | (fraction > 9)).any():
        return None
    fields = np.empty((n, 6), np.int64)
    fields[:, 0] = (digits[:, :4] * _PLACES).sum(axis=1)
    fields[:, 1:] = digits[:, 4::2] * 10 + digits[:, 5::2]
    if ((fields < _FIELD_MIN) | (fields > _FIELD_MAX)).any():
        return None
    year, month, day, hour, minute, second = fields.T
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    if (day > _MONTH_DAYS[month] + (leap & (month == 2))).any():
        return None
    us = (fraction * 10 ** np.arange(5, 5 - fraction.shape[1], -1)).sum(axis=1) if size > 20 else 0
    stamps_us = (
        ((_days_from_civil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second
    ) * 1_000_000 + us
    return stamps_us / 1e6


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _in_range(seconds: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        bad = ~((seconds >= MIN_UNIX_S) & (seconds < MAX_UNIX_S))
    seconds[bad] = np.nan
    return seconds


def _offset_seconds(zone: np.ndarray, has_offset: np.ndarray, negative: np.ndarray):
    digits = np.where(has_offset, np.char.replace(zone, ":", ""), "0")
    valid = np.char.isdigit(digits) & np.isin(np.char.str_len(digits), (1, 2, 4))
    digits = np.where(valid, digits, "0")
    value = digits.astype(np.int64)
    value = np.where(np.char.str_len(digits) <= 2, value * 100, value)  # "+02" is 2 h
    hours, minutes = value // 100, value % 100
    valid &= (hours <= MAX_OFFSET_H) & (minutes < 60)
    seconds = hours * 3600.0 + minutes * 60.0
    seconds = np.where(valid, seconds, np.nan)
    return np.where(has_offset, np.where(negative, -seconds, seconds), 0.0)


def _datetime64_to_unix_s(a: np.ndarray, *, strict: bool = False) -> np.ndarray:
    with warnings.catch_warnings():  # a damaged time numpy reads as zoned warns, to no one
        warnings.filterwarnings("ignore", NUMPY_ZONE_WARNING, UserWarning)
        try:
            stamps = a.astype("datetime64[us]")
        except (ValueError, OverflowError):  # a few bad strings: one by one, NaN for those
            if strict:
                raise
            stamps = np.array([_one_datetime64(s) for s in a.tolist()], dtype="datetime64[us]")
    out = stamps.astype(np.int64) / 1e6
    out[np.isnat(stamps)] = np.nan
    return out


def _one_datetime64(text: str) -> np.datetime64:
    try:
        return np.datetime64(text, "us")
    except (ValueError, OverflowError):
        return np.datetime64("NaT", "us")


def number(text: str | None) -> float:
    """The number in a value's text; NaN when unreadable, not finite or beyond
    :data:`MAX_ABS_VALUE`."""
    try:
        value = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return np.nan
    return value if abs(value) < MAX_ABS_VALUE else np.nan


def numbers(texts: Sequence[str | None]) -> np.ndarray:
    """:func:`number` of each text, in bulk: numpy parses a text as ``float`` does, and
    only a text it refuses sends the lot through :func:`number` one by one."""
    try:
        values = np.array(texts, dtype=np.float64)  # None -> NaN
    except (TypeError, ValueError):
        values = np.array([number(t) for t in texts], dtype=np.float64)
    return sane(values)


def sane(values: np.ndarray) -> np.ndarray:
    """``values`` with NaN for anything not finite or beyond :data:`MAX_ABS_VALUE`."""
    v = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(np.abs(v) < MAX_ABS_VALUE, v, np.nan)


# -- cadence ----------------------------------------------------------------------------
def cadence_to_spm(cadence: np.ndarray, foot_sport: bool, warnings: list[str]) -> np.ndarray:
    """Steps per minute (both feet) from a GPX/TCX cadence.

    GPX ``cad`` and TCX ``Cadence``/``RunCadence`` count one foot (strides/min) for
    running, so a foot sport's cadence is doubled; other sports keep rpm. A file whose
    median cadence is above :data:`PER_LEG_CADENCE_MAX` already counts both feet and is
    kept as it is, with a warning.
    """
    cad = np.asarray(cadence, dtype=np.float64)
    if not foot_sport:
        return cad
    moving = cad[np.isfinite(cad) & (cad > 0)]
    if len(moving) and float(median(moving)) > PER_LEG_CADENCE_MAX:
        warnings.append("cadence already counts both feet (median above 120); kept as is")
        return cad
    return cad * 2.0
