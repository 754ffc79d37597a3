"""The regex path for GPX track segments (io/gpx_regex.py) reads what the tree path and
gpxpy read, and declines whatever it cannot read exactly.

A real GPX (runpandas/run.gpx, TomTom) is given known heart rates and cadences per point
and then mutated at the regex's edges: entities, comments, CDATA, attribute order and
quotes, empty and missing values, namespace prefixes redeclared or unbound, CRLF, a BOM,
values with white space, extra children, text between points. Each mutation must read
as gpxpy reads it (and as the tree path reads it), through the path expected of it."""

from __future__ import annotations

import re

import numpy as np
import pytest

from conftest import REAL
from gpx_mutate import GPXPY_DIFFERS, REGEX_MUTATIONS, cad_at, hr_at, with_extensions
from splitcheck.io import gpx_fast, read_bytes
from splitcheck.io.gpx_regex import split_segments
from test_xml_fast import _outcome, assert_same, both_ways

SOURCE = REAL / "runpandas/run.gpx"


def gpx_path(data: bytes, source: str, monkeypatch) -> str:
    """Which path reads ``data``: "regex", "tree" or "gpxpy" (also for an error)."""
    ended = []
    original = gpx_fast._parse

    def spy(text, segments=None):
        result = original(text, segments)
        ended.append("regex" if segments is not None else "tree")
        return result

    readers = []
    fast = gpx_fast.read_gpx_fast

    def spy_fast(*args):
        result = fast(*args)
        readers.append(result is not None)
        return result

    monkeypatch.setattr(gpx_fast, "_parse", spy)
    monkeypatch.setattr(gpx_fast, "read_gpx_fast", spy_fast)
    try:
        _outcome_bytes(data, source)
    finally:
        monkeypatch.undo()
    return ended[-1] if readers and readers[-1] and ended else "gpxpy"


def _outcome_bytes(data: bytes, source: str):
    from splitcheck.errors import SplitcheckError

    try:
        return read_bytes(data, source)
    except SplitcheckError as err:
        return f"{type(err).__name__}: {err}"


@pytest.fixture(scope="module")
def base_text() -> str:
    if not SOURCE.exists():
        pytest.fail(f"{SOURCE} missing")
    return with_extensions(SOURCE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(REGEX_MUTATIONS))
def test_regex_edges_read_as_gpxpy_and_the_tree_read(name, base_text, tmp_path, monkeypatch):
    mutate, expected = REGEX_MUTATIONS[name]
    data = mutate(base_text).encode("utf-8")
    path = tmp_path / f"{name}.gpx"
    path.write_bytes(data)
    assert gpx_path(data, path.name, monkeypatch) == expected
    fast, slow, _ = both_ways(path, monkeypatch)
    if name not in GPXPY_DIFFERS:
        assert_same(fast, slow)  # gpxpy, the reference
    monkeypatch.setattr(gpx_fast, "split_segments", lambda text: None)
    tree = _outcome(path)
    monkeypatch.undo()
    assert_same(fast, tree)


def test_values_read_by_the_regex_are_the_ones_written(base_text, monkeypatch):
    """Heart rate and cadence per point as written (cadence doubled: steps/min), the
    times and positions as the file has them (independent of both readers)."""
    data = base_text.encode("utf-8")
    assert gpx_path(data, "run.gpx", monkeypatch) == "regex"
    (activity,) = read_bytes(data, "run.gpx")
    n = len(activity.samples.elapsed_s)
    assert n > 1000
    i = np.arange(n)
    assert np.array_equal(activity.samples.heart_rate_bpm, hr_at(i).astype(float))
    assert np.array_equal(activity.samples.cadence_spm, 2.0 * cad_at(i))
    lat = [float(x) for x in re.findall(r'lat="([^"]*)"', base_text)]
    assert np.array_equal(activity.samples.lat_deg, lat[:n])
    ele = [float(x) for x in re.findall(r"<ele>([^<]*)</ele>", base_text)]
    assert np.array_equal(activity.samples.altitude_m, ele[:n])


def test_later_heart_rate_in_a_point_wins(base_text):
    text = REGEX_MUTATIONS["two_heart_rates"][0](base_text)
    (activity,) = read_bytes(text.encode(), "two.gpx")
    assert np.all(activity.samples.heart_rate_bpm == 155)


_TWO_POINTS = (
    '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
    "xmlns:t='urn:tpx'><trk><trkseg>\n"
    '<trkpt lon="2.5" lat="-1e1"><ele>7</ele><time>2020-01-01T00:00:00Z</time>'
    "<extensions><t:x><t:hr>90</t:hr><t:cad/></t:x></extensions></trkpt>\n"
    '<trkpt lon="3" lat="4"><ele/><extensions><t:x><t:hr></t:hr><t:cad>80</t:cad>'
    "</t:x></extensions></trkpt>\n"
)
"""A small GPX's head whose every value is known: empty ele, an empty heart rate,
attributes swapped."""


def test_split_segments_values_exactly():
    """A small GPX whose every value is known: empty ele, a point without time, an
    empty heart rate, two segments (one self-closed), attributes swapped."""
    text = (
        _TWO_POINTS + '<trkpt lon="5" lat="6"><time>2020-01-01T00:00:02Z</time></trkpt>\n'
        "</trkseg><trkseg/></trk></gpx>"
    )
    split = split_segments(text)
    assert split is not None
    assert "<trkpt" not in split.skeleton and split.skeleton.count("trkseg") == 3
    first, second = split.segments
    assert first.lat == ["-1e1", "4", "6"] and first.lon == ["2.5", "3", "5"]
    assert first.ele == ["7", None, None]
    assert first.time == ["2020-01-01T00:00:00Z", None, "2020-01-01T00:00:02Z"]
    assert first.extension_texts == [("hr", ["90", "", ""]), ("cad", ["", "80", ""])]
    assert second.lat == []


@pytest.mark.parametrize(
    "change",
    [
        ("<t:cad/>", "<t:cad/><!-- c -->"),  # a comment
        ('lat="4"', 'lat="4" foo="1"'),  # another attribute
        ("<ele/>", "<ele>&#55;</ele>"),  # a reference
        ("xmlns:t='urn:tpx'", "xmlns:u='urn:tpx'"),  # the prefix unbound
        ("<t:hr></t:hr>", "<t:hr> </t:hr>"),  # white space in a value
        ("<trkseg/>", '<trkseg xmlns:q="urn:q"/>'),  # a namespace past the root
    ],
)
def test_split_segments_declines_what_it_cannot_read_exactly(change):
    text = _TWO_POINTS + "</trkseg><trkseg/></trk></gpx>"
    assert split_segments(text) is not None
    old, new = change
    assert split_segments(text.replace(old, new, 1)) is None


def test_every_real_gpx_reads_the_same_with_and_without_the_regex(monkeypatch):
    """Every GPX at hand: the regex path on and off give the same activities; those
    that fall back say which path read them."""
    from test_xml_fast import GPX_FILES

    paths = {}
    for path in GPX_FILES:
        data = path.read_bytes()
        paths[path.name] = gpx_path(data, path.name, monkeypatch)
        on = _outcome(path)
        monkeypatch.setattr(gpx_fast, "split_segments", lambda text: None)
        off = _outcome(path)
        monkeypatch.undo()
        assert_same(on, off)
    gpx_1_0 = {"cerknicko-without-times.gpx", "korita-zbevnica.gpx"}  # gpx_fast declines
    assert {name for name, way in paths.items() if way != "regex"} == gpx_1_0, paths
