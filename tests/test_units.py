import math

import pytest

from splitcheck.errors import ProfileError
from splitcheck.units import (
    MILE_M,
    format_distance,
    format_duration,
    format_pace,
    pace_s_per_unit,
    parse_duration,
)


@pytest.mark.parametrize(
    ("seconds", "decimals", "text"),
    [
        (0, 0, "0:00"),
        (59.4, 0, "0:59"),
        (59.96, 1, "1:00.0"),
        (112.14, 1, "1:52.1"),
        (3599.6, 0, "1:00:00"),
        (3725, 0, "1:02:05"),
        (-5, 0, "-0:05"),
        (math.nan, 0, "-"),
    ],
)
def test_format_duration(seconds, decimals, text):
    assert format_duration(seconds, decimals=decimals) == text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("6:00", 360), ("5:59.4", 359.4), ("1:02:03", 3723), ("360", 360), (" 4:07.64 ", 247.64)],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("bad", ["6:7", "six", "6:60", "", "1:60:00", "6:00:"])
def test_parse_duration_rejects_non_times(bad):
    with pytest.raises(ProfileError, match="is not a time"):
        parse_duration(bad)


def test_pace_and_distance_in_runner_units():
    speed = MILE_M / 360  # a 6:00 mile
    assert pace_s_per_unit(speed, "mi") == pytest.approx(360)
    assert format_pace(speed, "mi") == "6:00 /mi"
    assert format_pace(1000 / 300, "km") == "5:00 /km"
    assert format_pace(0.0) == "-"
    assert format_distance(5021, "km") == "5.02 km"
    assert format_distance(MILE_M * 3.125, "mi") == "3.12 mi"
