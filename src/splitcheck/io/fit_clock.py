"""Repairing a FIT file's record clock: jumps forward or back are re-timed, not dropped.

A watch's clock can jump in the middle of a run (a GPS time fix, a time-zone or daylight
change applied on the wrist, a firmware fault): the records after the jump carry times
minutes, hours or years off, and so do the laps and events written after it, while the
distance, the lap and session timers and the sample rate carry on as if nothing happened.
Those say how much time really passed across the jump, so the records after it are moved
back in line, with a warning that says where and by how much.

What counts as a jump, at one step between consecutive records (in file order):

* backwards by more than :data:`BACK_JUMP_MIN_S` (smaller disorder is sorted later);
* forwards by more than :data:`JUMP_MIN_S` (and ten recording intervals), with no timer
  pause across it, when the distance covered across the step would have taken under a
  third of the step at the runner's pace just before (a real gap, GPS lost while running,
  covers the distance its time says); without distance, when the session's elapsed time
  says the gap was not there.

The true step is the distance across it at the runner's pace just before, at least one
recording interval; without distance, one recording interval.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..arrays import isin, median
from ..units import format_duration
from .fit_messages import FitMessages

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
QUIET_STEPS = 3.0
"""A pause leaves the records quiet for more than three recording intervals."""
PIECE_TOL_S = 2.0
"""A message time within this of a piece's records belongs to it (written beside them)."""
LAP_TOL_S = 2.0
"""A lap's start and end agree with its elapsed timer to this (they are whole seconds)."""
TIME_FIELDS = ("timestamp", "start_time")
_LISTS = ("laps", "sessions", "events", "activities")


@dataclasses.dataclass(frozen=True)
class _Piece:
    """Records between two jumps: their original time range and the shift they get."""

    lo: float
    hi: float
    shift: float


def repair_clock(msgs: FitMessages) -> FitMessages:
    """``msgs`` with the record clock's jumps undone (or ``msgs`` itself when none)."""
    t = msgs.records.get("timestamp")
    if t is None or len(t) < 3:
        return msgs
    idx = np.flatnonzero(np.isfinite(t))
    if len(idx) < 3:
        return msgs
    tf = t[idx]
    step = np.diff(tf)
    positive = step[step > 0]
    typical = float(median(positive)) if len(positive) else 1.0
    dist = msgs.records.get("distance", np.full(len(t), np.nan))[idx]
    pauses = _timer_pairs(msgs.events)
    session_s = _session_elapsed(msgs.sessions)
    span = float(tf.max() - tf.min())
    shifts = np.zeros(len(tf))
    notes = []
    candidates = np.flatnonzero((step < -BACK_JUMP_MIN_S) | (step > max(JUMP_MIN_S, 10 * typical)))
    for j in candidates:
        a, b = float(tf[j]), float(tf[j + 1])
        if len(tf) - j - 1 < MIN_AFTER or _restarts(tf, dist, j):
            continue
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
        shift = true[0] - (b - a)
        shifts[j + 1 :] += shift
        span += shift if b > a else 0.0
        notes.append((j + 1, a - float(tf[0]), shift, len(tf) - j - 1, true))
    disorder = _disorder(step, candidates)
    if not notes:
        return dataclasses.replace(msgs, warnings=[*msgs.warnings, *disorder])
    out_t = t.copy()
    out_t[idx] = tf + shifts
    pieces = _pieces(tf, shifts, [n[0] for n in notes])
    fixed = dataclasses.replace(
        msgs,
        records={**msgs.records, "timestamp": out_t},
        warnings=[*msgs.warnings, *(_warning(*n) for n in notes), *disorder],
        **{name: [_mapped(m, pieces) for m in getattr(msgs, name)] for name in _LISTS},
    )
    fixed.laps = _chained_laps(_placed_laps(msgs.laps, pieces))
    fixed.events = _timer_events(msgs.events, fixed.events, pieces, np.sort(tf + shifts), typical)
    return fixed


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


