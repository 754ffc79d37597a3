"""splitcheck: how did you pace that run, and how do you run a faster mile?

Read any GPS watch file, find the session's structure and score its pacing::

    import splitcheck
    activities = splitcheck.read("run.fit")        # one Activity per session
    result = splitcheck.analyze(activities[0], goal_mile="6:00")  # structure, scorecard
    arc = splitcheck.batch("~/activities", max_hr=188)  # the archive, as DataFrames
    arc.weeks, arc.fitness, arc.records
"""

from __future__ import annotations

from . import batch
from .analysis import Analysis, analyze, analyze_file
from .batch.api import Archive
from .batch.archive import ArchiveView
from .batch.load import FitnessDay
from .batch.records import Record, WorkoutSession
from .batch.volume import Period
from .batch.weekly import Week, WeeklyReview
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
from .io import read, read_bytes
from .model import Activity, Lap, Pause, Samples
from .profile import Profile, load_profile
from .scoring.card import Scorecard
from .segment.types import Structure

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
