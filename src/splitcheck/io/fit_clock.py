"""Repairing a FIT file's record clock: jumps forward or back are re-timed, not dropped.

The jumps are found on the records (:mod:`.clock`, where what counts as one is said); the
records after each are moved back in line, and the laps, sessions and events written
after it with them, with a warning that says where and by how much. The lap and session
timers carry on as if nothing happened, which places the laps a backward jump made
ambiguous.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from .clock import find_jumps
from .fit_messages import FitMessages

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
    if t is None:
        return msgs
    fix = find_jumps(
        t,
        msgs.records.get("distance"),
        pauses=_timer_pairs(msgs.events),
        total_elapsed_s=_session_elapsed(msgs.sessions),
    )
    if fix is None:
        return msgs
    if not fix.jumps:
        return dataclasses.replace(msgs, warnings=[*msgs.warnings, *fix.disorder])
    tf, shifts = t[fix.timed], fix.shifts_s
    out_t = t.copy()
    out_t[fix.timed] = tf + shifts
    pieces = _pieces(tf, shifts, [jump.index for jump in fix.jumps])
    fixed = dataclasses.replace(
        msgs,
        records={**msgs.records, "timestamp": out_t},
        warnings=[*msgs.warnings, *(jump.warning() for jump in fix.jumps), *fix.disorder],
        **{name: [_mapped(m, pieces) for m in getattr(msgs, name)] for name in _LISTS},
    )
    fixed.laps = _chained_laps(_placed_laps(msgs.laps, pieces))
    fixed.events = _timer_events(
        msgs.events, fixed.events, pieces, np.sort(tf + shifts), fix.typical_s
    )
    return fixed


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
