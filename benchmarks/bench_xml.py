"""GPX and TCX reading against ElementTree's iterparse of the same file, side by side.

    python benchmarks/bench_xml.py                 # simulated 1 h and 8 h runs
    python benchmarks/bench_xml.py --rounds 15 FILE.gpx FILE.tcx ...

For each file: the median time of ``splitcheck.read_bytes`` (the whole read: XML,
times, columns, distance), of ``xml.etree.ElementTree.iterparse`` over the same bytes
(every element parsed, nothing extracted, the whole tree kept, as a plain loop over
iterparse does), of the same iterparse with the cyclic GC paused, and of gpxpy's parse
for a GPX, interleaved round by round; the ratios read / iterparse; and the read's peak
memory (tracemalloc).

The reference is the one issue 18 names: iterparse as it is usually run, GC on. It does
less than the read (extracts nothing), but the GC walks its growing tree again and
again: 10-40 % of its time on a 1 h file, ~45 % on an 8 h one. splitcheck pauses the GC
during a read (io/xmlstream.gc_paused), so the like-for-like reference is iterparse with
the GC paused too, and that ratio is printed beside it (it is the stricter one).

Run it once in an environment with lxml installed and once without: gpxpy changes
backend when lxml is importable, splitcheck does not. Times are CPU time of this process
(``time.process_time``), which other work on a shared machine disturbs less than wall
time; compare ratios, not absolute numbers. On a loaded machine the ratio of the fastest
rounds is the steadier one (load only ever adds time); both are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import statistics
import time
import tracemalloc
from pathlib import Path
from xml.etree.ElementTree import iterparse

HOUR_S = 3600.0
EASY_PACE_S_PER_KM = 330.0


def simulated(hours: float) -> tuple[bytes, bytes]:
    """A simulated easy run as GPX and as TCX bytes (1 s recording)."""
    from splitcheck.simulate import simulate, workout
    from splitcheck.simulate.gpx_writer import gpx_text

    sim = simulate(workout.easy(hours * HOUR_S, EASY_PACE_S_PER_KM), seed=1, route="road")
    rec = sim.recording
    return gpx_text(rec).encode(), tcx_text(rec).encode()


def tcx_text(rec) -> str:
    """The recording as a Garmin-style TCX (one lap, trackpoints with HR and cadence)."""
    t0 = rec.start_utc
    points = []
    for t, la, lo, el, d, hr, cad in zip(
        rec.time_s.tolist(),
        rec.lat_deg.tolist(),
        rec.lon_deg.tolist(),
        rec.altitude_m.tolist(),
        rec.distance_m.tolist(),
        rec.heart_rate_bpm.tolist(),
        rec.cadence_spm.tolist(),
        strict=True,
    ):
        stamp = (t0 + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        points.append(
            f"<Trackpoint><Time>{stamp}</Time><Position><LatitudeDegrees>{la:.7f}"
            f"</LatitudeDegrees><LongitudeDegrees>{lo:.7f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{el:.1f}</AltitudeMeters><DistanceMeters>{d:.2f}"
            f"</DistanceMeters><HeartRateBpm><Value>{hr:.0f}</Value></HeartRateBpm>"
            f"<Extensions><ns3:TPX><ns3:RunCadence>{cad / 2:.0f}</ns3:RunCadence>"
            "</ns3:TPX></Extensions></Trackpoint>\n"
        )
    start = t0.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
        f'<Activities><Activity Sport="Running"><Id>{start}</Id><Lap StartTime="{start}">'
        f"<TotalTimeSeconds>{rec.end_s:.1f}</TotalTimeSeconds><DistanceMeters>"
        f"{float(rec.distance_m[-1]):.1f}</DistanceMeters><Intensity>Active</Intensity>"
        "<TriggerMethod>Manual</TriggerMethod><Track>\n"
        + "".join(points)
        + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    )


def run_iterparse(data: bytes) -> None:
    for _ in iterparse(io.BytesIO(data)):
        pass


def run_iterparse_gc_paused(data: bytes) -> None:
    collecting = gc.isenabled()
    gc.disable()
    try:
        run_iterparse(data)
    finally:
        if collecting:
            gc.enable()


def run_gpxpy(data: bytes) -> None:
    import gpxpy

    gpxpy.parse(data.decode("utf-8"))


def peak_mb(fn, data: bytes) -> float:
    tracemalloc.start()
    fn(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    from splitcheck.io import read_bytes

    try:
        import lxml  # noqa: F401

        backend = "lxml installed (gpxpy uses it)"
    except ImportError:
        backend = "lxml not installed"
    cases: dict[str, bytes] = {}
    if args.files:
        cases = {p.name: p.read_bytes() for p in args.files}
    else:
        for hours in (1, 8):
            gpx, tcx = simulated(hours)
            cases[f"{hours} h run.gpx"], cases[f"{hours} h run.tcx"] = gpx, tcx
    print(f"{backend}; medians of {args.rounds} interleaved rounds")
    for name, data in cases.items():
        ways = {
            "splitcheck": lambda d, n=name: read_bytes(d, n),
            "iterparse": run_iterparse,
            "iterparse, GC paused": run_iterparse_gc_paused,
        }
        if name.lower().endswith(".gpx"):
            ways["gpxpy"] = run_gpxpy
        for fn in ways.values():  # warm-up: imports, caches
            fn(data)
        times: dict[str, list[float]] = {way: [] for way in ways}
        for _ in range(args.rounds):
            for way, fn in ways.items():
                t0 = time.process_time()
                fn(data)
                times[way].append(time.process_time() - t0)
        med = {way: statistics.median(ts) for way, ts in times.items()}
        ratio = med["splitcheck"] / med["iterparse"]
        best = min(times["splitcheck"]) / min(times["iterparse"])
        paused = med["splitcheck"] / med["iterparse, GC paused"]
        best_paused = min(times["splitcheck"]) / min(times["iterparse, GC paused"])
        text = ", ".join(f"{way} {s * 1e3:.0f} ms" for way, s in med.items())
        memory = peak_mb(ways["splitcheck"], data)
        print(
            f"{name:<14} {len(data) / 1e6:5.1f} MB  {text}\n    read / iterparse {ratio:4.2f}x "
            f"(fastest rounds {best:4.2f}x; target <= 1.5x); read / iterparse with the GC "
            f"paused {paused:4.2f}x (fastest {best_paused:4.2f}x); read peak {memory:.0f} MB"
        )


if __name__ == "__main__":
    main()
