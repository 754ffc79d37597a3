"""Many files at once: folders and export zips, parallel workers, a cache, the weekly review.

``run_batch(paths, store)`` analyses every activity file it finds (see
:mod:`splitcheck.batch.run`); ``weekly_review(activities, reps)`` judges the training week
by week against guidance.md section 3 (:mod:`splitcheck.batch.weekly`). For a notebook,
:func:`load_frames` does both and returns pandas DataFrames::

    from splitcheck.batch import load_frames
    frames = load_frames(["~/Downloads/export.zip"])
    frames["activities"].plot(x="start_utc", y="best_mile_s")

Nothing here imports pandas at module level; :func:`load_frames` and
:func:`splitcheck.batch.tables.to_frames` do, on demand. In a script (not a notebook),
call them under ``if __name__ == "__main__":``: worker processes start by importing the
main module (``spawn``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_DEFAULT = object()


def load_frames(
    paths: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    cache_dir: str | os.PathLike | None | object = _DEFAULT,
    jobs: int | None = None,
    profile: Any = None,
) -> dict[str, pd.DataFrame]:
    """The ``activities``, ``reps`` and ``splits`` tables of every activity under ``paths``
    (files, folders, zips; one path or a list) as DataFrames, plus ``failures`` (source,
    reason).

    ``cache_dir``: the batch cache (default: the platform's, as ``splitcheck batch``
    uses; None: no cache). Paths may start with ``~``.
    """
    import pandas as pd

    from .run import run_batch
    from .store import Store, default_cache_dir
    from .tables import to_frames

    cache = default_cache_dir() if cache_dir is _DEFAULT else cache_dir
    if isinstance(paths, str | os.PathLike):  # one path, not its characters (nor "/")
        paths = [paths]
    expanded = [Path(p).expanduser() for p in paths]
    with Store(cache) as store:  # type: ignore[arg-type]
        result = run_batch(expanded, store, jobs=jobs, profile=profile)
    frames = to_frames(result.tables)
    frames["failures"] = pd.DataFrame(
        [{"source": f.source, "reason": f.reason} for f in result.failures],
        columns=["source", "reason"],
    )
    return frames
