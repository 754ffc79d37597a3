"""GPX 1.1 writer with Garmin's TrackPointExtension (heart rate, cadence), as Garmin
Connect exports an activity: one track, one segment, no laps (GPX has none)."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

import numpy as np

from .watch import Recording

GPX_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="splitcheck simulator" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" \
xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd \
http://www.garmin.com/xmlschemas/TrackPointExtension/v1 \
http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd">
 <metadata>
  <time>{time}</time>
 </metadata>
 <trk>
  <name>{name}</name>
  <type>running</type>
  <trkseg>
"""
GPX_TAIL = "  </trkseg>\n </trk>\n</gpx>\n"


def _iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_text(rec: Recording) -> str:
    """The recording as GPX 1.1 text, one point per line (positions to 7 decimals, ~1 cm)."""
    t0 = rec.start_utc
    times = [_iso(t0 + dt.timedelta(seconds=float(s))) for s in rec.time_s]
    hr = np.where(np.isfinite(rec.heart_rate_bpm), rec.heart_rate_bpm, -1).astype(int)
    # GPX cadence, like Garmin's FIT, counts strides (one foot) per minute
    cad = np.where(np.isfinite(rec.cadence_spm), rec.cadence_spm / 2, -1).astype(int)
    points = [
        f'<trkpt lat="{la:.7f}" lon="{lo:.7f}"><ele>{el:.1f}</ele><time>{tm}</time>'
        "<extensions><gpxtpx:TrackPointExtension>"
        + (f"<gpxtpx:hr>{h}</gpxtpx:hr>" if h >= 0 else "")
        + (f"<gpxtpx:cad>{c}</gpxtpx:cad>" if c >= 0 else "")
        + "</gpxtpx:TrackPointExtension></extensions></trkpt>\n"
        for la, lo, el, tm, h, c in zip(
            rec.lat_deg.tolist(),
            rec.lon_deg.tolist(),
            rec.altitude_m.tolist(),
            times,
            hr.tolist(),
            cad.tolist(),
            strict=True,
        )
    ]
    head = GPX_HEAD.format(time=_iso(t0), name=escape(rec.name or "Running"))
    return head + "".join(points) + GPX_TAIL
