"""Where each candidate bout's speed settles, for all bouts of a run at once.

The statistics of :func:`.intervals._local_edges` (the median speed before and after each
bout, its 75th percentile inside, the 5 s running minimum) taken over every bout's own
window in one pass: windows of different lengths padded into one array and sorted
together, the running minimum computed once over the whole run. Order statistics are
exact, and the median and the percentile are combined as ``np.median`` and
``np.percentile`` (linear) combine them, so the edges are the same to the bit.
"""

from __future__ import annotations

import numpy as np

from ..arrays import median, percentile
from .trace import GRID_S


def settle_edges(
    trace,
    bounds: np.ndarray,
    settle_s: float,
    settle_fraction: float,
    min_kept_fraction: float,
) -> np.ndarray:
    """Settled (start, end) [s] of each bout; ``bounds`` holds one row per bout: start,
    end, the previous bout's end and the next bout's start [s]."""
    t, v = trace.t_s, trace.v_mps
    start, end, prev_end, next_start = (bounds[:, j] for j in range(4))
    inside = _windows(t, start, end, "left", "right")
    empty = inside[1] <= inside[0]  # a bout shorter than the grid step (a damaged clock)
    if empty.any():  # measured on one sample, then kept as found
        first = np.minimum(inside[0], len(t) - 1)
        inside = (np.where(empty, first, inside[0]), np.where(empty, first + 1, inside[1]))
    before = _windows(t, prev_end, start, "left", "left")
    after = _windows(t, end, next_start, "right", "right")
    v_rep = _order_stat(v, inside, "p75")
    v_before = np.where(before[1] > before[0], _order_stat(v, before, "median"), 0.0)
    v_after = np.where(after[1] > after[0], _order_stat(v, after, "median"), 0.0)
    w = max(1, int(settle_s / GRID_S))  # the grid's step: t[1] - t[0] may be a gap left out
    lo = np.searchsorted(t, start - settle_s)
    hi = np.searchsorted(t, end + settle_s)
    low = _running_min(v, w)
    up_level = v_before + settle_fraction * (v_rep - v_before)
    down_level = v_after + settle_fraction * (v_rep - v_after)
    a, z = start.copy(), end.copy()
    n_win = hi - lo - w + 1  # full w-sample windows from start - settle_s to end + settle_s
    size = np.ceil(np.log2(np.maximum(n_win, 1))).astype(np.intp)
    for s in sorted(set(size[n_win > 1].tolist())):  # alike lengths together, little padding
        rows = np.flatnonzero((size == s) & (n_win > 1))
        idx = lo[rows, None] + np.arange(int(n_win[rows].max()))[None, :]
        valid = idx < (lo + n_win)[rows, None]
        values = low[np.minimum(idx, len(low) - 1)]
        up = valid & (values >= up_level[rows, None])  # settled above the level from here
        down = valid & (values >= down_level[rows, None])
        first = np.argmax(up, axis=1)
        last = up.shape[1] - 1 - np.argmax(down[:, ::-1], axis=1)
        a[rows] = np.where(up.any(axis=1), t[lo[rows] + first], start[rows])
        z[rows] = np.where(
            down.any(axis=1), t[np.minimum(lo[rows] + last + w - 1, len(t) - 1)], end[rows]
        )
    kept = (z - a >= min_kept_fraction * (end - start)) & ~empty  # else a dip mid-rep
    return np.column_stack([np.where(kept, a, start), np.where(kept, z, end)])


def _windows(t: np.ndarray, lo: np.ndarray, hi: np.ndarray, lo_side: str, hi_side: str):
    """Index ranges [a, b) of ``t`` between ``lo`` and ``hi`` (sides as in searchsorted:
    "left" at lo is ``t >= lo``, "right" ``t > lo``; at hi "right" is ``t <= hi``)."""
    a = np.searchsorted(t, lo, side=lo_side)
    b = np.maximum(np.searchsorted(t, hi, side=hi_side), a)
    return a, b


def _order_stat(v: np.ndarray, window: tuple[np.ndarray, np.ndarray], which: str) -> np.ndarray:
    """The median or 75th percentile (linear) of ``v`` over each window, as numpy computes
    it; NaN for an empty window. Windows of alike lengths (within 2x) are sorted together,
    so little padding is sorted."""
    a, b = window
    out = np.empty(len(a))
    size = np.ceil(np.log2(np.maximum(b - a, 1))).astype(np.intp)
    for s in sorted(set(size.tolist())):
        rows = np.flatnonzero(size == s)
        out[rows] = _order_stat_rows(v, a[rows], b[rows], which)
    return out


def _order_stat_rows(v: np.ndarray, a: np.ndarray, b: np.ndarray, which: str) -> np.ndarray:
    """:func:`_order_stat` for windows padded to the longest."""
    count = b - a
    if not np.isfinite(v).all():  # NaN or inf in the speed: numpy's own, one window each
        pick = median if which == "median" else (lambda x: percentile(x, 75))
        return np.array([pick(v[i:j]) if j > i else np.nan for i, j in zip(a, b, strict=True)])
    width = max(int(count.max()), 1)
    idx = a[:, None] + np.arange(width)[None, :]
    valid = idx < b[:, None]
    rows = np.sort(np.where(valid, v[np.minimum(idx, len(v) - 1)], np.inf), axis=1)
    rows = np.where(valid, rows, np.nan)  # NaN in v sorts last, as np.sort places it
    last = np.maximum(count - 1, 0)
    if which == "median":
        hi_i = count // 2
        lo_i = np.where(count % 2 == 1, hi_i, hi_i - 1)
        lo_v = np.take_along_axis(rows, np.maximum(lo_i, 0)[:, None], 1)[:, 0]
        hi_v = np.take_along_axis(rows, np.minimum(hi_i, last)[:, None], 1)[:, 0]
        value = np.where(count % 2 == 1, hi_v, (lo_v + hi_v) / 2)
    else:  # numpy's "linear" method: virtual index (n - 1) q
        virtual = (count - 1) * 0.75
        prev = np.floor(virtual).astype(np.intp)
        above = virtual >= count - 1
        prev = np.where(above, last, np.maximum(prev, 0))
        nxt = np.where(above, last, prev + 1)
        gamma = np.where(above, 0.0, virtual - np.floor(virtual))
        lo_v = np.take_along_axis(rows, prev[:, None], 1)[:, 0]
        hi_v = np.take_along_axis(rows, np.minimum(nxt, last)[:, None], 1)[:, 0]
        diff = hi_v - lo_v
        value = np.where(gamma >= 0.5, hi_v - diff * (1 - gamma), lo_v + diff * gamma)
    last_v = np.take_along_axis(rows, last[:, None], 1)[:, 0]
    return np.where((count > 0) & ~np.isnan(last_v), value, np.nan)


def _running_min(v: np.ndarray, w: int) -> np.ndarray:
    """``min(v[j : j + w])`` for every j with a full window."""
    if len(v) < w:
        return np.zeros(0)
    n = len(v) - w + 1
    low = v[:n].copy()  # the window's samples in turn: w passes over the run, where a
    for j in range(1, w):  # reduction along each 5-sample window costs ~25x as much
        np.minimum(low, v[j : j + n], out=low)
    return low
