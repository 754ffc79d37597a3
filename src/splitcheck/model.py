"""The activity model: one session of one sport, whatever file it came from.

Readers (``splitcheck.io``) map each format's names and units to this one vocabulary, so
everything downstream works on the same columns:

=================  =========================================================
column             meaning
=================  =========================================================
``elapsed_s``      seconds since the first sample (pauses included), float64
``distance_m``     cumulative distance, metres, never decreasing
``speed_mps``      speed, m/s
``lat_deg``        latitude, degrees (WGS84)
``lon_deg``        longitude, degrees
``altitude_m``     altitude, metres
``heart_rate_bpm`` heart rate, beats per minute
``cadence_spm``    cadence, steps per minute (both feet) for foot sports; rpm otherwise
``power_w``        power, watts
=================  =========================================================

Every column is a float64 numpy array of the same length; a value the file does not
have is NaN. Sample times in UTC are ``start_utc + elapsed_s``. The model imports no
pandas: ``Activity.to_dataframe()`` builds a DataFrame on request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

COLUMNS = (
    "elapsed_s",
    "distance_m",
    "speed_mps",
    "lat_deg",
    "lon_deg",
    "altitude_m",
    "heart_rate_bpm",
    "cadence_spm",
    "power_w",
)

MOVING_SPEED_MPS = 0.5
"""Below this speed the runner counts as standing (a slow walk is ~1.2 m/s; GPS drift
while standing reads 0.1-0.4 m/s). Used for moving time."""
MAX_MOVING_GAP_S = 30.0
"""A gap between samples longer than this, with no timer event, is time the watch was not
recording but still running (smart recording, signal loss): counted as elapsed, and as
moving only when the runner covered distance in it."""


@dataclass(frozen=True, eq=False)
class Samples:
    """Time series of one activity: equal-length float64 arrays, one per column."""

    elapsed_s: np.ndarray
    distance_m: np.ndarray
    speed_mps: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    altitude_m: np.ndarray
    heart_rate_bpm: np.ndarray
    cadence_spm: np.ndarray
    power_w: np.ndarray

    @classmethod
    def from_columns(cls, n: int | None = None, **columns: Any) -> Samples:
        """Build from any subset of :data:`COLUMNS`; missing columns become NaN.

        Arrays are copied to float64 and made read-only, so callers cannot alter an
        activity through a column they hold.
        """
        unknown = set(columns) - set(COLUMNS)
        if unknown:
            raise ValueError(f"unknown sample columns {sorted(unknown)}; expected {COLUMNS}")
        if n is None:
            n = len(next(iter(columns.values()))) if columns else 0
        out = {}
        for name in COLUMNS:
            value = columns.get(name)
            arr = (
                np.full(n, np.nan)
                if value is None
                else np.array(value, dtype=np.float64, copy=True).reshape(-1)
            )
            if arr.shape != (n,):
                raise ValueError(f"column {name} has {arr.shape[0]} values, expected {n}")
            arr.flags.writeable = False
            out[name] = arr
        return cls(**out)

    def __len__(self) -> int:
        return int(self.elapsed_s.shape[0])

    def __repr__(self) -> str:
        present = [c for c in COLUMNS if self.has(c)]
        return f"Samples({len(self)} samples: {', '.join(present)})"

    def has(self, column: str) -> bool:
        """True when the column has at least one real value."""
        return bool(np.isfinite(getattr(self, column)).any())

    def columns(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in COLUMNS}

    def select(self, index: np.ndarray | slice) -> Samples:
        """Rows by boolean mask, index array or slice (a new Samples)."""
        return Samples.from_columns(**{k: v[index] for k, v in self.columns().items()})

    def replace(self, **columns: np.ndarray) -> Samples:
        """A copy with some columns replaced."""
        merged = self.columns() | columns
        return Samples.from_columns(n=len(self), **merged)


@dataclass(frozen=True)
class Lap:
    """A lap as the device recorded it.

    ``start_s``/``end_s`` are seconds from the activity's first sample. ``trigger`` is one
    of manual, distance, time, position, session_end, fitness_equipment, workout_step or
    unknown; ``intensity`` one of active, rest, warmup, cooldown, recovery, interval, or
    None when the file does not say.
    """

    start_s: float
    end_s: float
    distance_m: float
    timer_s: float | None = None
    trigger: str = "unknown"
    intensity: str | None = None
    workout_step: int | None = None

    @property
    def duration_s(self) -> float:
        """Elapsed seconds from the lap's start to its end, pauses included."""
        return self.end_s - self.start_s

    @property
    def shown_s(self) -> float:
        """The lap's time as the watch shows it: its timer (paused time excluded, as Garmin
        Connect and Strava show laps) when known, else its elapsed time."""
        timer = self.timer_s
        if timer is None or not np.isfinite(timer) or timer <= 0:
            return self.duration_s
        return float(timer)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_s": _round(self.start_s),
            "end_s": _round(self.end_s),
            "duration_s": _round(self.shown_s),
            "elapsed_s": _round(self.duration_s),
            "timer_s": _round(self.timer_s),
            "distance_m": _round(self.distance_m),
            "trigger": self.trigger,
            "intensity": self.intensity,
            "workout_step": self.workout_step,
        }


