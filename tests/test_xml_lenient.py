"""Lenient, safe XML (issue 12, item 3): the variants other platforms read are read with a
warning, damaged files are read up to the damage, attacks are refused in one line. Inputs
are generated (robust_inputs.py)."""

from __future__ import annotations

import re

import pytest

import fuzzing
from robust_inputs import gpx_data, sim, tcx_text
from splitcheck.errors import CorruptFileError, FileError
from splitcheck.io import read_bytes
from splitcheck.io.xmlsafe import UNSAFE_XML_REASON


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


def test_tcx_without_one_readable_time_is_refused_in_one_line():
    """All times unreadable: numpy's "All-NaN slice encountered" reached stderr first."""
    text = re.sub(r"<Time>[^<]+</Time>", "<Time>garbage</Time>", tcx_text(100))
    with pytest.raises(FileError, match=r"^t\.tcx: activity 1: none of its 100 trackpoints"):
        read_bytes(text.encode(), "t.tcx")
