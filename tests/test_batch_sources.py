"""Walking folders and export zips: what is found, what is skipped, how content is named."""

from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from splitcheck.batch import sources
from splitcheck.batch.sources import (
    ArchiveReader,
    WalkReport,
    content_digest,
    is_activity_name,
    iter_sources,
)
from splitcheck.errors import FileError

FIT_HEAD = bytes([14, 16]) + b"\x00" * 6 + b".FIT" + b"\x00" * 20
GPX = b'<?xml version="1.0"?><gpx version="1.1"><trk><trkseg></trkseg></trk></gpx>'


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A Strava-like zip (gz members, CSV, photo) holding a Garmin-like nested zip."""
    inner = _zip_bytes({"a/1.fit": FIT_HEAD + b"one", "readme.txt": b"hi"})
    data = _zip_bytes(
        {
            "activities/1.fit.gz": gzip.compress(FIT_HEAD + b"one"),
            "activities/2.gpx.gz": gzip.compress(GPX),
            "activities/3.TCX": b"<TrainingCenterDatabase/>",
            "activities.csv": b"id,name\n",
            "media/photo.jpg": b"\xff\xd8",
            "__MACOSX/activities/._1.fit.gz": b"junk",
            "DI_CONNECT/uploaded.zip": inner,
        }
    )
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    return path


def test_activity_names_by_extension():
    for name in ("a.fit", "A.FIT", "b.gpx.gz", "c.tcx", "d.TCX.GZ", "e.xml"):
        assert is_activity_name(name), name
    for name in ("a.csv", "b.jpg", "c.gz", "d.fit.zip", "activities.json"):
        assert not is_activity_name(name), name


def test_zip_members_found_in_place_nested_and_skipped_counted(export: Path):
    report = WalkReport()
    found = list(iter_sources([export], report))
    names = [s.name for s in found]
    assert names == [
        f"{export}:DI_CONNECT/uploaded.zip:a/1.fit",
        f"{export}:activities/1.fit.gz",
        f"{export}:activities/2.gpx.gz",
        f"{export}:activities/3.TCX",
    ]
    # activities.csv, photo.jpg, readme.txt in the nested zip; the __MACOSX resource fork
    assert report.skipped["not an activity file (by extension)"] == 3
    assert report.skipped["hidden file"] == 1
    assert report.errors == []
    assert sorted(p.name for p in export.parent.iterdir()) == ["export.zip"]  # nothing unpacked


def test_archive_reader_reads_members_and_nested_members(export: Path):
    sources = list(iter_sources([export], WalkReport()))
    with ArchiveReader() as reader:
        raw = [reader.read(s) for s in sources]
    assert raw[0] == FIT_HEAD + b"one"
    assert gzip.decompress(raw[1]) == FIT_HEAD + b"one"
    assert raw[3] == b"<TrainingCenterDatabase/>"
    assert sources[2].read() == raw[2]  # the one-off path opens the archive itself


def test_digest_is_of_decompressed_content_so_gz_copy_matches_plain(export: Path):
    sources = list(iter_sources([export], WalkReport()))
    with ArchiveReader() as reader:
        digests = [content_digest(reader.read(s), s.name)[0] for s in sources]
    assert digests[0] == digests[1] == hashlib.sha256(FIT_HEAD + b"one").hexdigest()
    assert len(set(digests)) == 3


def test_folders_recursive_sorted_hidden_skipped(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.fit").write_bytes(FIT_HEAD)
    (tmp_path / "a" / "deep" / "y.gpx").write_bytes(GPX)
    (tmp_path / "a" / "notes.txt").write_text("x")
    (tmp_path / ".git" / "x.fit").write_bytes(FIT_HEAD)
    (tmp_path / ".DS_Store").write_bytes(b"x")
    report = WalkReport()
    names = [
        Path(s.name).relative_to(tmp_path).as_posix() for s in iter_sources([tmp_path], report)
    ]
    assert names == ["a/deep/y.gpx", "b/z.fit"]
    assert report.skipped_total == 2  # notes.txt and .DS_Store; .git is not entered


def test_stamp_changes_when_file_is_touched(tmp_path: Path):
    path = tmp_path / "r.fit"
    path.write_bytes(FIT_HEAD)
    (before,) = iter_sources([path], WalkReport())
    import os

    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    (after,) = iter_sources([path], WalkReport())
    assert before.stamp != after.stamp


def test_missing_path_and_bad_zip_are_reported_and_the_walk_goes_on(tmp_path: Path):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    good = tmp_path / "good.fit"
    good.write_bytes(FIT_HEAD)
    report = WalkReport()
    found = list(iter_sources([tmp_path / "nope", bad, good], report))
    assert [s.path for s in found] == [good]
    reasons = {Path(e.source).name: e.reason for e in report.errors}
    assert reasons["nope"] == "no such file or folder"
    assert reasons["broken.zip"].startswith("not a readable zip archive")


def test_damaged_gzip_and_empty_file_raise_file_errors():
    with pytest.raises(FileError, match="gzip"):
        content_digest(gzip.compress(GPX)[:-12], "x.gpx.gz")
    with pytest.raises(FileError, match="empty"):
        content_digest(b"", "x.fit")


def _encrypted_flag(data: bytes) -> bytes:
    """The zip with every member flagged as encrypted (bit 0), as a password-protected
    export is: zipfile then refuses to read it without a password."""
    b = bytearray(data)
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = b.find(sig)
        while i >= 0:
            b[i + flag_at] |= 1
            i = b.find(sig, i + 4)
    return bytes(b)


def test_password_protected_member_is_a_failure_named_not_a_crash(tmp_path: Path):
    path = tmp_path / "locked.zip"
    path.write_bytes(_encrypted_flag(_zip_bytes({"run.fit": FIT_HEAD + b"x"})))
    report = WalkReport()
    found = list(iter_sources([path], report))
    assert found == []
    assert [e.reason for e in report.errors] == ["encrypted (password-protected) zip member"]


def test_member_inflating_past_the_limit_is_refused_unread(tmp_path: Path, monkeypatch):
    """A zip bomb's member is refused from its declared size, before it is inflated."""
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", 1000)
    path = tmp_path / "bomb.zip"
    path.write_bytes(_zip_bytes({"big.fit": b"\0" * 2000, "ok.gpx": GPX}))
    report = WalkReport()
    found = list(iter_sources([path], report))
    assert [s.members for s in found] == [("ok.gpx",)]
    assert len(report.errors) == 1 and "big.fit" in report.errors[0].source
    assert "refused" in report.errors[0].reason