@dataclass(frozen=True)
class Pause:
    """The watch's timer was stopped (auto-pause or the stop button) from start_s to end_s."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class FileSummary:
    """Totals the file itself states (FIT session, TCX lap sums), kept to cross-check ours."""

    distance_m: float | None = None
    elapsed_s: float | None = None
    timer_s: float | None = None


@dataclass(frozen=True, eq=False)
class Activity:
    """One session of one sport, read from a watch file.

    Attributes
    ----------
    samples : Samples
        The time series, in the one column vocabulary (see module docstring).
    start_utc : datetime or None
        Time of the first sample, timezone-aware UTC; None when the file has only relative
        times (some ANT-FS dumps).
    laps, pauses : tuple
        Device laps and timer pauses, times in seconds from the first sample.
    sport : str
        Lower-case sport (running, cycling, walking, swimming, transition, ...).
    source : str
        The file's name (``archive.zip:member`` inside an archive).
    source_format : str
        ``fit``, ``gpx`` or ``tcx``.
    warnings : tuple of str
        What was salvaged, guessed or ignored while reading, in plain words.
    """

    samples: Samples
    start_utc: dt.datetime | None
    sport: str = "unknown"
    sub_sport: str | None = None
    device: str | None = None
    source: str = ""
    source_format: str = ""
    session_index: int = 0
    laps: tuple[Lap, ...] = ()
    pauses: tuple[Pause, ...] = ()
    file_summary: FileSummary | None = None
    warnings: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    utc_offset_s: float | None = None
    """The local clock's offset from UTC at the start, when the file says it (FIT
    ``local_timestamp``, a TCX / GPX time written with an offset); see
    :mod:`splitcheck.localtime` for the local start time."""

    def __post_init__(self) -> None:
        if self.start_utc is not None and self.start_utc.utcoffset() != dt.timedelta(0):
            raise ValueError(f"start_utc must be timezone-aware UTC, got {self.start_utc!r}")

    def __repr__(self) -> str:  # one line (the samples would fill a notebook)
        start = self.start_utc.isoformat().replace("+00:00", "Z") if self.start_utc else None
        return (
            f"Activity({self.sport}, {start}, {self.distance_m / 1000:.2f} km, "
            f"{self.elapsed_s:.0f} s, {len(self.samples)} samples, {len(self.laps)} laps, "
            f"source={self.source!r})"
        )

    # -- totals ---------------------------------------------------------------------------
    @property
    def elapsed_s(self) -> float:
        """Seconds from the first to the last sample, pauses included."""
        t = self.samples.elapsed_s
        return float(t[-1] - t[0]) if len(t) else 0.0

    @property
    def paused_s(self) -> float:
        return float(sum(p.duration_s for p in self.pauses))

    @property
    def timer_s(self) -> float:
        """Elapsed time less the timer's pauses (what the watch calls timer time)."""
        return self.elapsed_s - self.paused_s

    @property
    def distance_m(self) -> float:
        d = self.samples.distance_m
        finite = d[np.isfinite(d)]
        return float(finite[-1] - finite[0]) if len(finite) else 0.0

    @property
    def moving_s(self) -> float:
        """Time spent moving faster than :data:`MOVING_SPEED_MPS`, outside pauses."""
        return moving_time_s(self.samples, self.pauses)

    @property
    def end_utc(self) -> dt.datetime | None:
        if self.start_utc is None:
            return None
        return self.start_utc + dt.timedelta(seconds=self.elapsed_s)

    @property
    def average_speed_mps(self) -> float:
        moving = self.moving_s
        return self.distance_m / moving if moving > 0 else float("nan")

    # -- conversions ----------------------------------------------------------------------
    def with_changes(self, **changes: Any) -> Activity:
        return dataclasses.replace(self, **changes)

    def to_dataframe(self) -> pd.DataFrame:
        """Samples as a pandas DataFrame with a tz-aware ``time_utc`` column first."""
        import pandas as pd

        frame = pd.DataFrame(self.samples.columns())
        if self.start_utc is not None:
            start = pd.Timestamp(self.start_utc)
            frame.insert(0, "time_utc", start + pd.to_timedelta(frame["elapsed_s"], unit="s"))
        return frame

    def to_dict(self) -> dict[str, Any]:
        """The activity's summary as JSON-ready values (see docs/json.md)."""
        return {
            "sport": self.sport,
            "sub_sport": self.sub_sport,
            "start_utc": self.start_utc.isoformat().replace("+00:00", "Z")
            if self.start_utc
            else None,
            "elapsed_s": _round(self.elapsed_s),
            "timer_s": _round(self.timer_s),
            "moving_s": _round(self.moving_s),
            "distance_m": _round(self.distance_m),
            "device": self.device,
            "format": self.source_format,
            "session_index": self.session_index,
            "samples": len(self.samples),
            "laps": [lap.to_dict() for lap in self.laps],
            "pauses": [
                {"start_s": _round(p.start_s), "end_s": _round(p.end_s)} for p in self.pauses
            ],
            "warnings": list(self.warnings),
        }


