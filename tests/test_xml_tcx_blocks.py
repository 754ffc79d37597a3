"""TCX trackpoints read by slicing (io/tcx_blocks.py) give what reading them one by one
gives (io/tcx.py's bulk reader over each trackpoint's elements, the reference): every TCX
in ../shared, and real ones mutated into shapes watches write or should not. The usual
files must take the slicing path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REAL
from splitcheck.io import read_bytes, tcx
from test_xml_fast import assert_same

TCX_FILES = sorted(REAL.rglob("*.tcx"))


def _outcome(data: bytes, name: str):
    try:
        return read_bytes(data, name)
    except Exception as err:  # noqa: BLE001 - the same error both ways is the check
        return f"{type(err).__name__}: {err}"


def both_ways(data: bytes, name: str, monkeypatch) -> tuple[object, object, int]:
    """(sliced outcome, one-by-one outcome, how many chunks were sliced), both on the
    stream path (the regex path, io/tcx_regex.py, switched off: test_tcx_regex.py)."""
    hits = []
    original = tcx.uniform_trackpoints
    monkeypatch.setattr(tcx, "split_tracks", lambda *args: None)

    def spy(*args):
        result = original(*args)
        hits.append(result is not None)
        return result

    monkeypatch.setattr(tcx, "uniform_trackpoints", spy)
    sliced = _outcome(data, name)
    monkeypatch.setattr(tcx, "uniform_trackpoints", lambda *args: None)
    one_by_one = _outcome(data, name)
    monkeypatch.undo()
    return sliced, one_by_one, sum(hits)


def test_there_are_tcx_files():
    assert len(TCX_FILES) >= 10


@pytest.mark.parametrize("path", TCX_FILES, ids=lambda p: p.name)
def test_every_tcx_reads_the_same_sliced(path: Path, monkeypatch):
    sliced, one_by_one, _ = both_ways(path.read_bytes(), path.name, monkeypatch)
    assert_same(sliced, one_by_one)


def test_garmin_files_are_read_by_slicing(monkeypatch):
    for rel in ("tcxmill/10km-2019-10-18_activity.tcx", "sweatpy/3173437224.tcx"):
        path = REAL / rel
        _, _, sliced_chunks = both_ways(path.read_bytes(), path.name, monkeypatch)
        assert sliced_chunks >= 5, rel


def _every_7th_without_position(text: str) -> str:
    """Trackpoints of two shapes within one chunk."""
    count = iter(range(10**6))
    return re.sub(
        r"<Position>.*?</Position>",
        lambda m: "" if next(count) % 7 == 0 else m.group(0),
        text,
        flags=re.S,
    )


MUTATIONS = {
    # every 7th trackpoint without a position: shapes differ within chunks
    "positions_vary": lambda t: _every_7th_without_position(t),
    "two_times": lambda t: t.replace("</Time>", "</Time><Time>2021-01-01T00:00:00Z</Time>"),
    "value_before_hr": lambda t: t.replace("<HeartRateBpm>", "<Value>1</Value><HeartRateBpm>"),
    "hr_twice": lambda t: t.replace(
        "</HeartRateBpm>", "</HeartRateBpm><HeartRateBpm><Value>99</Value></HeartRateBpm>"
    ),
    "empty_values": lambda t: re.sub(r"<AltitudeMeters>[^<]*<", "<AltitudeMeters><", t),
    "no_times": lambda t: re.sub(r"<Time>[^<]*</Time>", "", t),
    "nested_trackpoint": lambda t: t.replace("</Time>", "</Time><Trackpoint/>", 3),
    "truncated": lambda t: t[: len(t) * 2 // 3],
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutated_tcx_reads_the_same_sliced(name, monkeypatch):
    path = REAL / "tcxmill/10km-2019-10-18_activity.tcx"
    data = MUTATIONS[name](path.read_text(encoding="utf-8")).encode()
    sliced, one_by_one, _ = both_ways(data, path.name, monkeypatch)
    assert_same(sliced, one_by_one)
