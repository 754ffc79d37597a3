"""Mile age grading against pacing-science.md's worked examples and the 2020 tables."""

from __future__ import annotations

import csv

import pytest

from conftest import SHARED
from splitcheck.agegrade import age_grade_mile_pct, age_graded_mile_s, mile_factor, mile_table
from splitcheck.errors import ProfileError


def test_worked_examples():
    # pacing-science.md: men 50, 5:00 -> 85.86 %; women 40, 6:00 -> 72.20 %
    assert age_grade_mile_pct(300, 50, "male") == pytest.approx(85.86, abs=0.005)
    assert age_grade_mile_pct(360, 40, "female") == pytest.approx(72.20, abs=0.005)


def test_table_version_is_2020():
    assert mile_table("male").open_standard_s == 227
    assert mile_table("female").open_standard_s == 253
    assert mile_factor(50, "male") == 0.8813  # the 2025 table says 0.8595
    assert age_graded_mile_s(300, 50, "male") == pytest.approx(300 * 0.8813)


@pytest.mark.parametrize("sex, name", [("male", "Male"), ("female", "Female")])
def test_packaged_tables_match_the_shared_ones(sex, name):
    """The copies shipped in the package equal ../shared/data/age-grading, age by age."""
    with (SHARED / "data" / "age-grading" / f"{name}RoadStd2020.csv").open() as fh:
        rows = [r for r in csv.reader(fh) if r and r[0].isdigit()]
    assert {int(r[0]): float(r[1]) for r in rows} == mile_table(sex).factors
    assert len(rows) == 96  # ages 5-100


def test_ages_outside_the_tables():
    with pytest.raises(ProfileError, match="ages 5-100"):
        age_grade_mile_pct(400, 101, "male")
    with pytest.raises(ProfileError, match="sex must be one of"):
        mile_factor(40, "x")
