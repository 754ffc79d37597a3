"""The simulated watch: what it records of the runner, with a real watch's flaws.

From the true trace the watch makes 1 Hz GPS fixes with position noise correlated in time
(an Ornstein-Uhlenbeck process of a few metres), sums distance from its smoothed fixes
(slightly long, never decreasing, nothing added while the accelerometer says the runner
stands), reports a smoothed speed, a barometric altitude that drifts, and heart rate and
cadence from the runner. It stores every second or, with "smart" recording, irregularly
(more often when speed or heading change); it may auto-pause while the runner stands, and
makes laps at the runner's button presses, from a structured workout, every km or mile,
or not at all (one lap for the whole session).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ..units import KM_M, MILE_M
from .route import Route
from .trace import RunnerTrace, StepSpan, ou_noise

RECORDINGS = ("1s", "smart")
LAP_POLICIES = ("manual", "workout", "auto_km", "auto_mile", "none", "manual_faulty")

GPS_SIGMA_M = 1.2
"""SD of the slowly wandering part of GPS position error, per axis, m (consumer watches:
2-5 m horizontal error, pacing-science.md 'Tracks, GPS and watches'). The 15 s speed
of steady simulated running at rep pace on the road is as noisy as on real road runs
(``noise_run`` in scripts/compare_realism.py: 0.024-0.03 simulated, 0.023-0.026 on
elevate/kaiteriteri and portland); at jogging pace real road runs are noisier (0.09 vs
0.04: hills and traffic change a jogger's real pace too, which no file separates from
GPS error)."""
REAL_TRACK_GPS_SIGMA_M = 3.0
"""... on a real 400 m track the 15 s speed is 2-3 times noisier (``noise_run``
0.058-0.081 on the four real track files, ``noise_jog`` 0.10; the watch's filter cuts
the bends, the stands reflect the signal): 3 m of wandering error gives the simulated
track sessions 0.044-0.073 / 0.065-0.080. Used by the evaluation's real-noise tally
(``gps_noise=REAL_TRACK_GPS_SIGMA_M``); the default tallies keep 1.2 m."""
GPS_TAU_S = 20.0
"""Correlation time of GPS error, s: fixes drift together rather than jump."""
GPS_WHITE_M = 1.0
"""SD of the fix-to-fix independent part of the error, per axis, m."""
GPS_SMOOTH_S = 1.0
"""SD (s) of the Gaussian with which the watch smooths its fixes before storing them."""
STANDING_MPS = 0.3
"""Below this true speed the accelerometer tells the watch the runner stands: no distance
is added and (with auto-pause) the timer stops."""
AUTO_PAUSE_DELAY_S = 2
"""Seconds of standing before auto-pause stops the timer."""
SPEED_NOISE_MPS = 0.08
"""SD of the watch's speed reading error, m/s (Doppler speed is smoother than position)."""
SPEED_NOISE_TAU_S = 3.0
SPEED_FILTER_TAU_S = 4.0
SPEED_DELAY_S = 1
"""Watches store a filtered speed: in real running files the speed column follows the
derivative of the distance column 2-6 s late (median 4.5 s; ``v_lag_s`` in
scripts/compare_realism.py), so it adds nothing to the distance column for timing an
edge. Modelled as an exponential filter of 4 s, then 1 s of delay, on the noisy reading
(simulated lag 3-5 s; second-to-second changes are calmer than real ones, ``dv_sd``
0.02-0.07 m/s against a real median of 0.07, as simulated runners hold pace evenly)."""
BARO_DRIFT_M = 1.2
"""SD of the barometric altitude's slow drift, m, over :data:`BARO_TAU_S`."""
BARO_TAU_S = 300.0
LAP_PRESS_DELAY_S = (0.25, 0.35)
"""Mean and SD of a runner's delay pressing the lap button, s (can be early)."""
FORGOTTEN_PRESS_P = 0.08
SKIP_PRESS_P = 0.12
SKIP_PRESS_S = (2.0, 11.0)
DECOY_PRESS_P = 0.5
"""``manual_faulty`` laps, as real runners press: each press forgotten with probability
0.08 (workoutizer/with_nones.fit: the first 200 m unlapped at its start), a second press
2-11 s after a press with probability 0.12 (a runner skipping a workout step, as the
issue 13 files show), and with probability 0.5 one stray press somewhere in the warm-up."""
SMART_GAP_S = (1, 2, 3, 4, 5, 6, 7, 8)
SMART_GAP_P = (0.19, 0.19, 0.13, 0.13, 0.10, 0.10, 0.10, 0.06)
"""Garmin smart recording: gaps of 1-8 s, shorter when speed or heading changes."""
SMART_TURN_DEG = 8.0
SMART_SPEED_CHANGE_MPS = 0.35


