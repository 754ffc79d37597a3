"""The one exception tree of splitcheck.

Every error the library raises on purpose is a :class:`SplitcheckError`. Errors about a
file carry the file's name and a reason in runner's words, so the command line can print
``splitcheck: run.fit: truncated at byte 7471`` without a traceback. Other libraries'
exceptions (fitparse, gpxpy, XML parsers) are wrapped with ``raise ... from err`` at the
reader boundary and never reach the caller.
"""

from __future__ import annotations

import enum


class SplitcheckError(Exception):
    """Base of every error splitcheck raises."""


class FileError(SplitcheckError):
    """A file could not be read as an activity.

    Parameters
    ----------
    source : str
        The file's name (or ``archive.zip:member``) as the user knows it.
    reason : str
        What is wrong, one line, no trailing period.
    offset : int, optional
        Byte offset where the problem was found, when known.
    """

    def __init__(self, source: str, reason: str, *, offset: int | None = None) -> None:
        self.source = str(source)
        self.reason = reason
        self.offset = offset
        super().__init__(f"{self.source}: {reason}")


class UnknownFormatError(FileError):
    """The content is not FIT, GPX or TCX (whatever the extension says)."""


class EmptyFileError(FileError):
    """The file has no bytes, or no data once decompressed."""


class NotAnActivityError(FileError):
    """A valid file that holds no activity (a FIT monitoring, workout or settings file)."""


class CorruptFileError(FileError):
    """The file is damaged beyond salvage (nothing usable before the damage)."""


class NoTimedDataError(FileError):
    """Too few samples carry a time stamp to make an activity from."""


class ProfileError(SplitcheckError, ValueError):
    """A runner's profile value is not valid (``--goal-mile 6:7`` is not a time)."""


class OptionError(SplitcheckError, ValueError):
    """A library call got an option value it does not know (``laps="maybe"``)."""


class ClusterError(SplitcheckError):
    """A batch could not run on the Dask cluster asked for: Dask is not installed, the
    scheduler cannot be reached, it has no workers, or its workers cannot run splitcheck.
    One line, saying what to do."""


class AnalysisError(SplitcheckError):
    """An analysis could not be done on an activity that was read."""


class Damage(enum.Enum):
    """What a reader does with a damaged file (truncated, bad CRC, undecodable tail).

    SALVAGE keeps everything read before the damage and records a warning on the
    activity; RAISE turns the damage into a :class:`CorruptFileError`.
    """

    SALVAGE = "salvage"
    RAISE = "raise"


class NothingToChartError(SplitcheckError):
    """A chart was asked for that has nothing to show (reps of an easy run, a trace of a
    file with neither pace nor heart rate): no file is written.

    Parameters
    ----------
    source : str
        The activity's file name.
    reason : str
        Why, one line ("no work intervals in this run").
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = str(source)
        self.reason = reason
        super().__init__(f"{self.source}: {reason}" if self.source else reason)
