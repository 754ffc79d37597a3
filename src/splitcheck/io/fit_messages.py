"""The decoded content of a FIT file, independent of which decoder produced it.

Two decoders fill this: fitparse (the reference, ``fit_decode.py``) and the vectorised
fast path (``fit_fast.py``). ``fit.py`` builds activities from it, so both decoders must
produce identical ``FitMessages`` for the same file (the equivalence tests check this).

Conventions (what both decoders must agree on):

* Field names are the FIT profile's names as fitparse reports them (``timestamp``,
  ``position_lat``, ``enhanced_speed``, ``heart_rate`` ...). Component-expanded fields
  (``speed`` from ``compressed_speed_distance``) appear under their target names.
* Numbers are after the profile's scale and offset, as Python floats (in ``records``:
  float64 numpy columns). Invalid sentinels become NaN (records) or None (other messages).
* Times (``timestamp``, ``start_time``) are raw FIT seconds (since 1989-12-31 UTC, or
  relative when < 0x10000000), as float, with compressed-timestamp headers resolved.
* Positions stay in semicircles here; ``fit.py`` converts to degrees.
* Enum fields are fitparse's value names (``"manual"``, ``"active"``, ``"running"``);
  an unknown enum value is its integer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

MESSAGE_LISTS = {
    "lap": "laps",
    "session": "sessions",
    "event": "events",
    "file_id": "file_ids",
    "device_info": "device_infos",
    "activity": "activities",
    "sport": "sports",
}
"""FIT message name -> the FitMessages list that holds them (records are columns)."""


def plain_value(value: Any, enum: bool) -> Any:
    """The value rule both decoders share: numbers to float, except an enum's unnamed int.

    Bools, strings and None stay as they are; tuples follow the rule per element.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int) and enum:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, tuple):
        return tuple(plain_value(v, enum) for v in value)
    return value


@dataclass
class FitMessages:
    """Messages splitcheck uses, in file order.

    Attributes
    ----------
    records : dict of str to ndarray
        One float64 column per record field seen in the file, all the same length (one
        row per record message; a field a message lacks is NaN in that row).
    laps, sessions, events, file_ids, device_infos, activities, sports : list of dict
        One dict per message: field name to value (see the module's conventions).
    warnings : list of str
        Damage found and what was kept (``truncated at byte 7471; kept 1,204 records``).
    damaged : bool
        True when decoding stopped early or a CRC did not match.
    files : int
        How many chained FIT files (headers) were read.
    """

    records: dict[str, np.ndarray] = field(default_factory=dict)
    laps: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    file_ids: list[dict[str, Any]] = field(default_factory=list)
    device_infos: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    sports: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    damaged: bool = False
    files: int = 0

    @property
    def record_count(self) -> int:
        return len(self.records.get("timestamp", ()))
