"""What the detectors look up again and again on one trace, computed once per trace.

A trace's distance never decreases, so the time a distance is first reached (or last left)
is an interpolation over the distinct distances: their indices are found once per trace
(an ``np.unique`` over the whole run), not once per look-up. Windows of a few seconds are
index ranges found by bisection (``np.searchsorted``) on the sorted times, not boolean
masks over the whole run, so each look-up costs its window, not the run's length.

The cache is keyed by the trace object (a :class:`~.trace.Trace` is frozen: its arrays are
never replaced) and dropped with it.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

_CACHE: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def cached(trace: Any, key: str, make) -> Any:
    """``make()`` computed once per ``trace`` under ``key``."""
    try:
        per_trace = _CACHE[trace]
    except KeyError:
        per_trace = _CACHE.setdefault(trace, {})
    if key not in per_trace:
        per_trace[key] = make()
    return per_trace[key]


def first_reach(trace: Any, *, last: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The trace's distinct raw distances [m] and the time [s] each is first reached
    (``last``: last left), as ``np.unique`` finds them; built once per trace."""

    def make() -> tuple[np.ndarray, np.ndarray]:
        d, t = trace.raw_d_m, trace.raw_t_s
        if last:
            _, idx = np.unique(d[::-1], return_index=True)
            idx = len(d) - 1 - idx
        else:
            _, idx = np.unique(d, return_index=True)
        return d[idx], t[idx]

    return cached(trace, "last_leave" if last else "first_reach", make)


def is_sorted(trace: Any, name: str) -> bool:
    """Are the trace's ``name`` times (``t_s`` or ``raw_t_s``) non-decreasing? (Always,
    for a trace of a file read by splitcheck; an Activity built by hand may not be.)"""

    def make() -> bool:
        t = getattr(trace, name)
        return bool(len(t) < 2 or np.all(t[1:] >= t[:-1]))

    return cached(trace, f"sorted:{name}", make)


def between(
    trace: Any, name: str, lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False
) -> slice | np.ndarray:
    """Index of the trace's ``name`` times inside ``lo <= t <= hi`` (``lo_open``: ``lo <
    t``; ``hi_open``: ``t < hi``): a slice found by bisection when the times are sorted,
    else the boolean mask (the same samples, in the same order)."""
    t = getattr(trace, name)
    if np.isnan(lo) or np.isnan(hi):
        return slice(0, 0)
    if not is_sorted(trace, name):
        above = t > lo if lo_open else t >= lo
        return above & (t < hi if hi_open else t <= hi)
    a = int(np.searchsorted(t, lo, side="right" if lo_open else "left"))
    b = int(np.searchsorted(t, hi, side="left" if hi_open else "right"))
    return slice(a, max(a, b))
