"""One call from a file or an activity to everything splitcheck knows about it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import Damage
from .model import Activity
from .units import UNIT_M

if TYPE_CHECKING:  # pragma: no cover
    from .segment.types import Structure

SCHEMA_VERSION = 1
"""Version of the JSON document ``splitcheck analyze --json`` prints (docs/json.md)."""
ANALYSIS_VERSION = "1"
"""Bump when results for the same file change (batch re-analyses cached files then)."""


@dataclass(frozen=True, eq=False)
class Analysis:
    """An activity with its structure and pacing scorecard (when they apply)."""

    activity: Activity
    structure: Structure | None = None
    pacing: Any = None

    def to_dict(self) -> dict[str, Any]:
        out = self.activity.to_dict()
        if self.structure is not None:
            out.update(self.structure.to_dict())
        if self.pacing is not None:
            out["pacing"] = self.pacing.to_dict()
        return out


STRUCTURE_SPORTS = frozenset({"running", "walking", "unknown", "trail_running", "generic"})
"""Sports whose sessions are segmented into reps, splits and efforts (foot sports)."""


def analyze(activity: Activity, profile: Any = None, *, laps: str = "auto") -> Analysis:
    """Structure and pacing of one activity.

    ``profile`` (a :class:`splitcheck.profile.Profile`, optional) is the runner: goal
    mile, max heart rate, level... and units, which set the split distance (km or mile).
    ``laps``: ``auto`` (the device's laps or the pace trace, whichever explains the
    session better), ``use`` (the laps whenever they mark reps) or ``ignore`` (the pace
    trace alone); the JSON's ``structure_source`` says which was used.
    """
    from .segment import find_structure

    structure = None
    if activity.sport in STRUCTURE_SPORTS and len(activity.samples) >= 2:
        units = getattr(profile, "units", None) or "km"
        structure = find_structure(activity, split_m=UNIT_M[units], laps=laps)
        if not structure.splits:  # no distance, or under a minute: nothing to segment
            structure = None
    pacing = None
    if structure is not None:
        from .scoring import score

        pacing = score(activity, structure, profile)
    return Analysis(activity=activity, structure=structure, pacing=pacing)


def analyze_file(
    path: str | os.PathLike,
    profile: Any = None,
    *,
    damage: Damage = Damage.SALVAGE,
    laps: str = "auto",
) -> list[Analysis]:
    """Read a file and analyse each of its sessions (``laps``: see :func:`analyze`)."""
    from .io import read

    return [analyze(activity, profile, laps=laps) for activity in read(path, damage=damage)]
