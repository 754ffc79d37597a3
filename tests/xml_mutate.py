"""Faults made in real GPX and TCX files, as text (for tests/test_xml_clock.py): the watch's
clock jumping mid-run, GPS lost for a stretch (trackpoints cut out), a pause made longer.

Trackpoint and lap times are found by pattern (``<Time>``, ``<time>`` inside a GPX
track, ``StartTime="..."``), each rewritten in its own format (fraction and zone kept).
"""

from __future__ import annotations

import datetime as dt
import re

YEAR_S = 365.25 * 86400

_TIME = re.compile(
    rb"(<Time>|<time>|StartTime=\")\s*(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?"
)
_POINT = re.compile(rb"<(Trackpoint|trkpt)\b.*?</\1>", re.DOTALL)


def parse(match: re.Match) -> float:
    """Unix seconds of one matched time text (UTC when it has no zone)."""
    text = match.group(2).decode() + (match.group(3) or b"").decode()
    zone = (match.group(4) or b"Z").decode().replace("Z", "+00:00")
    if len(zone) == 5:  # +0100
        zone = zone[:3] + ":" + zone[3:]
    return dt.datetime.fromisoformat(text + zone).timestamp()


def points(data: bytes) -> list[re.Match]:
    """The trackpoints (``<Trackpoint>`` or ``<trkpt>`` elements) in file order."""
    return list(_POINT.finditer(data))


def point_times(data: bytes) -> list[float]:
    """Each trackpoint's time, Unix seconds, in file order."""
    return [parse(_TIME.search(p.group(0))) for p in points(data)]


def shift_from(data: bytes, at: int, shift_s: float) -> bytes:
    """Every time written at or after byte ``at`` (trackpoints and laps) moved by
    ``shift_s``: the watch's clock jumped there."""

    def moved(m: re.Match) -> bytes:
        if m.start() < at:
            return m.group(0)
        t = dt.datetime.fromtimestamp(parse(m) + shift_s, tz=dt.UTC)
        frac = m.group(3) or b""
        text = t.strftime("%Y-%m-%dT%H:%M:%S").encode()
        if frac:
            text += f"{t.microsecond / 1e6:.{len(frac) - 1}f}"[1:].encode()
        return m.group(1) + text + (m.group(4) or b"")

    return _TIME.sub(moved, data)


def jump_at(data: bytes, k: int, shift_s: float) -> bytes:
    """The clock jumps ``shift_s`` at trackpoint ``k``: it and everything after it moved."""
    return shift_from(data, points(data)[k].start(), shift_s)


def cut_points(data: bytes, first: int, stop: int) -> bytes:
    """Trackpoints ``first`` to ``stop - 1`` removed (GPS lost, nothing recorded)."""
    found = points(data)
    return data[: found[first].start()] + data[found[stop - 1].end() :]


def running_point(data: bytes, near: int, speed_mps: float = 1.5) -> int:
    """The first trackpoint from ``near`` on in the middle of running: its neighbours an
    ordinary step away and the distance (TCX) or time between them steady over ten
    trackpoints either side, away from any gap (picked here from the file's own text)."""
    t = point_times(data)
    steps = [b - a for a, b in zip(t, t[1:], strict=False)]
    typical = sorted(steps)[len(steps) // 2]
    for k in range(near, len(t) - 12):
        window = steps[k - 10 : k + 10]
        if max(window) <= 3 * typical:
            return k
    raise AssertionError("no running stretch")


_TRACK = re.compile(rb"<trk>.*</trk>", re.DOTALL)


def chain_gpx(first: bytes, second: bytes) -> bytes:
    """One GPX holding the tracks of ``first`` then those of ``second`` (two recordings
    joined into one file, as GPX merging tools write them)."""
    tracks = _TRACK.search(second)
    assert tracks is not None
    end = first.rindex(b"</trk>") + len(b"</trk>")
    return first[:end] + b"\n" + tracks.group(0) + first[end:]


def gap_after(data: bytes, k: int) -> float:
    """Seconds from trackpoint ``k`` to the next (a stop shows as such a gap)."""
    t = point_times(data)
    return t[k + 1] - t[k]


_DISTANCE = re.compile(rb"<DistanceMeters>\s*([0-9.eE+-]+)\s*</DistanceMeters>")


def standing_point(data: bytes, near: int, around: int = 5) -> int:
    """The first trackpoint from ``near`` on where the watch's distance (TCX
    ``DistanceMeters``) stands still over ``around`` trackpoints either side, one second
    apart (the runner standing, the recording running)."""
    found = points(data)
    t = point_times(data)
    d = []
    for p in found:
        m = _DISTANCE.search(p.group(0))
        d.append(float(m.group(1)) if m else float("nan"))
    for k in range(max(near, around), len(found) - around - 1):
        lo, hi = k - around, k + around + 1
        if len(set(d[lo:hi])) == 1 and all(
            b - a == 1 for a, b in zip(t[lo : hi - 1], t[lo + 1 : hi], strict=True)
        ):
            return k
    raise AssertionError("no standing stretch")
