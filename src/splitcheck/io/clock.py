"""A watch's record clock that jumps mid-run, found on plain arrays (FIT, TCX and GPX).

A watch's clock can jump in the middle of a run (a GPS time fix, a time-zone or daylight
change applied on the wrist, a firmware fault): the records after the jump carry times
minutes, hours or years off, while the distance and the sample rate carry on as if
nothing happened. Those say how much time really passed across the jump, so the records
after it are moved back in line (:func:`find_jumps` says by how much; the readers move
them, and their laps with them: :mod:`.fit_clock`, :mod:`.xml_clock`).

What counts as a jump, at one step between consecutive records (in file order):

* backwards by more than :data:`BACK_JUMP_MIN_S` (smaller disorder is sorted later);
* forwards by more than :data:`JUMP_MIN_S` (and ten recording intervals), with no timer
  pause across it, when the distance covered across the step would have taken under a
  third of the step at the runner's pace just before (a real gap, GPS lost while running,
  covers the distance its time says); without distance, when the session's elapsed time
  says the gap was not there.

A file that does not record its pauses (TCX, GPX) needs more, since a forward step the
runner covered no distance across is what a pause looks like too, and a file chaining
two recordings has no sessions to tell them apart: its reader judges each step
(:mod:`.xml_clock`, a :class:`Judge`).

The true step is the distance across it at the runner's pace just before, at least one
recording interval; without distance, one recording interval.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..arrays import median
from ..units import format_duration

JUMP_MIN_S = 60.0
"""Forward steps shorter than this are gaps (smart recording, GPS loss), never jumps."""
BACK_JUMP_MIN_S = 5.0
"""A backward step of more than this is a clock jump; a smaller one is disorder that
sorting by time resolves (records written a second or two out of order)."""
JUMP_RATIO = 3.0
"""A forward step is a jump when the distance across it needs less than 1/3 of its time
at the runner's pace: GPS loss while running covers what its time says."""
PACE_WINDOW = 10
"""The runner's pace before a step: over the previous ten records."""
PAUSE_MATCH_S = 30.0
"""A timer stop and start within this of a gap's two ends make it a pause, not a jump."""
MIN_SPEED_MPS = 0.5
"""Below this the runner was standing: the step is one recording interval."""
RESTART_M = 10.0
"""Distance falling by more than this across a step is a recording that starts over (a
file chained to a copy of itself), not a clock that jumped: the distance runs on."""
MIN_AFTER = 3
"""A lone record or two at a wild time after the last good one is damage (a misread time
stamp), not a clock that jumped and ran on: those are left to the session check."""
REPEAT_SHARE = 0.5
"""After a backward step, records at times already seen (half of the next ten or more)
are a copy of the recording (a file chained to itself), not a clock that jumped."""
MAX_JUDGED_JUMPS = 10
"""A watch's clock jumps once or twice in a run: a file without timer events with more
backward steps than this, or whose steps would make more jumps, is out of order
(reversed, shuffled), not re-timed but sorted, as before (this also bounds the work:
each backward step is looked at over the records before it, each jump re-times the rest
of the recording)."""


class Judge(Protocol):
    """Decides step ``j`` (record j to j + 1, among the timed records) of a file without
    timer events: the true step (seconds, metres or NaN) and how it was found (``""`` or
    ``zone``), or None when it is no jump. ``cur`` is the clock as repaired so far,
    ``dist`` the distance, ``rows`` the timed records' rows in the input, ``steps`` the
    typical and the finest step."""

    def __call__(
        self,
        cur: np.ndarray,
        dist: np.ndarray,
        rows: np.ndarray,
        j: int,
        steps: tuple[float, float],
    ) -> tuple[tuple[float, float], str] | None: ...


@dataclasses.dataclass(frozen=True)
class ClockJump:
    """One jump: where (the first record after it, among the timed records in file order,
    and seconds into the recording), by how much, and how the true step was found."""

    index: int
    at_s: float
    shift_s: float
    after: int
    true_step_s: float
    covered_m: float
    """Distance across the step, NaN when the file has none there."""
    how: str = ""
    """What set the true step when not the distance (``zone``: whole quarter hours)."""

    def warning(self, noun: str = "record") -> str:
        way = "back" if self.shift_s > 0 else "forward"
        if self.how == "zone":
            how = "a time-zone or daylight-saving change (whole quarter hours)"
        elif np.isfinite(self.covered_m):
            how = f"from the {self.covered_m:.0f} m covered across it"
        else:
            how = "at the recording interval"
        return (
            f"the watch's clock jumped {way} by {amount(abs(self.shift_s))} at "
            f"{format_duration(self.at_s)} into the recording ({noun} {self.index + 1}): the "
            f"{self.after} {noun}s after it were re-timed, {format_duration(self.true_step_s)} "
            f"after the one before, {how}"
        )


