"""GPX and TCX read at parser speed give what the reference readers give.

GPX: every GPX at hand (../shared and sample_activities), and copies of real ones
mutated into the forms watches and apps write (or should not), are read through the
fast path and through gpxpy (the fast path switched off): the same activities, or the
same error. The usual files must take the fast path, the others decline to gpxpy.
(TCX is read by the lenient safe layer, io/xmlsafe.py, tested in test_io_tcx and
test_robust.)"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import REAL, SAMPLES
from splitcheck.errors import SplitcheckError
from splitcheck.io import gpx_fast, read

GPX_FILES = sorted(REAL.rglob("*.gpx")) + sorted(SAMPLES.glob("*.gpx"))


def _outcome(path: Path):
    try:
        return read(path)
    except SplitcheckError as err:
        return f"{type(err).__name__}: {err}"


def assert_same(a, b) -> None:
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        for name in (
            "start_utc",
            "sport",
            "sub_sport",
            "device",
            "source",
            "source_format",
            "session_index",
            "laps",
            "pauses",
            "file_summary",
            "warnings",
        ):
            assert getattr(x, name) == getattr(y, name), name
        xs, ys = vars(x.samples), vars(y.samples)
        assert xs.keys() == ys.keys()
        for key, value in xs.items():
            if isinstance(value, np.ndarray):
                assert np.array_equal(value, ys[key], equal_nan=True), key
            else:
                assert value == ys[key], key


def both_ways(path: Path, monkeypatch) -> tuple[object, object, bool]:
    """(fast path's outcome, gpxpy's, whether the fast path read the file)."""
    taken = []
    original = gpx_fast.read_gpx_fast

    def spy(*args):
        result = original(*args)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(gpx_fast, "read_gpx_fast", spy)
    fast = _outcome(path)
    monkeypatch.setattr(gpx_fast, "read_gpx_fast", lambda *args: None)
    slow = _outcome(path)
    monkeypatch.undo()
    return fast, slow, any(taken)


def test_there_are_gpx_files():
    assert len(GPX_FILES) >= 10


@pytest.mark.parametrize("path", GPX_FILES, ids=lambda p: p.name)
def test_every_gpx_reads_as_gpxpy_reads_it(path, monkeypatch):
    fast, slow, _ = both_ways(path, monkeypatch)
    assert_same(fast, slow)


def test_the_usual_gpx_files_take_the_fast_path(monkeypatch):
    for path in sorted(SAMPLES.glob("*.gpx")) + [REAL / "runpandas/run.gpx"]:
        _, _, taken = both_ways(path, monkeypatch)
        assert taken, path


def _mutate(text: str, name: str) -> str:
    """A real GPX changed into another form watches and apps write (or should not)."""
    first = text.index("<trkpt")
    cut = text.index("<trkpt", text.index("</trkpt>", first + 1000))
    if name == "two_tracks_typed":
        return text[:cut] + "</trkseg></trk><trk><type>Run</type><trkseg>" + text[cut:]
    if name == "points_without_time":
        return re.sub(r"<time>[^<]*</time>", "", text, count=40)
    if name == "offset_times":
        return text.replace("Z</time>", "+00:00</time>")
    if name == "fractional_times":
        return re.sub(r"(:\d\d)(?:\.\d+)?Z</time>", r"\1.25Z</time>", text)
    if name == "bad_time":
        return text[:cut] + text[cut:].replace("<time>", "<time>2020-13-", 1)
    if name == "bad_elevation":
        return text[:cut] + text[cut:].replace("<ele>", "<ele>x", 1)
    if name == "sat_and_hdop":
        return text.replace("</ele>", "</ele><sat>7</sat><hdop>1.5</hdop>")
    if name == "bad_sat":
        return text[:cut] + text[cut:].replace("</ele>", "</ele><sat>seven</sat>", 1)
    if name == "cluetrust_hr":
        return text.replace(
            "<trkpt", '<trkpt xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0"'
        ).replace("</ele>", "</ele><extensions><gpxdata:hr>150</gpxdata:hr></extensions>")
    if name == "zero_hr_and_power":
        return text.replace("</ele>", "</ele><extensions><hr>0</hr><power>250</power></extensions>")
    if name == "gpx_1_0":
        return text.replace('version="1.1"', 'version="1.0"').replace("GPX/1/1", "GPX/1/0")
    if name == "waypoint":
        return text.replace("<trk>", '<wpt lat="1" lon="2"><name>x</name></wpt><trk>', 1)
    if name == "unknown_sport":
        return text.replace("<trk>", "<trk><type>Quidditch</type>", 1)
    if name == "not_well_formed":
        return text[: len(text) // 2]
    if name == "garmin_hr_cad":  # every point alike: read by slicing (gpx_blocks.py)
        return text.replace("</time>", "</time>" + _garmin("<h>150</h><c>85</c>"))
    if name == "nested_hr":  # alike, a heart rate inside a heart rate: the inner one wins
        return text.replace("</time>", "</time>" + _garmin("<h>140<h>99</h></h><c>85</c>"))
    if name == "shapes_vary":  # every 7th point without ele, every 5th without hr
        n = iter(range(10**6))

        def vary(m: re.Match) -> str:
            i = next(n)
            values = "<c>80</c>" if i % 5 == 0 else "<h>150</h>"
            return (m.group(1) if i % 7 == 0 else m.group(0)) + _garmin(values)

        return re.sub(r"<ele>[^<]*</ele>(\s*<time>[^<]*</time>)", vary, text)
    raise ValueError(name)


def _garmin(values: str) -> str:
    values = values.replace("<h>", "<gpxtpx:hr>").replace("</h>", "</gpxtpx:hr>")
    values = values.replace("<c>", "<gpxtpx:cad>").replace("</c>", "</gpxtpx:cad>")
    tpx = "gpxtpx:TrackPointExtension"
    return f"<extensions><{tpx}>{values}</{tpx}></extensions>"


MUTATIONS = [
    "two_tracks_typed",
    "points_without_time",
    "offset_times",
    "fractional_times",
    "bad_time",
    "bad_elevation",
    "sat_and_hdop",
    "bad_sat",
    "cluetrust_hr",
    "zero_hr_and_power",
    "gpx_1_0",
    "waypoint",
    "unknown_sport",
    "not_well_formed",
    "garmin_hr_cad",
    "nested_hr",
    "shapes_vary",
]
FAST_MUTATIONS = {
    "two_tracks_typed",
    "points_without_time",
    "fractional_times",
    "sat_and_hdop",
    "cluetrust_hr",
    "zero_hr_and_power",
    "unknown_sport",
    "garmin_hr_cad",
    "nested_hr",
    "shapes_vary",
}
"""Mutations the fast path reads itself; it declines the others to gpxpy."""


@pytest.mark.parametrize("name", MUTATIONS)
def test_mutated_real_gpx_reads_as_gpxpy_reads_it(name, tmp_path, monkeypatch):
    source = REAL / "runpandas/run.gpx"
    if not source.exists():
        pytest.fail(f"{source} missing")
    text = _mutate(source.read_text(encoding="utf-8"), name)
    path = tmp_path / f"{name}.gpx"
    path.write_text(text, encoding="utf-8")
    fast, slow, taken = both_ways(path, monkeypatch)
    assert_same(fast, slow)
    assert taken == (name in FAST_MUTATIONS)


@pytest.mark.parametrize("name", ["garmin_hr_cad", "nested_hr"])
def test_points_of_one_shape_are_read_by_slicing(name, tmp_path, monkeypatch):
    """The slicing path (gpx_blocks.py) is really taken for points all alike, and reads
    what gpxpy reads (the mutation test above); the nested heart rate is the inner one."""
    text = _mutate((REAL / "runpandas/run.gpx").read_text(encoding="utf-8"), name)
    path = tmp_path / f"{name}.gpx"
    path.write_text(text, encoding="utf-8")
    hits = []
    monkeypatch.setattr(gpx_fast, "split_segments", lambda text: None)  # the tree path
    original = gpx_fast.uniform_points
    monkeypatch.setattr(
        gpx_fast, "uniform_points", lambda *a: hits.append(original(*a)) or hits[-1]
    )
    (activity,) = read(path)
    assert sum(h is not None for h in hits) >= 2
    hr = activity.samples.heart_rate_bpm
    assert np.all(hr == (99 if name == "nested_hr" else 150))
