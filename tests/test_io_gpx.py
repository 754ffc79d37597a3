"""GPX reader: real exports checked against their own content, crafted files for the rest."""

from __future__ import annotations

import datetime as dt
import re
import time

import gpxpy
import numpy as np
import pytest

from conftest import REAL
from splitcheck.derive import haversine_m
from splitcheck.errors import (
    CorruptFileError,
    Damage,
    FileError,
    NotAnActivityError,
    NoTimedDataError,
)
from splitcheck.io.gpx import read_gpx
from splitcheck.io.tcx import read_tcx
from splitcheck.io.xmlsafe import UNSAFE_XML_REASON

UTC = dt.UTC


def read_real(rel: str):
    data = (REAL / rel).read_bytes()
    return read_gpx(data, rel), data.decode("utf-8")


# -- real files -------------------------------------------------------------------------
def test_tomtom_run_distance_device_and_empty_segment():
    (act,), text = read_real("runpandas/run.gpx")
    assert len(act.samples) == text.count("<trkpt") == 1424  # 2nd trkseg is empty
    assert act.distance_m == pytest.approx(4800, rel=0.02)  # MANIFEST: 4.8 km
    assert act.device == "TomTom.1001"
    assert act.sport == "unknown"  # no <type>: not guessed
    assert act.start_utc == dt.datetime(2017, 5, 27, 8, 13, 1, tzinfo=UTC)
    assert act.elapsed_s == 1423  # 1 s recording, first to last <time>
    assert not act.samples.has("heart_rate_bpm")
    assert act.source_format == "gpx"


def test_nike_run_heart_rate_on_494_of_727_points():
    (act,), text = read_real("runpandas/nike_run.gpx")
    assert len(act.samples) == 727
    hr = act.samples.heart_rate_bpm
    assert np.isfinite(hr).sum() == text.count("<gpxtpx:hr>") == 494
    raw = np.array(re.findall(r"<gpxtpx:hr>(\d+)<", text), dtype=float)
    assert np.array_equal(hr[np.isfinite(hr)], raw)
    assert act.distance_m == pytest.approx(8300, rel=0.02)  # MANIFEST: 8.3 km
    assert act.start_utc == dt.datetime(2021, 7, 4, 11, 23, 19, 418000, tzinfo=UTC)


def test_garmin_connect_gpx_ns3_extensions_sport_and_cadence_doubled():
    (act,), text = read_real("heartandsole/testdata.gpx")
    assert act.sport == "running"  # <type>running</type>
    assert act.device == "Garmin Connect"
    raw_cad = np.array(re.findall(r"<ns3:cad>(\d+)<", text), dtype=float)
    assert np.array_equal(act.samples.cadence_spm, 2 * raw_cad)  # strides -> steps/min
    raw_hr = np.array(re.findall(r"<ns3:hr>(\d+)<", text), dtype=float)
    assert np.array_equal(act.samples.heart_rate_bpm, raw_hr)


def test_gpx_and_tcx_of_the_same_run_agree():
    """heartandsole exported one activity as GPX and TCX: same start, HR, distance."""
    (gpx,), _ = read_real("heartandsole/testdata.gpx")
    (tcx,) = read_tcx((REAL / "heartandsole/testdata.tcx").read_bytes(), "testdata.tcx")
    assert gpx.start_utc == tcx.start_utc
    assert gpx.elapsed_s == tcx.elapsed_s
    assert np.array_equal(gpx.samples.heart_rate_bpm, tcx.samples.heart_rate_bpm)
    # distance from positions vs the watch's own (158.7 m; its FIT says 159 m)
    assert gpx.distance_m == pytest.approx(tcx.distance_m, rel=0.1)


def test_cerknicko_mostly_untimed_is_refused_with_the_counts():
    with pytest.raises(NoTimedDataError, match="only 5 of 296 points have a time"):
        read_real("gpxpy/cerknicko-without-times.gpx")


