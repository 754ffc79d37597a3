"""The archive says what its days and times are: each activity's own local time (with its
offset beside it), or the zone the runner gave, never "UTC" for an archive of many zones.

Truth: each FIT's own ``local_timestamp`` against its ``timestamp`` (read with fitparse),
and the TCX's first trackpoint time for a file that gives no zone.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET

import fitparse
import pytest
from click.testing import CliRunner

from conftest import REAL
from splitcheck.cli import cli

PORTLAND = REAL / "elevate" / "portland.fit"  # FIT with a local timestamp (US Pacific)
FENIX2 = REAL / "python-fitparse" / "activity-small-fenix2-run.fit"  # FIT, local timestamp
ZAGREB = REAL / "tcx-test-files" / "running_activity_2.tcx"  # TCX in UTC, with positions
NO_ZONE = REAL / "tcxmill" / "10km-2019-10-18_activity.tcx"  # treadmill: no offset, no GPS
FILES = (PORTLAND, FENIX2, ZAGREB, NO_ZONE)


def _fit_local(path) -> tuple[dt.datetime, float]:
    """The FIT's first record time on its own local clock, and that clock's offset [s]."""
    fit = fitparse.FitFile(str(path))
    activity = next(fit.get_messages("activity"))
    offset = activity.get_value("local_timestamp") - activity.get_value("timestamp")
    offset_s = round(offset.total_seconds() / 900) * 900
    first = next(fit.get_messages("record")).get_value("timestamp")
    return first + dt.timedelta(seconds=offset_s), offset_s


def _tcx_first_utc(path) -> dt.datetime:
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    text = ET.parse(path).getroot().find(".//t:Trackpoint/t:Time", ns).text
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("clock")
    folder = root / "runs"
    folder.mkdir()
    for path in FILES:
        shutil.copy(path, folder / path.name)
    return root, folder


def _batch(root, folder, name, *extra) -> tuple[str, str]:
    web = root / name
    args = [
        "batch", folder, "--no-cache", "-j", "1", "--out", root / f"{name}-out", "--html", web,
        "--weeks", "0", *extra,
    ]  # fmt: skip
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout, (web / "index.html").read_text(encoding="utf-8")


def _row(index: str, name: str) -> tuple[str, str]:
    """(start shown, clock beside it) of the activity read from file ``name``."""
    for row in re.findall(r"<tr><td>.*?</tr>", index):
        if f"/{name}</span>" in row:
            start, clock = re.match(r'<tr><td>([^<]*)<span class="src">([^<]*)', row).groups()
            return start, clock
    raise AssertionError(f"{name} not listed")


def _offset(seconds: float) -> str:
    sign = "-" if seconds < 0 else "+"
    minutes = abs(int(seconds)) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def test_each_activity_shows_its_own_local_time_and_the_header_says_so(archive):
    text, index = _batch(*archive, "own")
    for path in (PORTLAND, FENIX2):
        local, offset_s = _fit_local(path)
        start, clock = _row(index, path.name)
        assert start == local.strftime("%Y-%m-%d %H:%M"), path.name
        assert clock == _offset(offset_s), path.name
    start, clock = _row(index, NO_ZONE.name)
    assert start == _tcx_first_utc(NO_ZONE).strftime("%Y-%m-%d %H:%M")
    assert clock == "UTC+00:00: no time zone known"
    start, clock = _row(index, ZAGREB.name)
    assert clock.endswith("Europe/Zagreb")  # the start position's zone (the file says UTC)
    utc = _tcx_first_utc(ZAGREB)
    assert start == (utc + dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")  # CEST in July
    words = (
        "each activity's local time: 2 from the file, 1 from the start position, "
        "1 in UTC (no time zone known)"
    )
    meta = re.search(r'<p class="meta">([^<]*)</p>', index).group(1).replace("&#x27;", "'")
    assert meta.endswith(f"days and times in {words}")
    assert "times in UTC" not in index
    assert f"(days in {words})" in text.splitlines()[0]


def test_a_zone_given_is_the_one_every_time_is_in(archive):
    text, index = _batch(*archive, "tokyo", "--timezone", "Asia/Tokyo")
    local, offset_s = _fit_local(PORTLAND)
    start, clock = _row(index, PORTLAND.name)
    tokyo = local - dt.timedelta(seconds=offset_s) + dt.timedelta(hours=9)
    assert (start, clock) == (tokyo.strftime("%Y-%m-%d %H:%M"), "UTC+09:00, Asia/Tokyo")
    assert "days and times in Asia/Tokyo</p>" in index
    assert "(days in Asia/Tokyo)" in text.splitlines()[0]
