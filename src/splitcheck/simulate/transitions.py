"""How the simulated runner changes pace at the edges of a step, as real runners do.

A real runner does not switch pace at the instant the lap button is pressed: going into a
rep they lean in and pick up speed over a few seconds, reaching half of the new pace
about when they press (or the watch's workout step beeps, which they anticipate), and
ease off out of a rep over a few seconds around the press. Measured on the real interval
files with lap edges (``scripts/transition_survey.py``: 45 rep starts and 45 rep ends,
figures from the files' distance channel, s from the lap edge, median with the 25th-75th
percentile):

- rep start: 10 % of the change at -4.7 (-8.1..-1.5), 50 % at -0.9 (-1.6..+1.0),
  90 % at +2.4 (+0.1..+5.3); the distance's kink at -2.0 (-3.2..+1.4);
- rep end: 10 % at -3.5 (-10.7..-0.7), 50 % at +0.4 (-0.9..+2.3), 90 % at +3.4
  (+1.2..+6.1); kink at 0.0 (-2.3..+2.4).

Each boundary between two moving steps is therefore a smooth S-shaped ramp (a
smoothstep: 10 % of the change at 0.2, 90 % at 0.8 of its length) whose length and
centre (seconds from the step boundary, which stays the truth's edge: where a human
presses the lap button) are drawn per boundary from :data:`START_RAMP_S` /
:data:`START_CENTRE_S` (a faster step follows) or :data:`END_RAMP_S` /
:data:`END_CENTRE_S` (a slower one follows). A runner who stands still cannot anticipate:
out of a standing rest (or at the session's start) the speed approaches the new pace
exponentially from the boundary on (:data:`FROM_STANDING_RAMP_S`); into a standing rest
the runner finishes the rep and then stops (:data:`TO_STANDING_RAMP_S`, easing off at most
a second before the press). A raced effort (a time trial's mile, run in pieces) is run
through the line: its end's ramp begins at the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .workout import Step

START_RAMP_S = (3.0, 6.5)
START_CENTRE_S = (-0.5, 1.0)
"""Into a faster step: ramp length uniform in 3-6.5 s; its centre normal, mean -0.5 s
(before the press), SD 1 s. Tuned so that the simulated files measure like the real ones
through two lenses: ``scripts/transition_survey.py --sim`` (simulated t50 0.0 s, t90
+3.2 s, kink 0.0 s; real -0.9, +2.4, -2.0) and the detector's signed start error with
laps hidden at the lags it had before (1.2 / 1.6 s: real reps of TRUTH.json and the
manifest pooled -0.8 s, simulated -1.3 s). A centre at -1.8 s matched the survey's t50
but put the detector's starts 1.7 s earlier than on the real files: the survey's median
leans on the three run-stats files (workout-step beeps the runner anticipates), the
detector's on the manual presses."""
END_RAMP_S = (3.0, 6.0)
END_CENTRE_S = (-0.2, 1.0)
"""Into a slower step: ramp length uniform in 3-6 s; centre normal, mean -0.2 s, SD 1 s
(simulated t50 +0.3 s, t90 +3.6 s, kink +0.3 s; real +0.4, +3.4, 0.0; the detector's
signed end error at the old lags: real -1.0 s, simulated -1.2 s)."""
CENTRE_LIMIT_S = 3.5
"""Centres are clipped to +-3.5 s: no runner changes pace half a lap early."""
FROM_STANDING_RAMP_S = (3.0, 4.5)
"""From a standstill the runner accelerates hardest at the first step: speed approaches
the new pace exponentially from the press, with a time constant of a third of a length
drawn from 3-4.5 s (1-1.5 s: 90 % of the pace in 2.3-3.5 s, 1-1.5 s lost against a
flying start; the simulator's runner had 1.3 s before; no real file starts a rep from
standing with its watch running)."""
FIRST_PUSH_S = 0.2
"""... the first push coming with the press (at the press the runner already moves past the
watch's 0.3 m/s standing threshold, as the simulator's runner did before)."""
TO_STANDING_RAMP_S = (3.0, 6.0)
TO_STANDING_LEAD_S = 1.0
"""To a standstill: 3-6 s, beginning at most 1 s before the press, so the runner still
moves at the press and finishes the rep's distance (workoutizer/with_nones.fit, whose
watch pauses in several recoveries: speed half down 0.9 s and 90 % down 3.6 s after the
press, median of 7 rep ends)."""
SHORT_STEP_SHARE = 0.4
"""A ramp takes at most 40 % of either step it joins (a 30 s rep keeps its middle)."""


