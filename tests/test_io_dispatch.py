"""Reader dispatch: formats recognised by content, whatever the name; gzip; empty files."""

from __future__ import annotations

import gzip
import shutil

import numpy as np
import pytest

import splitcheck.io as sio
from conftest import REAL
from splitcheck.errors import EmptyFileError, FileError, UnknownFormatError
from splitcheck.io import read, read_bytes, sniff_format

GPX = "runpandas/nike_run.gpx"
TCX = "runpandas/run_garmin.tcx"
FIT = "python-fitparse/Activity.fit"


def same_activities(a, b) -> bool:
    return len(a) == len(b) and all(
        len(x.samples) == len(y.samples)
        and x.start_utc == y.start_utc
        and np.array_equal(x.samples.distance_m, y.samples.distance_m, equal_nan=True)
        for x, y in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("rel", [GPX, TCX, FIT])
def test_gzipped_file_reads_like_the_plain_one(tmp_path, rel):
    src = REAL / rel
    gz = tmp_path / (src.name + ".gz")
    gz.write_bytes(gzip.compress(src.read_bytes()))
    assert same_activities(read(gz), read(src))


@pytest.mark.parametrize(
    ("rel", "name", "fmt"),
    [
        (GPX, "export.xml", "gpx"),
        (GPX, "run.tcx", "gpx"),  # a wrong extension does not matter
        (TCX, "workout.txt", "tcx"),
        (TCX, "noext", "tcx"),
    ],
)
def test_format_is_recognised_by_content_not_name(tmp_path, rel, name, fmt):
    path = tmp_path / name
    shutil.copyfile(REAL / rel, path)
    assert sniff_format(path.read_bytes()) == fmt
    (act,) = read(path)
    assert act.source_format == fmt
    assert act.source == str(path)


def test_real_files_are_sniffed_by_their_format():
    assert sniff_format((REAL / FIT).read_bytes()) == "fit"
    assert sniff_format((REAL / "gpxpy/track-with-empty-segment.gpx").read_bytes()) == "gpx"
    assert sniff_format((REAL / "heartandsole/testdata.tcx").read_bytes()) == "tcx"
    # root element missing, <Activities> first: still a TCX (the reader then says why)
    assert sniff_format((REAL / "runpandas/malformed.tcx").read_bytes()) == "tcx"


def gpx_text(body: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'{body}<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        '<trk><trkseg><trkpt lat="51.5" lon="-0.1"><time>2024-01-01T00:00:00Z</time></trkpt>'
        '<trkpt lat="51.5001" lon="-0.1"><time>2024-01-01T00:00:05Z</time></trkpt>'
        "</trkseg></trk></gpx>"
    )


def test_bom_and_long_leading_comment():
    comment = "<!-- " + "exported by a very chatty tool " * 300 + "-->\n"
    data = b"\xef\xbb\xbf" + gpx_text(comment).encode()
    assert sniff_format(data) == "gpx"
    assert len(read_bytes(data, "c.gpx")[0].samples) == 2


def test_comment_naming_the_other_format_does_not_fool_the_sniffer():
    data = gpx_text("<!-- converted from a <TrainingCenterDatabase> file -->\n").encode()
    assert sniff_format(data) == "gpx"


def test_utf16_gpx_is_recognised():
    data = gpx_text().encode("utf-16")
    assert sniff_format(data) == "gpx"
    assert len(read_bytes(data, "u16.gpx")[0].samples) == 2


def test_gzipped_gpx_saved_as_xml_gz(tmp_path):
    path = tmp_path / "track.xml.gz"
    path.write_bytes(gzip.compress(gpx_text().encode()))
    (act,) = read(path)
    assert act.source_format == "gpx"


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", EmptyFileError, "empty"),
        (b"  \n\t ", EmptyFileError, "empty"),
        (gzip.compress(b""), EmptyFileError, "gzip holds an empty file"),
        (gzip.compress(b"x" * 5000)[:30], FileError, "truncated"),
        (b"\x1f\x8b" + b"\x00" * 40, FileError, "damaged gzip"),
        (b"lat,lon,time\n1,2,3\n", UnknownFormatError, "not a FIT, GPX or TCX"),
        (b"<html><body>hello</body></html>", UnknownFormatError, "not a FIT, GPX or TCX"),
    ],
)
def test_bad_input_gives_one_line_errors(data, error, message):
    with pytest.raises(error, match=message) as info:
        read_bytes(data, "bad.file")
    assert str(info.value).startswith("bad.file: ")
    assert "\n" not in str(info.value)


def test_gzip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(sio, "MAX_DECOMPRESSED_BYTES", 1000)
    with pytest.raises(FileError, match="refused"):
        read_bytes(gzip.compress(b" " * 10_000), "bomb.gpx.gz")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(FileError, match="no such file"):
        read(tmp_path / "nope.gpx")
    with pytest.raises(FileError, match="is a folder"):
        read(tmp_path)


def test_reading_writes_nothing_next_to_the_input(tmp_path):
    path = tmp_path / "run.gpx.gz"
    path.write_bytes(gzip.compress((REAL / GPX).read_bytes()))
    read(path)
    assert [p.name for p in tmp_path.iterdir()] == ["run.gpx.gz"]