@dataclasses.dataclass(frozen=True)
class ClockFix:
    """What :func:`find_jumps` found: the shift of each timed record (``timed`` are their
    rows in the input), the jumps, the recording interval and any disorder warning."""

    timed: np.ndarray
    shifts_s: np.ndarray
    jumps: tuple[ClockJump, ...]
    typical_s: float
    disorder: tuple[str, ...]

    def row_shifts(self, n: int) -> np.ndarray:
        """The shift of each of the ``n`` input rows; an untimed row gets the shift of the
        timed record before it (the piece it was written in), or after it at the start."""
        out = np.zeros(n)
        if not len(self.timed):
            return out
        at = np.searchsorted(self.timed, np.arange(n), side="right") - 1
        return self.shifts_s[np.clip(at, 0, len(self.timed) - 1)]


def find_jumps(
    times_s: np.ndarray,
    distance_m: np.ndarray | None = None,
    *,
    pauses: Sequence[tuple[float, float]] = (),
    total_elapsed_s: float | None = None,
    judge: Judge | None = None,
) -> ClockFix | None:
    """The clock jumps among records in file order (see the module docstring).

    Parameters
    ----------
    times_s : ndarray
        Record times in file order, seconds (NaN for untimed records, skipped).
    distance_m : ndarray, optional
        Cumulative distance aligned with ``times_s`` (NaN where unknown).
    pauses : sequence of (stop, start)
        Timer stop and start times: a gap between a stop and a start is a pause.
    total_elapsed_s : float, optional
        The session's elapsed time (says whether a gap without distance was there).
    judge : callable, optional
        For a file that keeps no timer events (TCX, GPX): decides each candidate step in
        place of the rules above (:class:`Judge`); copies of the recording then also need
        their distances to repeat (:func:`_restarts`).

    Returns None for fewer than three timed records.
    """
    t = np.asarray(times_s, dtype=np.float64)
    if len(t) < 3:
        return None
    idx = np.flatnonzero(np.isfinite(t))
    if len(idx) < 3:
        return None
    tf = t[idx]
    step = np.diff(tf)
    positive = step[step > 0]
    typical = float(median(positive)) if len(positive) else 1.0
    finest = float(positive.min()) if len(positive) else 1.0
    dist = (np.full(len(t), np.nan) if distance_m is None else distance_m)[idx]
    session_s = total_elapsed_s
    span = float(tf.max() - tf.min())
    shifts = np.zeros(len(tf))
    jumps = []
    candidates = np.flatnonzero((step < -BACK_JUMP_MIN_S) | (step > max(JUMP_MIN_S, 10 * typical)))
    if judge is not None and (step[candidates] < 0).sum() > MAX_JUDGED_JUMPS:
        return ClockFix(idx, shifts, (), typical, ())  # out of order: sorted, as before
    earliest = _Earliest(tf)
    cur = tf.copy()  # the clock as repaired so far (for a judge)
    for j in candidates:
        a, b = float(tf[j]), float(tf[j + 1])
        if len(tf) - j - 1 < MIN_AFTER or _restarts(tf, dist, j, earliest, judge is not None):
            continue
        how = ""
        if judge is None:
            true = true_step(tf, dist, j, typical)
            if b > a:
                if _paused(pauses, a, b):
                    continue
                if np.isfinite(true[1]):
                    if true[0] * JUMP_RATIO >= b - a:
                        continue
                elif (
                    session_s is None
                    or span <= session_s + JUMP_MIN_S
                    or span - (b - a) > session_s + JUMP_MIN_S
                ):
                    continue
        else:  # on the clock as repaired so far: an earlier jump is not the runner's pace
            verdict = judge(cur, dist, idx, j, (typical, finest))
            if verdict is None:
                continue
            if len(jumps) == MAX_JUDGED_JUMPS:
                return ClockFix(idx, np.zeros(len(tf)), (), typical, ())
            true, how = verdict
            cur[j + 1 :] += true[0] - (b - a)
        shift = true[0] - (b - a)
        shifts[j + 1 :] += shift
        span += shift if b > a else 0.0
        jumps.append(
            ClockJump(j + 1, a - float(tf[0]), shift, len(tf) - j - 1, true[0], true[1], how)
        )
    disorder = tuple(_disorder(step, candidates))
    return ClockFix(idx, shifts, tuple(jumps), typical, disorder)


