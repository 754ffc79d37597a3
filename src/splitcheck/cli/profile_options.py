"""The runner's options (``--goal-mile``, ``--age`` ...), shared by the sub-commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..profile import Profile, load_profile

_OPTIONS = (
    click.option("--goal-mile", metavar="M:SS", help="Goal mile time, e.g. 6:00."),
    click.option("--best-mile", metavar="M:SS", help="Fastest mile so far (4x5 vs 4x3 min)."),
    click.option("--age", metavar="YEARS", help="Age in years (for the age-graded mile)."),
    click.option("--sex", metavar="F|M", help="female or male (for the age-graded mile)."),
    click.option("--max-hr", metavar="BPM", help="Maximum heart rate, beats per minute."),
    click.option("--level", metavar="LEVEL", help="beginner or experienced."),
    click.option(
        "--profile",
        "profile_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="A TOML profile file with any of: goal_mile, best_mile, age, sex, max_hr, "
        "level, units (options given here win).",
    ),
)


def profile_options(func: Callable) -> Callable:
    """Add the runner's options to a click command."""
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


def resolve_profile(profile_path: Path | None = None, **options: Any) -> Profile:
    """The profile file (if any) overridden by the options given; raises ProfileError."""
    base = load_profile(profile_path) if profile_path is not None else Profile()
    return Profile.from_options(base=base, **options)
