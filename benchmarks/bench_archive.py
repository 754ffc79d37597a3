"""How long the archive view takes on years of activities (no file reading: table rows).

    PYTHONPATH=src python benchmarks/bench_archive.py [--activities 5000]

Builds rows as the batch stores them (one activity a day, 100 heart-rate rows and 8 best
efforts each, 6 reps every third day) and times :func:`archive_view`: weeks, months, the
review, load and fitness per day, records and workouts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time


def rows(n: int) -> dict[str, list[dict]]:
    start = dt.datetime(2012, 1, 2, 7, 0, tzinfo=dt.UTC)
    acts, hr, efforts, reps = [], [], [], []
    for i in range(n):
        src = f"{i}.fit"
        t = start + dt.timedelta(days=i)
        acts.append({"source": src, "session_index": 0, "sport": "running",
                     "start_utc": t.isoformat().replace("+00:00", "Z"), "distance_m": 10000.0,
                     "moving_s": 3000.0, "hard_s": 300.0, "normalized_speed_mps": 3.4,
                     "elevation_gain_m": 50.0, "workout_type": "repeats" if i % 3 == 0 else None,
                     "workout_label": "10:00 warm-up; 6x400 m with jog recoveries; 5:00 cool-down"
                     if i % 3 == 0 else "continuous run"})  # fmt: skip
        hr += [{"source": src, "session_index": 0, "bpm": 100 + b, "seconds": 30.0}
               for b in range(100)]  # fmt: skip
        efforts += [{"source": src, "session_index": 0, "effort": name, "distance_m": d,
                     "duration_s": d / 4.0 + i % 50, "start_s": 0.0}
                    for name, d in (("400m", 400.0), ("1km", 1000.0), ("5km", 5000.0),
                                    ("10km", 10000.0))]  # fmt: skip
        if i % 3 == 0:
            reps += [{"source": src, "session_index": 0, "kind": "work", "duration_s": 80.0,
                      "distance_m": 400.0} for _ in range(6)]  # fmt: skip
    return {"activities": acts, "heart_rate": hr, "efforts": efforts, "reps": reps}


def main() -> None:
    from splitcheck.batch.archive import archive_view

    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=5000)
    n = parser.parse_args().activities
    tables = rows(n)
    t0 = time.perf_counter()
    view = archive_view(tables)
    elapsed = time.perf_counter() - t0
    print(f"{n} activities, {len(tables['heart_rate'])} heart-rate rows: archive view in "
          f"{elapsed:.2f} s ({len(view.weeks)} weeks, {len(view.fitness)} days)")  # fmt: skip


if __name__ == "__main__":
    main()
