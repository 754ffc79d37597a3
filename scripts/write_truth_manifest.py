"""Write tests/data/truth_manifest.json: hand truth for the older real files.

The structure of each session comes from its MANIFEST.tsv note, read by hand and written
below as the work laps' indexes (0-based, in file order) and the workout type; the reps'
start, duration and distance are then read from those device laps, never from
splitcheck's segmentation. Same form as ../shared/real-activities/TRUTH.json: ``type``
(repeats, time_intervals, ladder, mixed, time_trial, continuous), ``n_work`` with
``reps`` or ``n_work_max`` for continuous runs, ``note``.

Run: ``PYTHONPATH=src python scripts/write_truth_manifest.py`` (rewrites the file).
"""

from __future__ import annotations

import json
from pathlib import Path

from splitcheck.io import read

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-activities"
OUT = ROOT / "tests" / "data" / "truth_manifest.json"

SIX_400 = (4, 6, 8, 10, 12, 14)
"""run-stats structured 6 x 400 m / 200 m: laps 0-3 warm-up (3 auto km + 1 manual), then
400 m and 200 m distance laps alternating, then the cool-down km and the session end."""
SESSIONS: dict[str, tuple[str, tuple[int, ...], str]] = {
    "run-stats/6761214480_ACTIVITY.fit": ("repeats", SIX_400, "6x400 m / 200 m recovery"),
    "run-stats/6840589159_ACTIVITY.fit": ("repeats", SIX_400, "6x400 m / 200 m recovery"),
    "run-stats/7119384558_ACTIVITY.fit": ("repeats", SIX_400, "6x400 m, reps fade 81 -> 91 s"),
    "activityio/c2eb1b_6.tcx": (
        "repeats",
        (1, 3, 5, 7, 9, 11, 13, 15),
        "783 m warm-up + 8x200 m with 200 m jog + 1.7 km cool-down; manual laps",
    ),
}
CONTINUOUS = {
    "activityio/c2eb1b_2.tcx": "10 km; 10x1 km laps; last km much slower (9:19)",
    "python-fitparse/2013-02-06-12-11-14.fit": "4.8 km; uneven km splits, walk breaks",
    "runpandas/run.fit": "5.8 km; very uneven splits, likely run/walk",
    "runpandas/2020-12-26T06_03_49-300_Running.tcx": "6 km progression run, ~1 km laps",
    "runpandas/2020-12-20T05_50_47-300_Running.tcx": "16.1 km; 16 laps of ~1 km",
    "runpandas/stopped_example.tcx": "12 km; long stop mid-run",
    "runpandas/nike_run.gpx": "8.3 km Nike Run Club run",
    "sport-activities-features/fit_format_test_File.FIT": "4.8 km; 4 auto 1 km laps",
    "tormoder-fit/mornindew-broken.fit": "16.8 km; 10 auto 1 mile laps + remainder",
    "muktihari-fit/triathlon_summary_last.fit": "triathlon: run leg 4.5 km, mile auto laps",
    # added in issue 13's second round: plain runs by their notes, no structure in the laps
    "muktihari-fit/triathlon_summary_first.fit": (
        "same activity as triathlon_summary_last.fit (summaries first): run leg 4.5 km"
    ),
    "python-fitparse/sample_mulitple_header.fit": "triathlon run leg 9.8 km, one lap",
    "python-fitparse/developer-types-sample.fit": "6.8 km, single lap (Stryd power)",
    "runpandas/run_garmin.tcx": "2.2 km; 2 x 1 km laps at 2.54 and 2.66 m/s + remainder",
    "runpandas/run.gpx": "4.8 km TomTom run, no laps",
    "sweatpy/3173437224.tcx": "4.5 km at walking pace (~12:50 /km), 2 manual laps",
    # added by the realacc branch: the last running files of the MANIFEST without truth
    # (every other one is broken on purpose, tiny, not a run, or has no distance)
    "python-fitparse/activity-small-fenix2-run.fit": (
        "9.0 km, 4 laps (trigger unset): 849 m at 3.14 m/s, then 2988 m at 3.57 m/s and"
        " 2979 m at 3.93 m/s back to back (no recovery between them: a progression or"
        " tempo block), then 2193 m at 2.27 m/s"
    ),
    "python-fitparse/compressed-speed-distance.fit": (
        "10.2 km foot-pod run, no GPS; 10 auto 1 km laps at 1.3-3.9 m/s (a 110 s timer"
        " stop in the 2nd km) + remainder, no lap marks a rep"
    ),
    "python-fitparse/strava-android-app-201.10-b1218918.fit": (
        "11.3 km run in one lap; decoding stops at byte 7471 (the first ~5 min are"
        " salvaged): plain running"
    ),
}


def main() -> int:
    out: dict[str, dict] = {}
    for rel, (kind, work, note) in SESSIONS.items():
        laps = read(REAL / rel)[0].laps
        reps = [
            {
                "lap_index": i,
                "start_s": round(laps[i].start_s, 3),
                "duration_s": round(laps[i].end_s - laps[i].start_s, 3),
                "distance_m": round(laps[i].distance_m, 2),
            }
            for i in work
        ]
        out[rel] = {"type": kind, "n_work": len(reps), "reps": reps, "note": note}
    for rel, note in CONTINUOUS.items():
        out[rel] = {"type": "continuous", "n_work_max": 1, "note": f"{note}; no reps"}
    OUT.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
