"""Pacing of one hard effort split into laps: evenness, half split, kick, start, shape.

Lap i has distance d_i (m) and time t_i (s); its speed is v_i = d_i / t_i. Laps are
compared by SPEED, never by raw time, because a track mile's first lap is 409.344 m
(guidance.md section 1). Definitions and reference numbers: pacing-science.md,
"Definitions" and "Published mile splits".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EVEN_CV_PCT = 3.0
"""Lap-speed CV at or below which laps count as even (guidance.md section 1, default;
world-record miles 1.0-3.0 %, Foster, de Koning & Thiel 2014)."""
HALF_SPLIT_EVEN_BAND_PCT = 1.0
"""Half split within +-this is "even halves" (guidance.md section 1, default)."""
KICK_MIN_PCT = 102.0
"""Last-lap speed at or above this % of laps 2-3 is a kick (guidance.md section 1)."""
FAST_START_PCT = 3.0
"""Lap 1 more than this % faster than its reference (goal pace, else laps 2-4) is a fast
start (guidance.md section 1, 'went out too fast', default)."""
PARABOLIC_DIP_PCT = 2.0
"""Both end laps at least this % faster than the middle laps' mean make a parabolic
(U, J, reverse-J) shape (Abbiss & Laursen 2008); chosen so the published Bannister and
Nuguse miles come out U and reverse-J while El Guerrouj's stays even."""
END_LAPS_SAME_PCT = 3.0
"""End laps within this % of each other make a U; otherwise the faster end names it
(last fastest: reverse-J as pacing-science.md labels Nuguse 2023; first fastest: J)."""

EVEN_BEFORE_KICK_CV_PCT = 1.0
KICK_HALF_LIMIT_PCT = -3.0
"""Even laps (CV <= 1 %) then a kick still make an "even" mile (pacing-science.md calls
Kipyegon 2023 "even + kick") as long as the kick alone moves the half split by no more
than -3 %; beyond that (Ryun 1967, -5.8 %) it is a negative split."""

SHAPES = ("even", "positive", "negative", "U", "reverse-J", "J", "variable")
SHAPE_WORDS = {
    "even": "even: steady laps",
    "positive": "positive split: slowing through the mile",
    "negative": "negative split: faster second half",
    "U": "U: fast start, slower middle laps, fast finish",
    "reverse-J": "reverse-J: quick start, slower middle, fastest at the end",
    "J": "J: fastest start, slower middle, only part of it back at the end",
    "variable": "variable: surges and slow-downs without a pattern",
}


