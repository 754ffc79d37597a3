"""Rests rewritten in real sessions (in memory; the files stay as they are).

A real session's recoveries (the stretches between its true reps) are replaced by a
standing rest of a chosen length, with the watch running (samples at 1 Hz, no distance
added, speed and cadence 0) or paused (no samples, a timer pause). Every sample after a
rest moves in time by the change of the rest's length and in distance by the recovery's
distance; laps move with their samples. The reps themselves stay exactly as recorded, so
their truth (start, duration, distance) moves by known amounts.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from splitcheck.model import Activity, Pause


def _shift(t: float, cuts: list[tuple[float, float, float]]) -> float:
    """Time ``t`` after the rests: ``cuts`` are (recovery start, recovery end, new rest
    length); a time inside a recovery goes to the rest's end."""
    out = t
    for a, b, rest in cuts:
        if t >= b:
            out += rest - (b - a)
        elif t > a:  # inside the recovery: to the rest's nearer end
            out += a - t if t - a < (b - a) / 2 else (a + rest) - t
    return out


def _with_samples_at(samples, times_s: list[float]):
    """``samples`` with one more sample at each of ``times_s`` that has none: its
    distance interpolated (where the runner was then), its other columns the previous
    sample's. Each rep then keeps, once its recoveries are cut, the distance it covered
    up to its lap's exact end, and starts at its lap's distance: with smart recording
    (samples 1-8 s apart) the last sample before a lap's end can be 20-40 m short of it,
    and that stretch would otherwise move into the next rep's start."""
    t = samples.elapsed_s
    new = np.array([x for x in times_s if not np.any(t == x)])
    if not len(new):
        return samples
    ok = np.isfinite(samples.distance_m)
    prev = np.maximum(np.searchsorted(t, new, side="right") - 1, 0)
    cols = {}
    for k, v in samples.columns().items():
        extra = v[prev].copy()
        if k == "elapsed_s":
            extra = new
        elif k == "distance_m":
            extra = np.interp(new, t[ok], v[ok])
        cols[k] = np.concatenate([v, extra])
    order = np.argsort(cols["elapsed_s"], kind="stable")
    return samples.from_columns(**{k: v[order] for k, v in cols.items()})


def with_rests(
    activity: Activity, reps: list[dict], rest_s: float, *, paused: bool = False
) -> tuple[Activity, list[dict]]:
    """``activity`` with each recovery between ``reps`` (truth dicts with start_s and
    duration_s) replaced by ``rest_s`` of standing, and the reps' truth moved with it."""
    cuts = [
        (r["start_s"] + r["duration_s"], n["start_s"], rest_s)
        for r, n in zip(reps[:-1], reps[1:], strict=True)
    ]
    s = _with_samples_at(activity.samples, [x for a, b, _ in cuts for x in (a, b)])
    t, d = s.elapsed_s, s.distance_m
    keep = np.ones(len(t), dtype=bool)
    for a, b, _ in cuts:
        keep &= ~((t > a) & (t < b))
    cols = {k: v[keep].copy() for k, v in s.columns().items()}
    new_t = np.array([_shift(x, cuts) for x in cols["elapsed_s"]])
    drop = np.zeros(len(new_t))
    for a, b, _ in cuts:
        gone = float(np.interp(b, t, d) - np.interp(a, t, d))
        drop[cols["elapsed_s"] >= b] += gone
    cols["distance_m"] = cols["distance_m"] - drop
    cols["elapsed_s"] = new_t
    pauses = [Pause(_shift(p.start_s, cuts), _shift(p.end_s, cuts)) for p in activity.pauses]
    if not paused:  # the watch runs on: one still sample a second through each rest
        extra = []
        for a, _, rest in cuts:
            at = _shift(a, cuts)
            i = int(np.searchsorted(new_t, at, side="right")) - 1
            times = at + np.arange(1.0, rest)
            row = {k: np.repeat(v[i], len(times)) for k, v in cols.items()}
            row["elapsed_s"] = times
            row["speed_mps"] = np.zeros(len(times))
            row["cadence_spm"] = np.zeros(len(times))
            extra.append(row)
        for row in extra:
            cols = {k: np.concatenate([cols[k], row[k]]) for k in cols}
        order = np.argsort(cols["elapsed_s"], kind="stable")
        cols = {k: v[order] for k, v in cols.items()}
    else:
        pauses += [Pause(_shift(a, cuts) + 1.0, _shift(a, cuts) + rest) for a, _, rest in cuts]
        pauses.sort(key=lambda p: p.start_s)
    samples = s.from_columns(n=len(cols["elapsed_s"]), **cols)
    ok = np.isfinite(cols["distance_m"])
    laps = []
    for lap in activity.laps:
        a, b = _shift(lap.start_s, cuts), _shift(lap.end_s, cuts)
        d = np.interp([a, b], cols["elapsed_s"][ok], cols["distance_m"][ok])
        laps.append(dataclasses.replace(lap, start_s=a, end_s=b, distance_m=float(d[1] - d[0])))
    moved = [r | {"start_s": _shift(r["start_s"], cuts)} for r in reps]
    changes = {"samples": samples, "laps": tuple(laps), "pauses": tuple(pauses)}
    return activity.with_changes(**changes), moved


def faster_stretch(activity: Activity, start_s: float, end_s: float, factor: float) -> Activity:
    """``activity`` with the running between ``start_s`` and ``end_s`` done ``factor``
    times faster (its samples' times compressed; later samples earlier by the time saved)."""
    s = activity.samples
    t = s.elapsed_s.copy()
    inside = (t > start_s) & (t <= end_s)
    t[inside] = start_s + (t[inside] - start_s) / factor
    saved = (end_s - start_s) * (1 - 1 / factor)
    t[s.elapsed_s > end_s] -= saved
    speed = s.speed_mps.copy()
    speed[inside] *= factor

    def moved(x: float) -> float:
        if x > end_s:
            return x - saved
        return start_s + (x - start_s) / factor if x > start_s else x

    laps = tuple(
        dataclasses.replace(lap, start_s=moved(lap.start_s), end_s=moved(lap.end_s))
        for lap in activity.laps
    )
    return activity.with_changes(samples=s.replace(elapsed_s=t, speed_mps=speed), laps=laps)