@dataclass(frozen=True)
class Ramp:
    """The pace change at one step boundary: its length and its centre, s from the
    boundary (negative: the change is under way before it)."""

    length_s: float
    centre_s: float
    from_rest: bool = False
    """An exponential approach from a standstill, beginning at the boundary (else a
    smoothstep)."""

    @property
    def begin_s(self) -> float:
        return self.centre_s - self.length_s / 2


def _shape(ramp: Ramp, t_s: np.ndarray) -> np.ndarray:
    """How much of the ramp's change is done at ``t_s`` (s from the boundary), 0 to 1."""
    x = (t_s - ramp.begin_s) / ramp.length_s
    if ramp.from_rest:
        return 1.0 - np.exp(-3.0 * np.clip(x, 0.0, None))
    return smoothstep(x)


def smoothstep(x: np.ndarray) -> np.ndarray:
    """0 below 0, 1 above 1, 3x^2 - 2x^3 between."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def edge_speed(step: Step, at_end: bool) -> float:
    """The step's target speed where it starts (or ends), m/s."""
    if step.standing:
        return 0.0
    if step.piece_speeds_mps:
        return float(step.piece_speeds_mps[-1 if at_end else 0])
    return float(step.speed_mps)


def _nominal_s(step: Step) -> float:
    if step.duration_s is not None:
        return float(step.duration_s)
    return float(step.distance_m) / max(edge_speed(step, False), 0.5)


def draw_ramps(steps: tuple[Step, ...], rng: np.random.Generator) -> list[Ramp]:
    """One :class:`Ramp` per step start (index k: into step k; index 0: from standing at
    the session's start), drawn from ``rng`` (deterministic per seed)."""
    n = len(steps)
    u = rng.random((n, 2))
    z = rng.standard_normal(n)
    ramps = []
    for k, step in enumerate(steps):
        before = steps[k - 1] if k else None
        v0 = edge_speed(before, True) if before is not None else 0.0
        v1 = edge_speed(step, False)
        if v0 <= 0.0:
            lo, hi = FROM_STANDING_RAMP_S
            length = lo + (hi - lo) * u[k, 0]
            centre = length / 2 - FIRST_PUSH_S
        elif v1 <= 0.0:
            lo, hi = TO_STANDING_RAMP_S
            length = lo + (hi - lo) * u[k, 0]
            centre = length / 2 - TO_STANDING_LEAD_S
        else:
            (lo, hi), (mu, sd) = (
                (START_RAMP_S, START_CENTRE_S) if v1 > v0 else (END_RAMP_S, END_CENTRE_S)
            )
            length = lo + (hi - lo) * u[k, 0]
            centre = float(np.clip(mu + sd * z[k], -CENTRE_LIMIT_S, CENTRE_LIMIT_S))
        room = [_nominal_s(step)] + ([_nominal_s(before)] if before is not None else [])
        length = min(length, SHORT_STEP_SHARE * 2 * min(room))
        half = length / 2
        centre = float(
            np.clip(
                centre,
                -SHORT_STEP_SHARE * min(room) + half,
                SHORT_STEP_SHARE * _nominal_s(step) - half,
            )
        )
        if before is not None and before.piece_speeds_mps and v1 < v0:
            centre = max(centre, half)  # a raced mile is run through the line
        if v0 <= 0.0:
            centre = max(centre, half - FIRST_PUSH_S)  # from a standstill: from the press on
        elif v1 <= 0.0:
            centre = max(centre, half - TO_STANDING_LEAD_S)
        ramps.append(Ramp(float(length), centre, from_rest=v0 <= 0.0))
    return ramps


def ramp_offset(
    t_rel_s: np.ndarray,
    t_to_end_s: np.ndarray,
    v_prev: float,
    v_first: float,
    v_last: float,
    v_next: float | None,
    ramp_in: Ramp,
    ramp_out: Ramp | None,
) -> np.ndarray:
    """What to add to a step's own target speed, m/s, at seconds ``t_rel_s`` from its
    start and ``t_to_end_s`` before its end: the rest of the change coming in (from
    ``v_prev`` to ``v_first``) and the start of the change going out (``v_last`` to
    ``v_next``)."""
    s_in = _shape(ramp_in, t_rel_s)
    out = (v_prev - v_first) * (1.0 - s_in)
    if ramp_out is not None and v_next is not None:
        s_out = _shape(ramp_out, -t_to_end_s)
        out = out + (v_next - v_last) * s_out
    return out