def lap_speeds_mps(distances_m, times_s) -> np.ndarray:
    """Speed of each lap, m/s (``distances_m`` and ``times_s`` of equal length)."""
    d = np.asarray(distances_m, dtype=np.float64)
    t = np.asarray(times_s, dtype=np.float64)
    if d.shape != t.shape:
        raise ValueError(f"expected as many lap times as distances, got {t.shape} vs {d.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t > 0, d / t, np.nan)


def equal_lap_times_s(distances_m, times_s, n_laps: int = 4) -> np.ndarray:
    """Times of ``n_laps`` equal-distance laps, interpolated at exact boundaries.

    Speed is taken as constant inside each given lap, so a track mile timed at the
    finish line (409.344 m + 3 x 400 m) becomes four quarters of 402.336 m.
    """
    d = np.concatenate([[0.0], np.cumsum(np.asarray(distances_m, dtype=np.float64))])
    t = np.concatenate([[0.0], np.cumsum(np.asarray(times_s, dtype=np.float64))])
    bounds = np.interp(np.linspace(0.0, d[-1], n_laps + 1), d, t)
    return np.diff(bounds)


def evenness_cv_pct(speeds_mps) -> float:
    """Coefficient of variation of lap speeds, %, population SD (pacing-science.md).

    For 4 laps the sample SD would be 1.155 x larger; splitcheck states population SD.
    """
    v = np.asarray(speeds_mps, dtype=np.float64)
    if len(v) < 2 or not np.isfinite(v).all() or v.mean() <= 0:
        return math.nan
    return float(v.std(ddof=0) / v.mean() * 100.0)


def half_split_pct(distances_m, times_s) -> float:
    """(T2 - T1) / T1 x 100, T1 the time to half the distance; negative = faster 2nd half."""
    d = np.concatenate([[0.0], np.cumsum(np.asarray(distances_m, dtype=np.float64))])
    t = np.concatenate([[0.0], np.cumsum(np.asarray(times_s, dtype=np.float64))])
    t1 = float(np.interp(d[-1] / 2.0, d, t))
    if t1 <= 0:
        return math.nan
    return (t[-1] - 2.0 * t1) / t1 * 100.0


def kick_pct(speeds_mps) -> float:
    """Last-lap speed / mean speed of the middle laps (2-3 of 4) x 100, %."""
    v = np.asarray(speeds_mps, dtype=np.float64)
    if len(v) < 3:
        return math.nan
    return float(v[-1] / v[1:-1].mean() * 100.0)


def kick_vs_average_pct(distances_m, times_s) -> float:
    """Last-lap speed / the whole effort's average speed x 100, %."""
    d = np.asarray(distances_m, dtype=np.float64)
    t = np.asarray(times_s, dtype=np.float64)
    if len(d) < 2 or t.sum() <= 0 or t[-1] <= 0:
        return math.nan
    return float((d[-1] / t[-1]) / (d.sum() / t.sum()) * 100.0)


@dataclass(frozen=True)
class StartVerdict:
    """Did the runner go out too fast?

    ``lap1_vs_ref_pct``: lap 1 speed vs the reference (``goal`` pace, else ``rest``, the
    mean of laps 2-4), % faster. ``middle_vs_ref_pct``: laps 2-3 mean speed vs the goal
    (or vs the effort's average when there is no goal), % faster (negative = behind).
    """

    too_fast: bool
    reference: str
    lap1_vs_ref_pct: float
    middle_vs_ref_pct: float


def went_out_too_fast(distances_m, times_s, goal_speed_mps: float | None = None) -> StartVerdict:
    """Lap 1 > :data:`FAST_START_PCT` faster than the goal (else laps 2-4) AND laps 2-3
    slower than the goal (else than the effort's average): guidance.md section 1.

    Judging lap 1 against the goal matters: Ingebrigtsen's Paris 1500 m looks like a
    record profile against its own mean (pacing-science.md).
    """
    v = lap_speeds_mps(distances_m, times_s)
    d = np.asarray(distances_m, dtype=np.float64)
    if len(v) < 3:
        return StartVerdict(False, "none", math.nan, math.nan)
    middle = float(v[1:-1].mean())
    if goal_speed_mps:
        lap1 = (v[0] / goal_speed_mps - 1.0) * 100.0
        mid = (middle / goal_speed_mps - 1.0) * 100.0
        ref = "goal"
    else:
        rest = d[1:].sum() / (d[1:] / v[1:]).sum()
        lap1 = (v[0] / rest - 1.0) * 100.0
        mid = (middle / (d.sum() / (d / v).sum()) - 1.0) * 100.0
        ref = "rest"
    return StartVerdict(bool(lap1 > FAST_START_PCT and mid < 0.0), ref, float(lap1), float(mid))


def pacing_shape(speeds_mps, half_pct: float) -> str:
    """Name the pacing profile: one of :data:`SHAPES` (Abbiss & Laursen 2008).

    Order: even (CV and halves inside their bands, or even laps then a kick); parabolic
    (both end laps :data:`PARABOLIC_DIP_PCT` above the middle) as U / reverse-J / J; then
    by the half split, positive or negative; what is left is variable.
    """
    v = np.asarray(speeds_mps, dtype=np.float64)
    cv = evenness_cv_pct(v)
    if cv <= EVEN_CV_PCT and abs(half_pct) <= HALF_SPLIT_EVEN_BAND_PCT:
        return "even"
    if _even_then_kick(v, half_pct):
        return "even"
    if len(v) >= 3:
        middle = v[1:-1].mean()
        first_up = (v[0] / middle - 1.0) * 100.0
        last_up = (v[-1] / middle - 1.0) * 100.0
        if min(first_up, last_up) >= PARABOLIC_DIP_PCT:
            ends = (v[-1] / v[0] - 1.0) * 100.0
            if abs(ends) <= END_LAPS_SAME_PCT:
                return "U"
            return "reverse-J" if ends > 0 else "J"
    if _alternates(v):
        return "variable"
    if half_pct > HALF_SPLIT_EVEN_BAND_PCT:
        return "positive"
    if half_pct < -HALF_SPLIT_EVEN_BAND_PCT:
        return "negative"
    return "variable"


def _even_then_kick(v: np.ndarray, half_pct: float) -> bool:
    """Even laps up to the last, then a kick that alone makes the second half faster."""
    if len(v) < 3 or not KICK_HALF_LIMIT_PCT <= half_pct <= HALF_SPLIT_EVEN_BAND_PCT:
        return False
    return bool(evenness_cv_pct(v[:-1]) <= EVEN_BEFORE_KICK_CV_PCT and kick_pct(v) >= KICK_MIN_PCT)


def _alternates(v: np.ndarray) -> bool:
    """Lap-to-lap speed changes that flip direction every lap, each beyond the even CV."""
    if len(v) < 4:
        return False
    change = np.diff(v) / v[:-1] * 100.0
    big = np.abs(change) > EVEN_CV_PCT
    flips = np.sign(change[1:]) != np.sign(change[:-1])
    return bool(big.all() and flips.all())
