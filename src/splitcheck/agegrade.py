"""Age grading of a mile: WMA / USATF MLDR 2020 road age-standard factors.

The tables (``data/MaleRoadStd2020.csv``, ``data/FemaleRoadStd2020.csv``) are the 2020
road factors from AlanLyttonJones/Age-Grade-Tables (CC0 1.0), mile factors by Tom
Bernhard, approved by USATF MLDR on 2020-05-20. pacing-science.md, "Age grading":

    age-grade % = (OC / factor) / T x 100,  age-graded time = T x factor

with the open-class mile standard OC = 227 s for men and 253 s for women. The 2025 tables
differ (men at 50: 0.8595), so the version is pinned here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .errors import ProfileError

TABLE_VERSION = "2020 road (WMA/USATF MLDR)"
TABLE_FILES = {"male": "MaleRoadStd2020.csv", "female": "FemaleRoadStd2020.csv"}
MILE_COLUMN = "1 Mile"
AGE_RANGE = (5, 100)
"""Ages the tables cover, years."""


@dataclass(frozen=True)
class MileTable:
    """One sex's mile column: the open-class standard and a factor per whole year."""

    open_standard_s: float
    factors: dict[int, float]


@lru_cache(maxsize=2)
def mile_table(sex: str) -> MileTable:
    """The mile column of the 2020 road table for ``sex`` ('male' or 'female')."""
    if sex not in TABLE_FILES:
        raise ProfileError(f"sex must be one of {sorted(TABLE_FILES)}, got {sex!r}")
    text = resources.files("splitcheck").joinpath("data", TABLE_FILES[sex]).read_text("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(r for r in rows if r and r[0] == "Age")
    col = header.index(MILE_COLUMN)
    oc_row = next(r for r in rows if r and r[0] == "OC sec")
    factors = {int(r[0]): float(r[col]) for r in rows if r and r[0].isdigit() and r[col]}
    return MileTable(open_standard_s=float(oc_row[col]), factors=factors)


def mile_factor(age_years: float, sex: str) -> float:
    """The age factor for a mile at ``age_years`` (whole years: age on race day)."""
    age = int(age_years)
    lo, hi = AGE_RANGE
    if not lo <= age <= hi:
        raise ProfileError(f"age-grading tables cover ages {lo}-{hi}, got {age_years:g}")
    return mile_table(sex).factors[age]


def age_grade_mile_pct(time_s: float, age_years: float, sex: str) -> float:
    """Age-grade % of a mile run in ``time_s``: (OC / factor) / T x 100."""
    if time_s <= 0:
        raise ValueError(f"expected a positive mile time, got {time_s}")
    table = mile_table(sex)
    return table.open_standard_s / mile_factor(age_years, sex) / time_s * 100.0


def age_graded_mile_s(time_s: float, age_years: float, sex: str) -> float:
    """The mile time ``time_s`` would be for an open-class runner: T x factor, s."""
    return time_s * mile_factor(age_years, sex)
