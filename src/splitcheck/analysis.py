"""One call from a file or an activity to everything splitcheck knows about it."""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import Damage
from .model import Activity
from .profile import Profile
from .units import UNIT_M

if TYPE_CHECKING:  # pragma: no cover
    from .localtime import LocalStart
    from .segment.types import Structure
    from .sport import SportCheck, WalkCheck

SCHEMA_VERSION = 2
"""Version of the JSON document ``splitcheck analyze --json`` prints (docs/json.md)."""
ANALYSIS_VERSION = "6"
"""Bump when results for the same file change (batch re-analyses cached files then).
2: best efforts to the marathon; the batch's climb, heart-rate and normalised-speed columns.
3: paused time left out of laps, splits and reps; sport check; local time; laps=auto.
4: the workout's label in the runner's units (miles with ``--units mi``).
5: moving time across distances a watch repeats between updates; lap heart rate without
   timer stops; reps made of TCX laps timed by the lap timer; trend ``hills``; the
   predicted-mile and trend words.
6: a continuous run's label on the timer (its stops said); climb across timer stops and
   standing left out of the trend's and grade-adjusted pace's altitude; walks of no stated
   sport analysed as walks, runs at walking pace without pacing verdicts; lap cadence
   and power with standing (0 spm, 0 W) counted, as the watch averages them."""


@dataclass(frozen=True, eq=False)
class Analysis:
    """An activity with its structure and pacing scorecard (when they apply)."""

    activity: Activity
    structure: Structure | None = None
    pacing: Any = None
    sport_check: SportCheck | WalkCheck | None = None
    """Set when a session saved as a run is too fast to be one, or one of no stated sport
    moved at a walker's speed (:mod:`.sport`); the activity then carries the likely sport."""
    local: LocalStart | None = None
    """The local start time (:mod:`.localtime`)."""
    units: str = "km"
    """The runner's units (``km`` or ``mi``): the words of the JSON document (the workout's
    label, the findings) are in them; its numbers are SI whatever they are."""

    def __repr__(self) -> str:  # one line: details in to_dict()
        workout = self.workout_label
        score = getattr(self.pacing, "score", None)
        a = self.activity
        day = a.start_utc.date().isoformat() if a.start_utc else "no date"
        return (
            f"Analysis({a.sport} {day}, {a.distance_m / 1000:.2f} km, workout={workout!r}, "
            f"score={score})"
        )

    @property
    def workout_label(self) -> str | None:
        """The session in runner's words, in the runner's units ("continuous run: 9.99 mi
        in 1:53:11"); None when the activity has no structure."""
        if self.structure is None:
            return None
        from .report.structure_text import workout_label  # words are the report's

        return workout_label(self.structure.workout, self.units)

    def to_dict(self) -> dict[str, Any]:
        out = self.activity.to_dict()
        if self.local is not None:
            out.update(self.local.to_dict())
        out["units"] = self.units
        out["sport_check"] = None
        if self.sport_check is not None:
            out["sport_check"] = {
                **self.sport_check.to_dict(),
                "message": self.sport_check.describe(self.units),
            }
        if self.structure is not None:
            out.update(self.structure.to_dict())
            workout = out["workout"]
            out["workout"] = {"type": workout.pop("type"), "label": self.workout_label, **workout}
        if self.pacing is not None:
            out["pacing"] = self.pacing.to_dict()
        return out


NOT_SEGMENTED = "not segmented:"
"""How a structure note starts when the segmentation refused the activity's clock or
distance (segment/trace.py); it becomes a warning on the activity."""


def _nothing_to_segment(activity: Activity) -> str:
    """Why a foot-sport activity has no splits, reps or score (heartandsole/B47I2852.FIT:
    41 s and 0 m printed its laps and stopped, with no word why)."""
    if not (math.isfinite(activity.distance_m) and activity.distance_m >= 1.0):
        return "no splits, reps or score: the file records no distance"
    return "no splits, reps or score: under a minute or a few metres recorded"


STRUCTURE_SPORTS = frozenset({"running", "walking", "unknown", "trail_running", "generic"})
"""Sports whose sessions are segmented into reps, splits and efforts (foot sports)."""


def analyze(
    activity: Activity,
    profile: Profile | None = None,
    *,
    timezone: str | None = None,
    laps: str = "auto",
    **profile_fields: Any,
) -> Analysis:
    """Structure and pacing of one activity.

    ``profile`` (a :class:`splitcheck.profile.Profile`, optional) is the runner: goal
    mile, max heart rate, level... and units, which set the split distance (km or mile).
    ``timezone`` (an IANA name) overrides the local time the file or its position gives.
    ``laps``: ``auto`` (the device's laps or the pace trace, whichever explains the
    session better), ``use`` (the laps whenever they mark reps) or ``ignore`` (the pace
    trace alone); the JSON's ``structure_source`` says which was used.
    Profile fields may also be given as keywords, as on the command line
    (``goal_mile="6:00"``, ``age=40``, ``sex="f"``, ``units="mi"``...); they override
    ``profile``'s.

    Raises
    ------
    ProfileError
        ``timezone`` names no time zone, or a profile field is bad.
    """
    from .localtime import local_start
    from .segment import find_structure
    from .sport import SportCheck, check_sport, check_walking

    profile = with_fields(profile, profile_fields)
    local = local_start(activity, timezone)

    units = getattr(profile, "units", None) or "km"
    sport_check = check_sport(activity) or check_walking(activity)
    if sport_check is not None:
        warning = sport_check.describe(units)
        activity = activity.with_changes(
            sport=sport_check.likely_sport, warnings=(*activity.warnings, warning)
        )
    structure = None
    if activity.sport in STRUCTURE_SPORTS and len(activity.samples) >= 2:
        structure = find_structure(activity, split_m=UNIT_M[units], laps=laps)
        if not structure.splits:  # no distance, or under a minute: nothing to segment
            refused = [n for n in structure.notes if n.startswith(NOT_SEGMENTED)]
            if not refused:  # no distance, or too short: said, not a report that stops
                refused = [_nothing_to_segment(activity)]
            activity = dataclasses.replace(activity, warnings=(*activity.warnings, *refused))
            structure = None
    if structure is not None and isinstance(sport_check, SportCheck):  # a wrong distance
        structure = dataclasses.replace(structure, efforts={}, mile_effort=None)
    pacing = None
    if structure is not None and sport_check is None:
        from .scoring import score

        pacing = score(activity, structure, profile)
    return Analysis(
        activity=activity,
        structure=structure,
        pacing=pacing,
        sport_check=sport_check,
        local=local,
        units=units,
    )


def analyze_file(
    path: str | os.PathLike,
    profile: Profile | None = None,
    *,
    damage: Damage = Damage.SALVAGE,
    timezone: str | None = None,
    laps: str = "auto",
    **profile_fields: Any,
) -> list[Analysis]:
    """Read a file and analyse each of its sessions (``laps``, ``timezone`` and profile
    fields as in :func:`analyze`)."""
    from .io import read

    profile = with_fields(profile, profile_fields)
    if timezone:  # a bad name is the caller's mistake, said before the file is read
        from .localtime import zone

        zone(timezone)
    return [analyze(a, profile, timezone=timezone, laps=laps) for a in read(path, damage=damage)]


def with_fields(profile: Profile | None, fields: dict[str, Any]) -> Profile | None:
    """``profile`` with the keyword fields given (``goal_mile="6:00"``...) applied."""
    if not fields:
        return profile
    return Profile.from_options(base=profile, **fields)
