"""Over every real file in ../shared: do totals, laps and reps agree with the watch's own?

Prints one line per running session and the counts the ingest issue asks for:

* distance within 0.5 % (10 m under 2 km) and elapsed within 2 s of the session summary
  (FIT session message; TCX: laps' DistanceMeters sum; elapsed for TCX against the
  trackpoint span is tautological, so TCX timer time is compared with the laps'
  TotalTimeSeconds sum instead);
* each device lap's shown duration (what the laps table and JSON ``duration_s`` show)
  within 1 s of the watch's lap timer (FIT total_timer_time, TCX TotalTimeSeconds), on
  files whose timer stopped (timer differs from elapsed somewhere);
* each work rep made of laps: its shown duration within 1 s of its laps' timer sum.

The watch's lap timers are read here with fitparse and ElementTree, not splitcheck.

Run: PYTHONPATH=src python scripts/clock_survey.py [-v]
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import fitparse
import numpy as np

from splitcheck.analysis import analyze
from splitcheck.errors import SplitcheckError
from splitcheck.io import read

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-activities"
RUN_SPORTS = {"running", "trail_running", "generic", "unknown", "walking"}


def shown(span) -> float:
    """The duration a span shows (timer time once spans know pauses)."""
    return float(span.duration_s)


def main(verbose: bool) -> None:
    counts = dict.fromkeys(
        (
            "sessions",
            "dist_ok",
            "elapsed_n",
            "elapsed_ok",
            "timer_n",
            "timer_ok",
            "laps_n",
            "laps_ok",
            "reps_n",
            "reps_ok",
            "dropped_files",
        ),
        0,
    )
    for path in sorted(
        p
        for p in REAL.rglob("*")
        if p.is_file() and p.suffix.lower() in (".fit", ".tcx", ".gpx", ".gz")
    ):
        try:
            acts = read(path)
        except SplitcheckError:
            continue
        rel = path.relative_to(REAL)
        for a in acts:
            if any("dropped" in w or "left out" in w for w in a.warnings):
                counts["dropped_files"] += 1
                if verbose:
                    print(f"  DROP {rel}: {[w for w in a.warnings if 'drop' in w]}")
            if a.sport not in RUN_SPORTS or a.file_summary is None:
                continue
            fs = a.file_summary
            counts["sessions"] += 1
            line = f"{str(rel)[:55]:55} s{a.session_index}"
            if fs.distance_m:
                tol = 10.0 if fs.distance_m < 2000 else 0.005 * fs.distance_m
                ok = abs(a.distance_m - fs.distance_m) <= tol
                counts["dist_ok"] += ok
                line += f" dist {a.distance_m:8.0f}/{fs.distance_m:8.0f} {'ok' if ok else 'XX'}"
            else:
                counts["dist_ok"] += 1
            if a.source_format == "fit" and fs.elapsed_s:
                ok = abs(a.elapsed_s - fs.elapsed_s) <= 2.0
                counts["elapsed_n"] += 1
                counts["elapsed_ok"] += ok
                line += f" el {a.elapsed_s:7.0f}/{fs.elapsed_s:7.0f} {'ok' if ok else 'XX'}"
            if fs.timer_s:
                ok = abs(a.timer_s - fs.timer_s) <= 2.0
                counts["timer_n"] += 1
                counts["timer_ok"] += ok
                line += f" tm {a.timer_s:7.0f}/{fs.timer_s:7.0f} {'ok' if ok else 'XX'}"
            laps_line = _laps(a, path, counts) if len(acts) == 1 else ""
            if verbose:
                print(line + laps_line)
    for k, v in counts.items():
        print(f"{k:14} {v}")


def _watch_lap_timers(path: Path) -> list[float] | None:
    """The watch's own lap timers (FIT total_timer_time in start order, TCX
    TotalTimeSeconds), read with fitparse / ElementTree, not splitcheck."""
    try:
        if path.suffix.lower() == ".fit":
            laps = fitparse.FitFile(str(path)).get_messages("lap")
            rows = sorted(
                (
                    lap.get_value("start_time"),
                    lap.get_value("total_elapsed_time") or 0,
                    lap.get_value("total_timer_time"),
                )
                for lap in laps
            )
            return [r[2] for r in rows]
        if path.suffix.lower() == ".tcx":
            root = ET.parse(path).getroot()
            return [float(e.text) for e in root.iter() if e.tag.endswith("}TotalTimeSeconds")]
    except Exception:  # damaged files: nothing independent to compare with
        return None
    return None


def _laps(a, path: Path, counts) -> str:
    watch = _watch_lap_timers(path)
    if not a.laps or not watch or len(watch) != len(a.laps) or None in watch:
        return ""
    paused = any(abs(lap.duration_s - w) > 1.0 for lap, w in zip(a.laps, watch, strict=True))
    if not (paused or a.pauses):
        return ""
    s = analyze(a).structure
    if s is None:
        return ""
    bad = 0
    for dl, w in zip(s.laps, watch, strict=True):
        counts["laps_n"] += 1
        ok = abs(shown(dl) - w) <= 1.0
        counts["laps_ok"] += ok
        bad += not ok
    rbad = 0
    for rep in s.work:
        if rep.source != "laps":
            continue
        inside = [
            w
            for lap, w in zip(s.laps, watch, strict=True)
            if lap.start_s >= rep.start_s - 0.5 and lap.end_s <= rep.end_s + 0.5
        ]
        if not inside:
            continue
        counts["reps_n"] += 1
        ok = abs(shown(rep) - sum(inside)) <= 1.0
        counts["reps_ok"] += ok
        rbad += not ok
    return f"  laps {len(a.laps) - bad}/{len(a.laps)} reps-bad {rbad}"


if __name__ == "__main__":
    np.seterr(all="ignore")
    main("-v" in sys.argv)
