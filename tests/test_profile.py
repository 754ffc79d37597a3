"""The runner's profile: options, a TOML file, and one clear message per bad value."""

from __future__ import annotations

import pytest

from splitcheck.errors import ProfileError
from splitcheck.profile import Profile, load_profile


def test_from_options_parses_and_normalises():
    p = Profile.from_options(
        goal_mile="6:00", best_mile="6:21.5", age="40", sex="F", max_hr="188",
        level="Experienced", units="mi",
    )  # fmt: skip
    assert p == Profile(360.0, 40, "female", 188.0, "experienced", "mi", 381.5)
    assert p.goal_speed_mps == pytest.approx(1609.344 / 360)


def test_nothing_given_is_all_none():
    p = Profile.from_options(goal_mile=None, age=None)
    assert p == Profile() and p.goal_speed_mps is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"goal_mile": "6:7"}, "goal mile: '6:7' is not a time"),
        ({"goal_mile": "6:75"}, "goal mile: '6:75' is not a time (seconds and minutes run 0-59)"),
        ({"goal_mile": "1:00"}, "goal mile '1:00' is not a plausible mile time"),
        ({"age": "forty"}, "age 'forty' is not a number"),
        ({"age": "40.5"}, "age '40.5' is not a whole number of years from 5 to 100"),
        ({"age": 3}, "age 3 is not a whole number of years from 5 to 100"),
        ({"sex": "x"}, "sex 'x' is not one of female, male"),
        ({"max_hr": 50}, "max heart rate 50 is not 100-240 bpm"),
        ({"level": "pro"}, "level 'pro' is not one of beginner, experienced"),
        ({"units": "yd"}, "units 'yd' is not one of km, mi"),
        ({"pace": "5:00"}, "unknown profile keys ['pace']"),
    ],
)
def test_bad_values_raise_profile_error_naming_them(options, message):
    with pytest.raises(ProfileError) as info:
        Profile.from_options(**options)
    assert str(info.value).startswith(message)


def test_profile_file_and_options_override(tmp_path):
    path = tmp_path / "me.toml"
    path.write_text('goal_mile = "5:45"\nage = 52\nsex = "male"\nmax_hr = 176\nunits = "km"\n')
    p = load_profile(path)
    assert (p.goal_mile_s, p.age, p.sex, p.max_hr_bpm, p.units) == (345.0, 52, "male", 176, "km")
    merged = Profile.from_options(base=p, goal_mile="5:40", units=None)
    assert merged.goal_mile_s == 340.0 and merged.age == 52 and merged.units == "km"


def test_profile_file_numbers_as_seconds(tmp_path):
    path = tmp_path / "me.toml"
    path.write_text("goal_mile = 400\n")
    assert load_profile(path).goal_mile_s == 400.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('goal_mile = "6:7"\n', "me.toml: goal mile: '6:7' is not a time"),
        ("age = \n", "me.toml: not a TOML profile"),
        ('sex = "?"\n', "me.toml: sex '?' is not one of female, male"),
        ("age = true\n", "me.toml: age True is not a number"),
    ],
)
def test_bad_profile_file(tmp_path, text, message):
    path = tmp_path / "me.toml"
    path.write_text(text)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert str(info.value).startswith(message)


def test_missing_profile_file(tmp_path):
    with pytest.raises(ProfileError, match="nothere.toml: cannot read profile"):
        load_profile(tmp_path / "nothere.toml")


# -- the command line: one line and exit 2 for a bad profile value --------------------------
def _cli(args):
    from click.testing import CliRunner

    from splitcheck.cli import cli

    return CliRunner().invoke(cli, args)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--goal-mile", "6:7"], "splitcheck: goal mile: '6:7' is not a time (expected m:ss, "
         "h:mm:ss or seconds)\n"),
        (["--age", "x"], "splitcheck: age 'x' is not a number\n"),
        (["--sex", "q"], "splitcheck: sex 'q' is not one of female, male\n"),
    ],
)  # fmt: skip
def test_cli_bad_profile_value_is_one_line_and_exit_2(tmp_path, args, line):
    result = _cli(["analyze", str(tmp_path / "any.fit"), *args])
    assert result.exit_code == 2
    assert result.output == line


def test_cli_bad_profile_file(tmp_path):
    bad = tmp_path / "me.toml"
    bad.write_text("max_hr = 20\n")
    result = _cli(["analyze", str(tmp_path / "any.fit"), "--profile", str(bad)])
    assert result.exit_code == 2
    assert result.output == "splitcheck: me.toml: max heart rate 20 is not 100-240 bpm\n"
