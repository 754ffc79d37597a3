"""Never falls over (issue 15) and lenient, safe XML (issue 12, item 3).

Each failure the fuzzer found (tests/fuzzing.py, scripts/fuzz.py) has a test here built
from a small generated input: a simulated run written as FIT, GPX or TCX, then damaged
the way the fuzzer damaged real files. Inputs that once took gigabytes or seconds run in
a forked child under the issue's limits (1 GB, 10 s): a failure cannot take pytest down.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import fuzzing
import splitcheck
from splitcheck.analysis import analyze
from splitcheck.cli import cli
from splitcheck.errors import CorruptFileError, FileError
from splitcheck.io import read, read_bytes
from splitcheck.io.common import build_activity
from splitcheck.io.xmlsafe import UNSAFE_XML_REASON
from splitcheck.model import Lap
from splitcheck.report.text import render_analysis
from splitcheck.simulate import simulate, workout


# -- generated inputs -----------------------------------------------------------------
@functools.cache
def sim():
    """8 x 200 m on a track with manual laps: about 15 minutes of 1 s records."""
    return simulate(workout.repeats(8, 200, 210, recovery=200, recovery_mode="distance"), seed=3)


@functools.cache
def fit_data() -> bytes:
    return sim().fit_bytes()


@functools.cache
def gpx_data() -> bytes:
    from splitcheck.simulate.gpx_writer import gpx_text

    return gpx_text(sim().recording).encode("utf-8")


def tcx_text(n: int | None = None) -> str:
    """The simulated run as a Garmin TCX (one lap; ``n`` first points)."""
    rec = sim().recording
    k = len(rec.time_s) if n is None else n
    points = []
    for i in range(k):
        t = rec.start_utc + dt.timedelta(seconds=float(rec.time_s[i]))
        points.append(
            f"<Trackpoint><Time>{t:%Y-%m-%dT%H:%M:%S}Z</Time><Position>"
            f"<LatitudeDegrees>{rec.lat_deg[i]:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{rec.lon_deg[i]:.7f}</LongitudeDegrees></Position>"
            f"<DistanceMeters>{rec.distance_m[i]:.2f}</DistanceMeters></Trackpoint>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2">\n<Activities><Activity Sport="Running">'
        f"<Id>{rec.start_utc:%Y-%m-%dT%H:%M:%S}Z</Id>"
        f'<Lap StartTime="{rec.start_utc:%Y-%m-%dT%H:%M:%S}Z"><TotalTimeSeconds>'
        f"{rec.time_s[k - 1]:.0f}</TotalTimeSeconds><DistanceMeters>"
        f"{rec.distance_m[k - 1]:.1f}</DistanceMeters><Track>\n"
        + "".join(points)
        + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    )


def fit_with(mutate) -> bytes:
    """The simulated FIT with ``mutate(records)`` applied, CRCs made right."""
    header, records = fuzzing.split_fit(fit_data())
    mutate(records)
    return fuzzing.join_fit(header, records)


def isolated(data: bytes) -> fuzzing.Outcome:
    out = fuzzing.run_isolated(data)
    assert out.kind in ("ok", "refused"), out
    return out


def set_timestamp(record, offset: int, value: int) -> None:
    struct.pack_into("<I", record.raw, offset, value % 2**32)


# -- memory and time bounded by the samples, not the clock --------------------------
@pytest.mark.parametrize("jump_s", [10 * 365 * 86400, -(10**9), 3 * 86400])
def test_one_bad_time_stamp_costs_no_memory(jump_s):
    """A single record's time stamp years off made a 1 s grid over the years (14.5 GB)."""

    def mutate(records):
        stamps = fuzzing._timestamp_fields(records)
        rec, offset = stamps[len(stamps) // 2]
        old = struct.unpack_from("<I", rec.raw, offset)[0]
        set_timestamp(rec, offset, old + jump_s)

    out = isolated(fit_with(mutate))
    assert out.peak_b < 300 * 2**20


def test_clock_jump_of_years_mid_run_costs_no_memory():
    def mutate(records):
        stamps = fuzzing._timestamp_fields(records)
        for rec, offset in stamps[len(stamps) // 2 :]:
            old = struct.unpack_from("<I", rec.raw, offset)[0]
            set_timestamp(rec, offset, old + 20 * 365 * 86400)

    out = isolated(fit_with(mutate))
    assert out.peak_b < 300 * 2**20


def _activity(t_s, d_m):
    return build_activity(
        source="gen.fit",
        source_format="fit",
        time_unix_s=np.asarray(t_s, dtype=float) + 1.7e9,
        columns={"distance_m": np.asarray(d_m, dtype=float)},
        sport="running",
    )


def test_samples_spread_over_months_are_not_segmented_and_say_so():
    """3,000 samples, one every hour: a grid over the clock would be 11 M points."""
    t = np.arange(3000) * 3600.0
    a = analyze(_activity(t, np.arange(3000) * 10.0))
    assert a.structure is None
    assert any(w.startswith("not segmented:") and "3000 samples" in w for w in a.activity.warnings)


def test_a_broken_distance_of_21000_km_is_not_segmented():
    """A 0.5 m grid over 21,307 km for each best effort took 1.4 GB."""
    t = np.arange(1800.0)
    d = np.where(t < 900, t * 3.0, 2.1307e7 + t * 3.0)
    a = analyze(_activity(t, d))
    assert a.structure is None
    assert any("21,310 km" in w or "broken distance" in w for w in a.activity.warnings)


def test_a_long_stop_is_left_out_of_the_grid_and_the_reps_are_still_found():
    """One sample 5 h before a session of reps: the gap is left out of the grid (it
    made a settle window of 0 samples: ValueError in _local_edges)."""
    base = analyze(read_bytes(fit_data(), "sim.fit")[0])
    (act,) = read_bytes(fit_data(), "sim.fit")
    s = act.samples
    t = np.concatenate([[-5 * 3600.0], s.elapsed_s])
    d = np.concatenate([[0.0], s.distance_m])
    a = analyze(_activity(t, d))
    assert a.structure is not None
    assert len(a.structure.work) == len(base.structure.work) == 8


def test_best_effort_is_exact_between_samples():
    """The fastest 400 m of a run at 4 m/s with 100 m at 5 m/s inside: found from the
    samples' corners, not a grid."""
    t = np.arange(0.0, 600.0)
    v = np.where((t >= 200) & (t < 220), 5.0, 4.0)
    d = np.concatenate([[0.0], np.cumsum(v[:-1])])
    from splitcheck.segment.efforts import fastest_stretch
    from splitcheck.segment.trace import build_trace

    trace = build_trace(_activity(t, d))
    effort = fastest_stretch(trace, 400.0)
    assert effort.end_s - effort.start_s == pytest.approx(300 / 4 + 100 / 5, abs=1e-6)


# -- no internal error --------------------------------------------------------------------
def test_time_offset_beyond_a_day_leaves_the_point_out():
    """A GPX time offset of -25:00 was a ValueError inside datetime."""
    text = gpx_data().decode()
    at = text.index("<trkpt")
    first = re.search(r"<time>([^<]+)Z</time>", text[at:]).group(1)
    bad = text[:at] + text[at:].replace(f"<time>{first}Z</time>", f"<time>{first}-25:00</time>", 1)
    (act,) = read_bytes(bad.encode(), "offset.gpx")
    assert len(act.samples) == len(sim().recording.time_s) - 1
    assert any("impossible" in w for w in act.warnings)


@pytest.mark.parametrize(
    "bad", ["99999999999999999999", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]
)
def test_impossible_tcx_times_are_left_out(bad):
    """A TCX time of 99999999999999999999 crashed building the start date."""
    text = tcx_text(300)
    times = re.findall(r"<Time>([^<]+)</Time>", text)
    bad_text = text.replace(f"<Time>{times[10]}</Time>", f"<Time>{bad}</Time>", 1)
    (act,) = read_bytes(bad_text.encode(), "t.tcx")
    assert len(act.samples) == 299
    assert act.start_utc == sim().recording.start_utc
    assert any("1 of 300 trackpoints have no time" in w for w in act.warnings)


def test_values_of_1e308_do_not_overflow():
    text = tcx_text(300).replace("<DistanceMeters>", "<DistanceMeters>1e308", 1)
    text = re.sub(r"<LatitudeDegrees>[^<]+<", "<LatitudeDegrees>inf<", text, count=3)
    (act,) = read_bytes(text.encode(), "big.tcx")
    assert len(act.samples) == 300  # pytest turns an overflow warning into an error


def test_lap_without_distance_shows_a_dash_not_nan():
    (act,) = read_bytes(fit_data(), "sim.fit")
    import dataclasses

    lap = Lap(start_s=0.0, end_s=60.0, distance_m=float("nan"), trigger="session_end")
    act = dataclasses.replace(act, laps=(lap,))
    text = render_analysis([analyze(act)], "x.fit")
    assert "nan" not in text.lower()
    assert re.search(r"\s1\s+0:00\s+1:00\.0\s+-\s", text)


def test_mile_effort_with_a_quarter_of_no_time_is_not_scored():
    """A clock fault gave a mile effort quarters of 0.0 s: divide by zero in the score."""
    from splitcheck.scoring import score
    from splitcheck.segment.types import Effort, Span, Structure, Workout

    laps = (Span(0, 78, 402), Span(78, 78, 402), Span(78, 78, 402), Span(78, 360, 403))
    effort = Effort(0.0, 360.0, 1609.0, name="mile", laps=laps)
    structure = Structure(Workout("time_trial", "mile"), mile_effort=effort)
    (act,) = read_bytes(fit_data(), "sim.fit")
    assert score(act, structure) is None


# -- lenient XML (issue 12.3) ---------------------------------------------------------------
def _points(data: bytes, name: str) -> tuple[int, tuple[str, ...]]:
    (act,) = read_bytes(data, name)
    return len(act.samples), act.warnings


N_POINTS = len(sim().recording.time_s)


@pytest.mark.parametrize("fmt", ["gpx", "tcx"])
@pytest.mark.parametrize(
    "variant, warned",
    [
        ("whitespace", "whitespace before the XML declaration"),
        ("bom_whitespace", "whitespace before the XML declaration"),
        ("bom", None),
        ("utf16", None),
        ("shift_jis", None),
        ("utf7_declared", None),
        ("unknown_encoding", "unknown text encoding"),
        ("latin1_declared_utf8_bytes", "declares ISO-8859-1"),
        ("utf8_declared_latin1_bytes", "replaced"),
        ("utf16_declared_utf8_bytes", "declares UTF-16 but the bytes are not"),
        ("undeclared_prefix", "namespace prefix ns9 used without a declaration"),
    ],
)
def test_xml_variants_read_with_a_warning(fmt, variant, warned):
    text = gpx_data().decode() if fmt == "gpx" else tcx_text()
    _, base_warnings = _points(text.encode(), f"plain.{fmt}")
    body = re.sub(r"^<\?xml[^>]*\?>", "", text.lstrip())
    note_at = "<trk>" if fmt == "gpx" else "</Id>"
    note = "<trk><name>{}</name>" if fmt == "gpx" else "</Id><Notes>{}</Notes>"

    def declared(encoding: str, doc: str = body) -> str:
        return f'<?xml version="1.0" encoding="{encoding}"?>' + doc

    if variant == "whitespace":  # Polar Flow
        data = b"\n \n" + text.encode()
    elif variant == "bom_whitespace":
        data = b"\xef\xbb\xbf  \r\n" + text.encode()
    elif variant == "bom":
        data = b"\xef\xbb\xbf" + text.encode()
    elif variant == "utf16":
        data = declared("UTF-16").encode("utf-16")
    elif variant == "shift_jis":  # expat: "multi-byte encodings are not supported"
        doc = body.replace(note_at, note.format("\u671d\u30e9\u30f3"), 1)
        data = declared("Shift_JIS", doc).encode("shift_jis")
    elif variant == "utf7_declared":
        data = declared("UTF-7").encode("utf-7")
    elif variant == "unknown_encoding":
        data = declared("x-no-such-encoding").encode()
    elif variant == "latin1_declared_utf8_bytes":
        doc = body.replace(note_at, note.format("Caf\u00e9 \u2713"), 1)
        data = declared("ISO-8859-1", doc).encode("utf-8")
    elif variant == "utf8_declared_latin1_bytes":
        doc = body.replace(note_at, note.format("Caf\u00e9"), 1)
        data = declared("UTF-8", doc).encode("latin-1")
    elif variant == "utf16_declared_utf8_bytes":
        data = declared("UTF-16").encode()
    else:  # a prefix used on extension elements, declared nowhere, and a BOM (issue 12)
        tag = "DistanceMeters" if fmt == "tcx" else "ele"
        data = b"\xef\xbb\xbf" + text.replace(f"<{tag}>", f"<ns9:x>1</ns9:x><{tag}>", 3).encode()
    n, warnings = _points(data, f"variant.{fmt}")
    assert n == N_POINTS
    new = [w for w in warnings if w not in base_warnings]
    if warned is None:
        assert new == []
    else:
        assert len(new) == 1 and warned in new[0], new


@pytest.mark.parametrize("fmt", ["gpx", "tcx"])
@pytest.mark.parametrize("keep", [0.3, 0.77])
def test_truncated_xml_is_salvaged_up_to_the_damage(fmt, keep):
    data = gpx_data() if fmt == "gpx" else tcx_text().encode()
    cut = data[: int(len(data) * keep)]
    complete = cut.count(b"</trkpt>" if fmt == "gpx" else b"</Trackpoint>")
    (act,) = read_bytes(cut, f"cut.{fmt}")
    assert len(act.samples) == complete
    (warning,) = [w for w in act.warnings if "truncated" in w]
    at, salvaged = re.fullmatch(
        r"truncated at byte (\d+) \(salvaged (\d+) points\)", warning
    ).groups()
    assert cut.rfind(b"<") <= int(at) <= len(cut)  # where the cut tag starts, or the end
    assert int(salvaged) == complete
    assert act.distance_m == pytest.approx(sim().recording.distance_m[complete - 1], abs=15)


def test_truncated_before_any_point_is_refused_with_the_line():
    data = gpx_data()
    cut = data[: data.index(b"<trkpt") + 10]
    with pytest.raises(
        CorruptFileError, match=r"cut\.gpx: not well-formed XML at line \d+.*no point"
    ):
        read_bytes(cut, "cut.gpx")


# -- XML attacks: refused in one line, in any encoding -------------------------------------
@pytest.mark.parametrize("fmt", ["gpx", "tcx"])
@pytest.mark.parametrize("attack", sorted(fuzzing.XML_ATTACKS))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-7"])
def test_xml_attacks_are_refused(fmt, attack, encoding):
    text = gpx_data() if fmt == "gpx" else tcx_text(50).encode()
    data = fuzzing.with_attack(text, attack, encoding)
    with pytest.raises(FileError) as caught:
        read_bytes(data, f"evil.{fmt}")
    assert str(caught.value) == f"evil.{fmt}: {UNSAFE_XML_REASON}"


def test_huge_value_is_refused_quickly():
    """A 200 MB attribute took expat 73 s; 20 MB here."""
    data = tcx_text(20).encode()
    at = data.index(b"<Activity ") + len(b"<Activity ")
    bad = data[:at] + b'junk="' + b"A" * (20 << 20) + b'" ' + data[at:]
    out = fuzzing.run_isolated(bad, time_s=10.0)
    assert out.kind == "refused" and "MB of XML without a tag" in out.detail
    assert out.seconds < 5


# -- special files and names -------------------------------------------------------------
@pytest.fixture
def special(tmp_path):
    """A folder with a good file, a FIFO named x.fit, a zero.fit link to /dev/zero and
    names with a newline and an ANSI escape."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.fit").write_bytes(fit_data())
    os.mkfifo(folder / "x.fit")
    (folder / "zero.fit").symlink_to("/dev/zero")
    (folder / "evil\nsplitcheck: forged.fit").write_bytes(b"not a fit")
    (folder / "red\x1b[31m.gpx").write_bytes(b"<gpx>")
    return folder


def test_read_refuses_fifo_and_devices_by_name(special):
    with pytest.raises(FileError, match=r"x\.fit: is a named pipe \(FIFO\)"):
        read(special / "x.fit")
    with pytest.raises(FileError, match=r"zero\.fit: is a device"):
        read(special / "zero.fit")


def test_analyze_goes_on_after_bad_files_and_escapes_names(special):
    files = ["x.fit", "zero.fit", "evil\nsplitcheck: forged.fit", "red\x1b[31m.gpx", "good.fit"]
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze", *[str(special / f) for f in files]])
    assert result.exit_code == 1
    out, err = result.stdout, result.stderr
    assert "good.fit" in out and "workout:" in out
    assert "\x1b" not in out + err
    assert not any(line.startswith("splitcheck: forged") for line in (out + err).splitlines())
    assert "evil\\nsplitcheck: forged.fit: not a FIT, GPX or TCX file" in err
    assert "red\\x1b[31m.gpx" in err
    assert len(err.strip().splitlines()) == 4  # one line per bad file


def test_batch_reports_special_files_and_writes_the_good_one(special, tmp_path):
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["batch", str(special), "--no-cache", "--out", str(out_dir), "-j", "1"]
    )
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output
    failures = (out_dir / "failures.txt").read_text(encoding="utf-8")
    assert "\x1b" not in failures
    assert len(failures.strip().splitlines()) == 4, failures
    assert "x.fit: is a named pipe (FIFO), not a file; refused" in failures
    assert "zero.fit: is a device, not a file; refused" in failures
    activities = next(out_dir.glob("activities.csv")).read_text(encoding="utf-8")
    assert "good.fit" in activities


def test_internal_error_names_the_file_and_the_others_run(monkeypatch, tmp_path):
    """An unexpected bug in one file: one line naming it, exit 1, the next file analysed."""
    good = tmp_path / "good.fit"
    good.write_bytes(fit_data())
    bad = tmp_path / "bad.fit"
    bad.write_bytes(fit_data())
    real_analyze = splitcheck.analysis.analyze

    def buggy(activity, profile=None):
        if activity.source.endswith("bad.fit"):
            raise IndexError("index 0 is out of bounds")
        return real_analyze(activity, profile)

    monkeypatch.setattr(splitcheck.analysis, "analyze", buggy)
    result = CliRunner().invoke(cli, ["analyze", str(bad), str(good)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"splitcheck: {bad}: internal error: IndexError")
    assert "workout:" in result.stdout and "good.fit" in result.stdout


def test_file_larger_than_the_limit_is_refused_unread(monkeypatch, tmp_path):
    import splitcheck.io as sio

    path = tmp_path / "big.fit"
    path.write_bytes(fit_data())
    monkeypatch.setattr(sio, "MAX_FILE_BYTES", 1000)
    with pytest.raises(FileError, match="too large for a watch file"):
        read(path)


def test_generated_inputs_are_not_real_files():
    """The regression inputs above are made here, not copied (standard 8)."""
    assert fit_data()[8:12] == b".FIT"
    assert not list(Path(__file__).parent.glob("*.fit"))


def test_laps_all_at_one_speed_are_one_cluster():
    """Four laps of exactly the same speed: the 2-means split of lap speeds took the
    mean of an empty cluster (numpy "Mean of empty slice" on stderr)."""
    t = np.arange(0.0, 1201.0)
    laps = [
        {"start_unix_s": 1.7e9 + a, "end_unix_s": 1.7e9 + a + 300, "distance_m": 900.0}
        for a in (0, 300, 600, 900)
    ]
    act = build_activity(
        source="laps.fit",
        source_format="fit",
        time_unix_s=t + 1.7e9,
        columns={"distance_m": t * 3.0},
        laps_unix=laps,
        sport="running",
    )
    a = analyze(act)  # warnings are errors under pytest
    assert a.structure is not None and a.structure.workout.type == "continuous"


def test_interrupt_anywhere_exits_130_not_aborted(monkeypatch, tmp_path, capsys):
    """Click's standalone mode printed "Aborted!" and exited 1 when Ctrl-C (or
    ``timeout -s INT``) landed outside the batch loop; ``main`` exits 130."""
    import sys

    import splitcheck.cli.analyze as analyze_cli
    from splitcheck.cli import main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    path = tmp_path / "a.fit"
    path.write_bytes(fit_data())
    monkeypatch.setattr(analyze_cli, "analyze_file", interrupted)
    monkeypatch.setattr(sys, "argv", ["splitcheck", "analyze", str(path)])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 130
    err = capsys.readouterr().err
    assert "Aborted!" not in err and "interrupted" in err


def test_a_flipped_bit_keeps_the_fast_decoder():
    """A FIT whose only damage is its CRC went to fitparse, ~100x slower (a 318 KB
    file: 11 s): the fast decoder reads it, with the same warning."""
    from splitcheck.io.fit_fast import decode_fast

    data = bytearray(fit_data())
    data[len(data) // 2] ^= 0x01  # inside a record's values: the structure stands
    msgs = decode_fast(bytes(data), "flip.fit")
    assert msgs is not None and msgs.damaged
    (act,) = read_bytes(bytes(data), "flip.fit")
    assert act.warnings == ("file CRC does not match (data kept; values may be wrong)",)


@pytest.mark.parametrize("keep", [0.13, 0.5, 0.77, 0.999])
def test_truncated_fit_is_salvaged_fast_exactly_as_fitparse_does(keep):
    """A FIT cut short went to fitparse (a 400 KB file: 12 s); it is reframed at its
    last complete message and decoded fast, to the same messages and warning."""
    from splitcheck.io.fit_decode import decode_fitparse
    from splitcheck.io.fit_salvage import salvage_truncated
    from test_fit_fast import assert_identical

    data = fit_data()
    cut = data[: int(len(data) * keep)]
    fast = salvage_truncated(cut, "cut.fit")
    assert fast is not None
    assert_identical(fast, decode_fitparse(cut, "cut.fit"))
    assert fast.warnings[0].startswith("truncated at byte ")


def test_truncated_fit_with_a_wrong_header_crc_is_salvaged_fast_as_fitparse_does():
    """A header whose data size was changed (so its CRC does not match) and a file cut
    short: fitparse warns, reads on (18 s for 468 KB); the same here, fast."""
    from splitcheck.io.fit_decode import decode_fitparse
    from splitcheck.io.fit_salvage import salvage_truncated
    from test_fit_fast import assert_identical

    data = bytearray(fit_data())
    assert salvage_truncated(bytes(data), "whole.fit") is None  # not truncated
    struct.pack_into("<I", data, 4, len(data) + 1000)  # data size past the end: bad CRC
    fast = salvage_truncated(bytes(data), "hdr.fit")
    assert fast is not None
    assert_identical(fast, decode_fitparse(bytes(data), "hdr.fit"))
    assert fast.warnings[0].startswith("header CRC of the FIT file at byte 0 does not match")


def test_tcx_without_one_readable_time_is_refused_in_one_line():
    """All times unreadable: numpy's "All-NaN slice encountered" reached stderr first."""
    text = re.sub(r"<Time>[^<]+</Time>", "<Time>garbage</Time>", tcx_text(100))
    with pytest.raises(FileError, match=r"^t\.tcx: activity 1: none of its 100 trackpoints"):
        read_bytes(text.encode(), "t.tcx")


def test_control_characters_from_inside_a_file_are_escaped_too(tmp_path):
    """XML allows C1 controls (U+009B is a terminal's CSI): a creator naming the device
    with one must not reach the terminal raw."""
    text = gpx_data().decode()
    text = re.sub(r'creator="[^"]*"', 'creator="Watch\u009b31m red"', text, count=1)
    path = tmp_path / "c1.gpx"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(path)])
    assert result.exit_code == 0
    assert "Watch\\x9b31m red" in result.stdout
    assert "\u009b" not in result.stdout + result.stderr


