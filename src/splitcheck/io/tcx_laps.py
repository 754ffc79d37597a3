"""TCX laps and the file's own totals: each ``<Lap>``'s start, timer time, distance,
trigger and intensity as the model's lap dicts, and the laps' sums as a FileSummary."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import numpy as np

from ..model import FileSummary
from .xmlsafe import iso_to_unix_s
from .xmlvalues import number

TRIGGERS = {
    "manual": "manual",
    "distance": "distance",
    "location": "position",
    "time": "time",
    "heartrate": "unknown",
}
"""``TriggerMethod`` (lower case) -> the model's lap trigger."""
INTENSITIES = {"active": "active", "resting": "rest"}
"""``Intensity`` (lower case) -> the model's lap intensity."""


def lap_dicts(
    laps: list[Element],
    bounds: list[tuple[int, int]],
    t: np.ndarray,
    shifts: np.ndarray | None = None,
) -> list[dict]:
    """Lap dicts for build_activity, in Unix seconds, kept inside the recorded span.

    ``shifts`` (aligned with ``t``) are what a repair of the watch's clock moved each
    trackpoint by (:mod:`.xml_clock`): a lap's ``StartTime`` moves with the trackpoints
    around it in file order, on whose clock it was written: its first trackpoint's, or
    the one before's when the clock jumped between the lap's start and its first
    trackpoint (the shift that puts it nearer its first trackpoint)."""
    starts, _ = iso_to_unix_s([lap.get("StartTime") or "" for lap in laps])
    if shifts is not None and len(shifts) and len(laps):
        starts = _moved_starts(starts, bounds, t, shifts)
    first_s, last_s = np.nanmin(t), np.nanmax(t)
    out = []
    for i, lap in enumerate(laps):
        lap_t = t[bounds[i][0] : bounds[i][1]]
        lap_t = lap_t[np.isfinite(lap_t)]
        start = starts[i] if np.isfinite(starts[i]) else (lap_t[0] if len(lap_t) else np.nan)
        if not np.isfinite(start):
            continue
        timer = number(lap.findtext("{*}TotalTimeSeconds"))
        end = max(lap_t[-1] if len(lap_t) else start, start + np.nan_to_num(timer))
        if i + 1 < len(laps) and np.isfinite(starts[i + 1]):
            end = starts[i + 1]  # laps are contiguous: one ends when the next starts
        out.append(
            {
                # a lap may start a second before its first trackpoint: keep it in the data
                "start_unix_s": min(max(start, first_s), last_s),
                "end_unix_s": min(max(end, first_s), last_s),
                "distance_m": number(lap.findtext("{*}DistanceMeters")),
                "timer_s": timer if np.isfinite(timer) else None,
                "trigger": TRIGGERS.get(_text(lap, "TriggerMethod").lower(), "unknown"),
                "intensity": INTENSITIES.get(_text(lap, "Intensity").lower()),
            }
        )
    return out


def _moved_starts(
    starts: np.ndarray, bounds: list[tuple[int, int]], t: np.ndarray, shifts: np.ndarray
) -> np.ndarray:
    """Lap start times moved with the clock's repair (see :func:`lap_dicts`)."""
    last = len(shifts) - 1
    first = np.minimum(np.array([b[0] for b in bounds], dtype=np.intp), last)
    own = starts + shifts[first]
    before = starts + shifts[np.maximum(first - 1, 0)]
    ref = t[first]
    with np.errstate(invalid="ignore"):
        nearer = np.abs(before - ref) < np.abs(own - ref)  # NaN (no time): own
    return np.where(nearer, before, own)


def file_summary(laps: list[dict], t: np.ndarray) -> FileSummary:
    distances = [lap["distance_m"] for lap in laps if np.isfinite(lap["distance_m"])]
    timers = [lap["timer_s"] for lap in laps if lap["timer_s"] is not None]
    timed = t[np.isfinite(t)]
    return FileSummary(
        distance_m=float(sum(distances)) if distances else None,
        elapsed_s=float(timed.max() - timed.min()) if len(timed) else None,
        timer_s=float(sum(timers)) if timers else None,
    )


def device_name(element: Element) -> str | None:
    name = element.findtext("{*}Creator/{*}Name")
    return name.strip() or None if name else None


def _text(element: Element, child: str) -> str:
    return (element.findtext("{*}" + child) or "").strip()
