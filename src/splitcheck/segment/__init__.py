"""Segmentation: splits, device laps, intervals, the workout's shape and best efforts."""

from typing import Any

from ..model import Activity
from .assemble import find_structure as _find_structure
from .timing import with_timer
from .types import DeviceLap, Effort, Interval, Split, Structure, Workout

__all__ = ["DeviceLap", "Effort", "Interval", "Split", "Structure", "Workout", "find_structure"]


def find_structure(activity: Activity, **options: Any) -> Structure:
    """The activity's structure (:func:`.assemble.find_structure`), every span timed as the
    watch times it: paused time left out of each lap, split, rep and effort
    (:mod:`.timing`)."""
    return with_timer(_find_structure(activity, **options), activity)
