"""``splitcheck.batch(paths, profile=...)``: a whole archive to DataFrames in one call.

    import splitcheck
    arc = splitcheck.batch("~/Downloads/export.zip", goal_mile="6:00", max_hr=188)
    arc.weeks.plot(x="start", y="distance_m")      # weekly volume
    arc.fitness.plot(x="date", y=["ctl", "atl"])   # fitness and fatigue
    arc.records                                     # 400 m to marathon, with their files

In a script (not a notebook) call it under ``if __name__ == "__main__":``: worker processes
may start by importing the main module (``spawn``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..profile import Profile
from .archive import ArchiveView, archive_view

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .run import BatchResult

_DEFAULT: Any = object()


@dataclass(frozen=True, eq=False, repr=False)
class Archive:
    """A batch's tables as pandas DataFrames, the archive view behind them, and the batch's
    counts. Every DataFrame has the columns of the file of the same name that
    ``splitcheck batch`` writes (docs: ``splitcheck batch --help``)."""

    activities: pd.DataFrame
    """One row per activity (duplicates across formats dropped), with ``date`` (local),
    ``load``, ``trimp``, ``rtss`` and ``z1_s``..``z5_s``."""
    reps: pd.DataFrame
    splits: pd.DataFrame
    efforts: pd.DataFrame
    weeks: pd.DataFrame
    """Volume and the review per ISO week: ``distance_m``, ``duration_s``, ``runs``..."""
    months: pd.DataFrame
    fitness: pd.DataFrame
    """Per day: ``load``, ``ctl`` (fitness), ``atl`` (fatigue), ``tsb`` (form)."""
    records: pd.DataFrame
    races: pd.DataFrame
    """Runs over a race distance within 3 % of the record there, and time trials."""
    workouts: pd.DataFrame
    failures: pd.DataFrame
    view: ArchiveView
    result: BatchResult

    def __repr__(self) -> str:
        r = self.result
        return (
            f"Archive({len(self.activities)} activities, {len(self.weeks)} weeks, "
            f"{r.read} files read, {r.failed} failed)"
        )


def batch(
    paths: str | os.PathLike | Sequence[str | os.PathLike],
    profile: Profile | None = None,
    *,
    cache_dir: str | os.PathLike | None = _DEFAULT,
    jobs: int | None = None,
    timezone: str | dt.tzinfo | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    last: str | None = None,
    laps: str = "auto",
    client: Any = None,
    shared_paths: bool = False,
    **profile_fields: Any,
) -> Archive:
    """Analyse every activity under ``paths`` (files, folders, export zips; one path or a
    list; ``~`` expanded) and return the archive as DataFrames (:class:`Archive`).

    Parameters
    ----------
    profile : Profile, optional
        The runner; fields may also be given as keywords (``goal_mile="6:00"``,
        ``max_hr=188``, ``rest_hr=50``, ``threshold_pace="4:10"``, ``level=...``).
    cache_dir : path or None
        The batch cache (default: the one ``splitcheck batch`` uses; None: no cache).
    timezone : str or tzinfo, optional
        Days and weeks are local to it (default: this computer's).
    since, until, last
        The period of the weeks, months and days (``last="12w"``, ``"6m"``...).
    laps : {"auto", "use", "ignore"}
        Whether the watch's laps mark the workout (passed to the analysis once it takes
        ``laps=``; until then anything but ``auto`` raises ProfileError).
    client : dask.distributed.Client, optional
        Analyse the files on this Dask cluster (``pip install "splitcheck[dask]"``); the
        cache and the tables stay here. The files' bytes are sent from this machine unless
        ``shared_paths=True`` (the workers see the same paths). See docs/dask.md.

    Raises :class:`~splitcheck.errors.ProfileError` for a bad profile value or period,
    :class:`~splitcheck.errors.ClusterError` when the cluster cannot run the batch.
    """
    import pandas as pd

    from ..analysis import with_fields
    from .run import run_batch
    from .store import Store, default_cache_dir

    profile = with_fields(profile, profile_fields)
    if shared_paths and client is None:
        from ..errors import OptionError

        raise OptionError("shared_paths=True is for a Dask client: give client= too")
    options = _library_options(laps)
    tz = _tz(timezone)
    cache = default_cache_dir() if cache_dir is _DEFAULT else cache_dir
    if isinstance(paths, str | os.PathLike):  # one path, not its characters
        paths = [paths]
    expanded = [Path(p).expanduser() for p in paths]
    with Store(cache) as store:  # type: ignore[arg-type]
        result = run_batch(
            expanded,
            store,
            jobs=jobs,
            profile=profile,
            options=options,
            client=client,
            shared_paths=shared_paths,
        )
    view = archive_view(
        result.tables, profile=profile, tz=tz, since=_day(since), until=_day(until), last=last
    )
    from .tables import to_frames

    frames = to_frames({**result.tables, "activities": list(view.activities)})
    failures = pd.DataFrame(
        [{"source": f.source, "reason": f.reason} for f in result.failures],
        columns=["source", "reason"],
    )
    return Archive(
        activities=frames["activities"],
        reps=frames["reps"],
        splits=frames["splits"],
        efforts=frames["efforts"],
        weeks=_frame(view.week_rows(), ("start", "end")),
        months=_frame([p.to_dict() for p in view.months], ("start", "end")),
        fitness=_frame([d.to_dict() for d in view.fitness], ("date",)),
        records=_frame([r.to_dict() for r in view.records], ("date",)),
        races=_frame([r.to_dict() for r in view.races], ("date",)),
        workouts=_frame([w.to_dict() for w in view.workouts], ("date",)),
        failures=failures,
        view=view,
        result=result,
    )


def _library_options(laps: str) -> dict[str, Any]:
    """``laps=`` for the analysis when it takes it; refused (not dropped) otherwise."""
    import inspect

    from ..analysis import analyze
    from ..errors import ProfileError

    if "laps" in inspect.signature(analyze).parameters:
        return {"laps": laps}
    if laps != "auto":
        raise ProfileError(f"laps={laps!r}: not supported by this splitcheck yet")
    return {}


def _frame(rows: list[dict[str, Any]], dates: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows)
    for col in dates:
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    return frame


def _tz(timezone: str | dt.tzinfo | None) -> dt.tzinfo:
    if isinstance(timezone, dt.tzinfo):
        return timezone
    from ..errors import ProfileError

    if not timezone:
        return dt.datetime.now(dt.UTC).astimezone().tzinfo or dt.UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ProfileError(f"timezone {timezone!r} is not a time zone") from None


def _day(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    from ..errors import ProfileError

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ProfileError(f"{value!r} is not a date (YYYY-MM-DD)") from None
