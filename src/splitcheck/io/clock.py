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

A file that does not record its pauses (TCX, GPX: ``pauses_recorded=False``) needs more,
since a forward step the runner covered no distance across is what a pause looks like
too, and a file chaining two recordings has no sessions to tell them apart
(:func:`_unrecorded_verdict`).

The true step is the distance across it at the runner's pace just before, at least one
recording interval; without distance, one recording interval.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from ..arrays import isin, median
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

# -- files without timer events (TCX, GPX): what tells a forward jump from a pause ------
MAX_PAUSE_S = 86400.0
"""A forward step of more than a day with (next to) no distance across it is a clock, not
a pause: no run's recording stands paused in one place for a day."""
ZONE_STEP_S = 900.0
"""Time zones and daylight-saving changes move a clock by whole quarter hours (IANA zones;
Nepal's +05:45 is the finest in use): a step of whole quarter hours plus one ordinary
recording interval, run straight through, is a watch that changed zone mid-run."""
HR_JUMP_MIN_S = 600.0
"""A forward step of ten minutes or more, run straight through with the heart rate
unchanged, is a clock jump: ten minutes standing would have lowered it (see
:data:`HR_STEADY_BPM`)."""
HR_STEADY_BPM = 6.0
"""Heart rate across a step (median of three samples each side) within this is unchanged.
A minute's standing after running lowers it by more than 12 bpm in a healthy adult (heart
rate recovery, Cole et al. 1999, N Engl J Med 341:1351), twice this; across an ordinary
step of the real files it changes by under 3 bpm nine times in ten."""
HR_SIDE = 3
"""Heart-rate samples each side of a step compared."""
STRIDE_STEPS = 10.0
"""Run straight through: the distance across the step is one at most ten recording
intervals cover at the runner's pace (real files' ordinary steps: under five)."""


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
    heart_rate_bpm: np.ndarray | None = None,
    pauses_recorded: bool = True,
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
    heart_rate_bpm : ndarray, optional
        Aligned with ``times_s``; used only when ``pauses_recorded`` is False.
    pauses_recorded : bool
        False for files that keep no timer events: forward steps then need the evidence
        of :func:`_unrecorded_verdict`, and backward steps that sorting would not mix into
        the records before them (a file chaining two recordings) that of :func:`_through`.

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
    hr = None if heart_rate_bpm is None else np.asarray(heart_rate_bpm, dtype=np.float64)[idx]
    session_s = total_elapsed_s
    span = float(tf.max() - tf.min())
    shifts = np.zeros(len(tf))
    jumps = []
    candidates = np.flatnonzero((step < -BACK_JUMP_MIN_S) | (step > max(JUMP_MIN_S, 10 * typical)))
    for j in candidates:
        a, b = float(tf[j]), float(tf[j + 1])
        if len(tf) - j - 1 < MIN_AFTER or _restarts(tf, dist, j):
            continue
        how = ""
        if pauses_recorded:
            true = _true_step(tf, dist, j, typical)
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
            verdict = _unrecorded_verdict(tf + shifts, dist, hr, j, (typical, finest))
            if verdict is None:
                continue
            true, how = verdict
        shift = true[0] - (b - a)
        shifts[j + 1 :] += shift
        span += shift if b > a else 0.0
        jumps.append(
            ClockJump(j + 1, a - float(tf[0]), shift, len(tf) - j - 1, true[0], true[1], how)
        )
    disorder = tuple(_disorder(step, candidates))
    return ClockFix(idx, shifts, tuple(jumps), typical, disorder)


def _unrecorded_verdict(
    cur: np.ndarray,
    dist: np.ndarray,
    hr: np.ndarray | None,
    j: int,
    steps: tuple[float, float],
) -> tuple[tuple[float, float], str] | None:
    """Whether step ``j`` of a file without timer events is a clock jump: (true step and
    distance, how the step was found) when it is, else None. ``cur`` is the clock as
    repaired up to this step.

    Either way the runner must have run straight through the step (:func:`_through`:
    moving at both ends, a few metres across it, the heart rate not changed), unless the
    step goes back into the records before it, which sorting would mix with them (then a
    jump, as for FIT). A file that chains two recordings, the second begun days before or
    after the first, shows a stop at its seam; so do most pauses. Forwards, as for FIT,
    the distance across it must also need under a third of its time, and no pause may
    explain it: over :data:`MAX_PAUSE_S`; or whole quarter hours (:data:`ZONE_STEP_S`);
    or over :data:`HR_JUMP_MIN_S` with the heart rate recorded and unchanged. A pause
    with the runner moving at both ends and the watch's distance standing still is what
    real TCX files show (a Forerunner 910XT's stops at traffic lights): without such
    evidence a forward step stays the pause it may be.
    """
    typical, finest = steps
    a, b = float(cur[j]), float(cur[j + 1])
    true = _true_step_around(cur, dist, j, typical, finest)
    gap = b - a
    if gap < 0 and b > float(cur[: j + 1].min()):
        return true, ""
    heart = _through(cur, dist, hr, j, typical, true)
    if heart is None or heart == "changed":
        return None
    if gap < 0:
        return true, ""
    if true[0] * JUMP_RATIO >= gap:
        return None  # GPS lost while running: the distance covers the gap
    if gap > MAX_PAUSE_S:
        return true, ""
    zones = round((gap - typical) / ZONE_STEP_S)
    rest = gap - zones * ZONE_STEP_S
    if zones >= 1 and 0.0 < rest <= STRIDE_STEPS * typical:
        return (rest, true[1]), "zone"
    if gap >= HR_JUMP_MIN_S and heart == "steady":
        return true, ""
    return None


