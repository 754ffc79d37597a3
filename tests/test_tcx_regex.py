"""The regex path for TCX tracks (io/tcx_regex.py) reads what the streaming reader
(io/tcx.py, the reference) reads, and declines whatever it cannot read exactly.

Every TCX at hand is read both ways; a real Garmin export (connectstats, positions,
heart rate, TPX with its own default namespace) is mutated at the regex's edges and each
mutation must read the same both ways, through the path expected of it."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import REAL
from splitcheck.io import read_bytes, tcx
from splitcheck.io.tcx_regex import split_tracks
from tcx_mutate import TCX_REGEX_MUTATIONS
from test_xml_fast import assert_same
from test_xml_tcx_blocks import TCX_FILES, _outcome

SOURCE = REAL / "connectstats/activity_234979239.tcx"


def tcx_path(data: bytes, source: str, monkeypatch) -> str:
    """Which path reads ``data``: "regex" (tcx_regex for the tracks) or "stream"."""
    taken = []
    original = tcx._with_tracks

    def spy(*args):
        result = original(*args)
        taken.append(True)
        return result

    monkeypatch.setattr(tcx, "_with_tracks", spy)
    try:
        _outcome(data, source)
    finally:
        monkeypatch.undo()
    return "regex" if taken else "stream"


def both_ways(data: bytes, name: str, monkeypatch) -> tuple[object, object]:
    """(with the regex path, streamed only)."""
    on = _outcome(data, name)
    monkeypatch.setattr(tcx, "split_tracks", lambda *args: None)
    off = _outcome(data, name)
    monkeypatch.undo()
    return on, off


@pytest.mark.parametrize("path", TCX_FILES, ids=lambda p: p.name)
def test_every_tcx_reads_the_same_with_and_without_the_regex(path, monkeypatch):
    on, off = both_ways(path.read_bytes(), path.name, monkeypatch)
    assert_same(on, off)


def test_most_real_tcx_files_take_the_regex_path(monkeypatch):
    ways = {p.name: tcx_path(p.read_bytes(), p.name, monkeypatch) for p in TCX_FILES}
    assert {name for name, way in ways.items() if way != "regex"} == {"malformed.tcx"}, ways


@pytest.fixture(scope="module")
def base_text() -> str:
    if not SOURCE.exists():
        pytest.fail(f"{SOURCE} missing")
    return SOURCE.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(TCX_REGEX_MUTATIONS))
def test_regex_edges_read_as_the_stream_reads(name, base_text, monkeypatch):
    mutate, expected = TCX_REGEX_MUTATIONS[name]
    data = mutate(base_text).encode("utf-8")
    assert tcx_path(data, f"{name}.tcx", monkeypatch) == expected
    on, off = both_ways(data, f"{name}.tcx", monkeypatch)
    assert_same(on, off)


def test_values_read_by_the_regex_are_the_ones_written(base_text, monkeypatch):
    """Heart rates and altitudes per trackpoint as the file writes them (found by a
    plain search of the text, independent of both readers)."""
    import re

    assert tcx_path(base_text.encode(), "a.tcx", monkeypatch) == "regex"
    (activity,) = read_bytes(base_text.encode(), "a.tcx")
    points = re.findall(r"(?s)<Trackpoint>.*?</Trackpoint>", base_text)
    hr = [re.search(r"<Value>(\d+)</Value>", p) for p in points]
    alt = [re.search(r"<AltitudeMeters>([^<]*)<", p) for p in points]
    expected_hr = [float(m[1]) if m else np.nan for m in hr]
    expected_alt = [float(m[1]) if m else np.nan for m in alt]
    assert len(activity.samples.elapsed_s) == len(points)
    assert np.array_equal(activity.samples.heart_rate_bpm, expected_hr, equal_nan=True)
    assert np.array_equal(activity.samples.altitude_m, expected_alt, equal_nan=True)


def test_split_tracks_values_exactly():
    text = (
        '<TrainingCenterDatabase xmlns="urn:tcx" xmlns:x="urn:x"><Activities><Activity>'
        "<Lap><Track>\n"
        "<Trackpoint><Time>2020-01-01T00:00:00Z</Time><Position><LatitudeDegrees>1.5"
        "</LatitudeDegrees><LongitudeDegrees>-2</LongitudeDegrees></Position>"
        "<HeartRateBpm><Value>90</Value></HeartRateBpm><Extensions><x:TPX><x:Speed>3"
        "</x:Speed></x:TPX></Extensions></Trackpoint>\n"
        "<Trackpoint><Time>2020-01-01T00:00:01Z</Time><AltitudeMeters/>"
        "<Extensions><x:TPX><x:Speed>4</x:Speed><x:RunCadence>80</x:RunCadence></x:TPX>"
        "</Extensions></Trackpoint>\n"
        "</Track><Track/></Lap></Activity></Activities></TrainingCenterDatabase>"
    )
    split = split_tracks(text, tcx._FIELDS, set(tcx._MARKS))
    assert split is not None and "<Trackpoint" not in split.skeleton
    first, second = split.tracks
    assert first.n == 2 and second.n == 0
    assert first.times == ("2020-01-01T00:00:00Z", "2020-01-01T00:00:01Z")
    assert first.texts["lat_deg"] == ("1.5", "") and first.texts["lon_deg"] == ("-2", "")
    assert first.texts["heart_rate_bpm"] == ("90", "")
    assert first.texts["speed_mps"] == ("3", "4") and first.texts["run_cadence"] == ("", "80")
    rows = first.rows(tcx._ROW)
    assert np.array_equal(rows[:, tcx._ROW.index("speed_mps")], [3.0, 4.0])
    assert np.isnan(rows[0, tcx._ROW.index("run_cadence")])


_SMALL = (
    '<TrainingCenterDatabase xmlns="urn:tcx" xmlns:x="urn:x" xmlns:xsi="urn:xsi">'
    "<Activities><Activity><Lap><Track>\n"
    '<Trackpoint><Time>2020-01-01T00:00:00Z</Time><HeartRateBpm xsi:type="t">'
    '<Value>90</Value></HeartRateBpm><Extensions><TPX xmlns="urn:tpx"><Speed>3</Speed>'
    "</TPX></Extensions></Trackpoint>\n"
    "</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
)


@pytest.mark.parametrize(
    "change",
    [
        ("</Trackpoint>\n", "</Trackpoint><!-- c -->\n"),  # a comment
        ('xsi:type="t"', 'xsi:type="\x01"'),  # not an XML character
        ('xmlns:xsi="urn:xsi"', 'xmlns:xs="urn:xsi"'),  # the attribute's prefix unbound
        ('xmlns="urn:tpx"', 'xmlns="http://www.w3.org/2000/xmlns/"'),  # a reserved URI
        ("<Speed>3</Speed>", "<Time>3</Time>"),  # an extension tcx.py gives a meaning
        ("<Value>90</Value>", "<Value>9&#48;</Value>"),  # a reference
        ("<Trackpoint>", '<Trackpoint a="1">'),  # an attribute
    ],
)
def test_split_tracks_declines_what_it_cannot_read_exactly(change):
    assert split_tracks(_SMALL, tcx._FIELDS, set(tcx._MARKS)) is not None
    old, new = change
    assert split_tracks(_SMALL.replace(old, new, 1), tcx._FIELDS, set(tcx._MARKS)) is None
