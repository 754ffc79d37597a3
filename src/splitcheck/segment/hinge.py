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

SHORTLIST_RTOL = 1e-8
"""Candidates whose running-sum residual is within 1e-8 of the straight line's residual
of the best are solved directly: the running sums' rounding stays under 1e-9 of it (at
most 6.6e-10 over every edge of the simulated 8 h runs), so the true best is among them."""
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
    raw = _windows(trace, "raw_t_s", guesses - half, guesses + half)
    grid = _windows(trace, "t_s", guesses - half, guesses + half)
    rows, where = [], []
    for i, sel in enumerate(raw):
        t, d = trace.raw_t_s[sel], trace.raw_d_m[sel]
        if len(t) < SPARSE_SAMPLES:  # sparse smart recording: fall back to the grid
            t, d = trace.t_s[grid[i]], trace.d_m[grid[i]]
        if len(t) >= MIN_SAMPLES:
            rows.append((t, d))
            where.append(i)
    kinks = [float(g) for g in guesses_s]
    for i, kink in zip(where, best_kinks(rows, step_s), strict=True):
        if kink is not None:
            kinks[i] = kink
    return kinks


def _windows(trace, name: str, lo: np.ndarray, hi: np.ndarray) -> list:
    """Index (a slice, or a mask when the times are not sorted) of each window
    ``lo <= t <= hi`` of the trace's ``name`` times."""
    t = getattr(trace, name)
    if not is_sorted(trace, name):
        return [between(trace, name, a, b) for a, b in zip(lo, hi, strict=True)]
    ok = ~(np.isnan(lo) | np.isnan(hi))
    a = np.searchsorted(t, np.where(ok, lo, 0.0), side="left")
    b = np.where(ok, np.maximum(np.searchsorted(t, np.where(ok, hi, 0.0), side="right"), a), a)
    return [slice(i, j) for i, j in zip(a.tolist(), b.tolist(), strict=True)]


def best_kinks(rows: list[tuple[np.ndarray, np.ndarray]], step_s: float) -> list[float | None]:
    """For each window ``(t, d)`` (times [s], distances [m]), the time [s] of the best hinge
    fit's kink among t[0] + step, t[0] + 2 step, ... < t[-1], or None without a candidate.

    All windows are solved together: the running-sum residuals of every candidate of
    every window (padded into one array), then one direct solve of the shortlists."""
    out: list[float | None] = [None] * len(rows)
    batch: list[tuple[int, np.ndarray, np.ndarray]] = []  # (window, candidates, k)
    for i, (t, d) in enumerate(rows):
        cands = np.arange(t[0] + step_s, t[-1], step_s)
        if len(cands) == 0:
            continue
        if np.any(t[1:] < t[:-1]):  # times out of order (a hand-built activity)
            out[i] = float(cands[np.argmin(direct_sse(t, d, cands))])
            continue
        batch.append((i, cands, np.searchsorted(t, cands, side="right")))
    if not batch:
        return out
    sse, degenerate, total = _running_sse([rows[i] for i, _, _ in batch], batch)
    n_cands = np.array([len(c) for _, c, _ in batch])
    valid = np.arange(sse.shape[1])[None, :] < n_cands[:, None]
    best = np.min(np.where(valid & ~degenerate, sse, np.inf), axis=1, keepdims=True)
    near = valid & (degenerate | ~(sse > best + SHORTLIST_RTOL * total[:, None] + 1e-12))
    first = np.argmax(near, axis=1)
    pairs = []
    for j, ((i, cands, _), count) in enumerate(zip(batch, near.sum(axis=1), strict=True)):
        if count == 1:
            out[i] = float(cands[first[j]])
        else:
            pairs.append((i, cands[near[j, : len(cands)]]))
    for i, kink in _direct_best(rows, pairs):
        out[i] = kink
    return out


