"""Long bouts that are easy running joined to a rep, cut at the change of pace.

A bout much longer than the others (:data:`TWO_LEVEL_LONG`) is cut at the kink of a hinge
fit over the whole bout when one side is :data:`TWO_LEVEL_RATIO` faster than the other.
A long run's slow stretches pass the length test by the dozen and are never cut, and a
fit over a bout of many minutes is the costliest of the segmentation, so the speed test
is made first at every kink the fit could choose (:func:`.hinge.kink_candidates`: the
candidates of its window and its fallback), with the same arithmetic as the cut itself,
for all long bouts at once; only the bouts that some kink would cut are fitted, together
(:func:`.hinge.hinge_kinks`). A bout no kink would cut is kept whole whichever kink the
fit picks, so the bouts are the same as fitting every long bout.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .hinge import hinge_kinks, kink_candidates

TWO_LEVEL_LONG = 2.0
TWO_LEVEL_RATIO = 1.25
"""A bout over twice the others' median length whose two parts, either side of the best
hinge kink, differ in speed by 25 % or more (``intervals.MIN_CLUSTER_RATIO``) is easy
running joined to a rep (a warm-up run faster than the walk recoveries): only the faster
part is a bout."""


def split_two_level(trace, bouts: list, min_work_s: float, step_s: float) -> list:
    """``bouts`` (frozen dataclasses with ``start_s``, ``end_s``) with easy running joined
    to them cut off: a part shorter than ``min_work_s`` [s] is never cut off; ``step_s``
    is the hinge fit's step."""
    if len(bouts) < 3:
        return bouts
    dur = np.array([b.end_s - b.start_s for b in bouts])
    long = np.flatnonzero(dur > TWO_LEVEL_LONG * medians_without_each(dur)).tolist()
    halves = {i: (bouts[i].end_s - bouts[i].start_s) / 2 for i in long}
    kinks = [kink_candidates(trace, bouts[i].start_s + halves[i], halves[i], step_s) for i in long]
    fit = [i for i, c in zip(long, _could_cut(trace, [bouts[i] for i in long], kinks,
                                              min_work_s), strict=True) if c]  # fmt: skip
    if not fit:
        return bouts
    guesses = [bouts[i].start_s + halves[i] for i in fit]
    out = list(bouts)
    for i, kink in zip(fit, hinge_kinks(trace, guesses, [halves[i] for i in fit], step_s),
                       strict=True):  # fmt: skip
        b = bouts[i]
        d = trace.distance_at(np.array([b.start_s, kink, b.end_s]))
        first = (d[1] - d[0]) / max(kink - b.start_s, 1e-9)
        second = (d[2] - d[1]) / max(b.end_s - kink, 1e-9)
        if second >= TWO_LEVEL_RATIO * first and b.end_s - kink >= min_work_s:
            out[i] = dataclasses.replace(b, start_s=kink)
        elif first >= TWO_LEVEL_RATIO * second and kink - b.start_s >= min_work_s:
            out[i] = dataclasses.replace(b, end_s=kink)
    return out


def medians_without_each(x: np.ndarray) -> np.ndarray:
    """``np.median(np.delete(x, i))`` for every i, from one sort: leaving out the value
    of rank r shifts the middle rank(s) by one when they sit at or above r (ties leave
    the same values whichever of them is left out)."""
    s = np.sort(x)
    rank = np.empty(len(x), dtype=np.intp)
    rank[np.argsort(x, kind="stable")] = np.arange(len(x))
    m = len(x) - 1  # values left

    def kth(k: int) -> np.ndarray:  # the k-th smallest of what is left, for each i
        return np.where(k < rank, s[k], s[min(k + 1, m)])

    if m % 2:
        return kth(m // 2)
    return (kth(m // 2 - 1) + kth(m // 2)) / 2


def _could_cut(trace, bouts: list, kinks: list[np.ndarray], min_work_s: float) -> list[bool]:
    """Would :func:`split_two_level` cut each bout at any of its kinks [s]? The same
    arithmetic, element for element (an interpolation is made point by point), so False
    means it keeps the bout whole."""
    if not bouts:
        return []
    n = np.array([len(k) for k in kinks])
    c = np.concatenate(kinks)
    s = np.repeat([b.start_s for b in bouts], n)
    e = np.repeat([b.end_s for b in bouts], n)
    d0, d1 = np.repeat(trace.distance_at(np.array([[b.start_s, b.end_s] for b in bouts])).T, n,
                       axis=1)  # fmt: skip
    d = trace.distance_at(c)
    first = (d - d0) / np.maximum(c - s, 1e-9)
    second = (d1 - d) / np.maximum(e - c, 1e-9)
    later = (second >= TWO_LEVEL_RATIO * first) & (e - c >= min_work_s)
    earlier = (first >= TWO_LEVEL_RATIO * second) & (c - s >= min_work_s)
    return np.logical_or.reduceat(later | earlier, np.cumsum(n) - n).tolist()
