"""The FIT CRC (CRC-16/ARC: reflected polynomial 0xA001, initial value 0), vectorised.

A byte-at-a-time CRC in Python costs a quarter of a FIT decode (``parsers.md``); this
computes it with numpy in a handful of array operations:

1. The CRC is linear with initial value 0, so leading zero bytes do not change it: the
   data is zero-padded in front to ``N`` chunks of ``CHUNK_WORDS`` 16-bit words.
2. All chunks advance together, one little-endian word per step, through a 65,536-entry
   table (two bytes of a reflected 16-bit CRC are one table look-up).
3. Chunk CRCs are combined pairwise in a tree: ``crc(A + B) = shift(crc(A), len(B)) ^
   crc(B)``, where "shift by ``2**k`` chunks" is a linear map of the 16-bit state, kept
   as two 256-entry tables (low and high byte) and squared from one level to the next.

Reference: FIT SDK "FIT File Protocol", section 3.3.2 (CRC), whose nibble-table loop
(also in ``fitparse.records.Crc``) computes the same function.
"""

from __future__ import annotations

import numpy as np

CHUNK_WORDS = 8
"""Words (2 bytes) per chunk: few numpy steps and a shallow tree (measured best at 4-16)."""

POLY_REFLECTED = 0xA001
"""CRC-16/ARC polynomial 0x8005, bit-reversed."""

_BITS = (np.arange(256)[:, None] >> np.arange(8)) & 1 == 1
"""Bit ``j`` of each byte value, for building tables of linear maps."""
_cache: dict[object, np.ndarray] = {}


def _word_table() -> np.ndarray:
    """CRC state after feeding one 16-bit word, for every ``state ^ word``.

    Built as a 256 x 256 table (high byte x low byte) in uint16: the low byte leaves
    ``byte[lo]`` in the state, and the high byte meets that state's low byte. A quarter
    of the memory of whole-range intp arrays, which a cold start pays for in page faults
    (it was ~3 ms of each ``splitcheck analyze``)."""
    t = _cache.get("word")
    if t is None:
        byte = np.arange(256, dtype=np.intp)
        for _ in range(8):
            byte = (byte >> 1) ^ np.where(byte & 1, POLY_REFLECTED, 0)
        byte = byte.astype(np.uint16)
        low_left = (byte & 0xFF).astype(np.uint8)
        meets = np.arange(256, dtype=np.uint8)[:, None] ^ low_left[None, :]
        t = _cache["word"] = ((byte >> 8)[None, :] ^ byte[meets]).ravel()
    return t


def _byte_tables(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Look-up tables of the linear map sending bit ``i`` to ``images[i]``: low, high byte."""
    lo = np.bitwise_xor.reduce(np.where(_BITS, images[None, :8], 0), axis=1)
    hi = np.bitwise_xor.reduce(np.where(_BITS, images[None, 8:], 0), axis=1)
    return lo, hi


def _shift(level: int) -> tuple[np.ndarray, np.ndarray]:
    """Tables of "append ``CHUNK_WORDS * 2**level`` zero words" (a linear map of the state).

    The map is kept as the images of the 16 unit states; squaring it (applying it to its
    own images) doubles the shift, so each level costs a few 16-element operations.
    """
    tables = _cache.get(level)
    if tables is None:
        if level == 0:
            images = np.left_shift(1, np.arange(16), dtype=np.intp)
            word = _word_table()
            for _ in range(CHUNK_WORDS):
                images = word[images]
        else:
            lo, hi = _shift(level - 1)
            prev = _cache[("images", level - 1)]
            images = lo[prev & 0xFF] ^ hi[prev >> 8]
        _cache[("images", level)] = images
        tables = _cache[level] = _byte_tables(images)
    return tables


def crc16(data: bytes | memoryview) -> int:
    """The FIT CRC of ``data``.

    A FIT file followed by its stored CRC (little-endian) has CRC 0, so
    ``crc16(header + records + crc_bytes) == 0`` checks the whole file at once.
    """
    n = len(data)
    if n == 0:
        return 0
    words = (n + 1) // 2
    chunks = -(-words // CHUNK_WORDS)
    n_chunks = 1 << (chunks - 1).bit_length()
    padded = n_chunks * CHUNK_WORDS * 2
    buf = np.zeros(padded, dtype=np.uint8)
    buf[padded - n :] = np.frombuffer(data, dtype=np.uint8)
    cols = buf.view("<u2").reshape(n_chunks, CHUNK_WORDS).T.astype(np.intp)
    table = _word_table()
    state = np.zeros(n_chunks, dtype=np.intp)
    for word in cols:
        state = table[state ^ word]
    level = 0
    while len(state) > 1:
        lo, hi = _shift(level)
        left = state[0::2]
        state = lo[left & 0xFF] ^ hi[left >> 8] ^ state[1::2]
        level += 1
    return int(state[0])
