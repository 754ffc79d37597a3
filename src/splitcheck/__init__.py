"""splitcheck: how did you pace that run, and how do you run a faster mile?

Read any GPS watch file, find the session's structure and score its pacing::

    import splitcheck
    activities = splitcheck.read("run.fit")        # one Activity per session
    result = splitcheck.analyze(activities[0])     # structure, splits, scorecard
"""

from __future__ import annotations

from .analysis import Analysis, analyze, analyze_file
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

__version__ = "0.1.0"

__all__ = [
    "Activity",
    "Analysis",
    "AnalysisError",
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
