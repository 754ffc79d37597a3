"""Shared test fixtures: where the real activity files are."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "real-activities"
SAMPLES = ROOT / "sample_activities"


def manifest() -> list[dict[str, str]]:
    """Rows of ../shared/real-activities/MANIFEST.tsv."""
    with (REAL / "MANIFEST.tsv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="session")
def real() -> Path:
    if not REAL.is_dir():
        pytest.fail(f"real activity files not found at {REAL} (../shared must sit beside the repo)")
    return REAL
