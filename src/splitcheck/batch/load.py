"""Training load: per activity (TRIMP from heart rate, else running TSS from pace), and
fitness, fatigue and form per day (the performance-management chart of GoldenCheetah,
TrainingPeaks and intervals.icu); time in heart-rate zones.

Per activity, from the ``heart_rate`` table (seconds at each bpm) and the activity row:

* **TRIMP** (Banister 1991; Morton, Fitz-Clarke & Banister 1990, J Appl Physiol 69:1171):
  sum over time of minutes x HRr x a x exp(b x HRr), HRr = (HR - rest) / (max - rest),
  a = 0.64, b = 1.92 for men, a = 0.86, b = 1.67 for women.
* **running TSS** (TrainingPeaks' rTSS): hours x IF^2 x 100, IF = normalised graded speed /
  threshold speed, so an hour at threshold pace scores 100.

The two are on different scales (an hour at threshold: running TSS 100, TRIMP ~150), so
``load`` uses one of them for the whole archive (:class:`LoadScale`): the one more
activities have; an activity with only the other is put on that scale by the median
TRIMP / running TSS of the archive's own activities that have both, and is left out of the
load (and said so) when fewer than :data:`MIN_PAIRS_FOR_SCALE` have both. Fitness (CTL)
and fatigue (ATL) are exponentially weighted daily load with time constants of 42 and 7
days, updated as GoldenCheetah's PMC does:
``ctl_today = ctl_yesterday * exp(-1/42) + load_today * (1 - exp(-1/42))``; form (TSB) on a
day is yesterday's fitness minus yesterday's fatigue (TrainingPeaks, GoldenCheetah): how
fresh the runner starts the day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..metrics.predict import RIEGEL_EXPONENT, RIEGEL_MAX_S, RIEGEL_MIN_S
from ..profile import Profile
from ..units import format_pace

CTL_DAYS = 42.0
ATL_DAYS = 7.0
"""Time constants of fitness and fatigue [days] (Banister's model as TrainingPeaks,
GoldenCheetah and intervals.icu default them)."""
TRIMP_MALE = (0.64, 1.92)
TRIMP_FEMALE = (0.86, 1.67)
"""Banister TRIMP weighting (a, b): a x exp(b x HRr) (Morton et al. 1990). Without the
runner's sex the male weighting is used, as most tools do."""
DEFAULT_REST_HR_BPM = 60.0
"""Resting heart rate when the runner does not give one (a typical adult's; TRIMP moves
by ~5 % per 5 bpm of error)."""
MAX_HR_MIN_S = 10.0
"""The archive's max heart rate, when not given, is the highest bpm held for at least 10 s
in one activity (a one-sample spike from an optical sensor is not a max)."""
HR_ZONES_PCT_MAX = (50.0, 60.0, 70.0, 80.0, 90.0)
"""Lower bounds of heart-rate zones 1-5 in % of max heart rate (Garmin's default zones;
under 50 % is not in a zone)."""
THRESHOLD_SPEED_S = 3600.0
"""Threshold pace is the pace the runner could hold for an hour (Coggan/TrainingPeaks
"functional threshold pace"). Estimated, when not given, from the runner's best efforts
by Riegel's formula (:mod:`splitcheck.metrics.predict`)."""
THRESHOLD_WINDOW_DAYS = 365
"""Efforts from the last year of the archive estimate the threshold pace (older ones
describe a runner who is no more); all of them when the last year has none."""


@dataclass(frozen=True)
class LoadSettings:
    """The runner's numbers the load is computed with, and where each came from."""

    max_hr_bpm: float | None
    rest_hr_bpm: float
    sex: str | None
    threshold_speed_mps: float | None
    sources: tuple[str, ...] = ()

    def __repr__(self) -> str:
        pace = f"{1000.0 / self.threshold_speed_mps:.0f} s/km" if self.threshold_speed_mps else None
        return (
            f"LoadSettings(max_hr={self.max_hr_bpm}, rest_hr={self.rest_hr_bpm}, threshold={pace})"
        )


@dataclass(frozen=True)
class FitnessDay:
    """One day of the performance-management chart."""

    date: dt.date
    load: float
    ctl: float
    atl: float
    tsb: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "load": round(self.load, 1),
            "ctl": round(self.ctl, 2),
            "atl": round(self.atl, 2),
            "tsb": round(self.tsb, 2),
        }


HrSeconds = tuple[np.ndarray, np.ndarray]
"""One activity's heart rate: bpm values and the seconds spent at each (numpy arrays)."""


def as_arrays(hist: Mapping[int, float] | HrSeconds) -> HrSeconds:
    """``{bpm: seconds}`` or ``(bpm, seconds)`` as two float arrays."""
    if isinstance(hist, Mapping):
        return np.fromiter(hist.keys(), float), np.fromiter(hist.values(), float)
    return np.asarray(hist[0], dtype=float), np.asarray(hist[1], dtype=float)


