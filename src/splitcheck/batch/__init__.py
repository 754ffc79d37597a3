"""Many files at once: folders and export zips, parallel workers, a cache, and the archive
view (weekly and monthly volume, the weekly review, training load, records, workouts).

The package is itself callable: ``splitcheck.batch(paths, profile=...)`` is
:func:`splitcheck.batch.api.batch` and returns an :class:`~splitcheck.batch.api.Archive`
whose attributes are DataFrames::

    import splitcheck
    arc = splitcheck.batch("~/Downloads/export.zip", goal_mile="6:00")
    arc.weeks[["week", "runs", "distance_m", "duration_s"]]
    arc.fitness.plot(x="date", y=["ctl", "atl", "tsb"])

The pieces, for finer control: :func:`~splitcheck.batch.run.run_batch` (analyse the files
through the cache) and :func:`~splitcheck.batch.archive.archive_view` (the view from the
tables, pure Python). Nothing here imports pandas at module level. In a script (not a
notebook), call them under ``if __name__ == "__main__":``: worker processes start by
importing the main module (``spawn``).
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .api import Archive, batch

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..profile import Profile

__all__ = ["Archive", "batch", "load_frames"]

_DEFAULT: Any = object()


def load_frames(
    paths: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    cache_dir: str | os.PathLike | None | object = _DEFAULT,
    jobs: int | None = None,
    profile: Profile | None = None,
) -> dict[str, pd.DataFrame]:
    """The archive's tables as a dict of DataFrames (``activities``, ``reps``, ``splits``,
    ``efforts``, ``weeks``, ``months``, ``fitness``, ``records``, ``workouts``,
    ``failures``); :func:`batch` gives the same as attributes."""
    kwargs: dict[str, Any] = {"jobs": jobs, "profile": profile}
    if cache_dir is not _DEFAULT:
        kwargs["cache_dir"] = cache_dir
    arc = batch(paths, **kwargs)
    names = ("activities", "reps", "splits", "efforts", "weeks", "months", "fitness")
    names += ("records", "workouts", "failures")
    return {name: getattr(arc, name) for name in names}


class _CallableModule(types.ModuleType):
    """``splitcheck.batch(...)`` calls :func:`batch`; ``splitcheck.batch.run`` stays the
    module (so both the one-call API and the sub-modules keep working)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Archive:
        return batch(*args, **kwargs)

    def __repr__(self) -> str:
        return "<splitcheck.batch: call it, splitcheck.batch(paths, profile=...), for an Archive>"


sys.modules[__name__].__class__ = _CallableModule
