"""The continuous two-line (hinge) fit behind every refined bout edge, in linear time.

For a kink at c the model is d = a + b (t - c) + k max(0, t - c). Its least-squares
residual for every candidate c comes from running sums over the samples right of c
(count, sum of t, of t^2, of d, of t d: one suffix sum each), so all candidates cost
O(samples + candidates) instead of O(samples x candidates). The few candidates whose
residual is within rounding of the best (:data:`SHORTLIST_RTOL`) are then solved directly,
as the original fit did, so the kink chosen is the same to the bit, ties included.

Candidates come ten to a second (0.1 s steps between 1 s samples), so they, not the
samples, set the cost: between two samples the residual of any kink is at least that of
two separate lines either side (from prefix and suffix sums, once per sample), and only
the gaps whose bound comes near the best residual are evaluated candidate by candidate
(:data:`PRUNE_TOLERANCES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


PRUNE_TOLERANCES = 10.0
"""Candidates between two samples are evaluated one by one only when the lower bound of
their residual there (two separate lines) is within 10 shortlist tolerances of the best
residual found at the first candidate of every such gap: skipped ones can be neither
the best nor near it. The running sums' residual of a candidate close to the degenerate
threshold is off by up to most of one tolerance (the bound exceeded it by 0.75 of one
at worst over 4,000 windows of the real and simulated files); 10 leave room."""


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
    window has no candidate: running-sum residuals of the candidates (every window's
    sums padded into one array, the candidates flat), then a direct solve of any
    shortlist of more than one.

    Only the candidates between samples whose lower bound (:func:`_split_line_sse`)
    comes within :data:`PRUNE_TOLERANCES` of the best residual found at each gap's first
    candidate are evaluated one by one (with those first ones, 15 % of the candidates of
    the 128 x 400 m benchmark's edges, 36 % of an 8 h easy run's, where the fits find no
    clear kink): the others can be neither the best nor within the shortlist's tolerance
    of it, so the kink is the same."""
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
    m = len(a)
    flat = np.concatenate(cand_rows)
    row = np.repeat(np.arange(m), n_cands)
    idx = a[:, None] + np.arange(int((b - a).max()))[None, :]
    inside = idx < b[:, None]
    idx = np.minimum(idx, len(t_all) - 1)
    k = _samples_left(flat, n_cands, t_all[idx][inside], np.repeat(np.arange(m), b - a), step_s)
    sums = _window_sums(t_all[idx], d_all[idx], inside)
    tolerance = sums.tolerance
    # each gap between two samples: its first candidate's residual, and a lower bound
    gap_start = np.ones(len(flat), dtype=bool)
    gap_start[1:] = (k[1:] != k[:-1]) | (row[1:] != row[:-1])
    first = np.flatnonzero(gap_start)
    sse, degenerate = _sse_at(sums, row[first], flat[first], k[first])
    row_first = np.searchsorted(row[first], np.arange(m))
    bound = np.minimum.reduceat(np.where(degenerate, np.inf, sse), row_first)
    lower = _split_line_sse(sums)[row[first], k[first]]
    keep_gap = ~(lower > bound[row[first]] + PRUNE_TOLERANCES * tolerance[row[first]])
    sel = np.flatnonzero(keep_gap[np.cumsum(gap_start) - 1])
    row, cand = row[sel], flat[sel]
    sse, degenerate = _sse_at(sums, row, cand, k[sel])
    row_sel = np.searchsorted(row, np.arange(m))
    best = np.minimum.reduceat(np.where(degenerate, np.inf, sse), row_sel)
    near = degenerate | ~(sse > best[row] + tolerance[row])
    counts = np.bincount(row[near], minlength=m)
    hits = np.flatnonzero(near)
    first_hit = hits[np.searchsorted(row[hits], np.arange(m))]
    rows_has = np.flatnonzero(has)
    single = counts == 1
    out[rows_has[single]] = cand[first_hit[single]]
    for j in np.flatnonzero(~single):  # rare: near-ties, solved as the original fit did
        t, d = t_all[a[j] : b[j]], d_all[a[j] : b[j]]
        short = cand[near & (row == j)]
        out[rows_has[j]] = short[np.argmin(direct_sse(t, d, short))]
    return out


def _samples_left(
    flat: np.ndarray, n_cands: np.ndarray, t: np.ndarray, t_row: np.ndarray, step_s: float
) -> np.ndarray:
    """For each candidate kink (``flat``: each window's ``n_cands`` sorted candidates in
    turn), how many of its window's samples (``t``, window ``t_row``) lie at or before
    it: each sample's place among its window's candidates (``np.searchsorted(..., 'left')``,
    from the candidates' even step and corrected to the exact place), then counted per
    window. The same as searching every candidate among the run's samples, for a tenth
    of the look-ups."""
    offset = np.concatenate([[0], np.cumsum(n_cands)])
    first = flat[offset[:-1]]
    second = flat[np.minimum(offset[:-1] + 1, offset[1:] - 1)]
    step = np.where(n_cands > 1, second - first, step_s)[t_row]
    n = n_cands[t_row]
    base = offset[:-1][t_row]
    with np.errstate(invalid="ignore"):
        place = np.clip(np.ceil((t - first[t_row]) / step), 0, n).astype(np.intp)
    for _ in range(8):  # the estimate is off by a step at most, from rounding
        up = (place < n) & (flat[np.minimum(base + place, len(flat) - 1)] < t)
        down = (place > 0) & (flat[np.maximum(base + place - 1, 0)] >= t)
        if not (up.any() or down.any()):
            break
        place += up.astype(np.intp) - down.astype(np.intp)
    else:  # never seen; exact all the same
        place = np.array([
            np.searchsorted(flat[offset[r] : offset[r + 1]], x, side="left")
            for r, x in zip(t_row.tolist(), t.tolist(), strict=True)
        ])  # fmt: skip
    # sample j counts for every candidate from its place on: a count per slot, summed up
    slots = place + base + t_row  # one slot more per window, for samples after its last
    counts = np.cumsum(np.bincount(slots, minlength=len(flat) + len(n_cands)))
    row_start = counts[offset[:-1] + np.arange(len(n_cands)) - 1]
    row_start[0] = 0
    cand_row = np.repeat(np.arange(len(n_cands)), n_cands)
    return counts[np.arange(len(flat)) + cand_row] - row_start[cand_row]


