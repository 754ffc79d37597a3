"""Numbers as a runner reads them in the HTML report, and the escaping every text goes
through (file names, sport and device names come from the runner's files)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import Any

from ...units import KM_M, UNIT_M, format_duration, format_segment_distance

DASH = "\u2013"
"""Shown for a value the file does not have (an en dash, never "nan")."""
SPEED_UNIT = {"km": ("km/h", 3.6), "mi": ("mph", 3600 / 1609.344)}
"""Speed unit per distance unit, and m/s to it (cycling and other speed sports)."""


def esc(value: Any) -> str:
    """Text for HTML content and attributes (quotes escaped too)."""
    return html.escape(str(value), quote=True)


def finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def duration(seconds: Any, decimals: int = 0) -> str:
    return format_duration(float(seconds), decimals=decimals) if finite(seconds) else DASH


def pace(pace_s_per_km: Any, unit: str) -> str:
    """``3:19`` per ``unit`` from a pace per km (the JSON's), ``–`` when there is none."""
    if not finite(pace_s_per_km) or pace_s_per_km <= 0 or pace_s_per_km > 99 * 60:
        return DASH
    return format_duration(pace_s_per_km * UNIT_M[unit] / KM_M)


def speed(pace_s_per_km: Any, unit: str) -> str:
    """``31.2`` km/h or mph from a pace per km."""
    if not finite(pace_s_per_km) or pace_s_per_km <= 0:
        return DASH
    return f"{KM_M / pace_s_per_km * SPEED_UNIT[unit][1]:.1f}"


def distance(distance_m: Any, unit: str = "km", *, metres_below_m: float | None = None) -> str:
    """A lap's, rep's or split's distance as the terminal shows it
    (:func:`splitcheck.units.format_segment_distance`: ``400 m``, ``1.00 mi``,
    ``12.35 km``), or in ``unit`` from ``metres_below_m`` up when given."""
    if not finite(distance_m):
        return DASH
    if metres_below_m is None:
        return format_segment_distance(distance_m, unit)
    if distance_m < metres_below_m:
        return f"{distance_m:.0f} m"
    return f"{distance_m / UNIT_M[unit]:.2f} {unit}"


def number(value: Any, spec: str = ".0f", suffix: str = "") -> str:
    return f"{value:{spec}}{suffix}" if finite(value) else DASH


def signed_pct(value: Any) -> str:
    return f"{value:+.1f} %" if finite(value) else DASH


def attrs(**values: Any) -> str:
    """`` name="value"`` pairs, escaped; ``data_v`` becomes ``data-v``, ``class_``
    ``class``; None is left out."""
    out = []
    for name, value in values.items():
        if value is None:
            continue
        out.append(f' {name.rstrip("_").replace("_", "-")}="{esc(value)}"')
    return "".join(out)


def raw(value: Any) -> str | None:
    """The JSON's number as a ``data-v`` attribute (tests read it back), or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return repr(value) if math.isfinite(value) else None
    return None


def tip(lines: Iterable[str]) -> str:
    """A hover tooltip's lines, for a ``data-tip`` attribute (page.js splits on newlines)."""
    return "\n".join(line for line in lines if line)
