"""splitcheck: how did you pace that run, and how do you run a faster mile?

Read any GPS watch file, find the session's structure and score its pacing::

    import splitcheck
    activities = splitcheck.read("run.fit")        # one Activity per session
    result = splitcheck.analyze(activities[0], goal_mile="6:00")  # structure, scorecard
    arc = splitcheck.batch("~/activities", max_hr=188)  # the archive, as DataFrames
    arc.weeks, arc.fitness, arc.records
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    AnalysisError,
    CorruptFileError,
    Damage,
    EmptyFileError,
    FileError,
    NotAnActivityError,
    NoTimedDataError,
    ProfileError,
    SplitcheckError,
    UnknownFormatError,
)

if TYPE_CHECKING:  # pragma: no cover
    from . import batch
    from .analysis import Analysis, analyze, analyze_file
    from .batch.api import Archive
    from .batch.archive import ArchiveView
    from .batch.load import FitnessDay
    from .batch.records import Record, WorkoutSession
    from .batch.volume import Period
    from .batch.weekly import Week, WeeklyReview
    from .io import read, read_bytes
    from .model import Activity, Lap, Pause, Samples
    from .profile import Profile, load_profile
    from .scoring.card import Scorecard
    from .segment.types import Structure

_LAZY = {
    "Analysis": ("analysis", "Analysis"),
    "analyze": ("analysis", "analyze"),
    "analyze_file": ("analysis", "analyze_file"),
    "read": ("io", "read"),
    "read_bytes": ("io", "read_bytes"),
    "Activity": ("model", "Activity"),
    "Lap": ("model", "Lap"),
    "Pause": ("model", "Pause"),
    "Samples": ("model", "Samples"),
    "Profile": ("profile", "Profile"),
    "load_profile": ("profile", "load_profile"),
    "Scorecard": ("scoring.card", "Scorecard"),
    "Structure": ("segment.types", "Structure"),
    "batch": ("batch", None),
    "Archive": ("batch.api", "Archive"),
    "ArchiveView": ("batch.archive", "ArchiveView"),
    "FitnessDay": ("batch.load", "FitnessDay"),
    "Record": ("batch.records", "Record"),
    "WorkoutSession": ("batch.records", "WorkoutSession"),
    "Period": ("batch.volume", "Period"),
    "Week": ("batch.weekly", "Week"),
    "WeeklyReview": ("batch.weekly", "WeeklyReview"),
}
"""Public names imported on first use (PEP 562), so ``import splitcheck`` costs no numpy
and the command line can load what a command needs in one step (cli.main). The
exceptions are imported at once: they are light, and ``except`` clauses need them."""


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name, attr = _LAZY[name]
    module = importlib.import_module(f".{module_name}", __name__)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value  # once found, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__version__ = "0.1.0"

__all__ = [
    "Activity",
    "Analysis",
    "AnalysisError",
    "Archive",
    "ArchiveView",
    "FitnessDay",
    "Period",
    "Profile",
    "Record",
    "Scorecard",
    "Structure",
    "Week",
    "WeeklyReview",
    "WorkoutSession",
    "batch",
    "load_profile",
    "CorruptFileError",
    "Damage",
    "EmptyFileError",
    "FileError",
    "Lap",
    "NoTimedDataError",
    "NotAnActivityError",
    "Pause",
    "ProfileError",
    "Samples",
    "SplitcheckError",
    "UnknownFormatError",
    "analyze",
    "analyze_file",
    "read",
    "read_bytes",
]
