"""Local start time: from the file (FIT local_timestamp, TCX/GPX offsets), else the start
position's zone, else UTC and said so; ``--timezone`` overrides; batch days are local.

Truth: each FIT file's own ``activity.local_timestamp`` read with fitparse, and the same
run exported as FIT and as GPX/TCX (the export without an offset must land on the local
clock the FIT file states, through its position alone).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import fitparse
import pytest
from click.testing import CliRunner

from splitcheck.analysis import analyze
from splitcheck.batch.weekly import weekly_review
from splitcheck.cli import cli
from splitcheck.errors import ProfileError
from splitcheck.io import read, read_bytes
from splitcheck.localtime import local_start


def _fit_offset_s(path) -> float | None:
    for msg in fitparse.FitFile(str(path)).get_messages("activity"):
        local, utc = msg.get_value("local_timestamp"), msg.get_value("timestamp")
        if local is not None and utc is not None:
            return round((_unix_s(local) - _unix_s(utc)) / 900) * 900
    return None


def _unix_s(value) -> float:
    """fitparse gives a datetime (naive UTC), or for some files the raw FIT seconds."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC).timestamp()
    return float(value) + 631065600  # FIT epoch, 1989-12-31T00:00:00Z


FIT_WITH_LOCAL = (
    "elevate/portland.fit",
    "run-stats/6761214480_ACTIVITY.fit",
    "workoutizer/with_nones.fit",
    "connectstats/track_cs_5611.fit",
    "heartandsole/testdata.fit",
)


@pytest.mark.parametrize("name", FIT_WITH_LOCAL)
def test_fit_local_timestamp_gives_the_local_start(real, name):
    want = _fit_offset_s(real / name)
    assert want is not None
    a = analyze(read(real / name)[0])
    assert a.local.source == "file" and a.local.utc_offset_s == want
    doc = a.to_dict()
    assert doc["utc_offset_s"] == want
    start_local = dt.datetime.fromisoformat(doc["start_local"])
    assert start_local.utcoffset().total_seconds() == want
    assert start_local == a.activity.start_utc


@pytest.mark.parametrize(
    ("fit", "export"),
    [
        ("heartandsole/testdata.fit", "heartandsole/testdata.gpx"),
        ("heartandsole/testdata.fit", "heartandsole/testdata.tcx"),
    ],
)
def test_an_export_without_offset_finds_the_local_clock_from_its_position(real, fit, export):
    (activity,) = read(real / export)
    local = local_start(activity)
    assert local.source == "position" and local.timezone
    assert local.utc_offset_s == _fit_offset_s(real / fit)


def test_a_tcx_written_with_an_offset_keeps_it(real):
    name = "runpandas/2020-12-20T05_50_47-300_Running.tcx"
    text = (real / name).read_text(encoding="utf-8")

    def to_local(m: re.Match) -> str:
        t = dt.datetime.fromisoformat(m.group(2).replace("Z", "+00:00"))
        return m.group(1) + t.astimezone(dt.timezone(dt.timedelta(hours=-3))).isoformat()

    shifted = re.sub(r"(<Time>|StartTime=\")([0-9T:\-.]+Z)", to_local, text)
    assert "-03:00" in shifted
    (plain,) = read_bytes(text.encode(), name)
    (local,) = read_bytes(shifted.encode(), name)
    assert local.start_utc == plain.start_utc and local.utc_offset_s == -3 * 3600
    assert local_start(local).start_local.hour == 5  # the 05:50 in the file's name


def test_without_offset_or_position_the_start_is_utc_and_said(real):
    (activity,) = read(real / "tcxmill/10km-2019-10-18_activity.tcx")
    local = local_start(activity)
    assert local.source == "utc" and "UTC (no time zone" in local.words()


def test_timezone_overrides_and_a_bad_name_is_refused(real):
    (activity,) = read(real / "elevate/portland.fit")
    tokyo = local_start(activity, "Asia/Tokyo")
    assert tokyo.source == "override" and tokyo.utc_offset_s == 9 * 3600
    with pytest.raises(ProfileError):
        local_start(activity, "Mars/Olympus")


def test_analyze_cli_timezone(real):
    path = str(real / "elevate/portland.fit")
    out = CliRunner().invoke(cli, ["analyze", "--json", "--timezone", "Asia/Tokyo", path])
    assert out.exit_code == 0
    doc = json.loads(out.stdout)["activities"][0]
    assert doc["start_local"].startswith("2018-02-19T02:29") and doc["timezone"] == "Asia/Tokyo"
    text = CliRunner().invoke(cli, ["analyze", path]).stdout
    assert "2018-02-18 09:29 (UTC-08:00 from the file)" in text
    bad = CliRunner().invoke(cli, ["analyze", "--timezone", "Mars/Olympus", path])
    assert bad.exit_code == 2 and "is not a time zone" in bad.stderr


def test_batch_days_are_each_runs_local_day():
    """A Sunday 23:30 run in Portland is Monday 07:30 UTC: it belongs to Sunday's week."""
    row = {"start_utc": "2026-03-09T07:30:00Z", "utc_offset_s": -8 * 3600.0, "sport": "running"}
    assert weekly_review([row], tz=None).weeks[0].week == "2026-W10"
    assert weekly_review([row], tz=dt.UTC).weeks[0].week == "2026-W11"


def test_positions_give_the_offset_each_fit_file_states(real):
    """Over every real FIT file with a local_timestamp and a position, the start
    position's zone gives the same offset the watch wrote, except where the watch wrote
    UTC as local time (offset 0 away from UTC: then the position wins)."""
    agree = 0
    for path in sorted(real.rglob("*")):
        if path.suffix.lower() != ".fit":
            continue
        try:
            (activity, *_) = read(path)
        except Exception:  # refused files are test_real_files' business
            continue
        try:
            want = _fit_offset_s(path)
        except fitparse.FitParseError:  # damaged: fitparse alone cannot say
            continue
        if want is None or not activity.samples.has("lat_deg"):
            continue
        by_position = local_start(activity.with_changes(utc_offset_s=None))
        if want == 0 and by_position.utc_offset_s != 0:
            assert local_start(activity).source == "position", path.name
            continue
        assert by_position.utc_offset_s == want, path.name
        agree += 1
    assert agree >= 20