@dataclass(frozen=True)
class LapRecord:
    """A lap as the watch stores it; times in s from the first sample."""

    start_s: float
    end_s: float
    distance_m: float
    timer_s: float
    trigger: str
    intensity: str
    step_index: int | None = None

    def to_dict(self) -> dict:
        return {
            "start_s": round(self.start_s, 3),
            "end_s": round(self.end_s, 3),
            "duration_s": round(self.end_s - self.start_s, 3),
            "timer_s": round(self.timer_s, 3),
            "distance_m": round(self.distance_m, 2),
            "trigger": self.trigger,
            "intensity": self.intensity,
            "step_index": self.step_index,
        }


@dataclass(frozen=True, eq=False)
class Recording:
    """What the watch stored: sample columns (times in s from the first sample), laps,
    timer pauses (start_s, end_s) and metadata. Missing values are NaN."""

    time_s: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    altitude_m: np.ndarray
    distance_m: np.ndarray
    speed_mps: np.ndarray
    heart_rate_bpm: np.ndarray
    cadence_spm: np.ndarray
    laps: tuple[LapRecord, ...]
    pauses: tuple[tuple[float, float], ...]
    start_utc: dt.datetime
    sub_sport: str = "generic"
    name: str = ""

    @property
    def end_s(self) -> float:
        return float(self.time_s[-1])


@dataclass(frozen=True)
class WatchOptions:
    recording: str = "1s"
    laps: str = "manual"
    auto_pause: bool = False
    gps_noise: bool | float = True

    def __post_init__(self) -> None:
        if self.recording not in RECORDINGS:
            raise ValueError(f"recording must be one of {RECORDINGS}, got {self.recording!r}")
        if self.laps not in LAP_POLICIES:
            raise ValueError(f"laps must be one of {LAP_POLICIES}, got {self.laps!r}")


def gps_fixes(
    trace: RunnerTrace,
    route: Route,
    t1: np.ndarray,
    rng: np.random.Generator,
    noise: bool | float,
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy east/north positions (m) of 1 Hz fixes at times ``t1``; ``noise`` True for
    :data:`GPS_SIGMA_M` of slowly wandering error, a number for that many metres (e.g.
    :data:`REAL_TRACK_GPS_SIGMA_M`), False for none."""
    x, y = route.local_xy(trace.distance_at(t1))
    if noise is False:
        return x, y
    sigma = GPS_SIGMA_M if noise is True else float(noise)
    n = len(t1)
    # the slow error holds while the runner stands (the accelerometer says still: the
    # watch keeps its position); the fix-to-fix jitter goes on
    moving = trace.speed_at(t1) >= STANDING_MPS
    held = np.maximum.accumulate(np.where(moving, np.arange(n), 0))
    ex = ou_noise(rng, n, sigma, GPS_TAU_S)[held] + rng.normal(0, GPS_WHITE_M, n)
    ey = ou_noise(rng, n, sigma, GPS_TAU_S)[held] + rng.normal(0, GPS_WHITE_M, n)
    return x + ex, y + ey


def smooth_fixes(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The watch's filtered positions: fixes smoothed with a centred Gaussian of
    :data:`GPS_SMOOTH_S` (no lag, like a Kalman smoother with a velocity model). Watches
    store filtered positions: in real files the distance column equals the summed length
    of the stored positions to within 0.3 % (scripts/compare_realism.py)."""
    half = int(3 * GPS_SMOOTH_S)
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / GPS_SMOOTH_S) ** 2)
    k /= k.sum()
    xp = np.pad(x, half, mode="edge")
    yp = np.pad(y, half, mode="edge")
    return np.convolve(xp, k, "valid"), np.convolve(yp, k, "valid")


def filtered_speed(v_mps: np.ndarray) -> np.ndarray:
    """The stored speed [m/s] of 1 Hz readings: an exponential filter of
    :data:`SPEED_FILTER_TAU_S` (a causal convolution), delayed by :data:`SPEED_DELAY_S`."""
    lags = np.arange(int(6 * SPEED_FILTER_TAU_S) + 1)
    k = np.exp(-lags / SPEED_FILTER_TAU_S)
    padded = np.concatenate([np.full(len(lags) - 1 + SPEED_DELAY_S, v_mps[0]), v_mps])
    out = np.convolve(padded, k / k.sum(), "valid")
    return out[: len(v_mps)]


def watch_distance(x: np.ndarray, y: np.ndarray, standing: np.ndarray) -> np.ndarray:
    """Cumulative distance (m) the watch sums along its stored positions; never
    decreasing, nothing added while standing."""
    step = np.hypot(np.diff(x), np.diff(y))
    step[standing[1:]] = 0.0
    return np.concatenate([[0.0], np.cumsum(step)])


