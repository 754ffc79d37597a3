"""The simulated runner: true speed, distance, heart rate and cadence over time.

Each step of a :class:`~.workout.WorkoutPlan` is run on a fine time grid
(:data:`DT_S`): speed changes at each step boundary along an S-shaped ramp of a few
seconds that real runners begin before they press the lap button (:mod:`.transitions`,
measured on real files), follows the target through a short first-order lag, wobbles a
little (an Ornstein-Uhlenbeck process), and on the road loop slows uphill and speeds up
downhill at constant effort (Minetti's cost of running).
A distance step ends exactly where the integrated distance reaches its length, so the
truth's rep boundaries are exact. Heart rate lags effort (faster up than down) and drifts
upward with accumulated effort.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .route import Route
from .transitions import Ramp, draw_ramps, edge_speed, ramp_offset
from .workout import Step, WorkoutPlan

DT_S = 0.1
"""Time step of the true trace, s (fine enough that distance is exact to a few cm)."""
PLACE_ITERATIONS = 8
PLACE_TOLERANCE_M = 0.02
"""Where the speed depends on the place (grade, a mile's quarters, the distance left to a
step's end), speed and distance are solved by iteration until the distances move less than
2 cm (at most 8 rounds; 2-4 in practice)."""
SMOOTH_TAU_S = 0.5
"""Time constant of the first-order lag after the ramps (:mod:`.transitions`): it rounds
what the ramps do not shape (a mile's quarter-speed changes, grade changes on the road)..."""
REST_START_TAU_S = 0.1
"""... except in a step started from a standstill, whose exponential approach already is
the runner's shape (a second lag would soften the first, hardest step)."""
WOBBLE_SD = 0.012
"""Relative SD of the runner's own pace wobble (1.2 %: a steady runner's second-to-second
pace varies by about 1-2 %)."""
WOBBLE_TAU_S = 12.0
GRADE_EXPONENT = 0.5
"""Speed on a grade = flat speed x (C(0)/C(i))^0.5: a runner holding effort slows about
12 % on a 5 % climb (half of what equal metabolic power would demand)."""

HR_UP_TAU_S = 20.0
"""Heart rate rises toward a harder effort with this time constant (~1 min to settle)..."""
HR_DOWN_TAU_S = 60.0
"""... and falls back more slowly: ~25 bpm in the first minute after a hard effort, like a
fit runner's 1-minute heart-rate recovery."""
HR_FLOOR = 0.35
"""Fraction of heart-rate reserve the heart settles to while standing between reps (it
stays well above resting during a session)."""
HR_SLOPE = 0.62
"""Reserve fraction per unit of relative effort (effort 1 = mile race speed): an easy run
(effort ~0.6) sits near 80 % of max HR, mile pace near 96 %."""
HR_DRIFT_BPM_PER_EFFORT_MIN = 0.12
"""Cardiac drift: bpm gained per minute at effort 1 (~5 bpm over an hour of easy running)."""
HR_NOISE_BPM = 1.2


@dataclass(frozen=True)
class Runner:
    """The simulated runner's heart: resting and maximum rate, bpm."""

    hr_rest_bpm: float = 55.0
    hr_max_bpm: float = 190.0


@dataclass(frozen=True)
class StepSpan:
    """Where one step of the plan really started and ended (s from start, m from start)."""

    index: int
    kind: str
    start_s: float
    end_s: float
    start_m: float
    end_m: float
    nominal: str | None
    standing: bool
    timed: bool
    """True when the step ended after a duration, False after a distance."""


@dataclass(frozen=True, eq=False)
class RunnerTrace:
    """The runner's true motion on a fine grid: time (s), speed (m/s), distance (m)."""

    time_s: np.ndarray
    speed_mps: np.ndarray
    distance_m: np.ndarray
    steps: tuple[StepSpan, ...]

    @property
    def end_s(self) -> float:
        return float(self.time_s[-1])

    def distance_at(self, t_s: np.ndarray) -> np.ndarray:
        return np.interp(t_s, self.time_s, self.distance_m)

    def speed_at(self, t_s: np.ndarray) -> np.ndarray:
        return np.interp(t_s, self.time_s, self.speed_mps)

    def time_at_distance(self, d_m: np.ndarray) -> np.ndarray:
        """First time the runner reaches each distance (distance never decreases)."""
        d = np.maximum.accumulate(self.distance_m)
        keep = np.concatenate([[True], np.diff(d) > 0])
        return np.interp(d_m, d[keep], self.time_s[keep])


def ou_noise(rng: np.random.Generator, n: int, sd: float, tau: float) -> np.ndarray:
    """Stationary Ornstein-Uhlenbeck (AR(1)) noise: ``n`` samples, SD ``sd``, correlation
    time ``tau`` in samples. Vectorised as white noise convolved with an exponential."""
    if n <= 0:
        return np.zeros(0)
    a = math.exp(-1.0 / max(tau, 1e-9))
    k = max(1, int(min(tau * 12, 20_000)))
    kernel = a ** np.arange(k)
    kernel *= sd / np.sqrt(np.sum(kernel**2))
    white = rng.standard_normal(n + k - 1)
    return np.convolve(white, kernel, mode="valid")


COST_FLAT = 3.6
"""Minetti's cost of running on the flat, J/kg/m."""


def minetti_cost(grade: np.ndarray) -> np.ndarray:
    """Energy cost of running, J/kg/m, at a grade (Minetti et al. 2002), clamped at +-0.45."""
    i = np.clip(grade, -0.45, 0.45)
    return ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6


def _lag(target: np.ndarray, v0: float, tau_s: float) -> np.ndarray:
    """First-order lag y[n] = a y[n-1] + (1 - a) x[n], y[-1] = v0, as a convolution."""
    a = math.exp(-DT_S / tau_s)
    k = int(tau_s / DT_S * 14) + 1
    kernel = (1 - a) * a ** np.arange(k)
    y = np.convolve(target, kernel)[: len(target)]
    m = min(k, len(y))  # beyond the kernel the start speed's weight is below 1e-6
    y[:m] += v0 * a ** np.arange(1, m + 1)
    return y


def _target(step: Step, d_rel: np.ndarray, grade: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """The step's target speed (m/s) at distances ``d_rel`` from its start, plus the
    transition ramps' ``offset``, scaled by the grade's cost of running."""
    if step.standing:
        base = np.zeros_like(d_rel)
    elif step.piece_speeds_mps:
        n = len(step.piece_speeds_mps)
        piece = np.clip((d_rel / (step.distance_m / n)).astype(int), 0, n - 1)
        base = np.asarray(step.piece_speeds_mps)[piece]
    else:
        base = np.full_like(d_rel, step.speed_mps)
    base = np.maximum(base + offset, 0.0)
    if not grade.any():  # flat (the track): no need for the cost of running
        return base
    return base * (COST_FLAT / minetti_cost(grade)) ** GRADE_EXPONENT


@dataclass(frozen=True)
class _Neighbours:
    """What a step's ramps need: the speeds either side and the two boundaries' ramps."""

    v_prev: float
    v_next: float | None
    ramp_in: Ramp
    ramp_out: Ramp | None


def _run_step(
    step: Step,
    v0: float,
    d0: float,
    route: Route,
    wobble: np.ndarray,
    i0: int,
    near: _Neighbours,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Speeds and distances of one step on the fine grid from grid index ``i0``.

    Returns speeds and distances for grid points inside the step, and its exact length
    in seconds.
    """
    mean_v = max(min(step.piece_speeds_mps or (step.speed_mps,)), 0.5)
    est_s = step.duration_s if step.distance_m is None else 1.4 * step.distance_m / mean_v + 20
    n = int(est_s / DT_S) + 2
    w = 1.0 + wobble[i0 : i0 + n]
    if len(w) < n:  # past the estimated end of the session: no wobble
        w = np.concatenate([w, np.ones(n - len(w))])
    t_rel = np.arange(n) * DT_S
    # from a standstill the exponential approach is the whole shape (hardest first step)
    tau = REST_START_TAU_S if near.ramp_in.from_rest else SMOOTH_TAU_S
    v_first, v_last = edge_speed(step, False), edge_speed(step, True)
    d = d0 + mean_v * DT_S * np.arange(n)
    depends_on_place = (
        route.kind != "track" or bool(step.piece_speeds_mps) or step.distance_m is not None
    )
    for _ in range(PLACE_ITERATIONS if depends_on_place else 1):  # grade, pieces, the end
        if step.distance_m is None:
            to_end = step.duration_s - t_rel
        else:  # seconds to the end at the step's closing speed
            to_end = (step.distance_m - (d - d0)) / max(v_last, 0.5)
        offset = ramp_offset(
            t_rel, to_end, near.v_prev, v_first, v_last, near.v_next, near.ramp_in, near.ramp_out
        )
        v = _lag(_target(step, d - d0, route.grade(d), offset), v0, tau) * w
        d_old, d = d, d0 + np.concatenate([[0.0], np.cumsum((v[1:] + v[:-1]) * DT_S / 2)])
        if np.abs(d - d_old)[: _inside(d - d0, step)].max(initial=0.0) < PLACE_TOLERANCE_M:
            break
    if step.distance_m is None:
        length_s = float(step.duration_s)
    else:
        j = int(np.searchsorted(d - d0, step.distance_m))
        if j >= n:
            raise RuntimeError(f"step of {step.distance_m} m did not finish; speed too low?")
        frac = (d0 + step.distance_m - d[j - 1]) / (d[j] - d[j - 1])
        length_s = (j - 1 + frac) * DT_S
    inside = np.arange(n) * DT_S < length_s
    return v[inside], d[inside], length_s


def _inside(d_rel: np.ndarray, step: Step) -> int:
    """Grid points up to a little past a distance step's end (all for a timed step)."""
    if step.distance_m is None:
        return len(d_rel)
    return int(np.searchsorted(d_rel, step.distance_m + 5.0)) + 1


def run(plan: WorkoutPlan, route: Route, rng: np.random.Generator) -> RunnerTrace:
    """Run a plan on a route: the true trace on a :data:`DT_S` grid."""
    est_total = sum(
        s.duration_s if s.distance_m is None else 1.4 * s.distance_m / max(s.speed_mps, 0.5) + 20
        for s in plan.steps
    )
    n1 = int(est_total) + 60
    wob1 = ou_noise(rng, n1, WOBBLE_SD, WOBBLE_TAU_S)
    wobble = np.interp(np.arange(int(n1 / DT_S)) * DT_S, np.arange(n1), wob1)
    times, speeds, dists, spans = [], [], [], []
    t0, v0, d0, i0 = 0.0, 0.0, 0.0, 0
    # from a child generator: the parent's stream (heart rate, GPS noise, ...) stays as it was
    ramps = draw_ramps(plan.steps, rng.spawn(1)[0])
    last = len(plan.steps) - 1
    for k, step in enumerate(plan.steps):
        near = _Neighbours(
            edge_speed(plan.steps[k - 1], True) if k else 0.0,
            edge_speed(plan.steps[k + 1], False) if k < last else None,
            ramps[k],
            ramps[k + 1] if k < last else None,
        )
        v, d, length_s = _run_step(step, v0, d0, route, wobble, i0, near)
        times.append(t0 + np.arange(len(v)) * DT_S)
        speeds.append(v)
        dists.append(d)
        d_end = float(np.interp(length_s, np.arange(len(d) + 1) * DT_S, _extend(d, v)))
        v_end = float(v[-1])
        kind = step.kind
        timed = step.distance_m is None
        spans.append(
            StepSpan(k, kind, t0, t0 + length_s, d0, d_end, step.nominal, step.standing, timed)
        )
        t0, v0, d0, i0 = t0 + length_s, v_end, d_end, i0 + len(v)
    times.append(np.array([t0]))
    speeds.append(np.array([v0]))
    dists.append(np.array([d0]))
    return RunnerTrace(
        np.concatenate(times), np.concatenate(speeds), np.concatenate(dists), tuple(spans)
    )


def _extend(d: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Distances with one more grid point, extrapolated at the last speed."""
    return np.concatenate([d, [d[-1] + v[-1] * DT_S]])


def heart_rate(
    trace: RunnerTrace,
    route: Route,
    runner: Runner,
    reference_speed_mps: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Heart rate (bpm) on a 1 s grid: (times s, bpm).

    Effort is speed relative to ``reference_speed_mps`` (the runner's mile race speed)
    scaled by the grade's energy cost. The rate follows its target through a first-order
    lag, step by step: quickly when the step is harder than the heart's state, slowly when
    easier.
    """
    t1 = np.arange(0.0, trace.end_s + 1.0)
    v1 = trace.speed_at(t1)
    cost = minetti_cost(route.grade(trace.distance_at(t1))) / COST_FLAT
    effort = np.clip(v1 / reference_speed_mps * cost, 0.0, 1.15)
    reserve = runner.hr_max_bpm - runner.hr_rest_bpm
    target = runner.hr_rest_bpm + reserve * np.clip(HR_FLOOR + HR_SLOPE * effort, 0, 1.0)
    start = runner.hr_rest_bpm + reserve * 0.15
    lagged = _lag_by_step(target, start, np.searchsorted(t1, [s.start_s for s in trace.steps]))
    drift = HR_DRIFT_BPM_PER_EFFORT_MIN * np.cumsum(effort) / 60.0
    hr = lagged + drift + ou_noise(rng, len(t1), HR_NOISE_BPM, 8.0)
    return t1, np.clip(np.round(hr), 40, runner.hr_max_bpm)


def _lag_by_step(target: np.ndarray, y0: float, starts: np.ndarray) -> np.ndarray:
    """Asymmetric first-order lag, one time constant per step (a loop over steps only)."""
    out = np.empty_like(target)
    bounds = [*sorted(set(int(i) for i in starts) - {len(target)}), len(target)]
    if bounds[0] != 0:
        bounds.insert(0, 0)
    for i, j in zip(bounds[:-1], bounds[1:], strict=False):
        seg = target[i:j]
        tau = HR_UP_TAU_S if seg.mean() > y0 else HR_DOWN_TAU_S
        out[i:j] = _lag_1s(seg, y0, tau)
        y0 = float(out[j - 1])
    return out


def _lag_1s(x: np.ndarray, y0: float, tau_s: float) -> np.ndarray:
    a = math.exp(-1.0 / tau_s)
    k = int(tau_s * 12) + 1
    y = np.convolve(x, (1 - a) * a ** np.arange(k))[: len(x)]
    return y + y0 * a ** np.arange(1, len(x) + 1)


CADENCE_WANDER_SPM = 2.5
CADENCE_WANDER_TAU_S = 60.0
"""A runner's cadence wanders by ~2.5 steps/min over a minute or so at one speed (stride
length changes with terrain, fatigue, form): in real easy runs the 15 s cadence follows
the 15 s speed with a correlation of 0.12-0.49, in sessions of reps 0.72-0.84
(``cad_corr`` in scripts/compare_realism.py); a cadence tied to the speed by white
noise alone gave simulated easy runs 0.83."""


def cadence_spm(speed_mps: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Steps per minute (both feet): running ~155 + 6.5 v (plus a slow wander, see
    :data:`CADENCE_WANDER_SPM`), walking ~110, standing 0."""
    v = np.asarray(speed_mps)
    # from a child generator: the parent's stream (GPS noise, laps, ...) stays as it was
    child = rng.spawn(1)[0]
    wander = ou_noise(child, v.size, CADENCE_WANDER_SPM, CADENCE_WANDER_TAU_S).reshape(v.shape)
    run_spm = 155.0 + 6.5 * v + wander + rng.normal(0.0, 2.0, v.shape)
    walk_spm = 100.0 + 8.0 * v
    spm = np.where(v > 1.9, run_spm, np.where(v > 0.4, walk_spm, 0.0))
    return np.round(spm)
