"""Mutations of a real GPX at the edges of the regex path (io/gpx_regex.py), shared by
tests/test_gpx_regex.py and scripts/xml_identity.py (which also runs them on the code
before the regex path existed, so this module imports nothing of it)."""

from __future__ import annotations

import re
from collections.abc import Callable

from test_xml_fast import _garmin


def hr_at(i: int) -> int:
    return 100 + i % 60


def cad_at(i: int) -> int:
    return 80 + i % 7


def with_extensions(text: str) -> str:
    """Every point given a Garmin heart rate and cadence, known per point."""
    n = iter(range(10**6))

    def add(m: re.Match) -> str:
        i = next(n)
        return m.group(0) + _garmin(f"<h>{hr_at(i)}</h><c>{cad_at(i)}</c>")

    return re.sub("</time>", add, text)


def _nth(text: str, old: str, new: str, n: int = 100) -> str:
    """``old`` replaced by ``new`` at its ``n``-th occurrence only (mid-file)."""
    at = -1
    for _ in range(n):
        at = text.index(old, at + 1)
    return text[:at] + new + text[at + len(old) :]


def _every(text: str, pattern: str, new: str, step: int = 10) -> str:
    """``pattern`` replaced by ``new`` (a template) at every ``step``-th match."""
    n = iter(range(10**6))
    return re.sub(pattern, lambda m: m.expand(new) if next(n) % step == 0 else m.group(0), text)


_SWAP = r'lat="([^"]*)" lon="([^"]*)"'
_HR = r"<gpxtpx:hr>(\d+)</gpxtpx:hr>"
_TPX = "<gpxtpx:TrackPointExtension>"
Mutation = Callable[[str], str]
REGEX_MUTATIONS: dict[str, tuple[Mutation, str]] = {
    "as_written": (lambda t: t, "regex"),
    "entity_in_value": (lambda t: _nth(t, "<ele>", "<ele>&#48;"), "tree"),
    "comment_between_points": (lambda t: _nth(t, "</trkpt>", "</trkpt><!-- lap -->"), "tree"),
    "cdata_value": (lambda t: _nth(t, "<ele>", "<ele><![CDATA[1]]>"), "tree"),
    "attributes_swapped": (lambda t: re.sub(_SWAP, r'lon="\2" lat="\1"', t), "regex"),
    "one_point_swapped": (lambda t: _every(t, _SWAP, r'lon="\2" lat="\1"', 10**9), "tree"),
    "single_quotes": (lambda t: re.sub(_SWAP, r"lat='\1' lon='\2'", t), "regex"),
    "mixed_quotes": (lambda t: _every(t, _SWAP, r"lat='\1' lon='\2'", 10**9), "tree"),
    "ele_self_closed": (lambda t: _every(t, r"<ele>[^<]*</ele>", "<ele/>"), "regex"),
    "ele_empty": (lambda t: _every(t, r"<ele>[^<]*</ele>", "<ele></ele>", 7), "regex"),
    "time_missing_one": (lambda t: _every(t, r"<time>[^<]*</time>", "", 10**9), "regex"),
    "prefix_redeclared": (
        lambda t: _nth(t, _TPX, '<gpxtpx:TrackPointExtension xmlns:gpxtpx="urn:x">'),
        "tree",
    ),
    "prefix_unbound": (lambda t: t.replace("xmlns:gpxtpx=", "xmlns:other="), "gpxpy"),
    "prefix_unbound_one_point": (
        lambda t: _every(t, _HR, r"<zz:hr>\1</zz:hr>", 10**9),
        "gpxpy",
    ),
    "crlf": (lambda t: t.replace("\n", "\r\n"), "regex"),
    "bom": (lambda t: "\ufeff" + t, "regex"),
    "value_with_space": (lambda t: _nth(t, "<ele>", "<ele> "), "tree"),
    "extra_child": (lambda t: _nth(t, "</time>", "</time><sat>7</sat>"), "tree"),
    "text_between_points": (lambda t: _nth(t, "</trkpt>", "</trkpt>x"), "tree"),
    "hr_self_closed": (lambda t: _every(t, _HR, "<gpxtpx:hr/>"), "regex"),
    "two_heart_rates": (
        lambda t: t.replace("</gpxtpx:hr>", "</gpxtpx:hr><gpxtpx:hr>155</gpxtpx:hr>"),
        "regex",
    ),
    "cadence_first_once": (
        lambda t: _every(
            t,
            r"(<gpxtpx:hr>\d+</gpxtpx:hr>)(<gpxtpx:cad>\d+</gpxtpx:cad>)",
            r"\2\1",
            10**9,
        ),
        "tree",
    ),
    "extension_attribute": (
        lambda t: _nth(t, _TPX, '<gpxtpx:TrackPointExtension a="1">'),
        "tree",
    ),
    "control_char_in_extension": (
        lambda t: t.replace("</gpxtpx:cad>", "</gpxtpx:cad><gpxtpx:course>\x0b</gpxtpx:course>"),
        "gpxpy",
    ),
    "other_extension_text": (
        lambda t: t.replace("</gpxtpx:cad>", "</gpxtpx:cad><gpxtpx:course>NE 45</gpxtpx:course>"),
        "regex",
    ),
    "exponent_numbers": (lambda t: re.sub(_HR, r"<gpxtpx:hr>\1.0e0</gpxtpx:hr>", t), "regex"),
    "nan_heart_rate": (lambda t: _every(t, _HR, "<gpxtpx:hr>nan</gpxtpx:hr>", 10**9), "tree"),
    "segment_tags_spaced": (
        lambda t: t.replace("<trkseg>", "<trkseg >").replace("</trkseg>", "</trkseg\n>"),
        "regex",
    ),
    "empty_segment_self_closed": (
        lambda t: t.replace("</trkseg>", "</trkseg><trkseg/>", 1),
        "regex",
    ),
    "tabs_for_indent": (lambda t: re.sub(r"\n +", lambda m: "\n" + "\t" * len(m[0]), t), "regex"),
    "namespace_on_point": (lambda t: _nth(t, "<trkpt ", '<trkpt xmlns:q="urn:q" '), "tree"),
    "namespace_on_segment": (
        lambda t: t.replace("<trkseg>", '<trkseg xmlns="http://www.topografix.com/GPX/1/1">'),
        "tree",
    ),
    "lowercase_z_times": (lambda t: t.replace("Z</time>", "z</time>"), "gpxpy"),
    "truncated_in_segment": (lambda t: t[: len(t) // 2], "gpxpy"),
    "garbage_in_segment": (lambda t: _nth(t, "<ele>", "<ele><x>&"), "gpxpy"),
}
"""Mutation -> (how, the path expected to read it: regex, tree (gpx_fast without the
regex) or gpxpy (gpx_fast declines))."""
GPXPY_DIFFERS = {"namespace_on_segment"}
"""Read differently by gpx_fast's tree path and by gpxpy before the regex path existed
(gpxpy finds no point in a segment that redeclares the GPX namespace; the tree path
reads them): the regex path declines it, so it still reads as the tree path reads it."""
