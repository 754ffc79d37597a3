"""Mutations of a real TCX at the edges of the regex path (io/tcx_regex.py), shared by
tests/test_tcx_regex.py and scripts/xml_identity.py (which also runs them on the code
before the regex path existed, so this module imports nothing of it)."""

from __future__ import annotations

import re
from collections.abc import Callable

from gpx_mutate import _every, _nth

_HR = "<HeartRateBpm>"
_TYPED_HR = '<HeartRateBpm xsi:type="HeartRateInBeatsPerMinute_t">'
_ALT = r"<AltitudeMeters>[^<]*</AltitudeMeters>"
_TPX = '<TPX xmlns="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
Mutation = Callable[[str], str]
TCX_REGEX_MUTATIONS: dict[str, tuple[Mutation, str]] = {
    "as_written": (lambda t: t, "regex"),
    "entity_in_value": (lambda t: _nth(t, "<AltitudeMeters>", "<AltitudeMeters>&#48;"), "stream"),
    "comment_between_points": (
        lambda t: _nth(t, "</Trackpoint>", "</Trackpoint><!-- lap -->"),
        "stream",
    ),
    "cdata_value": (
        lambda t: _nth(t, "<AltitudeMeters>", "<AltitudeMeters><![CDATA[1]]>"),
        "stream",
    ),
    "typed_heart_rate": (lambda t: t.replace(_HR, _TYPED_HR), "regex"),
    "typed_heart_rate_once": (lambda t: _nth(t, _HR, _TYPED_HR), "stream"),
    "positions_missing": (
        lambda t: _every(t, r"(?s)<Position>.*?</Position>", "", 10),
        "regex",
    ),
    "altitude_empty": (lambda t: _every(t, _ALT, "<AltitudeMeters></AltitudeMeters>", 7), "regex"),
    "altitude_self_closed": (lambda t: _every(t, _ALT, "<AltitudeMeters/>", 7), "regex"),
    "time_missing_one": (lambda t: _every(t, r"<Time>[^<]*</Time>", "", 10**9), "regex"),
    "extension_declares_prefix": (
        lambda t: _nth(t, _TPX, _TPX.replace("<TPX ", '<TPX xmlns:q="urn:q" ')),
        "stream",
    ),
    "crlf": (lambda t: t.replace("\n", "\r\n"), "regex"),
    "bom": (lambda t: "\ufeff" + t, "regex"),
    "value_with_space": (lambda t: _nth(t, "<DistanceMeters>", "<DistanceMeters> "), "stream"),
    "extra_child": (
        lambda t: _nth(t, "</DistanceMeters>", "</DistanceMeters><Foo>1</Foo>"),
        "stream",
    ),
    "text_between_points": (lambda t: _nth(t, "</Trackpoint>", "</Trackpoint>x"), "stream"),
    "second_value": (
        lambda t: re.sub(r"(<HeartRateBpm>\s*<Value>\d+</Value>)", r"\1<Value>99</Value>", t),
        "stream",
    ),
    "nan_altitude": (lambda t: _nth(t, "<AltitudeMeters>", "<AltitudeMeters>nan"), "stream"),
    "track_tags_spaced": (
        lambda t: t.replace("<Track>", "<Track >").replace("</Track>", "</Track\n>"),
        "regex",
    ),
    "empty_track_self_closed": (lambda t: t.replace("</Track>", "</Track><Track/>", 1), "regex"),
    "extension_named_time": (
        lambda t: t.replace("<Speed>", "<Time>").replace("</Speed>", "</Time>"),
        "stream",
    ),
    "sensor_state_and_cadence": (
        lambda t: t.replace(
            "</HeartRateBpm>",
            "</HeartRateBpm><Cadence>80</Cadence><SensorState>Present</SensorState>",
        ),
        "regex",
    ),
    "namespace_on_track": (
        lambda t: t.replace("<Track>", '<Track xmlns="urn:other">', 1),
        "stream",
    ),
    "garbage_in_track": (
        lambda t: _nth(t, "<AltitudeMeters>", "<AltitudeMeters><x>&"),
        "regex",
    ),  # what precedes the damage, salvaged
}
"""Mutation -> (how, the path expected to read it: regex, or stream (tcx.py's streaming
reader, as before the regex path))."""