def test_korita_untimed_track_left_out_and_timed_tracks_joined():
    (act,), text = read_real("gpxpy/korita-zbevnica.gpx")
    assert len(act.samples) == text.count("<time>") - 1 == 513  # minus the file's <time>
    assert any("without times left out" in w for w in act.warnings)
    assert any("2 tracks joined" in w for w in act.warnings)
    # independent: the same tracks through gpxpy alone, in file order (logged in time order)
    logs = [t for t in gpxpy.parse(text).tracks if t.get_points_no() and t.has_times()]
    lat, lon = np.array([(p.latitude, p.longitude) for t in logs for p in t.walk(True)]).T
    raw_m = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]).sum()
    s = act.samples
    path_m = haversine_m(s.lat_deg[:-1], s.lon_deg[:-1], s.lat_deg[1:], s.lon_deg[1:]).sum()
    assert path_m == pytest.approx(raw_m, rel=1e-9)  # same points, same order
    assert raw_m == pytest.approx(sum(t.length_2d() for t in logs), rel=0.01)
    # the standing-still gate only removes GPS wander at the hike's stops
    assert 0.85 * raw_m < act.distance_m <= raw_m


def test_track_with_an_empty_segment():
    (act,), _ = read_real("gpxpy/track-with-empty-segment.gpx")
    assert len(act.samples) == 9
    assert act.elapsed_s == (17 * 3600 + 27 * 60 + 42) - (17 * 3600 + 26 * 60 + 26)


# -- crafted files ----------------------------------------------------------------------
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="{creator}" xmlns="http://www.topografix.com/GPX/1/1"'
    ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2"'
    ' xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0"'
    ' xmlns:pwr="http://www.garmin.com/xmlschemas/PowerExtension/v1">\n'
)


def gpx_bytes(points: list[str], *, kind: str | None = "running", creator="Test") -> bytes:
    type_el = f"<type>{kind}</type>" if kind is not None else ""
    body = "".join(points)
    text = HEAD.format(creator=creator) + f"<trk>{type_el}<trkseg>{body}</trkseg></trk></gpx>"
    return text.encode("utf-8")


def pt(i: int, ext: str = "", *, time_text: str | None = None, lat0=51.5) -> str:
    """A point 3 m north of the previous one every second (3 m/s)."""
    stamp = time_text if time_text is not None else f"2024-03-01T07:00:{i:02d}Z"
    time_el = f"<time>{stamp}</time>" if stamp else ""
    lat = lat0 + i * 3 / 111_195
    extensions = f"<extensions>{ext}</extensions>" if ext else ""
    return f'<trkpt lat="{lat:.7f}" lon="-0.1"><ele>10</ele>{time_el}{extensions}</trkpt>'


@pytest.mark.parametrize(
    ("ext", "column", "expected"),
    [
        (
            "<gpxtpx:TrackPointExtension><gpxtpx:hr>150</gpxtpx:hr></gpxtpx:TrackPointExtension>",
            "heart_rate_bpm",
            150,
        ),
        ("<gpxdata:hr>151</gpxdata:hr>", "heart_rate_bpm", 151),
        ("<heartrate>152</heartrate>", "heart_rate_bpm", 152),
        ("<hr>153</hr>", "heart_rate_bpm", 153),
        (
            "<gpxtpx:TrackPointExtension><gpxtpx:cad>88</gpxtpx:cad></gpxtpx:TrackPointExtension>",
            "cadence_spm",
            176,
        ),
        ("<gpxdata:cadence>89</gpxdata:cadence>", "cadence_spm", 178),
        ("<power>250</power>", "power_w", 250),
        ("<pwr:PowerInWatts>251</pwr:PowerInWatts>", "power_w", 251),
    ],
)
def test_extension_namespaces(tmp_path, ext, column, expected):
    path = tmp_path / "ext.gpx"
    path.write_bytes(gpx_bytes([pt(i, ext) for i in range(20)]))
    (act,) = read_gpx(path.read_bytes(), path.name)
    assert np.all(getattr(act.samples, column) == expected)