def pause_spans(t1: np.ndarray, standing: np.ndarray) -> list[tuple[float, float]]:
    """Auto-pause stretches (start_s, end_s): from :data:`AUTO_PAUSE_DELAY_S` into a
    stand to the first second of moving again."""
    edges = np.diff(np.concatenate([[0], standing.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    spans = []
    for a, b in zip(starts, ends, strict=True):  # one per standing rest: a few
        if a == 0 or b >= len(t1) or b - a <= AUTO_PAUSE_DELAY_S + 1:
            continue
        spans.append((float(t1[a + AUTO_PAUSE_DELAY_S]), float(t1[b])))
    return spans


def smart_keep(
    t1: np.ndarray, x: np.ndarray, y: np.ndarray, v: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Mask of the 1 Hz fixes smart recording stores: random 1-8 s gaps, plus most
    seconds where speed or heading changes."""
    n = len(t1)
    gaps = rng.choice(SMART_GAP_S, size=n // 2 + 2, p=SMART_GAP_P)
    idx = np.cumsum(gaps)
    keep = np.zeros(n, dtype=bool)
    keep[idx[idx < n]] = True
    heading = np.degrees(np.arctan2(np.gradient(y), np.gradient(x)))
    turn = np.abs((np.diff(heading, prepend=heading[0]) + 180) % 360 - 180)
    dv = np.abs(np.diff(v, prepend=v[0]))
    event = (turn > SMART_TURN_DEG) | (dv > SMART_SPEED_CHANGE_MPS)
    keep |= event & (rng.random(n) < 0.6)
    keep[[0, -1]] = True
    return keep


def timer_s(start_s: float, end_s: float, pauses: list[tuple[float, float]]) -> float:
    """Seconds of ``[start_s, end_s]`` outside the pauses."""
    paused = sum(max(0.0, min(end_s, b) - max(start_s, a)) for a, b in pauses)
    return end_s - start_s - paused


KIND_INTENSITY = {"warmup": "warmup", "work": "active", "recovery": "rest", "cooldown": "cooldown"}


def _crossings(t1: np.ndarray, dist1: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """Times (s) where the watch's distance first reaches each mark, interpolated."""
    j = np.clip(np.searchsorted(dist1, marks, "left"), 1, len(t1) - 1)
    d0, d1 = dist1[j - 1], dist1[j]
    frac = np.where(d1 > d0, (marks - d0) / np.where(d1 > d0, d1 - d0, 1.0), 1.0)
    return t1[j - 1] + frac * (t1[j] - t1[j - 1])


def lap_bounds(
    policy: str, trace: RunnerTrace, t1: np.ndarray, dist1: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, list[str], list[str], list[int | None]]:
    """Lap boundary times (s, first 0, last the end), triggers, intensities, step indexes."""
    end = float(t1[-1])
    steps = trace.steps
    if policy in ("manual", "workout", "manual_faulty"):
        inner = np.array([s.end_s for s in steps[:-1]])
        if policy != "workout":
            mean, sd = LAP_PRESS_DELAY_S
            inner = inner + rng.normal(mean, sd, len(inner))
        if policy == "manual_faulty":
            inner = _faulty_presses(inner, steps, rng)
        bounds = np.concatenate([[0.0], np.clip(inner, 0.5, end - 0.5), [end]])
        bounds = np.maximum.accumulate(bounds)
        if policy != "workout":
            n = len(bounds) - 1
            triggers = ["manual"] * n
            intensity = ["active"] * n
            index: list[int | None] = [None] * n
        else:
            triggers = ["time" if s.timed else "distance" for s in steps]
            intensity = [KIND_INTENSITY[s.kind] for s in steps]
            index = [s.index for s in steps]
            bounds = _workout_distance_laps(bounds, steps, t1, dist1)
        triggers[-1] = "session_end"
        return bounds, triggers, intensity, index
    if policy == "none":
        return np.array([0.0, end]), ["session_end"], ["active"], [None]
    unit = KM_M if policy == "auto_km" else MILE_M
    marks = np.arange(unit, dist1[-1], unit)
    inner = _crossings(t1, dist1, marks)
    inner = inner[inner < end - 0.5]
    n = len(inner) + 1
    triggers = ["distance"] * (n - 1) + ["session_end"]
    return np.concatenate([[0.0], inner, [end]]), triggers, ["active"] * n, [None] * n


def _faulty_presses(
    inner: np.ndarray, steps: tuple[StepSpan, ...], rng: np.random.Generator
) -> np.ndarray:
    """Lap presses with a runner's faults (see :data:`FORGOTTEN_PRESS_P`), sorted."""
    kept = inner[rng.random(len(inner)) >= FORGOTTEN_PRESS_P]
    skips = kept[rng.random(len(kept)) < SKIP_PRESS_P] + rng.uniform(*SKIP_PRESS_S)
    out = [kept, skips]
    warm = steps[0]
    if rng.random() < DECOY_PRESS_P and warm.end_s - warm.start_s > 120.0:
        out.append(np.array([rng.uniform(warm.start_s + 30.0, warm.end_s - 30.0)]))
    return np.sort(np.concatenate(out))


def _workout_distance_laps(
    bounds: np.ndarray, steps: tuple[StepSpan, ...], t1: np.ndarray, dist1: np.ndarray
) -> np.ndarray:
    """A structured workout ends a distance step when the WATCH has counted the step's
    length from the step's start: the beep is a second or so off the true mark, as the
    watch's distance runs a little long or short. Time steps end on time."""
    out = bounds.copy()
    dist_steps = [i for i, s in enumerate(steps[:-1]) if not s.timed]
    if dist_steps:
        start = np.array([steps[i].start_s for i in dist_steps])
        length = np.array([steps[i].end_m - steps[i].start_m for i in dist_steps])
        beep = _crossings(t1, dist1, np.interp(start, t1, dist1) + length)
        out[np.array(dist_steps) + 1] = np.clip(beep, 0.5, out[-1] - 0.5)
    return np.maximum.accumulate(out)


def make_laps(
    policy: str,
    trace: RunnerTrace,
    t1: np.ndarray,
    dist1: np.ndarray,
    pauses: list[tuple[float, float]],
    rng: np.random.Generator,
) -> tuple[LapRecord, ...]:
    """The watch's laps under a lap policy (see :data:`LAP_POLICIES`)."""
    bounds, triggers, intensity, index = lap_bounds(policy, trace, t1, dist1, rng)
    lap_m = np.diff(np.interp(bounds, t1, dist1))
    for i, trigger in enumerate(triggers):  # distance laps hold exactly their distance
        if trigger == "distance" and policy == "workout":
            lap_m[i] = trace.steps[i].end_m - trace.steps[i].start_m
        elif trigger == "distance":
            lap_m[i] = KM_M if policy == "auto_km" else MILE_M
    return tuple(
        LapRecord(
            start_s=float(bounds[i]),
            end_s=float(bounds[i + 1]),
            distance_m=float(lap_m[i]),
            timer_s=timer_s(float(bounds[i]), float(bounds[i + 1]), pauses),
            trigger=triggers[i],
            intensity=intensity[i],
            step_index=index[i],
        )
        for i in range(len(bounds) - 1)
    )


def record(
    trace: RunnerTrace,
    route: Route,
    hr: tuple[np.ndarray, np.ndarray],
    cadence: np.ndarray,
    options: WatchOptions,
    rng: np.random.Generator,
    start_utc: dt.datetime,
) -> Recording:
    """What the watch stores of a run. ``hr`` is (times s, bpm); ``cadence`` (spm) is
    aligned with the 1 Hz grid ``0 .. floor(trace.end_s)``."""
    t1 = np.arange(0.0, np.floor(trace.end_s) + 1.0)
    v_true = trace.speed_at(t1)
    standing = v_true < STANDING_MPS
    x, y = smooth_fixes(*gps_fixes(trace, route, t1, rng, options.gps_noise))
    dist1 = watch_distance(x, y, standing)
    reading = v_true + ou_noise(rng, len(t1), SPEED_NOISE_MPS, SPEED_NOISE_TAU_S)
    speed = np.clip(filtered_speed(reading), 0, None)
    speed[standing] = 0.0
    alt = route.altitude_m(trace.distance_at(t1)) + ou_noise(rng, len(t1), BARO_DRIFT_M, BARO_TAU_S)
    pauses = pause_spans(t1, standing) if options.auto_pause else []
    laps = make_laps(options.laps, trace, t1, dist1, pauses, rng)
    keep = np.ones(len(t1), dtype=bool)
    if options.recording == "smart":
        keep = smart_keep(t1, x, y, v_true, rng)
    for a, b in pauses:  # nothing stored while paused; a record at the stop and the restart
        keep &= ~((t1 > a) & (t1 < b))
        keep[np.searchsorted(t1, [a, b])] = True
    lat, lon = route.to_latlon(x, y)
    return Recording(
        time_s=t1[keep],
        lat_deg=lat[keep],
        lon_deg=lon[keep],
        altitude_m=alt[keep],
        distance_m=dist1[keep],
        speed_mps=speed[keep],
        heart_rate_bpm=np.interp(t1, *hr)[keep],
        cadence_spm=np.asarray(cadence, dtype=np.float64)[keep],
        laps=laps,
        pauses=tuple(pauses),
        start_utc=start_utc,
        sub_sport="track" if route.kind == "track" else "street",
    )
