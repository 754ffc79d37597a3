"""The segmentation's hot functions as they were before they were made linear in the
run's length (whole-run masks, a design matrix per candidate kink, 30 two-means
iterations, an ``np.unique`` per look-up): the reference the fast ones are checked
against, result for result (tests/test_segment_speed.py)."""

from __future__ import annotations

import numpy as np

from splitcheck.segment import intervals as iv
from splitcheck.segment.intervals import (
    HINGE_STEP_S,
    MIN_KEPT_FRACTION,
    MIN_OUTSIDE_FRACTION,
    MIN_REP_VS_RUNNING,
    RUNNING_MPS,
    SETTLE_FRACTION,
    SETTLE_S,
    Bout,
)
from splitcheck.segment.trace import rolling_median


def speed_clusters(trace, smooth_s=1.0, floor_mps=iv.MOVING_SPEED_MPS):
    v = rolling_median(trace.v_mps, int(smooth_s) | 1)
    v = v[v > floor_mps]
    if len(v) < 10:
        return np.nan, np.nan, 0.0
    slow, fast = np.percentile(v, [25, 90])
    for _ in range(30):
        cut = (slow + fast) / 2
        lo, hi = v[v <= cut], v[v > cut]
        if len(lo) == 0 or len(hi) == 0:
            return float(np.median(v)), float(np.median(v)), 0.0
        slow, fast = float(lo.mean()), float(hi.mean())
    w = len(hi) / len(v)
    between = w * (1 - w) * (fast - slow) ** 2
    total = float(v.var())
    return slow, fast, between / total if total > 0 else 0.0


def hinge_kink(trace, guess_s, half_window_s):
    lo, hi = guess_s - half_window_s, guess_s + half_window_s
    sel = (trace.raw_t_s >= lo) & (trace.raw_t_s <= hi)
    t, d = trace.raw_t_s[sel], trace.raw_d_m[sel]
    if len(t) < 5:
        sel = (trace.t_s >= lo) & (trace.t_s <= hi)
        t, d = trace.t_s[sel], trace.d_m[sel]
    if len(t) < 4:
        return guess_s
    cands = np.arange(t[0] + HINGE_STEP_S, t[-1], HINGE_STEP_S)
    if len(cands) == 0:
        return guess_s
    x = t[None, :] - cands[:, None]
    design = np.stack([np.ones_like(x), x, np.maximum(x, 0.0)], axis=2)
    gram = np.einsum("cni,cnj->cij", design, design) + 1e-9 * np.eye(3)
    rhs = np.einsum("cni,n->ci", design, d - d.mean())
    beta = np.linalg.solve(gram, rhs[..., None])[..., 0]
    resid = (d - d.mean())[None, :] - np.einsum("cni,ci->cn", design, beta)
    return float(cands[np.argmin((resid**2).sum(axis=1))])


def local_edges(trace, b, prev_end, next_start):
    t, v = trace.t_s, trace.v_mps
    inside = (t >= b.start_s) & (t <= b.end_s)
    v_rep = float(np.percentile(v[inside], 75))
    before = (t >= prev_end) & (t < b.start_s)
    after = (t > b.end_s) & (t <= next_start)
    v_before = float(np.median(v[before])) if before.any() else 0.0
    v_after = float(np.median(v[after])) if after.any() else 0.0
    w = int(SETTLE_S / (t[1] - t[0])) if len(t) > 1 else 1
    lo = np.searchsorted(t, b.start_s - SETTLE_S)
    hi = np.searchsorted(t, b.end_s + SETTLE_S)
    seg_t, seg_v = t[lo:hi], v[lo:hi]
    if len(seg_v) <= w:
        return b.start_s, b.end_s
    windows = np.lib.stride_tricks.sliding_window_view(seg_v, w).min(axis=1)
    up = np.flatnonzero(windows >= v_before + SETTLE_FRACTION * (v_rep - v_before))
    down = np.flatnonzero(windows >= v_after + SETTLE_FRACTION * (v_rep - v_after))
    start = float(seg_t[up[0]]) if len(up) else b.start_s
    end = float(seg_t[down[-1] + w - 1]) if len(down) else b.end_s
    if end - start < MIN_KEPT_FRACTION * (b.end_s - b.start_s):
        return b.start_s, b.end_s
    return start, end


def faster_than_running(trace, bouts):
    running = trace.v_mps > RUNNING_MPS
    if not bouts or not running.any():
        return bouts
    inside = np.zeros(len(trace.t_s), dtype=bool)
    for b in bouts:
        inside |= (trace.t_s >= b.start_s) & (trace.t_s <= b.end_s)
    outside = running & ~inside
    pool = outside if outside.sum() >= MIN_OUTSIDE_FRACTION * running.sum() else running
    reference = float(np.median(trace.v_mps[pool]))
    keep = []
    for b in bouts:
        inside_b = (trace.t_s >= b.start_s) & (trace.t_s <= b.end_s)
        if inside_b.any() and trace.v_mps[inside_b].mean() >= MIN_REP_VS_RUNNING * reference:
            keep.append(b)
    return keep


def time_at(self, d_m, *, last=False):
    d, t = self.raw_d_m, self.raw_t_s
    if last:
        _, idx = np.unique(d[::-1], return_index=True)
        idx = len(d) - 1 - idx
    else:
        _, idx = np.unique(d, return_index=True)
    return np.interp(d_m, d[idx], t[idx])