def test_distance_from_positions_and_times_from_text():
    (act,) = read_gpx(gpx_bytes([pt(i) for i in range(31)]), "line.gpx")
    assert act.distance_m == pytest.approx(90, rel=0.01)  # 30 steps of 3 m
    assert act.samples.speed_mps[10] == pytest.approx(3.0, rel=0.02)
    assert act.start_utc == dt.datetime(2024, 3, 1, 7, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "sport", "sub_sport", "doubled"),
    [
        ("running", "running", None, True),
        ("9", "running", None, True),  # Strava's numeric Run
        ("Run", "running", None, True),
        ("treadmill_running", "running", "treadmill", True),
        ("Ride", "cycling", None, False),
        ("1", "cycling", None, False),
        ("walking", "walking", None, True),
        (None, "unknown", None, True),
    ],
)
def test_sport_from_type_and_cadence_units(kind, sport, sub_sport, doubled):
    ext = "<gpxtpx:TrackPointExtension><gpxtpx:cad>85</gpxtpx:cad></gpxtpx:TrackPointExtension>"
    (act,) = read_gpx(gpx_bytes([pt(i, ext) for i in range(10)], kind=kind), "s.gpx")
    assert (act.sport, act.sub_sport) == (sport, sub_sport)
    assert act.samples.cadence_spm[0] == (170 if doubled else 85)
    if kind is None:
        assert any("sport not stated" in w for w in act.warnings)


def test_unknown_type_text_is_not_guessed():
    (act,) = read_gpx(gpx_bytes([pt(i) for i in range(5)], kind="jkljkl"), "t.gpx")
    assert act.sport == "unknown"
    assert any("jkljkl" in w for w in act.warnings)


def test_cadence_already_in_steps_is_not_doubled():
    ext = "<gpxtpx:TrackPointExtension><gpxtpx:cad>172</gpxtpx:cad></gpxtpx:TrackPointExtension>"
    (act,) = read_gpx(gpx_bytes([pt(i, ext) for i in range(10)]), "s.gpx")
    assert act.samples.cadence_spm[0] == 172
    assert any("both feet" in w for w in act.warnings)


def test_times_with_offsets_and_without_zone():
    points = [
        pt(0, time_text="2024-03-01T09:00:00+02:00"),
        pt(1, time_text="2024-03-01T07:00:01Z"),
        pt(2, time_text="2024-03-01T04:00:02-03:00"),
        pt(3, time_text="2024-03-01T07:00:03"),  # no zone: read as UTC, with a warning
    ]
    (act,) = read_gpx(gpx_bytes(points), "tz.gpx")
    assert act.start_utc == dt.datetime(2024, 3, 1, 7, 0, 0, tzinfo=UTC)
    assert list(act.samples.elapsed_s) == [0, 1, 2, 3]
    assert any("no time zone" in w for w in act.warnings)


def test_untimed_points_in_a_recorded_track_are_left_out():
    points = [pt(i, time_text="" if i % 4 == 3 else None) for i in range(20)]
    (act,) = read_gpx(gpx_bytes(points), "gaps.gpx")
    assert len(act.samples) == 15
    assert any("5 of 20 points have no time" in w for w in act.warnings)


def test_route_only_gpx_is_not_an_activity():
    text = HEAD.format(creator="x") + '<rte><rtept lat="1" lon="2"/></rte></gpx>'
    with pytest.raises(NotAnActivityError, match="without track points"):
        read_gpx(text.encode(), "route.gpx")


def test_malformed_gpx_names_the_line_or_is_read_up_to_the_damage():
    bad = gpx_bytes([pt(i) for i in range(3)]).replace(b"</trkseg>", b"", 1)
    with pytest.raises(CorruptFileError, match=r"not well-formed XML at line \d+"):
        read_gpx(bad, "bad.gpx", damage=Damage.RAISE)
    (act,) = read_gpx(bad, "bad.gpx")  # the damage is after the last point: all 3 kept
    assert len(act.samples) == 3
    (warning,) = act.warnings
    at = int(re.search(r"damaged at byte (\d+) \(mismatched tag\)", warning).group(1))
    assert bad.index(b"</trk>") <= at < bad.index(b"</trk>") + len(b"</trk>")


