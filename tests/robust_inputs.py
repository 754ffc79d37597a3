"""Small generated watch files for the robustness tests: a simulated 8 x 200 m session
written as FIT, GPX and TCX (no real file is copied), and ways to damage them."""

from __future__ import annotations

import datetime as dt
import functools
import struct

import fuzzing
from splitcheck.simulate import simulate, workout


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
