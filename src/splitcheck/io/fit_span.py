"""Records outside a FIT file's sessions: kept when they run on from a session, said.

A watch may close its session summary before its last records (a Suunto that left the
cool-down out of its totals) or write a lone record at a misread time (a damaged file).
Records that run on from a session without a long break are kept, with a warning saying
how much ran past the summary; only records beyond such a break, which nothing in the file
places, are left out, and the warning says how many records, kilometres and minutes.
"""

from __future__ import annotations

import numpy as np

from ..units import format_duration
from .fit_messages import FitMessages

MAX_SHOWN_SPAN_S = 86400.0
"""Records left out over more than a day are misread times: their span is not said."""


def keep_contiguous(
    msgs: FitMessages,
    t: np.ndarray,
    spans: list[tuple[float, float]],
    margin_s: float,
    warnings: list[str],
) -> None:
    """Records outside every session are kept when they run on from a session without a
    break of ``margin_s`` (a cool-down the watch left out of the session, a
    file without its closing messages); records beyond such a break (a damaged file's
    misread last record) become NaN, and the warning says how much was left out."""
    lo = min(a for a, _ in spans) - margin_s
    hi = max(b for _, b in spans) + margin_s
    idx = np.flatnonzero(np.isfinite(t))
    order = idx[np.argsort(t[idx], kind="stable")]
    ts = t[order]
    group = np.r_[0, np.cumsum(np.diff(ts) > margin_s)]
    g_lo = np.minimum.reduceat(ts, np.r_[0, np.flatnonzero(np.diff(group)) + 1])
    g_hi = np.maximum.reduceat(ts, np.r_[0, np.flatnonzero(np.diff(group)) + 1])
    keep_group = (g_hi >= lo) & (g_lo <= hi)
    if not keep_group.any():
        return
    drop = order[~keep_group[group]]
    if len(drop):
        t[drop] = np.nan
        warnings.append(
            f"left out {_how_much(msgs, drop)} timed outside the file's sessions, "
            "after a break in the recording: nothing in the file places them"
        )
    kept = np.isfinite(t)
    after = kept & (t > hi)
    before = kept & (t < lo)
    if after.any():
        warnings.append(
            f"kept {_how_much(msgs, np.flatnonzero(after))} recorded after the session summary's "
            "end (the watch left them out of its totals)"
        )
    if before.any():
        warnings.append(
            f"kept {_how_much(msgs, np.flatnonzero(before))} recorded before the session's start"
        )


def _how_much(msgs: FitMessages, rows: np.ndarray) -> str:
    """``12 records (0.85 km, 4:10)``: how much a set of records holds."""
    t = msgs.records["timestamp"][rows]
    d = msgs.records.get("distance", np.full(msgs.record_count, np.nan))[rows]
    text = f"{len(rows)} record" + ("s" if len(rows) != 1 else "")
    parts = []
    if np.isfinite(d).sum() >= 2:
        parts.append(f"{(np.nanmax(d) - np.nanmin(d)) / 1000:.2f} km")
    if np.isfinite(t).sum() >= 2 and np.nanmax(t) - np.nanmin(t) < MAX_SHOWN_SPAN_S:
        parts.append(format_duration(float(np.nanmax(t) - np.nanmin(t))))
    return text + (f" ({', '.join(parts)})" if parts else "")
