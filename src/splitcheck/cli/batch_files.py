"""The batch's output files: each table as CSV and JSON (and Parquet with pyarrow), written
atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path


def view_tables(tables: dict[str, list[dict]], view, doc: dict) -> dict[str, list[dict]]:
    """The batch's tables (activities with their day, load and zones) and the view's, from
    its JSON document ``doc`` (computed once); not ``heart_rate`` (seconds per bpm per
    activity: hundreds of rows each, summed up in each activity's load and zones)."""
    return {
        **{k: v for k, v in tables.items() if k != "heart_rate"},
        "activities": list(view.activities),
        **{k: doc[k] for k in ("weeks", "months", "fitness", "records", "races", "workouts")},
    }


def write_tables(tables: dict[str, list[dict]], out_dir: Path) -> list[Path]:
    """CSV and JSON of each table, and Parquet when pyarrow is installed (pandas is
    imported only then: a warm run should not pay its half second)."""
    import importlib.util

    from ..batch.tables import table_columns

    written = []
    for name, rows in tables.items():
        columns = table_columns(name, rows)
        csv_path, json_path = out_dir / f"{name}.csv", out_dir / f"{name}.json"
        write_atomic(csv_path, _csv_text(rows, columns))
        write_atomic(json_path, json.dumps(rows, ensure_ascii=False) + "\n")
        written += [csv_path, json_path]
    if importlib.util.find_spec("pyarrow") is not None:
        from ..batch.tables import to_frames

        for name, frame in to_frames(tables).items():
            frame.to_parquet(out_dir / f"{name}.parquet", index=False)
            written.append(out_dir / f"{name}.parquet")
    return written


def _csv_text(rows: list[dict], columns: list[str]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write beside the target and rename: a crash never leaves half a file."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