def _timer_events(
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    pieces: list[_Piece],
    times: np.ndarray,
    typical: float,
) -> list[dict[str, Any]]:
    """Timer events whose time two pieces hold (after a backward jump shorter than the
    recording after it) placed by what the records show: events come in file order, so
    the piece never goes back, and it moves on to a later piece when the records there
    are quiet after the stop (before the start), as a pause leaves them, for longer than
    three recording intervals and twice as long as here."""
    out, k = [], 0
    for before, after in zip(old, new, strict=True):
        v = before.get("timestamp")
        kind = str(before.get("event_type", ""))
        timer = before.get("event") == "timer" and (kind.startswith("stop") or kind == "start")
        if not timer or not isinstance(v, float):
            out.append(after)
            continue
        holding = [
            i
            for i, p in enumerate(pieces)
            if i >= k and p.lo - PIECE_TOL_S <= v <= p.hi + PIECE_TOL_S
        ]
        if not holding:
            out.append(after)
            continue

        def quiet(i: int, v: float = v, kind: str = kind) -> float:
            at = v + pieces[i].shift  # the record written with the event is not the gap
            if kind == "start":
                j = int(np.searchsorted(times, at - PIECE_TOL_S / 4, side="left"))
                return at - times[j - 1] if j > 0 else np.inf
            j = int(np.searchsorted(times, at + PIECE_TOL_S / 4, side="right"))
            return times[j] - at if j < len(times) else np.inf

        here = quiet(holding[0])
        later = [i for i in holding[1:] if quiet(i) > max(QUIET_STEPS * typical, 2 * here)]
        k = later[0] if later else holding[0]
        out.append({**after, "timestamp": v + pieces[k].shift})
    return out


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


def _timer_pairs(events: list[dict[str, Any]]) -> list[tuple[float, float]]:
    stops = [
        e["timestamp"]
        for e in events
        if e.get("event") == "timer"
        and isinstance(e.get("timestamp"), float)
        and str(e.get("event_type", "")).startswith("stop")
    ]
    starts = [
        e["timestamp"]
        for e in events
        if e.get("event") == "timer"
        and isinstance(e.get("timestamp"), float)
        and e.get("event_type") == "start"
    ]
    return [(s, r) for s in stops for r in starts if r > s]


def _paused(pairs: list[tuple[float, float]], a: float, b: float) -> bool:
    return any(
        abs(stop - a) <= PAUSE_MATCH_S and abs(start - b) <= PAUSE_MATCH_S for stop, start in pairs
    )


def _session_elapsed(sessions: list[dict[str, Any]]) -> float | None:
    total = [s.get("total_elapsed_time") for s in sessions]
    total = [x for x in total if isinstance(x, float)]
    return float(sum(total)) if total else None


def _pieces(tf: np.ndarray, shifts: np.ndarray, cuts: list[int]) -> list[_Piece]:
    bounds = [0, *cuts, len(tf)]
    return [
        _Piece(float(tf[i:k].min()), float(tf[i:k].max()), float(shifts[i]))
        for i, k in zip(bounds[:-1], bounds[1:], strict=True)
        if k > i
    ]


def _mapped(message: dict[str, Any], pieces: list[_Piece]) -> dict[str, Any]:
    """A message's times moved with the records they were written among."""
    out = dict(message)
    for name in TIME_FIELDS:
        v = out.get(name)
        if isinstance(v, float):
            out[name] = v + _shift_for(v, pieces, latest=name == "timestamp")
    return out


def _shift_for(v: float, pieces: list[_Piece], *, latest: bool) -> float:
    """The shift of the piece whose time range holds ``v`` (the nearest when none does;
    when several do, after a backward jump, the latest for an end time, else the first)."""
    holding = [p for p in pieces if p.lo - PIECE_TOL_S <= v <= p.hi + PIECE_TOL_S]
    if holding:
        return (holding[-1] if latest else holding[0]).shift
    nearest = min(pieces, key=lambda p: min(abs(v - p.lo), abs(v - p.hi)))
    return nearest.shift