def _through(
    cur: np.ndarray,
    dist: np.ndarray,
    hr: np.ndarray | None,
    j: int,
    typical: float,
    true: tuple[float, float],
) -> str | None:
    """Whether the runner ran straight through step ``j``: moving over the records before
    and after it, the distance across it one an ordinary step covers (at most
    :data:`STRIDE_STEPS` intervals at their pace). None when not; else what the heart
    rate did across it: ``steady`` (within :data:`HR_STEADY_BPM`), ``changed``, or
    ``unknown`` (not recorded there)."""
    if not np.isfinite(true[1]) or true[0] > STRIDE_STEPS * typical:
        return None
    if not _speed(cur, dist, j - PACE_WINDOW, j) > MIN_SPEED_MPS:
        return None
    if not _speed(cur, dist, j + 1, j + 1 + PACE_WINDOW) > MIN_SPEED_MPS:
        return None
    if hr is None:
        return "unknown"
    before = hr[max(j + 1 - HR_SIDE, 0) : j + 1]
    after = hr[j + 1 : j + 1 + HR_SIDE]
    before, after = before[np.isfinite(before)], after[np.isfinite(after)]
    if not len(before) or not len(after):
        return "unknown"
    steady = abs(float(median(after)) - float(median(before))) <= HR_STEADY_BPM
    return "steady" if steady else "changed"


def _speed(cur: np.ndarray, dist: np.ndarray, lo: int, hi: int) -> float:
    """Mean speed over records ``lo`` to ``hi`` (clipped to the recording), NaN when
    unknown."""
    lo, hi = max(lo, 0), min(hi, len(cur) - 1)
    ok = np.flatnonzero(np.isfinite(dist[lo : hi + 1])) + lo
    if len(ok) < 2 or cur[ok[-1]] <= cur[ok[0]]:
        return float("nan")
    return float((dist[ok[-1]] - dist[ok[0]]) / (cur[ok[-1]] - cur[ok[0]]))


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


def _restarts(tf: np.ndarray, dist: np.ndarray, j: int) -> bool:
    """The recording starts over after record j (see :data:`RESTART_M`, :data:`REPEAT_SHARE`):
    its distance falls back, or (after a backward step) its times repeat ones already seen
    while its distance does not run on."""
    dd = dist[j + 1] - dist[j]
    if np.isfinite(dd) and dd < -RESTART_M:
        return True
    if np.isfinite(dd) and dd > 0:
        return False
    after = tf[j + 1 : j + 1 + PACE_WINDOW]
    return bool(tf[j + 1] < tf[j] and isin(after, tf[: j + 1]).mean() >= REPEAT_SHARE)


def _true_step(tf: np.ndarray, dist: np.ndarray, j: int, typical: float) -> tuple[float, float]:
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


def _true_step_around(
    cur: np.ndarray, dist: np.ndarray, j: int, typical: float, finest: float
) -> tuple[float, float]:
    """:func:`_true_step` at the runner's pace over the records both sides of the step
    (ten each), which a file without timer events has unbroken around a jump: closer
    than the pace before alone where the runner was speeding up or slowing down; at least
    the finest step the watch recorded (smart recording writes 1 s steps among 6 s ones),
    one recording interval when the distance does not say."""
    dd = float(dist[j + 1] - dist[j])
    if not np.isfinite(dd) or dd < 0:
        return typical, float("nan")
    covered = elapsed = 0.0
    for lo, hi in ((j - PACE_WINDOW, j), (j + 1, j + 1 + PACE_WINDOW)):
        lo, hi = max(lo, 0), min(hi, len(cur) - 1)
        ok = np.flatnonzero(np.isfinite(dist[lo : hi + 1])) + lo
        if len(ok) >= 2 and cur[ok[-1]] > cur[ok[0]]:
            covered += float(dist[ok[-1]] - dist[ok[0]])
            elapsed += float(cur[ok[-1]] - cur[ok[0]])
    if not elapsed or not covered / elapsed > MIN_SPEED_MPS:
        return typical, dd
    return max(dd / (covered / elapsed), finest), dd


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