def trimp(
    hr_seconds: Mapping[int, float] | HrSeconds, max_hr: float, rest_hr: float, sex: str | None
) -> float:
    """Banister TRIMP of one activity from its seconds at each bpm."""
    a, b = TRIMP_FEMALE if sex == "female" else TRIMP_MALE
    bpm, seconds = as_arrays(hr_seconds)
    hrr = np.clip((bpm - rest_hr) / (max_hr - rest_hr), 0.0, 1.0)
    return float(np.sum(seconds / 60.0 * hrr * a * np.exp(b * hrr)))


def running_tss(moving_s: float, normalized_speed_mps: float, threshold_speed_mps: float) -> float:
    """Running TSS: hours x (normalised speed / threshold speed)^2 x 100."""
    intensity = normalized_speed_mps / threshold_speed_mps
    return moving_s / 3600.0 * intensity**2 * 100.0


def zone_seconds(hr_seconds: Mapping[int, float] | HrSeconds, max_hr: float) -> tuple[float, ...]:
    """Seconds in zones 1-5 (:data:`HR_ZONES_PCT_MAX`)."""
    bpm, seconds = as_arrays(hr_seconds)
    zone = np.searchsorted(np.asarray(HR_ZONES_PCT_MAX), bpm / max_hr * 100.0, side="right") - 1
    sums = np.bincount(zone[zone >= 0], weights=seconds[zone >= 0], minlength=len(HR_ZONES_PCT_MAX))
    return tuple(float(x) for x in sums)


