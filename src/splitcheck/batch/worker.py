"""The work of one file, done in a worker process: read, analyse, make table rows.

Everything here must be importable and picklable from a freshly started process (the pool
uses ``spawn``): plain functions of plain arguments, returning a
:class:`~splitcheck.batch.store.FileResult`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .. import analysis
from ..errors import FileError, NotAnActivityError, SplitcheckError
from ..profile import Profile
from .measures import activity_measures
from .store import FileResult
from .tables import TABLES, rows_from_document

INTERNAL_ERROR = "internal error"
"""Prefix of a failure that is a splitcheck bug: reported, never cached (retried next run)."""


ARCHIVE_ONLY_FIELDS = frozenset({"rest_hr_bpm"})
"""Profile fields only the archive view uses (training load), not the analysis of a file:
changing them re-analyses nothing."""


def analysis_version(
    profile: Profile | None = None, options: Mapping[str, Any] | None = None
) -> str:
    """``ANALYSIS_VERSION``, plus a fingerprint of the profile when one is given (the
    scorecard judges against the runner's goal, so another profile means other results)
    and of the library options (``laps=``...) other than their defaults."""
    base = str(analysis.ANALYSIS_VERSION)
    chosen = {k: v for k, v in (options or {}).items() if v not in (None, "auto")}
    if chosen:
        text = json.dumps(chosen, sort_keys=True, default=str)
        base += f"+options-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    if profile is None:
        return base
    if hasattr(profile, "to_dict"):
        fields = {k: v for k, v in profile.to_dict().items() if k not in ARCHIVE_ONLY_FIELDS}
        text = json.dumps(fields, sort_keys=True, default=str)
    elif dataclasses.is_dataclass(profile):
        text = json.dumps(dataclasses.asdict(profile), sort_keys=True, default=str)
    else:
        text = repr(profile)
    return f"{base}+profile-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def analyse_content(
    data: bytes, name: str, profile: Profile | None = None, options: Mapping[str, Any] | None = None
) -> FileResult:
    """Read and analyse one file's (decompressed) content; never raises for bad input.

    Runs in a worker process. A file holding no activity is ``skipped``; an unreadable one
    ``failed`` with the reader's reason; a bug is ``failed`` with an ``internal error``
    reason.
    """
    from ..io import read_bytes

    options = options or {}
    try:
        activities = read_bytes(data, name, **accepted(read_bytes, options))
        tables: dict[str, list] = {t: [] for t in TABLES}
        for activity in activities:
            result = analysis.analyze(activity, profile, **accepted(analysis.analyze, options))
            doc = result.to_dict()
            doc.setdefault("session_index", activity.session_index)
            rows = rows_from_document(doc, hard_s=_threshold_time_s(activity, profile))
            measured, heart_rate = activity_measures(activity)
            rows["activities"][0].update(measured)
            rows["heart_rate"] = [
                {"source": None, "session_index": activity.session_index, **r} for r in heart_rate
            ]
            for table, items in rows.items():
                tables[table].extend(items)
    except NotAnActivityError as err:
        return FileResult(status="skipped", reason=err.reason)
    except FileError as err:
        return FileResult(status="failed", reason=err.reason)
    except SplitcheckError as err:
        return FileResult(status="failed", reason=str(err))
    except Exception as err:  # noqa: BLE001 - a bug must not stop the batch: report it
        return FileResult(status="failed", reason=f"{INTERNAL_ERROR}: {type(err).__name__}: {err}")
    if not tables["activities"]:
        return FileResult(status="skipped", reason="the file holds no activity")
    return FileResult(status="ok", tables=tables)


def accepted(function: Callable, options: Mapping[str, Any]) -> dict[str, Any]:
    """The options ``function`` takes by name (``laps=`` for the analysis, ``timezone=``
    for the reader, once they accept them)."""
    params = inspect.signature(function).parameters
    return {k: v for k, v in options.items() if k in params}


def _threshold_time_s(activity, profile: Profile | None) -> float:
    """Seconds faster than the runner's threshold pace outside reps (0 when unknown).

    Counted only for runs without work reps (reps are counted whole, by the caller).
    """
    pace = getattr(profile, "threshold_pace_s_per_km", None) if profile is not None else None
    if not pace:
        return 0.0
    s = activity.samples
    if len(s) < 2:
        return 0.0
    dt_s = np.diff(s.elapsed_s)
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.diff(s.distance_m) / np.where(dt_s > 0, dt_s, np.nan)
    return float(dt_s[np.nan_to_num(speed) > 1000.0 / pace].sum())
