"""Count the runs whose report contradicts itself (trend sign, even vs not, kick vs no kick).

Reads every real file in ../shared/real-activities and every sample, and prints each pair
of statements about one run that disagree, then the counts::

    PYTHONPATH=src python scripts/contradiction_sweep.py [--no-charts]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from verdict_sweep import sweep  # noqa: E402


def main() -> None:
    runs, found = sweep(with_charts="--no-charts" not in sys.argv)
    for name, session, (a, b) in found:
        print(f"{name} #{session}: {a.source} [{a.text[:70]}] vs {b.source} [{b.text[:70]}]")
    bad = len({(n, s) for n, s, _ in found})
    print(f"{runs} runs checked, {bad} with contradictions, {len(found)} contradicting pairs")


if __name__ == "__main__":
    main()
