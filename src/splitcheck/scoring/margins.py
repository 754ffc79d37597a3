"""Which lap times are exact (the runner's lap presses) and which GPS measured, how far
to trust the latter, and which mile verdicts survive that error (docs/guidance.md U1).

A verdict is judged only when its threshold lies outside the metric's 95 % interval over
draws of the lap errors (it holds in 97.5 % of them): otherwise the card says GPS cannot
tell, and how to make it tell (press lap at each 400 m).
"""

from __future__ import annotations

import numpy as np

from .. import metrics as m
from ..arrays import percentile
from ..metrics.laps import EVEN_CV_PCT, FAST_START_PCT, HALF_SPLIT_EVEN_BAND_PCT, KICK_MIN_PCT
from ..metrics.uncertainty import (
    DRAWS,
    Z90,
    GpsTiming,
    gps_jitter_m,
    lap_uncertainty_s,
    recording_of,
)

PRESS_MATCH_S = 0.05
"""A boundary within 0.05 s of a device lap's edge is that lap press."""
GPS_TRIGGERS = ("distance", "position_start", "position_lap", "position_waypoint",
                "position_marked")  # fmt: skip
"""Laps the watch cut by its own GPS distance: their edges carry GPS error."""
SURE_SHARE = 0.975
"""A verdict is judged when it holds in 97.5 % of the draws, i.e. its threshold lies
outside the metric's 95 % interval (2.5th-97.5th percentile); otherwise GPS cannot tell.
Wider than the laps' own 90 % intervals because a verdict rests on four laps at once: with
the 90 % interval one published mile in 288 verdicts (Bannister's CV of 3.03 % against the
3 % line) was judged wrong; with the 95 % interval none of 576, 438 right
(scripts/uncertainty_coverage.py --published)."""
TRACK_SUB_SPORTS = ("track", "indoor_track")


def timing_of(activity) -> GpsTiming:
    """The file's GPS timing: track fit or road, 1 s or smart recording, its jitter."""
    s = activity.samples
    track = activity.sub_sport in TRACK_SUB_SPORTS or m.on_track(s.lat_deg, s.lon_deg)
    return GpsTiming(
        route="track" if track else "road",
        recording=recording_of(s.elapsed_s),
        jitter_m=gps_jitter_m(s.elapsed_s, s.lat_deg, s.lon_deg),
        has_gps=bool(s.has("lat_deg") and np.isfinite(s.lat_deg).sum() >= 2),
    )


def pressed(activity, bounds_s) -> np.ndarray:
    """For each boundary time, whether the runner's lap press marks it (exact)."""
    edges = [
        t for lap in activity.laps if lap.trigger not in GPS_TRIGGERS
        for t in (lap.start_s, lap.end_s)
    ]  # fmt: skip
    b = np.asarray(bounds_s, dtype=np.float64)
    if not edges:
        return np.zeros(len(b), dtype=bool)
    e = np.asarray(edges, dtype=np.float64)
    return np.abs(b[:, None] - e[None, :]).min(axis=1) <= PRESS_MATCH_S


def boundary_sigmas_s(
    activity, starts_s, times_s, distances_m, *, trace_edges: bool = False, end_s=None
):
    """(90 % half-width of each lap, SD at each boundary, source, timing) for laps starting
    at ``starts_s``: source ``laps`` when every boundary was pressed, ``gps`` when none,
    else ``mixed``. ``trace_edges``: the ends were found in the pace trace (a rep without
    lap presses), whose error is the rep model's, not a GPS mark's. ``end_s``: where the
    last lap ends on the activity's clock, when its time shown is not its elapsed time (a
    lap timer paused, or longer than its whole-second stamps): the press is looked for
    there, not at its start plus its time."""
    starts = np.asarray(starts_s, dtype=np.float64)
    times = np.asarray(times_s, dtype=np.float64)
    last = starts[-1] + times[-1] if end_s is None else float(end_s)
    bounds = np.concatenate([starts, [last]])
    press = pressed(activity, bounds)
    timing = timing_of(activity)
    q90_m = timing.rep_q90_m if trace_edges else timing.lap_q90_m
    half, sigma_b = lap_uncertainty_s(times, distances_m, q90_m / Z90 / np.sqrt(2.0), press)
    source = "laps" if press.all() else "gps" if not press.any() else "mixed"
    return half, sigma_b, source, timing


def _cv(d, t):
    v = d / t
    return v.std(axis=1) / v.mean(axis=1) * 100.0


def _half(d, t):
    """Half split per draw for equal-distance laps (quarters) or any four laps."""
    cd = np.cumsum(d, axis=1)
    ct = np.cumsum(t, axis=1)
    half_d = cd[:, -1:] / 2.0
    zero = np.zeros((len(t), 1))
    cd0, ct0 = np.hstack([zero, cd]), np.hstack([zero, ct])
    k = (cd0 < half_d).sum(axis=1) - 1
    rows = np.arange(len(t))
    frac = (half_d[:, 0] - cd0[rows, k]) / (cd0[rows, k + 1] - cd0[rows, k])
    t1 = ct0[rows, k] + frac * (ct0[rows, k + 1] - ct0[rows, k])
    return (ct[:, -1] - 2.0 * t1) / t1 * 100.0


def _kick(d, t):
    v = d / t
    return v[:, -1] / v[:, 1:-1].mean(axis=1) * 100.0


def _too_fast(goal_speed_mps):
    def fn(d, t):
        v = d / t
        middle = v[:, 1:-1].mean(axis=1)
        if goal_speed_mps:
            lap1 = (v[:, 0] / goal_speed_mps - 1.0) * 100.0
            mid = (middle / goal_speed_mps - 1.0) * 100.0
        else:
            rest = d[:, 1:].sum(axis=1) / t[:, 1:].sum(axis=1)
            lap1 = (v[:, 0] / rest - 1.0) * 100.0
            mid = (middle / (d.sum(axis=1) / t.sum(axis=1)) - 1.0) * 100.0
        return (lap1 > FAST_START_PCT) & (mid < 0.0)

    return fn