def test_damage_inside_a_large_fit_is_salvaged_fast_up_to_it(monkeypatch):
    """A field size fitparse rejects, near the end of a 468 KB file: fitparse read up to
    it in 18 s. Bisection over the message boundaries finds the same record to stop at,
    with the fast decoder (the size threshold is lowered for this small file)."""
    from splitcheck.io import fit_salvage
    from splitcheck.io.fit_decode import decode_fitparse

    monkeypatch.setattr(fit_salvage, "BISECT_MIN_BYTES", 0)

    def mutate(records):
        # a second definition of the record message, late, with a field of 255 bytes
        defs = [r for r in records if r.kind == "def" and r.global_num == 20]
        late = fuzzing.FitRecord(bytearray(defs[0].raw), "def", defs[0].local)
        late.raw[6 + 1] = 255
        records.insert(int(len(records) * 0.8), late)

    data = fit_with(mutate)
    fast = fit_salvage.salvage_damaged(data, "late.fit")
    slow = decode_fitparse(data, "late.fit")
    assert fast is not None and slow.damaged
    np.testing.assert_array_equal(fast.records["timestamp"], slow.records["timestamp"])
    at = int(re.search(r"byte (\d+)", slow.warnings[-1]).group(1))
    assert fast.warnings == [
        f"undecodable data at byte {at} (salvaged {len(slow.records['timestamp'])} records)"
    ]