def _placed_laps(laps: list[dict[str, Any]], pieces: list[_Piece]) -> list[dict[str, Any]]:
    """Laps moved with the records they were written among. Laps come in file order, so
    the piece never goes back; a lap's end goes with the first piece (from the last lap's
    on) that holds it and agrees with the lap's own elapsed timer and start, which places
    the lap that spans a jump and laps whose times a backward jump made ambiguous."""
    out, k = [], 0
    for lap in laps:
        start, end = lap.get("start_time"), lap.get("timestamp")
        elapsed = lap.get("total_elapsed_time")
        if not all(isinstance(x, float) for x in (start, end, elapsed)):
            out.append(_mapped(lap, pieces))
            continue
        holding = [
            i
            for i, p in enumerate(pieces)
            if i >= k and p.lo - PIECE_TOL_S <= end <= p.hi + PIECE_TOL_S
        ]
        if not holding:  # written after the records (a last lap): the nearest piece from k
            holding = [
                min(
                    range(k, len(pieces)),
                    key=lambda i: min(abs(end - pieces[i].lo), abs(end - pieces[i].hi)),
                )
            ]
        chosen = holding[0]
        new_start = None

        def misfit(i: int, lap: tuple = (start, end, elapsed, k)) -> float:
            start, end, elapsed, first = lap
            begin = end + pieces[i].shift - elapsed
            return min(abs(start + pieces[j].shift - begin) for j in range(first, i + 1))

        for i in holding:
            begin = end + pieces[i].shift - elapsed
            agree = [
                j for j in range(k, i + 1) if abs(start + pieces[j].shift - begin) <= LAP_TOL_S
            ]
            if agree:
                chosen, new_start = i, start + pieces[agree[0]].shift
                break
        else:  # no clock agrees to the second (a lap whose times disagree): the closest
            chosen = min(holding, key=misfit)
        k_before, k = k, chosen
        new_end = end + pieces[chosen].shift
        if new_start is None:  # the lap disagrees with its own timer (a last lap's end
            # written after its records, a Forerunner 25 leaving auto-pauses out of it):
            # its start on the clock that leaves it closest to its timer
            starts = [start + pieces[j].shift for j in range(k_before, chosen + 1)]
            fits = [x for x in starts if x <= new_end] or [new_end - elapsed]
            new_start = min(fits, key=lambda x: abs(new_end - x - elapsed))
        begin = new_start
        out.append({**lap, "start_time": begin, "timestamp": new_end})
    return out


def _chained_laps(laps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Laps in file order, none starting before the one before ends (a lap start a
    repair left behind its predecessor's end moves up to it)."""
    out = []
    prev_end = -np.inf
    for lap in laps:
        start, end = lap.get("start_time"), lap.get("timestamp")
        elapsed = lap.get("total_elapsed_time")
        if isinstance(start, float) and start < prev_end - LAP_TOL_S:
            lap = {**lap, "start_time": prev_end}
        if isinstance(end, float):
            prev_end = end
        elif isinstance(start, float) and isinstance(elapsed, float):
            prev_end = lap["start_time"] + elapsed
        out.append(lap)
    return out


def _warning(index: int, at_s: float, shift: float, after: int, true: tuple[float, float]) -> str:
    way = "back" if shift > 0 else "forward"
    if np.isfinite(true[1]):
        how = f"from the {true[1]:.0f} m covered across it"
    else:
        how = "at the recording interval"
    return (
        f"the watch's clock jumped {way} by {_amount(abs(shift))} at {format_duration(at_s)} "
        f"into the recording (record {index + 1}): the {after} records after it were "
        f"re-timed, {format_duration(true[0])} after the one before, {how}"
    )


def _amount(seconds: float) -> str:
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
