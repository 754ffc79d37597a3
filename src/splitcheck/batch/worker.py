"""The work of one file, done in a worker process: read, analyse, make table rows.

Everything here must be importable and picklable from a freshly started process (the pool
uses ``spawn``): plain functions of plain arguments, returning a
:class:`~splitcheck.batch.store.FileResult`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import numpy as np

from .. import analysis
from ..errors import FileError, NotAnActivityError, SplitcheckError
from .store import FileResult
from .tables import TABLES, rows_from_document

INTERNAL_ERROR = "internal error"
"""Prefix of a failure that is a splitcheck bug: reported, never cached (retried next run)."""


def analysis_version(profile: Any = None, laps: str = "auto") -> str:
    """``ANALYSIS_VERSION``, plus the laps mode when not ``auto`` and a fingerprint of the
    profile when one is given (the scorecard judges against the runner's goal, so another
    profile means other results)."""
    if laps != "auto":
        return f"{analysis_version(profile)}+laps-{laps}"
    if profile is None:
        return str(analysis.ANALYSIS_VERSION)
    if hasattr(profile, "to_dict"):
        text = json.dumps(profile.to_dict(), sort_keys=True, default=str)
    elif dataclasses.is_dataclass(profile):
        text = json.dumps(dataclasses.asdict(profile), sort_keys=True, default=str)
    else:
        text = repr(profile)
    return f"{analysis.ANALYSIS_VERSION}+profile-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def analyse_content(data: bytes, name: str, profile: Any = None, laps: str = "auto") -> FileResult:
    """Read and analyse one file's (decompressed) content; never raises for bad input.

    Runs in a worker process. A file holding no activity is ``skipped``; an unreadable one
    ``failed`` with the reader's reason; a bug is ``failed`` with an ``internal error``
    reason.
    """
    from ..io import read_bytes

    try:
        activities = read_bytes(data, name)
        tables: dict[str, list] = {t: [] for t in TABLES}
        for activity in activities:
            result = analysis.analyze(activity, profile, laps=laps)
            doc = result.to_dict()
            doc.setdefault("session_index", activity.session_index)
            rows = rows_from_document(doc, hard_s=_threshold_time_s(activity, profile))
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


def _threshold_time_s(activity, profile: Any) -> float:
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