def refine_bouts(trace, bouts):
    t_first, t_last = float(trace.t_s[0]), float(trace.t_s[-1])
    out = []
    for i, b in enumerate(bouts):
        prev_end = bouts[i - 1].end_s if i else t_first
        next_start = bouts[i + 1].start_s if i + 1 < len(bouts) else t_last
        a, z = local_edges(trace, b, prev_end, next_start)
        dur = z - a
        start = hinge_kink(trace, a, iv._half_window(a - prev_end, dur))
        end = hinge_kink(trace, z, iv._half_window(dur, next_start - z))
        start, end = max(start - iv.START_LAG_S, t_first), max(end - iv.END_LAG_S, t_first)
        start, end = iv._restart(trace, start, end), iv._stop(trace, z, end)
        if out:
            start = max(start, out[-1].end_s)
        if end - start >= iv.MIN_WORK_S:
            out.append(Bout(start, end))
    return out


def outer_edges(trace, bouts):
    from splitcheck.segment import regular as rg

    t, v = trace.t_s, trace.v_mps
    first, last = bouts[0], bouts[-1]
    before = v[(t >= first.start_s - rg.OUTER_WINDOW_S) & (t < first.start_s)]
    if len(before) and np.median(before) > RUNNING_MPS:
        size, typical, back = rg._typical(trace, bouts, 0)
        long_first = size(first) > rg.LONG_EDGE * typical
        guess = back(first.end_s, -typical) if long_first else first.start_s
        hw = min(0.45 * (first.end_s - guess), rg.OUTER_WINDOW_S)
        start = hinge_kink(trace, guess, hw) - iv.START_LAG_S
        bouts = rg._closer(trace, bouts, 0, Bout(start, first.end_s))
    after = v[(t > last.end_s) & (t <= last.end_s + rg.OUTER_WINDOW_S)]
    if len(after) and np.median(after) > RUNNING_MPS:
        size, typical, back = rg._typical(trace, bouts, len(bouts) - 1)
        guess = back(last.start_s, typical) if size(last) > rg.LONG_EDGE * typical else last.end_s
        hw = min(0.45 * (guess - last.start_s), rg.OUTER_WINDOW_S)
        end = hinge_kink(trace, guess, hw) - iv.END_LAG_S
        bouts = rg._closer(trace, bouts, len(bouts) - 1, Bout(last.start_s, end))
    return bouts


def fastest_stretch(trace, distance_m, *, name="", within=None):
    """efforts.fastest_stretch before its sorted distances were kept per trace and the
    candidate starts merged (two np.unique calls per call)."""
    from splitcheck.segment.types import Effort

    d = trace.raw_d_m
    lo_d, hi_d = float(d[0]), float(d[-1])
    if within is not None:
        lo_d, hi_d = (float(x) for x in trace.distance_at(np.asarray(within, dtype=float)))
    if hi_d - lo_d < distance_m:
        return None
    corners = np.unique(d)
    starts = np.concatenate([corners, corners - distance_m, [lo_d, hi_d - distance_m]])
    starts = np.unique(starts[(starts >= lo_d) & (starts <= hi_d - distance_m)])
    t_start = trace.time_at(starts, last=True)
    t_end = trace.time_at(starts + distance_m)
    dur = t_end - t_start
    i = int(np.argmin(dur))
    if not dur[i] > 0:
        return None
    return Effort(
        start_s=float(t_start[i]), end_s=float(t_end[i]), distance_m=distance_m, name=name
    )


def split_two_level(trace, bouts, min_work_s, step_s):
    """twolevel.split_two_level before it tested the kinks first: a hinge fit over every
    long bout, one at a time, and a median per bout."""
    from splitcheck.segment import twolevel as tl

    if len(bouts) < 3:
        return bouts
    dur = np.array([b.end_s - b.start_s for b in bouts])
    out = []
    for i, b in enumerate(bouts):
        if dur[i] <= tl.TWO_LEVEL_LONG * np.median(np.delete(dur, i)):
            out.append(b)
            continue
        half = (b.end_s - b.start_s) / 2
        kink = iv.hinge_kink(trace, b.start_s + half, half)
        d = trace.distance_at(np.array([b.start_s, kink, b.end_s]))
        first = (d[1] - d[0]) / max(kink - b.start_s, 1e-9)
        second = (d[2] - d[1]) / max(b.end_s - kink, 1e-9)
        if second >= tl.TWO_LEVEL_RATIO * first and b.end_s - kink >= min_work_s:
            out.append(Bout(kink, b.end_s))
        elif first >= tl.TWO_LEVEL_RATIO * second and kink - b.start_s >= min_work_s:
            out.append(Bout(b.start_s, kink))
        else:
            out.append(b)
    return out


def use_reference(monkeypatch) -> None:
    """Swap the reference implementations in (pytest's monkeypatch undoes it)."""
    from splitcheck.segment import regular as rg
    from splitcheck.segment.trace import Trace

    for module in (iv, rg):
        monkeypatch.setattr(module, "speed_clusters", speed_clusters)
        monkeypatch.setattr(module, "hinge_kink", hinge_kink)
    monkeypatch.setattr(iv, "_local_edges", local_edges)
    monkeypatch.setattr(iv, "_faster_than_running", faster_than_running)
    monkeypatch.setattr(iv, "refine_bouts", refine_bouts)
    monkeypatch.setattr(iv, "split_two_level", split_two_level)
    monkeypatch.setattr(rg, "_outer_edges", outer_edges)
    monkeypatch.setattr(Trace, "time_at", time_at)
    from splitcheck.segment import efforts, mile

    for module in (efforts, mile):
        monkeypatch.setattr(module, "fastest_stretch", fastest_stretch)