@dataclass(frozen=True)
class _Sums:
    """Per window (a row): sample count, mean time, the centred times ``u`` and the
    distance's residual ``y`` from one straight line, their sums and co-sums, prefix and
    suffix sums of (u, u^2, y, u y, y^2) by samples left, and the shortlist tolerance."""

    lengths: np.ndarray
    t_mean: np.ndarray
    t_last: np.ndarray
    su: np.ndarray
    sy: np.ndarray
    cuu: np.ndarray
    cyy: np.ndarray
    cuy: np.ndarray
    prefix: np.ndarray
    suffix: np.ndarray
    tolerance: np.ndarray


def _window_sums(t: np.ndarray, d: np.ndarray, inside: np.ndarray) -> _Sums:
    """The running sums of each window (one a row, samples where ``inside``)."""
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
    stacked = np.stack([u, u * u, y, u * y, y * y])
    suffix = np.zeros((5, m, width + 1))
    suffix[:, :, :-1] = np.cumsum(stacked[:, :, ::-1], axis=2)[:, :, ::-1]
    prefix = np.zeros((5, m, width + 1))
    np.cumsum(stacked, axis=2, out=prefix[:, :, 1:])
    su = u.sum(axis=1)
    sy = y.sum(axis=1)
    cuu = (u * u).sum(axis=1) - su * su / n[:, 0]
    cyy = (y * y).sum(axis=1) - sy * sy / n[:, 0]
    cuy = (u * y).sum(axis=1) - su * sy / n[:, 0]
    tolerance = SHORTLIST_RTOL * np.maximum(cyy, 0.0) + SHORTLIST_ATOL * spread
    t_last = t[np.arange(m), lengths - 1]
    return _Sums(lengths, t_mean[:, 0], t_last, su, sy, cuu, cyy, cuy, prefix, suffix, tolerance)


def _sse_at(
    w: _Sums, row: np.ndarray, cand: np.ndarray, k: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Residual sum of squares of the hinge fit at kinks ``cand`` [s] of windows ``row``
    (``k`` samples left of each), from the suffix sums; and which are near-degenerate."""
    su_r, suu_r, sy_r, suy_r = w.suffix[:4, row, k]
    n = w.lengths[row].astype(np.float64)
    n_r = n - k
    uc = cand - w.t_mean[row]
    sh = su_r - n_r * uc
    shh = suu_r - 2.0 * uc * su_r + n_r * uc * uc
    suh = suu_r - uc * su_r
    syh = suy_r - uc * sy_r
    su, sy, cuu, cyy, cuy = w.su[row], w.sy[row], w.cuu[row], w.cyy[row], w.cuy[row]
    chh = shh - sh * sh / n
    cuh = suh - su * sh / n
    cyh = syh - sy * sh / n
    det = cuu * chh - cuh * cuh
    with np.errstate(divide="ignore", invalid="ignore"):
        explained = (chh * cuy * cuy - 2.0 * cuh * cuy * cyh + cuu * cyh * cyh) / det
    sse = cyy - explained
    degenerate = ~(det > DEGENERATE * cuu * chh) | ~np.isfinite(explained)
    flat = w.t_last[row] - cand < NEGLIGIBLE_HINGE_S  # no sample right of the kink to bend
    return np.where(flat, cyy, sse), degenerate & ~flat


def _split_line_sse(w: _Sums) -> np.ndarray:
    """For each window (row) and each count k of samples left of a kink: the residual of
    two separate straight lines, one through the k samples left, one through the rest.
    A continuous hinge with its kink anywhere between those samples is one such pair of
    lines, so its residual is never lower: a lower bound for every candidate there."""
    k = np.arange(w.prefix.shape[2], dtype=np.float64)[None, :]
    n_right = w.lengths[:, None] - k
    return _line_sse(k, w.prefix) + np.where(n_right > 0, _line_sse(n_right, w.suffix), 0.0)


def _line_sse(n: np.ndarray, sums: np.ndarray) -> np.ndarray:
    """Residual of the least-squares line through n samples with sums (u, u^2, y, u y,
    y^2); 0 through fewer than 3 (a line fits them exactly) or a single time."""
    su, suu, sy, suy, syy = sums
    with np.errstate(divide="ignore", invalid="ignore"):
        cuu = suu - su * su / n
        cuy = suy - su * sy / n
        cyy = syy - sy * sy / n
        sse = cyy - cuy * cuy / cuu
    return np.where((n >= 3) & (cuu > 0) & np.isfinite(sse), sse, 0.0)


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