def _disorder(step: np.ndarray, jumps: np.ndarray) -> list[str]:
    """A warning for records written slightly out of time order (sorted later)."""
    back = step < 0
    back[jumps] = False
    if not back.any():
        return []
    worst = float(-step[back].min())
    n = int(back.sum())
    return [
        f"{n} record{'s' if n != 1 else ''} written out of time order (up to "
        f"{worst:.0f} s back) put in order"
    ]


class _Earliest:
    """The first record (in file order) at each time, looked up by value."""

    def __init__(self, tf: np.ndarray) -> None:
        self.order = np.argsort(tf, kind="stable")  # equal times: the first record first
        self.times = tf[self.order]

    def index(self, values: np.ndarray) -> np.ndarray:
        """For each value, the first record at that time; the record count when none."""
        n = len(self.times)
        pos = np.searchsorted(self.times, values, side="left")
        at = np.minimum(pos, n - 1)
        hit = (pos < n) & (self.times[at] == values)
        return np.where(hit, self.order[at], n)


def _restarts(
    tf: np.ndarray, dist: np.ndarray, j: int, earliest: _Earliest, values: bool = False
) -> bool:
    """The recording starts over after record j (see :data:`RESTART_M`, :data:`REPEAT_SHARE`):
    its distance falls back, or (after a backward step) its times repeat ones already seen
    while its distance does not run on. With ``values`` (a file without timer events, where
    a jump back while the runner stood still is no rarer) the distances at the repeated
    times must repeat too: a copy repeats its records, a clock only its times."""
    dd = dist[j + 1] - dist[j]
    if np.isfinite(dd) and dd < -RESTART_M:
        return True
    if np.isfinite(dd) and dd > 0:
        return False
    if not tf[j + 1] < tf[j]:
        return False
    first = earliest.index(tf[j + 1 : j + 1 + PACE_WINDOW])
    seen = first <= j
    if values and seen.any():
        d_after = dist[j + 1 : j + 1 + PACE_WINDOW][seen]
        differ = np.abs(d_after - dist[first[seen]]) > RESTART_M  # NaN: no difference
        seen[np.flatnonzero(seen)[differ]] = False
    return bool(seen.mean() >= REPEAT_SHARE)


def true_step(tf: np.ndarray, dist: np.ndarray, j: int, typical: float) -> tuple[float, float]:
    """(seconds that really passed from record j to j + 1, metres covered or NaN)."""
    dd = float(dist[j + 1] - dist[j])
    if not np.isfinite(dd) or dd < 0:
        return typical, float("nan")
    k = max(j - PACE_WINDOW, 0)
    ok = np.isfinite(dist[k : j + 1])
    t_k, d_k = tf[k : j + 1][ok], dist[k : j + 1][ok]
    if len(t_k) < 2 or t_k[-1] <= t_k[0]:
        return typical, dd
    speed = (d_k[-1] - d_k[0]) / (t_k[-1] - t_k[0])
    if not speed > MIN_SPEED_MPS:
        return typical, dd
    return max(dd / speed, typical), dd


def _paused(pairs: Sequence[tuple[float, float]], a: float, b: float) -> bool:
    return any(
        abs(stop - a) <= PAUSE_MATCH_S and abs(start - b) <= PAUSE_MATCH_S for stop, start in pairs
    )


def amount(seconds: float) -> str:
    """A clock jump in the largest unit that fits: 3 years, 485 h 19 min, 12 min 5 s."""
    year = 365.25 * 86400
    if seconds >= year:
        return f"{seconds / year:.1f} years"
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60)} min"
    if seconds >= 60:
        return f"{int(seconds // 60)} min {int(seconds % 60)} s"
    return f"{seconds:.0f} s"