def hr_by_activity(rows: Iterable[Mapping[str, Any]]) -> dict[tuple, HrSeconds]:
    """The ``heart_rate`` table as {(source, session_index): (bpm, seconds)}."""
    grouped: dict[tuple, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for r in rows:
        bpm, seconds = grouped[(r["source"], r.get("session_index", 0))]
        bpm.append(r["bpm"])
        seconds.append(r["seconds"])
    return {
        k: (np.asarray(b, dtype=float), np.asarray(t, dtype=float)) for k, (b, t) in grouped.items()
    }


def estimated_max_hr(hists: Iterable[Mapping[int, float] | HrSeconds]) -> float | None:
    """The highest bpm held :data:`MAX_HR_MIN_S` in one activity, over the archive."""
    best = None
    for hist in hists:
        bpm, seconds = as_arrays(hist)
        order = np.argsort(-bpm)
        held = np.cumsum(seconds[order])
        reached = np.flatnonzero(held >= MAX_HR_MIN_S)
        if len(reached):
            top = float(bpm[order][reached[0]])
            best = top if best is None else max(best, top)
    return best


def estimated_threshold_speed_mps(efforts: Iterable[Mapping[str, Any]]) -> float | None:
    """The speed the runner could hold for an hour, by Riegel from each best effort lasting
    3.5-230 min (the formula's range); the fastest such prediction [m/s]."""
    best = None
    for e in efforts:
        t, d = e.get("duration_s"), e.get("distance_m")
        if not t or not d or not RIEGEL_MIN_S <= t <= RIEGEL_MAX_S:
            continue
        # d_1h = d * (3600 / t) ** (1 / exponent): Riegel's t2 = t1 (d2/d1)^1.06 inverted
        speed = d * (THRESHOLD_SPEED_S / t) ** (1.0 / RIEGEL_EXPONENT) / THRESHOLD_SPEED_S
        best = speed if best is None else max(best, speed)
    return best


def settings_for(
    profile: Profile | None,
    hists: Mapping[tuple, HrSeconds],
    efforts: list[Mapping[str, Any]],
    last_day: dt.date | None,
) -> LoadSettings:
    """The runner's max/rest HR and threshold speed: given in the profile, else estimated."""
    sources = []
    unit = getattr(profile, "units", None) or "km"
    max_hr = getattr(profile, "max_hr_bpm", None)
    if max_hr is None:
        max_hr = estimated_max_hr(hists.values())
        if max_hr is not None:
            sources.append(f"max heart rate {max_hr:.0f} bpm: the highest held 10 s")
    rest_hr = getattr(profile, "rest_hr_bpm", None) or DEFAULT_REST_HR_BPM
    threshold_pace = getattr(profile, "threshold_pace_s_per_km", None)
    speed = 1000.0 / threshold_pace if threshold_pace else None
    if speed is None:
        recent = efforts
        if last_day is not None:
            since = last_day - dt.timedelta(days=THRESHOLD_WINDOW_DAYS)
            recent = [e for e in efforts if e.get("date") and e["date"] >= since.isoformat()]
        speed = estimated_threshold_speed_mps(recent or efforts)
        if speed is not None:
            sources.append(
                f"threshold pace {format_pace(speed, unit)}: estimated from your best efforts "
                "(Riegel)"
            )
    sex = getattr(profile, "sex", None)
    return LoadSettings(max_hr, float(rest_hr), sex, speed, tuple(sources))


MIN_PAIRS_FOR_SCALE = 3
"""Activities with both TRIMP and running TSS needed to put one on the other's scale."""
BASIS_WORDS = {"heart rate": "TRIMP (heart rate)", "pace": "running TSS (pace)"}


@dataclass(frozen=True)
class LoadScale:
    """The archive's one load scale: ``basis`` ``heart rate`` (TRIMP) or ``pace`` (running
    TSS), and ``trimp_per_rtss``, the median TRIMP / running TSS over the ``pairs``
    activities that have both (None under :data:`MIN_PAIRS_FOR_SCALE`)."""

    basis: str
    trimp_per_rtss: float | None
    pairs: int

    def load(self, t: float | None, r: float | None) -> tuple[float | None, str | None]:
        """An activity's load on this scale and where it came from (``heart rate``,
        ``pace``, ``pace converted to TRIMP``, ``heart rate converted to running TSS``;
        None: no load)."""
        own, other = (t, r) if self.basis == "heart rate" else (r, t)
        if own is not None:
            return own, self.basis
        if other is None or not self.trimp_per_rtss:
            return None, None
        if self.basis == "heart rate":
            return other * self.trimp_per_rtss, "pace converted to TRIMP"
        return other / self.trimp_per_rtss, "heart rate converted to running TSS"

    def words(self) -> str:
        """How the load is counted, for the terminal and ``weekly.json``."""
        text = f"load in {BASIS_WORDS[self.basis]} units"
        if self.trimp_per_rtss is None:
            other = "pace" if self.basis == "heart rate" else "heart rate"
            return (
                f"{text}; activities with {other} only have no load (under "
                f"{MIN_PAIRS_FOR_SCALE} activities with both to convert it)"
            )
        how = "x" if self.basis == "heart rate" else "/"
        other = "running TSS" if self.basis == "heart rate" else "TRIMP"
        return (
            f"{text}; {other} alone converted {how} {self.trimp_per_rtss:.2f}, the median "
            f"TRIMP / running TSS of your {self.pairs} activities with both"
        )


def load_scale(loads: Iterable[tuple[float | None, float | None]]) -> LoadScale:
    """The :class:`LoadScale` of an archive from each activity's (TRIMP, running TSS)."""
    loads = list(loads)
    n_trimp = sum(t is not None for t, _ in loads)
    n_rtss = sum(r is not None for _, r in loads)
    ratios = [t / r for t, r in loads if t is not None and r is not None and r > 0]
    ratio = float(np.median(ratios)) if len(ratios) >= MIN_PAIRS_FOR_SCALE else None
    return LoadScale("heart rate" if n_trimp >= n_rtss else "pace", ratio, len(ratios))


def activity_load(
    act: Mapping[str, Any], hist: HrSeconds | None, settings: LoadSettings
) -> tuple[float | None, float | None, float | None]:
    """(TRIMP, running TSS, the one of them there is: TRIMP first) of one activity; None
    where it cannot be computed. The archive's load puts them on one scale
    (:class:`LoadScale`)."""
    t = None
    if (
        hist is not None
        and len(hist[0])
        and settings.max_hr_bpm
        and settings.max_hr_bpm > settings.rest_hr_bpm
    ):
        t = trimp(hist, settings.max_hr_bpm, settings.rest_hr_bpm, settings.sex)
    r = None
    ngs, moving = act.get("normalized_speed_mps"), act.get("moving_s")
    if ngs and moving and settings.threshold_speed_mps and act.get("sport") in _RUNS:
        r = running_tss(moving, ngs, settings.threshold_speed_mps)
    return t, r, t if t is not None else r


_RUNS = frozenset({"running", "trail_running"})


def fitness(daily_load: Mapping[dt.date, float], first: dt.date, last: dt.date) -> list[FitnessDay]:
    """CTL, ATL, TSB for every day from ``first`` to ``last`` (both from 0 before ``first``)."""
    k_ctl = 1.0 - math.exp(-1.0 / CTL_DAYS)
    k_atl = 1.0 - math.exp(-1.0 / ATL_DAYS)
    ctl = atl = 0.0
    out = []
    for i in range((last - first).days + 1):
        day = first + dt.timedelta(days=i)
        load = daily_load.get(day, 0.0)
        tsb = ctl - atl
        ctl += (load - ctl) * k_ctl
        atl += (load - atl) * k_atl
        out.append(FitnessDay(day, load, ctl, atl, tsb))
    return out
