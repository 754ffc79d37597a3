"""Times read in bulk from their bytes (xmlvalues.fixed_zulu_unix_s) equal what numpy's
datetime64 parse gives, and everything else is left to that parse."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from splitcheck.io import xmlvalues
from splitcheck.io.xmlvalues import fixed_zulu_unix_s, iso_to_unix_s


def _numpy_way(texts: list[str]) -> np.ndarray:
    stamps = np.array([t.removesuffix("Z") for t in texts]).astype("datetime64[us]")
    return stamps.astype(np.int64) / 1e6


def _stamps(rng: random.Random, decimals: int | None) -> list[str]:
    start = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=rng.uniform(0, 4.1e9))
    step = dt.timedelta(seconds=rng.choice([0.25, 1, 3600, 86400 * 29]))
    out = []
    for i in range(rng.randint(1, 40)):
        t = start + i * step
        if t.year >= 2100:
            break
        text = t.strftime("%Y-%m-%dT%H:%M:%S")
        if decimals:
            text += "." + f"{t.microsecond:06d}"[:decimals]
        out.append(text + "Z")
    return out


@pytest.mark.parametrize("decimals", [None, 1, 3, 6])
def test_bulk_times_equal_numpys(decimals):
    rng = random.Random(decimals)
    for _ in range(300):
        texts = _stamps(rng, decimals)
        if not texts:
            continue
        got = fixed_zulu_unix_s(texts)
        assert got is not None, texts
        assert np.array_equal(got, _numpy_way(texts)), texts


@pytest.mark.parametrize(
    "texts",
    [
        ["2021-02-29T00:00:00Z"],  # no such day: numpy refuses, NaN
        ["2020-01-01T24:00:00Z"],
        ["2020-01-01T00:00:60Z"],
        ["1969-12-31T23:59:59Z"],  # before 1970 / from 2100: NaN
        ["2100-01-01T00:00:00Z"],
        ["2020-01-01T00:00:00+02:00"],
        ["2020-01-01T00:00:00z"],
        ["2020-01-01 00:00:00Z"],
        ["2020-01-01T00:00:00Z", "2020-01-01T00:00:01.5Z"],  # written two ways
        ["2020-01-01T00:00:00Z", ""],
        ["2020-01-01T00:00:0\u0663Z"],  # an Arabic-Indic digit
    ],
)
def test_anything_else_is_left_to_numpy(texts):
    assert fixed_zulu_unix_s(texts) is None
    expected, naive = iso_to_unix_s(texts)
    assert len(expected) == len(texts)


def test_iso_to_unix_s_gives_the_same_either_way(monkeypatch):  # some damaged times
    rng = random.Random(7)
    for _ in range(100):
        texts = _stamps(rng, rng.choice([None, 2, 3]))
        if rng.random() < 0.5 and texts:  # damage one: a digit, a separator, a letter
            j, k = rng.randrange(len(texts)), rng.randrange(19)
            texts[j] = texts[j][:k] + rng.choice("09-:Tx") + texts[j][k + 1 :]
        fast = iso_to_unix_s(texts)
        monkeypatch.setattr(xmlvalues, "fixed_zulu_unix_s", lambda t: None)
        slow = iso_to_unix_s(texts)
        monkeypatch.undo()
        assert np.array_equal(fast[0], slow[0], equal_nan=True) and fast[1] == slow[1], texts
