"""Generate sample_activities/: simulated sessions of every kind guidance.md covers.

Each sample is one simulated run written as FIT and/or GPX, with its truth beside it
(``<name>.truth.json``, schema in ``splitcheck.simulate.truth``). Re-running the script
reproduces the files byte for byte (fixed seeds and start times).

Usage: python scripts/make_samples.py [output folder]   (default: sample_activities/)
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from splitcheck.simulate import simulate, workout

SHORT = {"warmup_s": 600.0, "cooldown_s": 300.0}
"""Samples keep warm-ups and cool-downs short so the folder stays small."""

ROOT = Path(__file__).resolve().parents[1]
FIRST_DAY = dt.datetime(2026, 3, 2, 7, 0, 0, tzinfo=dt.UTC)

MILE_SPEED_MPS = 1609.344 / 360.0
"""The runner: a 6:00 miler (224 s/km); reps at about mile pace, as the article asks."""
# name: (plan, simulate() options, formats)
SAMPLES = {
    "mile_time_trial_even_kick": (
        workout.mile_tt((91.0, 91.5, 91.0, 86.5), **SHORT),
        {"laps": "manual"},
        ("fit", "gpx"),
    ),
    "mile_time_trial_too_fast": (
        workout.mile_tt((80.0, 92.0, 97.0, 95.0), **SHORT),
        {"laps": "manual", "recording": "smart"},
        ("fit",),
    ),
    "mile_time_trial_negative_split": (
        workout.mile_tt((95.0, 92.5, 90.0, 86.0), **SHORT),
        {"laps": "none"},
        ("fit",),
    ),
    "8x200m_jog_200m": (
        workout.repeats(8, 200, 205, recovery=200, recovery_mode="distance", **SHORT),
        {"laps": "workout"},
        ("fit", "gpx"),
    ),
    "8x200m_no_laps": (
        workout.repeats(8, 200, 210, recovery=90, fade_s_per_km_per_rep=1.5, **SHORT),
        {"laps": "none", "recording": "smart"},
        ("fit",),
    ),
    "4x600m_standing_rest": (
        workout.repeats(4, 600, 220, recovery=150, recovery_mode="stand", **SHORT),
        {"laps": "manual", "auto_pause": True},
        ("fit",),
    ),
    "ladder_ascending": (workout.ascending_ladder(222.0, **SHORT), {"laps": "manual"}, ("fit",)),
    "ladder_descending": (
        workout.descending_ladder(222.0, **SHORT),
        {"laps": "none", "recording": "smart"},
        ("fit", "gpx"),
    ),
    "pyramid": (workout.pyramid(220.0, **SHORT), {"laps": "workout"}, ("fit",)),
    "10x30s_60s_jog": (
        workout.time_reps(10, 30, 195, recovery_s=60, **SHORT),
        {"laps": "workout"},
        ("fit", "gpx"),
    ),
    "4x5min_mile_pace": (
        workout.time_reps(4, 300, 232, recovery_s=150, **SHORT),
        {"laps": "auto_km", "recording": "smart"},
        ("fit",),
    ),
    "4x3min_standing_rest": (
        workout.time_reps(4, 180, 224, recovery_s=120, recovery_mode="stand", **SHORT),
        {"laps": "manual", "auto_pause": True, "recording": "smart"},
        ("fit", "gpx"),
    ),
    "mixed_sprints_speed_endurance": (
        workout.mixed(**SHORT),
        {"laps": "manual", "recording": "smart"},
        ("fit",),
    ),
    "easy_32min": (
        workout.easy(1920),
        {"route": "road", "laps": "auto_km", "recording": "smart"},
        ("fit", "gpx"),
    ),
    "tempo_hilly": (
        workout.tempo_hilly(1200, 265, warmup_s=600.0, cooldown_s=300.0),
        {"route": "road", "laps": "auto_mile", "recording": "smart"},
        ("fit", "gpx"),
    ),
}


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for i, (name, (plan, options, formats)) in enumerate(SAMPLES.items()):
        start = FIRST_DAY + dt.timedelta(days=2 * i, minutes=13 * i)
        sim = simulate(
            plan, seed=1000 + i, start_utc=start, mile_speed_mps=MILE_SPEED_MPS, **options
        )
        for fmt in formats:
            path = out / f"{name}.{fmt}"
            (sim.write_fit if fmt == "fit" else sim.write_gpx)(path)
            print(f"{path.relative_to(out.parent)}  {path.stat().st_size / 1024:.0f} KB")
        sim.write_truth(out / f"{name}.truth.json")
    total = sum(p.stat().st_size for p in out.iterdir())
    print(f"{len(list(out.iterdir()))} files, {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "sample_activities"))
