"""Damaged FIT files decoded fast (issue 15, slow paths): a CRC mismatch, a file cut short
or damage inside a large file no longer go to fitparse's ~100x slower reading, and give
the messages fitparse's salvage gives. Inputs are generated (robust_inputs.py)."""

from __future__ import annotations

import re
import struct

import numpy as np
import pytest

import fuzzing
from robust_inputs import fit_data, fit_with
from splitcheck.io import read_bytes


def test_a_flipped_bit_keeps_the_fast_decoder():
    """A FIT whose only damage is its CRC went to fitparse, ~100x slower (a 318 KB
    file: 11 s): the fast decoder reads it, with the same warning."""
    from splitcheck.io.fit_fast import decode_fast

    data = bytearray(fit_data())
    data[len(data) // 2] ^= 0x01  # inside a record's values: the structure stands
    msgs = decode_fast(bytes(data), "flip.fit")
    assert msgs is not None and msgs.damaged
    (act,) = read_bytes(bytes(data), "flip.fit")
    assert act.warnings == ("file CRC does not match (data kept; values may be wrong)",)


@pytest.mark.parametrize("keep", [0.13, 0.5, 0.77, 0.999])
def test_truncated_fit_is_salvaged_fast_exactly_as_fitparse_does(keep):
    """A FIT cut short went to fitparse (a 400 KB file: 12 s); it is reframed at its
    last complete message and decoded fast, to the same messages and warning."""
    from splitcheck.io.fit_decode import decode_fitparse
    from splitcheck.io.fit_salvage import salvage_truncated
    from test_fit_fast import assert_identical

    data = fit_data()
    cut = data[: int(len(data) * keep)]
    fast = salvage_truncated(cut, "cut.fit")
    assert fast is not None
    assert_identical(fast, decode_fitparse(cut, "cut.fit"))
    assert fast.warnings[0].startswith("truncated at byte ")


def test_truncated_fit_with_a_wrong_header_crc_is_salvaged_fast_as_fitparse_does():
    """A header whose data size was changed (so its CRC does not match) and a file cut
    short: fitparse warns, reads on (18 s for 468 KB); the same here, fast."""
    from splitcheck.io.fit_decode import decode_fitparse
    from splitcheck.io.fit_salvage import salvage_truncated
    from test_fit_fast import assert_identical

    data = bytearray(fit_data())
    assert salvage_truncated(bytes(data), "whole.fit") is None  # not truncated
    struct.pack_into("<I", data, 4, len(data) + 1000)  # data size past the end: bad CRC
    fast = salvage_truncated(bytes(data), "hdr.fit")
    assert fast is not None
    assert_identical(fast, decode_fitparse(bytes(data), "hdr.fit"))
    assert fast.warnings[0].startswith("header CRC of the FIT file at byte 0 does not match")


def test_damage_inside_a_large_fit_is_salvaged_fast_up_to_it(monkeypatch):
    """A field size fitparse rejects, near the end of a 468 KB file: fitparse read up to
    it in 18 s. Bisection over the message boundaries finds the same record to stop at,
    with the fast decoder (the size threshold is lowered for this small file)."""
    from splitcheck.io import fit_salvage
    from splitcheck.io.fit_decode import decode_fitparse

    monkeypatch.setattr(fit_salvage, "BISECT_MIN_BYTES", 0)

    def mutate(records):
        # a second definition of the record message, late, with a field of 255 bytes
        defs = [r for r in records if r.kind == "def" and r.global_num == 20]
        late = fuzzing.FitRecord(bytearray(defs[0].raw), "def", defs[0].local)
        late.raw[6 + 1] = 255
        records.insert(int(len(records) * 0.8), late)

    data = fit_with(mutate)
    fast = fit_salvage.salvage_damaged(data, "late.fit")
    slow = decode_fitparse(data, "late.fit")
    assert fast is not None and slow.damaged
    np.testing.assert_array_equal(fast.records["timestamp"], slow.records["timestamp"])
    at = int(re.search(r"byte (\d+)", slow.warnings[-1]).group(1))
    assert fast.warnings == [
        f"undecodable data at byte {at} (salvaged {len(slow.records['timestamp'])} records)"
    ]
