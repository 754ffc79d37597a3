"""Count the verdicts that change with the runner's unit (they must not: miles change words).

Analyses every real file in ../shared/real-activities and every sample in km and in miles
and prints each scorecard number or part that differs, then the counts::

    PYTHONPATH=src python scripts/units_verdicts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from verdict_sweep import activity_files  # noqa: E402

WORDED = {"findings", "next_time", "laps", "reps", "lap_stats", "parts"}
"""Keys whose text is in the runner's unit; the parts are compared by name and points."""
PER_UNIT = {"fade_s_per_km_per_rep", "fade_interval_s_per_km_per_rep"}


def main() -> None:
    from splitcheck.analysis import analyze_file
    from splitcheck.errors import SplitcheckError
    from splitcheck.profile import Profile

    runs = differ = 0
    for path in activity_files():
        try:
            km = analyze_file(path, Profile(units="km"))
            mi = analyze_file(path, Profile(units="mi"))
        except SplitcheckError:
            continue
        for a, b in zip(km, mi, strict=True):
            if a.pacing is None:
                continue
            runs += 1
            da, db = a.pacing.to_dict(), b.pacing.to_dict()
            for key in sorted(set(da) - WORDED - PER_UNIT):
                if da[key] != db.get(key):
                    differ += 1
                    print(f"{path.name}: {key} km {da[key]!r} mi {db.get(key)!r}")
            parts = [[(p.get("name"), p.get("points")) for p in d.get("parts") or []]
                     for d in (da, db)]  # fmt: skip
            if parts[0] != parts[1]:
                differ += 1
                print(f"{path.name}: parts km {parts[0]} mi {parts[1]}")
    print(f"{runs} runs with a scorecard, {differ} verdicts differ between km and miles")


if __name__ == "__main__":
    main()
