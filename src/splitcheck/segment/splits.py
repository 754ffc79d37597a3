"""Distance splits (per km, mile, 400 m or any distance) with interpolated boundaries."""

from __future__ import annotations

import numpy as np

from .trace import Trace
from .types import Split

PARTIAL_MIN_M = 1.0
"""A last split shorter than this is rounding, not a split: it joins the one before."""


def distance_splits(trace: Trace, split_m: float = 1000.0) -> tuple[Split, ...]:
    """Splits of ``split_m`` metres from the first sample to the last.

    Each boundary is the time the cumulative distance first reaches ``k * split_m``,
    interpolated linearly between the two samples around it; the last split, when shorter
    than ``split_m``, is marked ``partial``.

    Raises
    ------
    ValueError
        When ``split_m`` is not a positive distance.
    """
    if not split_m > 0:
        raise ValueError(f"split distance must be positive metres, got {split_m!r}")
    d0, d_end = float(trace.raw_d_m[0]), float(trace.raw_d_m[-1])
    marks = d0 + np.arange(1, int((d_end - d0) // split_m) + 1) * split_m
    bounds_d = np.concatenate([[d0], marks])
    if d_end - bounds_d[-1] >= PARTIAL_MIN_M:
        bounds_d = np.concatenate([bounds_d, [d_end]])
    elif len(bounds_d) > 1:  # the rounding joins the last split, as its time does
        bounds_d[-1] = d_end
    bounds_t = trace.time_at(bounds_d)
    bounds_t[0], bounds_t[-1] = trace.raw_t_s[0], max(bounds_t[-1], trace.time_at(d_end))
    return tuple(
        Split(
            start_s=float(bounds_t[i]),
            end_s=float(bounds_t[i + 1]),
            distance_m=float(bounds_d[i + 1] - bounds_d[i]),
            index=i + 1,
            partial=bool(bounds_d[i + 1] - bounds_d[i] < split_m - 1e-6),
        )
        for i in range(len(bounds_d) - 1)
    )
