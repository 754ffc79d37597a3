"""Segmentation: splits, device laps, intervals, the workout's shape and best efforts."""

from .assemble import find_structure
from .types import DeviceLap, Effort, Interval, Split, Structure, Workout

__all__ = ["DeviceLap", "Effort", "Interval", "Split", "Structure", "Workout", "find_structure"]