def moving_time_s(samples: Samples, pauses: tuple[Pause, ...] = ()) -> float:
    """Seconds spent moving: intervals between samples whose speed exceeds
    :data:`MOVING_SPEED_MPS`, excluding timer pauses.

    Speed over each interval comes from the distance column (robust to smart recording);
    where distance is missing the speed column is used.
    """
    return float(_moving_intervals_s(samples, pauses).sum())


def moving_within_s(
    samples: Samples, pauses: tuple[Pause, ...], start_s: np.ndarray, end_s: np.ndarray
) -> np.ndarray:
    """Seconds moving (as :func:`moving_time_s` counts them) inside each [start_s, end_s]
    (vectorised over spans; an interval between samples counts in proportion)."""
    t = samples.elapsed_s
    if len(t) < 2:
        return np.zeros(np.broadcast(start_s, end_s).shape)
    clock = _moving_clock(samples, pauses)
    return np.interp(end_s, t, clock) - np.interp(start_s, t, clock)


_LAST_CLOCK: tuple = (None, None, None)
"""The last (samples, pauses, clock): an analysis asks for the moving time of its laps,
splits, reps and efforts in turn, each a pass over the same run (18 per one-hour run)."""


def _moving_clock(samples: Samples, pauses: tuple[Pause, ...]) -> np.ndarray:
    """Seconds moving from the first sample to each sample."""
    global _LAST_CLOCK
    last_samples, last_pauses, clock = _LAST_CLOCK
    if last_samples is samples and last_pauses == pauses:
        return clock
    clock = np.concatenate([[0.0], np.cumsum(_moving_intervals_s(samples, pauses))])
    clock.flags.writeable = False
    _LAST_CLOCK = (samples, pauses, clock)
    return clock


