"""The continuous two-line (hinge) fit behind every refined bout edge, in linear time.

For a kink at c the model is d = a + b (t - c) + k max(0, t - c). Its least-squares
residual for every candidate c comes from running sums over the samples right of c
(count, sum of t, of t^2, of d, of t d: one suffix sum each), so all candidates cost
O(samples + candidates) instead of O(samples x candidates). The few candidates whose
residual is within rounding of the best (:data:`SHORTLIST_RTOL`) are then solved directly,
as the original fit did, so the kink chosen is the same to the bit, ties included.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .index import between, is_sorted

SHORTLIST_RTOL = 1e-7
SHORTLIST_ATOL = 1e-11
"""Candidates whose running-sum residual is within 1e-7 of the straight line's residual
(plus 1e-11 of the distance's own variance in the window, for a window that is nearly a
straight line) of the best are solved directly: the running sums' rounding stayed under
3e-9 of it over every edge of the simulated 8 h runs and of real smart-recorded files,
so the true best is always among them."""
RIDGE = 1e-9
"""Added to the normal equations' diagonal in the direct solve (as the original fit did)."""
DEGENERATE = 1e-9
"""A candidate whose two slopes' columns are this close to collinear (relative
determinant) is solved directly."""


NEGLIGIBLE_HINGE_S = 1e-6
"""A kink within a microsecond of the last sample (the last candidate, t[-1] - 1e-11 by
rounding) bends nothing: its fit is the straight line's (the direct solve's ridge keeps
the second slope at ~0 there), not a near-singular system's noise."""
SPARSE_SAMPLES = 5
MIN_SAMPLES = 4
"""A window with under 5 raw samples (sparse smart recording) is fitted on the 1 s grid
instead; one with under 4 there keeps its guess."""


def hinge_kinks(
    trace, guesses_s: Sequence[float], half_windows_s: Sequence[float], step_s: float
) -> list[float]:
    """For each guess [s], the kink [s] of the best hinge fit to distance over the raw
    samples within its half window (the grid's when the raw ones are sparse); the guess
    itself when the window holds too few samples or no candidate."""
    guesses = np.asarray(guesses_s, dtype=np.float64)
    half = np.asarray(half_windows_s, dtype=np.float64)
    kinks = guesses.copy()
    if not (is_sorted(trace, "raw_t_s") and is_sorted(trace, "t_s")):
        rows, where = [], []  # a hand-built activity out of time order: one at a time
        for i, (lo, hi) in enumerate(zip(guesses - half, guesses + half, strict=True)):
            t, d = _window_arrays(trace, lo, hi)
            if len(t) >= MIN_SAMPLES:
                rows.append((t, d))
                where.append(i)
        for i, kink in zip(where, best_kinks(rows, step_s), strict=True):
            kinks[i] = kink if kink is not None else kinks[i]
        return kinks.tolist()
    ok = ~(np.isnan(guesses) | np.isnan(half))
    lo, hi = np.where(ok, guesses - half, 0.0), np.where(ok, guesses + half, 0.0)
    raw = _slices(trace.raw_t_s, lo, hi, ok)
    grid = _slices(trace.t_s, lo, hi, ok)
    sparse = raw[1] - raw[0] < SPARSE_SAMPLES  # sparse smart recording: the grid instead
    for use, (t, d), (a, b) in (
        (~sparse, (trace.raw_t_s, trace.raw_d_m), raw),
        (sparse, (trace.t_s, trace.d_m), grid),
    ):
        rows = np.flatnonzero(use & (b - a >= MIN_SAMPLES))
        if len(rows):
            kinks[rows] = _best_in_slices(t, d, a[rows], b[rows], step_s, kinks[rows])
    return kinks.tolist()


