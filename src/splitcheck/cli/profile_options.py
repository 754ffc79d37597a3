"""The runner's options, one set shared by ``analyze``, ``chart`` and ``batch``: units,
profile file, goal and best mile, age, sex, max and resting heart rate, threshold pace,
level, how to use the watch's laps, and the time zone.

:func:`runner_options` adds them all to a command as one keyword argument, ``runner`` (a
:class:`RunnerOptions`), so every command takes the same options with the same types and
help.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..errors import ProfileError, SplitcheckError
from ..profile import Profile, load_profile

LAPS_CHOICES = ("auto", "use", "ignore")
PROFILE_KEYS = (
    "units",
    "goal_mile",
    "best_mile",
    "age",
    "sex",
    "max_hr",
    "rest_hr",
    "threshold_pace",
    "level",
)

_OPTIONS = (
    click.option(
        "--units",
        type=click.Choice(["km", "mi"]),
        default=None,
        help="Units for distance and pace [km, or the profile's].",
    ),
    click.option(
        "--profile",
        "profile_path",
        type=click.Path(path_type=Path, dir_okay=False),
        metavar="FILE",
        help="A TOML profile with any of: goal_mile, best_mile, age, sex, max_hr, rest_hr, "
        "threshold_pace, level, units (options given here win).",
    ),
    click.option("--goal-mile", metavar="M:SS", help="Goal mile time, e.g. 6:00."),
    click.option("--best-mile", metavar="M:SS", help="Fastest mile so far (4x5 vs 4x3 min)."),
    click.option("--age", metavar="YEARS", help="Age in years (for the age-graded mile)."),
    click.option("--sex", metavar="F|M", help="female or male (age-graded mile, TRIMP)."),
    click.option("--max-hr", metavar="BPM", help="Maximum heart rate, beats per minute."),
    click.option(
        "--rest-hr", metavar="BPM", help="Resting heart rate (training load, TRIMP) [60]."
    ),
    click.option(
        "--threshold-pace",
        metavar="M:SS",
        help="Pace you could race for an hour, per km (or M:SS/mi) [from your best efforts].",
    ),
    click.option(
        "--level",
        metavar="LEVEL",
        help="beginner or experienced: which of the article's rules apply to you.",
    ),
    click.option(
        "--laps",
        type=click.Choice(LAPS_CHOICES),
        default="auto",
        show_default=True,
        help="Structure from the watch's laps or the pace trace: auto (whichever explains "
        "the session better), use (the laps whenever they mark reps), ignore (the pace trace "
        "alone, when your lap presses are wrong).",
    ),
    click.option(
        "--timezone",
        metavar="ZONE",
        help="Show times, days and weeks in this time zone (IANA name, e.g. Europe/Paris) "
        "[each run's own: the file's offset, else its start position's zone, else UTC].",
    ),
)


@dataclass(frozen=True)
class RunnerOptions:
    """The shared options as given on the command line (strings; None: not given)."""

    profile_path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)
    laps: str = "auto"
    timezone: str | None = None

    def profile(self) -> Profile:
        """The profile file (if any) overridden by the options given; raises ProfileError."""
        base = load_profile(self.profile_path) if self.profile_path is not None else Profile()
        given = {k: v for k, v in self.values.items() if v is not None}
        return Profile.from_options(base=base, **given)

    def for_analysis(self) -> tuple[Profile, dict[str, Any]]:
        """The profile and ``analyze_file``'s options (analyze, chart, report); a bad value
        is one line and exit 2 before any file is read."""
        from ..analysis import analyze_file
        from .common import EXIT_USAGE, error_line

        try:
            return self.profile(), self.library_options(analyze_file)
        except SplitcheckError as err:
            click.echo(error_line(err), err=True)
            raise SystemExit(EXIT_USAGE) from None

    def tzinfo(self) -> dt.tzinfo:
        """``--timezone`` as a tzinfo, else this computer's; raises ProfileError."""
        if not self.timezone:
            return dt.datetime.now(dt.UTC).astimezone().tzinfo or dt.UTC
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ProfileError(
                f"--timezone {self.timezone!r} is not a time zone (e.g. Europe/Paris, UTC)"
            ) from None

    def library_options(self, *functions: Callable, used: tuple[str, ...] = ()) -> dict[str, Any]:
        """``laps=`` and ``timezone=`` for the library calls that accept them.

        A value the runner chose that no function accepts, and the command does not use
        itself (``used``: batch puts days in weeks by ``timezone``), is refused
        (ProfileError), never silently dropped; the defaults need no support.
        """
        if self.timezone:
            self.tzinfo()  # a bad name is a usage error, said before any file is read
        wanted = {"laps": self.laps, "timezone": self.timezone}
        out = {}
        for name, value in wanted.items():
            if any(_accepts(f, name) for f in functions):
                out[name] = value
            elif value not in (None, "auto") and name not in used:
                raise ProfileError(f"--{name} {value}: not supported by this splitcheck yet")
        return out


def _accepts(function: Callable, name: str) -> bool:
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return name in params


def runner_options(func: Callable) -> Callable:
    """Add the runner's options to a click command; it receives them as ``runner``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {k: kwargs.pop(k) for k in PROFILE_KEYS}
        runner = RunnerOptions(
            profile_path=kwargs.pop("profile_path"),
            values=values,
            laps=kwargs.pop("laps"),
            timezone=kwargs.pop("timezone"),
        )
        return func(*args, runner=runner, **kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


def profile_options(func: Callable) -> Callable:  # pragma: no cover - old name
    """Old name of :func:`runner_options`."""
    return runner_options(func)


def resolve_profile(profile_path: Path | None = None, **options: Any) -> Profile:
    """The profile file (if any) overridden by the options given; raises ProfileError."""
    return RunnerOptions(profile_path=profile_path, values=options).profile()