def _running_sse(
    rows: list[tuple[np.ndarray, np.ndarray]], batch: list[tuple[int, np.ndarray, np.ndarray]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Residual sum of squares of the hinge fit at each window's candidate kinks (rows
    padded to the longest), from suffix sums; which are near-degenerate; and each
    window's residual sum of squares about one straight line."""
    m = len(rows)
    lengths = np.array([len(t) for t, _ in rows])
    width = int(lengths.max())
    n_cands = max(len(c) for _, c, _ in batch)
    t = np.zeros((m, width))
    d = np.zeros((m, width))
    cand = np.zeros((m, n_cands))
    k = np.zeros((m, n_cands), dtype=np.intp)
    for j, ((tj, dj), (_, cj, kj)) in enumerate(zip(rows, batch, strict=True)):
        t[j, : len(tj)], d[j, : len(dj)] = tj, dj
        cand[j, : len(cj)], k[j, : len(kj)] = cj, kj
        k[j, len(kj) :] = len(tj)
        cand[j, len(cj) :] = tj[-1]
    inside = np.arange(width)[None, :] < lengths[:, None]
    n = lengths.astype(np.float64)[:, None]
    t_mean = t.sum(axis=1, keepdims=True) / n
    u = np.where(inside, t - t_mean, 0.0)
    y = np.where(inside, d - d.sum(axis=1, keepdims=True) / n, 0.0)
    # what one straight line leaves: the same fit, in metres of residual, not kilometres
    y = y - ((u * y).sum(axis=1, keepdims=True) / (u * u).sum(axis=1, keepdims=True)) * u

    def right_of_kink(a: np.ndarray) -> np.ndarray:
        suffix = np.zeros((m, width + 1))
        suffix[:, :-1] = np.cumsum(a[:, ::-1], axis=1)[:, ::-1]
        return np.take_along_axis(suffix, k, axis=1)

    n_r = (lengths[:, None] - k).astype(np.float64)
    su_r, suu_r = right_of_kink(u), right_of_kink(u * u)
    sy_r, suy_r = right_of_kink(y), right_of_kink(u * y)
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
    return sse, degenerate & ~flat, np.maximum(cyy[:, 0], 0.0)


def _direct_best(
    rows: list[tuple[np.ndarray, np.ndarray]], pairs: list[tuple[int, np.ndarray]]
) -> list[tuple[int, float]]:
    """The best of each shortlist, every fit solved directly (windows of one length
    batched together: the same sums, in the same order, as one window at a time)."""
    by_length: dict[int, list[tuple[int, np.ndarray]]] = {}
    for i, short in pairs:
        by_length.setdefault(len(rows[i][0]), []).append((i, short))
    found = []
    for group in by_length.values():
        t = np.stack([rows[i][0] for i, _ in group])
        d = np.stack([rows[i][1] for i, _ in group])
        counts = [len(short) for _, short in group]
        which = np.repeat(np.arange(len(group)), counts)
        cands = np.concatenate([short for _, short in group])
        sse = _direct_rows(t[which], d[which], cands)
        for j, part in enumerate(np.split(sse, np.cumsum(counts)[:-1])):
            found.append((group[j][0], float(group[j][1][np.argmin(part)])))
    return found


def _direct_rows(t: np.ndarray, d: np.ndarray, cands: np.ndarray) -> np.ndarray:
    """:func:`direct_sse` for one candidate per row of ``t`` and ``d`` (windows alike in
    length)."""
    x = t - cands[:, None]
    design = np.stack([np.ones_like(x), x, np.maximum(x, 0.0)], axis=2)
    gram = np.einsum("cni,cnj->cij", design, design) + RIDGE * np.eye(3)
    y = d - d.mean(axis=1, keepdims=True)
    rhs = np.einsum("cni,cn->ci", design, y)
    beta = np.linalg.solve(gram, rhs[..., None])[..., 0]
    resid = y - np.einsum("cni,ci->cn", design, beta)
    return (resid**2).sum(axis=1)


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