def kink_candidates(trace, guess_s: float, half_window_s: float, step_s: float) -> np.ndarray:
    """Every time [s] :func:`hinge_kinks` can return for this guess and half window: the
    candidate kinks of its window (the same samples, the same steps) and the guess itself
    (its answer when the window holds too few samples or no candidate). A caller that
    acts on the kink can test all of them first and skip the fit when none would do."""
    t, _ = _window_arrays(trace, guess_s - half_window_s, guess_s + half_window_s)
    if len(t) < MIN_SAMPLES:
        return np.array([guess_s], dtype=np.float64)
    return np.append(np.arange(t[0] + step_s, t[-1], step_s), guess_s)


def _window_arrays(trace, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    sel = between(trace, "raw_t_s", lo, hi)
    t, d = trace.raw_t_s[sel], trace.raw_d_m[sel]
    if len(t) < SPARSE_SAMPLES:
        sel = between(trace, "t_s", lo, hi)
        t, d = trace.t_s[sel], trace.d_m[sel]
    return t, d


def _slices(t: np.ndarray, lo: np.ndarray, hi: np.ndarray, ok: np.ndarray):
    """Start and stop indices of ``lo <= t <= hi`` in sorted ``t`` (empty where not ok)."""
    a = np.searchsorted(t, lo, side="left")
    b = np.maximum(np.searchsorted(t, hi, side="right"), a)
    return a, np.where(ok, b, a)


def best_kinks(rows: list[tuple[np.ndarray, np.ndarray]], step_s: float) -> list[float | None]:
    """For each window ``(t, d)`` (times [s], distances [m], in any order), the time [s]
    of the best hinge fit's kink among t[0] + step, t[0] + 2 step, ... < t[-1], each
    candidate solved directly; None without a candidate."""
    out: list[float | None] = []
    for t, d in rows:
        cands = np.arange(t[0] + step_s, t[-1], step_s)
        out.append(float(cands[np.argmin(direct_sse(t, d, cands))]) if len(cands) else None)
    return out


def _best_in_slices(
    t_all: np.ndarray,
    d_all: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    step_s: float,
    fallback: np.ndarray,
) -> np.ndarray:
    """The best kink [s] in each window ``t_all[a:b]`` (sorted), ``fallback`` where the
    window has no candidate: running-sum residuals of every candidate of every window
    (padded into one array), then a direct solve of any shortlist of more than one."""
    cand_rows = [
        np.arange(t_all[i] + step_s, t_all[j - 1], step_s)
        for i, j in zip(a.tolist(), b.tolist(), strict=True)
    ]
    n_cands = np.array([len(c) for c in cand_rows])
    out = fallback.copy()
    has = n_cands > 0
    if not has.any():
        return out
    a, b, n_cands = a[has], b[has], n_cands[has]
    cand_rows = [c for c, h in zip(cand_rows, has, strict=True) if h]
    valid = np.arange(int(n_cands.max()))[None, :] < n_cands[:, None]
    cand = np.zeros(valid.shape)
    flat = np.concatenate(cand_rows)
    cand[valid] = flat
    k = np.zeros(valid.shape, dtype=np.intp)
    k[valid] = np.searchsorted(t_all, flat, side="right")
    k = np.where(valid, k - a[:, None], (b - a)[:, None])  # samples left of each kink
    idx = a[:, None] + np.arange(int((b - a).max()))[None, :]
    inside = idx < b[:, None]
    idx = np.minimum(idx, len(t_all) - 1)
    sse, degenerate, tolerance = _running_sse(t_all[idx], d_all[idx], inside, cand, k)
    best = np.min(np.where(valid & ~degenerate, sse, np.inf), axis=1, keepdims=True)
    near = valid & (degenerate | ~(sse > best + tolerance[:, None]))
    counts = near.sum(axis=1)
    first = np.argmax(near, axis=1)
    rows_has = np.flatnonzero(has)
    single = counts == 1
    out[rows_has[single]] = cand[single, first[single]]
    for j in np.flatnonzero(~single):  # rare: near-ties, solved as the original fit did
        t, d = t_all[a[j] : b[j]], d_all[a[j] : b[j]]
        short = cand_rows[j][near[j, : n_cands[j]]]
        out[rows_has[j]] = short[np.argmin(direct_sse(t, d, short))]
    return out


def _running_sse(
    t: np.ndarray, d: np.ndarray, inside: np.ndarray, cand: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Residual sum of squares of the hinge fit at each window's candidate kinks (one
    window a row, samples where ``inside``, ``k`` samples left of each candidate), from
    suffix sums; which are near-degenerate; and each window's rounding tolerance."""
    m, width = t.shape
    lengths = inside.sum(axis=1)
    n = lengths.astype(np.float64)[:, None]
    t = np.where(inside, t, 0.0)
    t_mean = t.sum(axis=1, keepdims=True) / n
    u = np.where(inside, t - t_mean, 0.0)
    y = np.where(inside, d, 0.0)
    y = np.where(inside, y - y.sum(axis=1, keepdims=True) / n, 0.0)
    spread = (y * y).sum(axis=1)  # the distance's variance in the window (its scale)
    # what one straight line leaves: the same fit, in metres of residual, not kilometres
    y = y - ((u * y).sum(axis=1, keepdims=True) / (u * u).sum(axis=1, keepdims=True)) * u
    suffix = np.zeros((4, m, width + 1))
    stacked = np.stack([u, u * u, y, u * y])
    suffix[:, :, :-1] = np.cumsum(stacked[:, :, ::-1], axis=2)[:, :, ::-1]
    su_r, suu_r, sy_r, suy_r = suffix[:, np.arange(m)[:, None], k]
    n_r = (lengths[:, None] - k).astype(np.float64)
    uc = cand - t_mean
    sh = su_r - n_r * uc
    shh = suu_r - 2.0 * uc * su_r + n_r * uc * uc
    suh = suu_r - uc * su_r
    syh = suy_r - uc * sy_r
    su = u.sum(axis=1, keepdims=True)
    sy = y.sum(axis=1, keepdims=True)
    cuu = (u * u).sum(axis=1, keepdims=True) - su * su / n
    cyy = (y * y).sum(axis=1, keepdims=True) - sy * sy / n
    cuy = (u * y).sum(axis=1, keepdims=True) - su * sy / n
    chh = shh - sh * sh / n
    cuh = suh - su * sh / n
    cyh = syh - sy * sh / n
    det = cuu * chh - cuh * cuh
    with np.errstate(divide="ignore", invalid="ignore"):
        explained = (chh * cuy * cuy - 2.0 * cuh * cuy * cyh + cuu * cyh * cyh) / det
    sse = cyy - explained
    degenerate = ~(det > DEGENERATE * cuu * chh) | ~np.isfinite(explained)
    t_last = np.take_along_axis(t, (lengths - 1)[:, None], axis=1)
    flat = t_last - cand < NEGLIGIBLE_HINGE_S  # no sample right of the kink to bend
    sse = np.where(flat, cyy, sse)
    tolerance = SHORTLIST_RTOL * np.maximum(cyy[:, 0], 0.0) + SHORTLIST_ATOL * spread
    return sse, degenerate & ~flat, tolerance


def direct_sse(t: np.ndarray, d: np.ndarray, cands: np.ndarray) -> np.ndarray:
    """Residual sum of squares at each candidate kink, each fit solved directly (the
    design matrix per candidate: O(samples x candidates), for a shortlist)."""
    x = t[None, :] - cands[:, None]
    design = np.stack([np.ones_like(x), x, np.maximum(x, 0.0)], axis=2)
    gram = np.einsum("cni,cnj->cij", design, design) + RIDGE * np.eye(3)
    rhs = np.einsum("cni,n->ci", design, d - d.mean())
    beta = np.linalg.solve(gram, rhs[..., None])[..., 0]
    resid = (d - d.mean())[None, :] - np.einsum("cni,ci->cn", design, beta)
    return (resid**2).sum(axis=1)
