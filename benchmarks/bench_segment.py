"""Segmentation against the run's length: 8 h against 1 h, side by side in one run.

    python benchmarks/bench_segment.py              # 9 interleaved rounds
    python benchmarks/bench_segment.py --rounds 21

Four simulated sessions (road loop, 1 s recording, no laps, so the structure comes from
the pace trace alone): an easy run of 1 h and of 8 h, and 400 m reps with 90 s jog
recoveries, 16 of them in ~1 h and 128 in ~8 h. ``find_structure`` is timed on each in
turn, round after round (interleaved, so a busy machine slows all alike), and the
median of each is printed with the 8 h / 1 h ratio: linear segmentation gives ~8x.
Times are CPU time of this process (``time.process_time``), which other work on a
shared machine disturbs less than wall time; compare ratios, not absolute numbers.
"""

from __future__ import annotations

import argparse
import statistics
import time

HOUR_S = 3600.0
EASY_PACE_S_PER_KM = 330.0
REP_M, REP_PACE_S_PER_KM, JOG_S = 400.0, 240.0, 90.0


def sessions() -> dict[str, object]:
    """The four activities, as splitcheck reads them back from FIT."""
    from splitcheck.simulate import simulate, workout

    def reps(n: int, frame_s: float):
        return workout.repeats(
            n, REP_M, REP_PACE_S_PER_KM, recovery=JOG_S, warmup_s=frame_s, cooldown_s=frame_s
        )

    plans = {
        "easy run, 1 h": workout.easy(HOUR_S, EASY_PACE_S_PER_KM),
        "easy run, 8 h": workout.easy(8 * HOUR_S, EASY_PACE_S_PER_KM),
        "16 x 400 m, 1 h": reps(16, 300.0),
        "128 x 400 m, 8 h": reps(128, 2400.0),
    }
    return {
        name: simulate(plan, seed=1, route="road", laps="none").to_activity()
        for name, plan in plans.items()
    }


def timed(rounds: int, activities: dict[str, object]) -> dict[str, float]:
    """Median seconds of ``find_structure`` on each activity, interleaved rounds."""
    from splitcheck.segment import find_structure

    times: dict[str, list[float]] = {name: [] for name in activities}
    for activity in activities.values():  # warm-up: imports, caches
        find_structure(activity)
    for _ in range(rounds):
        for name, activity in activities.items():
            t0 = time.process_time()
            find_structure(activity)
            times[name].append(time.process_time() - t0)
    return {name: statistics.median(ts) for name, ts in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    activities = sessions()
    med = timed(args.rounds, activities)
    for name, activity in activities.items():
        print(f"{name:<18} {len(activity.samples):6d} samples  {med[name] * 1e3:8.1f} ms")
    easy = med["easy run, 8 h"] / med["easy run, 1 h"]
    reps = med["128 x 400 m, 8 h"] / med["16 x 400 m, 1 h"]
    print(f"8 h / 1 h, easy run:  {easy:5.1f}x  (target <= 9x)")
    print(f"8 h / 1 h, reps:      {reps:5.1f}x  (target <= 9x)")


if __name__ == "__main__":
    main()