def _band(x):
    return np.where(x > HALF_SPLIT_EVEN_BAND_PCT, 1, np.where(x < -HALF_SPLIT_EVEN_BAND_PCT, -1, 0))


def verdict_margins(dists, times, sigma_b_s, goal_speed_mps) -> dict:
    """The mile verdicts' 90 % intervals and whether each can be told from these laps.

    Keys: ``*_interval_pct`` (2.5th, 97.5th percentile) for evenness, half split and kick;
    ``sure`` (verdict name -> bool) for ``even``, ``halves``, ``kick``, ``start``."""
    t = np.asarray(times, dtype=np.float64)
    d = np.asarray(dists, dtype=np.float64)
    sb = np.asarray(sigma_b_s, dtype=np.float64)
    if not (sb > 0).any():
        return {"sure": dict.fromkeys(("even", "halves", "kick", "start"), True)}
    rng = np.random.default_rng(0)
    e = rng.standard_normal((DRAWS, len(sb))) * sb
    dt = np.maximum(t + np.diff(e, axis=1), 1e-3)
    dd = np.broadcast_to(d, dt.shape)
    cv, half, kick = _cv(dd, dt), _half(dd, dt), _kick(dd, dt)
    fast = _too_fast(goal_speed_mps)(dd, dt)

    def share(x) -> float:
        return float(np.mean(x))

    bands = _band(half)
    modal = max(share(bands == k) for k in (-1, 0, 1))
    sure = {
        "even": max(share(cv <= EVEN_CV_PCT), share(cv > EVEN_CV_PCT)) >= SURE_SHARE,
        "halves": modal >= SURE_SHARE,
        "kick": max(share(kick >= KICK_MIN_PCT), share(kick < KICK_MIN_PCT)) >= SURE_SHARE,
        "start": max(share(fast), share(~fast)) >= SURE_SHARE,
    }
    return {
        "evenness_cv_interval_pct": _pct_interval(cv),
        "half_split_interval_pct": _pct_interval(half),
        "kick_interval_pct": _pct_interval(kick),
        "sure": sure,
    }


def _pct_interval(x) -> list[float]:
    lo, hi = percentile(x, [2.5, 97.5])
    return [round(float(lo), 2), round(float(hi), 2)]


def margin_metrics(mx: dict, dists, times, sigma_b_s, goal_speed_mps, source: str, timing) -> dict:
    """Keys the card adds for GPS-timed laps: ``time_source``, ``gps_timing``, the 90 %
    intervals, ``cannot_tell`` (verdicts not judged) and ``has_kick`` /
    ``went_out_too_fast`` set to None when GPS cannot tell them."""
    out: dict = {"time_source": source, "gps_timing": None, "cannot_tell": []}
    if source == "laps":
        return out
    mg = verdict_margins(dists, times, sigma_b_s, goal_speed_mps)
    sure = mg.pop("sure")
    out.update(mg)
    out["gps_timing"] = timing.describe()
    out["cannot_tell"] = [k for k in ("even", "start", "halves", "kick") if not sure[k]]
    if not sure["kick"]:
        out["has_kick"] = None
    if not sure["start"]:
        out["went_out_too_fast"] = None
    return out


def fade_told(reps, threshold_s_per_km: float) -> tuple[bool, list[float]]:
    """Can GPS tell whether the reps' fade (OLS slope of pace over reps, s/km per rep) is
    above ``threshold_s_per_km``? Draws each rep's time within its uncertainty (90 %
    half-width ``uncertainty_s``; exact reps do not move). Returns (told, 95 % interval)."""
    t = np.array([r.time_s for r in reps], dtype=np.float64)
    d = np.array([r.distance_m for r in reps], dtype=np.float64)
    sd = np.array([r.uncertainty_s for r in reps], dtype=np.float64) / Z90
    if len(t) < 2 or not (sd > 0).any():
        return True, []
    rng = np.random.default_rng(0)
    draws = t + rng.standard_normal((DRAWS, len(t))) * sd
    paces = draws / d * 1000.0
    x = np.arange(len(t), dtype=np.float64) - (len(t) - 1) / 2.0
    slopes = (paces - paces.mean(axis=1, keepdims=True)) @ x / (x @ x)
    above = float(np.mean(slopes > threshold_s_per_km))
    return max(above, 1.0 - above) >= SURE_SHARE, _pct_interval(slopes)


def consistency_told(reps, groups: list[list[int]], threshold_pct: float) -> bool:
    """Can GPS tell whether the reps' consistency (rep-pace CV within each distance,
    weighted by reps) is above ``threshold_pct``? Draws each rep's time within its
    uncertainty, as :func:`fade_told`."""
    t = np.array([r.time_s for r in reps], dtype=np.float64)
    d = np.array([r.distance_m for r in reps], dtype=np.float64)
    sd = np.array([r.uncertainty_s for r in reps], dtype=np.float64) / Z90
    groups = [g for g in groups if len(g) > 1]
    if not groups or not (sd > 0).any():
        return True
    rng = np.random.default_rng(0)
    paces = (t + rng.standard_normal((DRAWS, len(t))) * sd) / d * 1000.0
    total = np.zeros(DRAWS)
    for g in groups:
        p = paces[:, g]
        total += p.std(axis=1) / p.mean(axis=1) * 100.0 * len(g)
    cv = total / sum(len(g) for g in groups)
    above = float(np.mean(cv > threshold_pct))
    return max(above, 1.0 - above) >= SURE_SHARE