def interval_speeds_mps(elapsed_s: np.ndarray, distance_m: np.ndarray) -> np.ndarray:
    """Speed over each interval between samples, m/s (NaN where distance is missing).

    A distance the file repeats unchanged (a watch that logs every second but updates its
    distance every other second, in whole metres: sports-lib/6910052863.fit, a Suunto 9,
    leaves 70 % of its intervals at 0 m) is not a stop: each interval takes the speed
    from the distance's last change to its next, so a walk logged as 2 m every 2 s is
    1 m/s throughout, while a real stop (no change for a minute, then a few metres) stays
    slower than :data:`MOVING_SPEED_MPS`. Repeats after the last change keep 0.
    """
    t = np.asarray(elapsed_s, dtype=np.float64)
    d = np.asarray(distance_m, dtype=np.float64)
    dd, dt = np.diff(d), np.diff(t)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.where(np.isfinite(dd), dd / np.where(dt > 0, dt, np.nan), np.nan)
    still = dd == 0
    if not still.any():
        return v
    # sample indexes where the distance is new (the first, and each after a change)
    marks = np.flatnonzero(np.concatenate([[True], np.isfinite(dd) & ~still]))
    i = np.flatnonzero(still)
    before = marks[np.searchsorted(marks, i, side="right") - 1]
    k = np.searchsorted(marks, i + 1, side="left")
    ok = k < len(marks)
    after = marks[np.minimum(k, len(marks) - 1)]
    span_d, span_t = d[after] - d[before], t[after] - t[before]
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.where(ok & (span_t > 0), span_d / span_t, 0.0)
    v[i] = np.where(np.isfinite(spread), spread, 0.0)
    return v


def _moving_intervals_s(samples: Samples, pauses: tuple[Pause, ...]) -> np.ndarray:
    """Per interval between samples: its seconds when moving and not paused, else 0."""
    t = samples.elapsed_s
    if len(t) < 2:
        return np.zeros(0)
    dt_s = np.diff(t)
    v = interval_speeds_mps(t, samples.distance_m)
    sp = samples.speed_mps[1:]
    v = np.where(np.isfinite(v), v, sp)
    moving = np.isfinite(v) & (v > MOVING_SPEED_MPS)
    if not np.isfinite(v).any():  # no distance, no speed (HR-only file): all timer time
        moving = np.ones_like(dt_s, dtype=bool)
    paused = in_pauses(t[:-1] + dt_s / 2, pauses)
    return np.where(moving & ~paused, dt_s, 0.0)


def paused_within_s(
    start_s: np.ndarray | float, end_s: np.ndarray | float, pauses: tuple[Pause, ...]
) -> np.ndarray:
    """Seconds of timer pause inside each [start_s, end_s] (vectorised over spans)."""
    a = np.atleast_1d(np.asarray(start_s, dtype=np.float64))
    b = np.atleast_1d(np.asarray(end_s, dtype=np.float64))
    total = np.zeros(np.broadcast(a, b).shape)
    for p in pauses:  # few pauses per activity: loop over pauses, vectorised over spans
        total += np.clip(np.minimum(b, p.end_s) - np.maximum(a, p.start_s), 0.0, None)
    return total


def in_pauses(times_s: np.ndarray, pauses: tuple[Pause, ...]) -> np.ndarray:
    """Boolean mask: which times fall inside a pause."""
    mask = np.zeros(len(times_s), dtype=bool)
    for p in pauses:  # few pauses per activity: loop over pauses, vectorised over samples
        mask |= (times_s > p.start_s) & (times_s < p.end_s)
    return mask


def _round(value: float | None, digits: int = 3) -> float | None:
    if value is None:
        return None
    value = float(value)
    return round(value, digits) if np.isfinite(value) else None
