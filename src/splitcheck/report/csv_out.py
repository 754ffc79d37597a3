"""The ``--csv`` table: a mile effort's laps, an interval session's reps, or a run's splits.

One row per lap / rep / split, numbers only (seconds, metres, s/km, %), so a spreadsheet
can take it as is. Columns (docs/pacing.md):

Every row starts with file, session (1-based), table (laps / reps / splits), then:

- laps: lap, start_s, time_s, distance_m, speed_mps, pace_s_per_km,
  vs_goal_pct, vs_mean_pct, then EXTRA
- reps: rep, nominal, start_s, time_s, distance_m, pace_s_per_km,
  vs_goal_pct, recovery_s, recovery_distance_m, recovery_pace_s_per_km, peak_hr_pct_max,
  then EXTRA
- EXTRA: uncertainty_s, time_source, hr_avg_bpm, hr_max_bpm, cadence_avg_spm,
  cadence_max_spm, power_avg_w, power_max_w
- splits: split, start_s, end_s, duration_s, distance_m, pace_s_per_km,
  partial, then the heart rate, cadence and power of EXTRA
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from ..scoring.stats import STAT_KEYS, lap_stats

EXTRA = ("uncertainty_s", "time_source", *STAT_KEYS)
"""After each lap's and rep's own columns: its time's 90 % uncertainty and source, and its
heart rate, cadence and power (average and maximum)."""
LAP_COLUMNS = ("lap", "start_s", "time_s", "distance_m", "speed_mps", "pace_s_per_km",
               "vs_goal_pct", "vs_mean_pct", *EXTRA)  # fmt: skip
REP_COLUMNS = ("rep", "nominal", "start_s", "time_s", "distance_m", "pace_s_per_km",
               "vs_goal_pct", "recovery_s", "recovery_distance_m", "recovery_pace_s_per_km",
               "peak_hr_pct_max", *EXTRA)  # fmt: skip
SPLIT_COLUMNS = ("split", "start_s", "end_s", "duration_s", "distance_m", "pace_s_per_km",
                 "partial", *STAT_KEYS)  # fmt: skip


def table_rows(analysis) -> tuple[str, tuple[str, ...], list[dict[str, Any]]]:
    """(table name, columns, rows) for one analysed activity: laps for a mile effort,
    reps for an interval session, else the distance splits."""
    card = analysis.pacing
    if card is not None and card.laps:
        return "laps", LAP_COLUMNS, [lap.to_dict() for lap in card.laps]
    if card is not None and card.reps:
        return "reps", REP_COLUMNS, [r.to_dict() for r in card.reps]
    splits = analysis.structure.splits if analysis.structure is not None else ()
    rows = []
    stats = lap_stats(analysis.activity, [sp.start_s for sp in splits], [sp.end_s for sp in splits])
    for sp, st in zip(splits, stats, strict=True):
        d = sp.to_dict()
        d["split"] = d.pop("index")
        rows.append(d | {k: None if v is None else round(v, 1) for k, v in st.items()})
    return "splits", SPLIT_COLUMNS, rows


def render_csv(files: Sequence[tuple[str, Sequence]]) -> str:
    """CSV text for ``(file name, analyses)`` pairs; a header before each change of table
    kind (laps, reps, splits), so one file's table reads as one block."""
    out = io.StringIO()
    writer = None
    current: tuple[str, ...] | None = None
    for source, analyses in files:
        for k, a in enumerate(analyses):
            name, columns, rows = table_rows(a)
            if columns != current:
                writer = csv.DictWriter(
                    out, fieldnames=("file", "session", "table", *columns),
                    extrasaction="ignore", lineterminator="\n",
                )  # fmt: skip
                writer.writeheader()
                current = columns
            for row in rows:
                writer.writerow({"file": source, "session": k + 1, "table": name,
                                 **_blank_none(row)})  # fmt: skip
    return out.getvalue()


def _blank_none(row: dict[str, Any]) -> dict[str, Any]:
    return {k: "" if v is None else v for k, v in row.items()}
