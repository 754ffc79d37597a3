"""The runner: goal mile, age, sex, max heart rate, level and units (guidance.md section 4).

Taken from command-line options, from a small TOML profile file, or both (options win)::

    goal_mile = "6:00"     # m:ss, h:mm:ss or seconds
    best_mile = "6:20"     # fastest mile so far (for the 4x5 vs 4x3 min advice)
    age = 40               # years
    sex = "female"         # female / male (f / m)
    max_hr = 188           # beats per minute
    level = "experienced"  # beginner / experienced
    units = "mi"           # km / mi
    rest_hr = 52           # resting heart rate, bpm (training load, TRIMP)
    threshold_pace = "4:10"  # per km ("6:42/mi" also read): the pace of an hour's race

Every value is optional: a rule that needs a value the runner did not give says it was
not judged. A bad value raises :class:`~splitcheck.errors.ProfileError` naming it.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ProfileError
from .units import MILE_M, UNITS, parse_duration

MILE_S_RANGE = (200.0, 3600.0)
"""Plausible mile times, s: faster than the 3:43.13 world record is impossible, a mile
walked slowly takes under an hour."""
AGE_RANGE = (5, 100)
"""Ages the age-grading tables cover, years."""
MAX_HR_RANGE = (100.0, 240.0)
"""Plausible maximum heart rates, bpm."""
REST_HR_RANGE = (25.0, 120.0)
"""Plausible resting heart rates, bpm (elite endurance athletes go below 35)."""
THRESHOLD_PACE_RANGE_S_PER_KM = (150.0, 900.0)
"""Plausible threshold paces, s/km: 2:30/km (faster than the hour record) to 15:00/km."""
LEVELS = ("beginner", "experienced")
SEXES = {
    "f": "female",
    "female": "female",
    "woman": "female",
    "w": "female",
    "m": "male",
    "male": "male",
    "man": "male",
}
FILE_KEYS = {
    "goal_mile",
    "best_mile",
    "age",
    "sex",
    "max_hr",
    "level",
    "units",
    "rest_hr",
    "threshold_pace",
}


@dataclass(frozen=True)
class Profile:
    """What splitcheck knows about the runner; None means not given."""

    goal_mile_s: float | None = None
    age: int | None = None
    sex: str | None = None
    max_hr_bpm: float | None = None
    level: str | None = None
    units: str | None = None
    best_mile_s: float | None = None
    rest_hr_bpm: float | None = None
    threshold_pace_s_per_km: float | None = None

    def __repr__(self) -> str:  # the fields given only: one short line
        given = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
            if getattr(self, f.name) is not None
        )
        return f"Profile({given})"

    @property
    def goal_speed_mps(self) -> float | None:
        return MILE_M / self.goal_mile_s if self.goal_mile_s else None

    @classmethod
    def from_options(cls, *, base: Profile | None = None, **options: Any) -> Profile:
        """A profile from option values (strings or numbers; None = not given).

        Keys: ``goal_mile``, ``best_mile``, ``age``, ``sex``, ``max_hr``, ``level``,
        ``units``. Values given here override those of ``base`` (a loaded profile file).
        """
        unknown = set(options) - FILE_KEYS
        if unknown:
            raise ProfileError(
                f"unknown profile keys {sorted(unknown)}; expected {sorted(FILE_KEYS)}"
            )
        parsed = {_FIELD[k]: _PARSE[k](v) for k, v in options.items() if v is not None}
        return dataclasses.replace(base or cls(), **parsed)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def load_profile(path: str | os.PathLike) -> Profile:
    """Read a profile TOML file (see the module docstring for its keys)."""
    import tomllib

    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as err:
        raise ProfileError(f"{p.name}: cannot read profile ({err.strerror or err})") from err
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ProfileError(f"{p.name}: not a TOML profile ({err})") from err
    try:
        return Profile.from_options(**data)
    except ProfileError as err:
        raise ProfileError(f"{p.name}: {err}") from err


def _mile_time(value: Any, name: str) -> float:
    seconds = value if isinstance(value, int | float) else _duration(value, name)
    lo, hi = MILE_S_RANGE
    if not lo <= seconds <= hi:
        raise ProfileError(f"{name} {value!r} is not a plausible mile time (3:20 to 60:00)")
    return float(seconds)


def _duration(value: Any, name: str) -> float:
    try:
        return parse_duration(str(value))
    except ProfileError as err:
        raise ProfileError(f"{name}: {err}") from err


def _age(value: Any) -> int:
    age = _number(value, "age")
    lo, hi = AGE_RANGE
    if age != int(age) or not lo <= age <= hi:
        raise ProfileError(f"age {value!r} is not a whole number of years from {lo} to {hi}")
    return int(age)


def _max_hr(value: Any) -> float:
    hr = _number(value, "max heart rate")
    lo, hi = MAX_HR_RANGE
    if not lo <= hr <= hi:
        raise ProfileError(f"max heart rate {value!r} is not {lo:g}-{hi:g} bpm")
    return hr


def _rest_hr(value: Any) -> float:
    hr = _number(value, "resting heart rate")
    lo, hi = REST_HR_RANGE
    if not lo <= hr <= hi:
        raise ProfileError(f"resting heart rate {value!r} is not {lo:g}-{hi:g} bpm")
    return hr


def _threshold_pace(value: Any) -> float:
    """Seconds per km from ``4:10``, ``4:10/km`` or ``6:42/mi`` (or a number of s/km)."""
    per_m = 1000.0
    text = value
    if isinstance(value, str):
        text = value.strip().lower()
        for suffix, metres in (("/km", 1000.0), ("/mi", MILE_M)):
            if text.endswith(suffix):
                text, per_m = text[: -len(suffix)].strip(), metres
    seconds = text if isinstance(text, int | float) else _duration(text, "threshold pace")
    pace = float(seconds) * 1000.0 / per_m
    lo, hi = THRESHOLD_PACE_RANGE_S_PER_KM
    if not lo <= pace <= hi:
        raise ProfileError(f"threshold pace {value!r} is not a plausible pace (2:30-15:00/km)")
    return pace


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise ProfileError(f"{name} {value!r} is not a number")
    try:
        return float(value)
    except (TypeError, ValueError) as err:
        raise ProfileError(f"{name} {value!r} is not a number") from err


def _choice(value: Any, choices: dict[str, str] | tuple[str, ...], name: str) -> str:
    key = str(value).strip().lower()
    mapping = choices if isinstance(choices, dict) else {c: c for c in choices}
    if key not in mapping:
        allowed = sorted(set(mapping.values()))
        raise ProfileError(f"{name} {value!r} is not one of {', '.join(allowed)}")
    return mapping[key]


_FIELD = {
    "goal_mile": "goal_mile_s",
    "best_mile": "best_mile_s",
    "age": "age",
    "sex": "sex",
    "max_hr": "max_hr_bpm",
    "level": "level",
    "units": "units",
    "rest_hr": "rest_hr_bpm",
    "threshold_pace": "threshold_pace_s_per_km",
}
_PARSE = {
    "goal_mile": lambda v: _mile_time(v, "goal mile"),
    "best_mile": lambda v: _mile_time(v, "best mile"),
    "age": _age,
    "sex": lambda v: _choice(v, SEXES, "sex"),
    "max_hr": _max_hr,
    "level": lambda v: _choice(v, LEVELS, "level"),
    "units": lambda v: _choice(v, UNITS, "units"),
    "rest_hr": _rest_hr,
    "threshold_pace": _threshold_pace,
}
