"""The pacing scorecard: one session judged against the rules of docs/guidance.md.

:func:`score` picks the card for the session's type: a mile effort (time trial,
guidance.md section 1), an interval session (section 2) or a continuous run (not scored:
drift, decoupling, grade-adjusted pace). Thresholds live as named constants in
:mod:`.mile`, :mod:`.intervals` and :mod:`.continuous`; docs/pacing.md lists them.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from ..profile import Profile
from .card import Finding, Scorecard
from .continuous import score_continuous
from .stats import lap_stats

if TYPE_CHECKING:
    from .parts import LapResult, Part, RepResult

RUNNING_SPORTS = ("running", "generic", "unknown", "trail_running", "track_running")
"""Sports scored against the running guidance (a ride or a swim is not)."""
MILE_EFFORT_RANGE_M = (1400.0, 1700.0)
"""A single hard effort of 1500 m to a mile counts as a mile effort (guidance.md 1)."""

__all__ = ["Finding", "LapResult", "Part", "RepResult", "Scorecard", "score"]
_FROM_PARTS = ("LapResult", "Part", "RepResult")
"""Exported here, imported from :mod:`.parts` on first use (PEP 562): only mile and
interval cards have them, and a continuous run's analysis does not import that module."""


def __getattr__(name: str) -> Any:
    if name not in _FROM_PARTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import parts

    return getattr(parts, name)


def score(activity, structure, profile: Profile | None = None) -> Scorecard | None:
    """The scorecard of one activity, or None when nothing applies (no structure, not a
    run, a time trial without a usable effort)."""
    profile = profile or Profile()
    if structure is None or activity.sport not in RUNNING_SPORTS:
        return None
    card = _card(activity, structure, profile)
    if card is None or not activity.laps:
        return card
    laps = activity.laps
    stats = lap_stats(activity, [lap.start_s for lap in laps], [lap.end_s for lap in laps])
    rows = tuple({"lap": k + 1, **st} for k, st in enumerate(stats))
    return dataclasses.replace(card, lap_stats=rows)


def _card(activity, structure, profile: Profile) -> Scorecard | None:
    """The card for the session's type. The mile and interval scoring modules (with
    their words, margins and GPS timing) are imported here, for the sessions that need
    them: a continuous run, most analyses, never loads them (start-up time)."""
    kind = structure.workout.type
    if kind == "time_trial":
        effort = mile_effort(activity, structure)
        if _usable(effort):
            from .mile import score_mile

            return score_mile(effort, profile, activity=activity)
        if structure.work and structure.work[0].distance_m > MILE_EFFORT_RANGE_M[1]:
            return score_continuous(activity, structure, profile)  # a 3 km - marathon race
        return None
    if kind == "continuous":
        return score_continuous(activity, structure, profile)
    if structure.work:
        from .intervals import score_intervals

        return score_intervals(activity, structure, profile)
    return None


def _usable(effort) -> bool:
    """A mile effort can be judged when each quarter took time and covered ground (a
    clock fault inside it can leave a quarter of 0.0 s: no pace, no score)."""
    if effort is None:
        return False
    return all(lap.end_s - lap.start_s > 0 and lap.distance_m > 0 for lap in effort.laps)


def mile_effort(activity, structure):
    """The session's mile effort in four quarters: the segmentation's, else the one work
    interval of 1500 m to a mile cut into quarters from the samples."""
    effort = structure.mile_effort
    if effort is not None and len(effort.laps) == 4:
        return effort
    lo, hi = MILE_EFFORT_RANGE_M
    work = [w for w in structure.work if lo <= w.distance_m <= hi]
    if len(work) != 1:
        return None
    return quarters_from_samples(activity, work[0])


def quarters_from_samples(activity, span):
    """An ``Effort`` over ``span`` with four equal-distance laps interpolated from the
    samples' distance and time."""
    from ..segment.types import Effort, Span

    s = activity.samples
    ok = np.isfinite(s.distance_m)
    t, d = s.elapsed_s[ok], s.distance_m[ok]
    d0 = float(np.interp(span.start_s, t, d))
    bounds_m = d0 + np.linspace(0.0, span.distance_m, 5)
    bounds_s = np.interp(bounds_m, d, t)
    bounds_s[0], bounds_s[-1] = span.start_s, span.end_s
    laps = tuple(
        Span(float(bounds_s[k]), float(bounds_s[k + 1]), span.distance_m / 4) for k in range(4)
    )
    return Effort(span.start_s, span.end_s, span.distance_m, name="mile", laps=laps)