def test_invalid_value_is_a_corrupt_file():
    bad = gpx_bytes([pt(i) for i in range(3)]).replace(b"<ele>10</ele>", b"<ele>high</ele>", 1)
    with pytest.raises(CorruptFileError, match="invalid GPX"):
        read_gpx(bad, "bad.gpx")


# -- safety -----------------------------------------------------------------------------
XXE = """<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gpx version="1.1" creator="&secret;"><trk><name>&secret;</name><trkseg>
<trkpt lat="1" lon="2"><time>2024-01-01T00:00:00Z</time></trkpt>
<trkpt lat="1" lon="2.001"><time>2024-01-01T00:00:01Z</time></trkpt>
</trkseg></trk></gpx>"""

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE gpx [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<gpx version="1.1" creator="x"><trk><name>&lol9;</name></trk></gpx>'
)


@pytest.mark.parametrize("text", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_declarations_are_refused(tmp_path, text):
    path = tmp_path / "evil.gpx"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(FileError, match=re.escape(UNSAFE_XML_REASON)) as info:
        read_gpx(path.read_bytes(), path.name)
    assert time.perf_counter() - started < 1.0
    assert "root:" not in str(info.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-7"])
def test_declarations_cannot_hide_behind_an_encoding(encoding):
    declared = XXE.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
    with pytest.raises(FileError, match="refused|not well-formed"):
        read_gpx(declared.encode(encoding), "evil.gpx")


def test_utf16_gpx_with_bom_reads():
    (act,) = read_gpx(gpx_bytes([pt(i) for i in range(5)]).decode().encode("utf-16"), "u.gpx")
    assert len(act.samples) == 5


def test_tracks_and_segments_are_joined_in_time_order():
    late = "".join(pt(i) for i in range(10, 20))
    early_a = "".join(pt(i) for i in range(0, 5))
    early_b = "".join(pt(i) for i in range(5, 10))
    text = (
        HEAD.format(creator="x")
        + f"<trk><trkseg>{late}</trkseg></trk>"
        + f"<trk><trkseg>{early_a}</trkseg><trkseg></trkseg><trkseg>{early_b}</trkseg></trk>"
        + "</gpx>"
    )
    (act,) = read_gpx(text.encode(), "joined.gpx")
    assert list(act.samples.elapsed_s) == list(range(20))
    assert act.distance_m == pytest.approx(57, rel=0.01)  # 19 steps of 3 m, no detour
    assert any("2 tracks joined" in w for w in act.warnings)


def test_gpx_with_a_prefixed_namespace_is_read_like_the_default_one():
    """``<g:gpx xmlns:g="http://www.topografix.com/GPX/1/1">`` is the same XML as the
    default-namespace form (some XML serialisers write it); it was "without track
    points". 3 points 10 s apart along the equator, 0.001 deg of longitude each."""
    pts = "".join(
        f'<g:trkpt lat="0" lon="{(i + 1) * 0.001}"><g:time>2025-01-01T00:00:{i * 10:02d}Z</g:time>'
        "</g:trkpt>"
        for i in range(3)
    )
    text = (
        '<?xml version="1.0"?><g:gpx xmlns:g="http://www.topografix.com/GPX/1/1" '
        f'version="1.1" creator="x"><g:trk><g:trkseg>{pts}</g:trkseg></g:trk></g:gpx>'
    )
    act = read_gpx(text.encode(), "prefixed.gpx")[0]
    assert act.samples.elapsed_s[-1] == 20.0
    assert act.distance_m == pytest.approx(2 * haversine_m(0, 0, 0, 0.001), rel=0.01)
