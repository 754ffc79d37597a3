"""The walkthrough notebook runs top to bottom (as CI runs it), quickly, without errors."""

from __future__ import annotations

import time
from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "walkthrough.ipynb"
MAX_RUNTIME_S = 60.0
"""The whole notebook: its batch reads about twenty files; a minute is plenty."""


@pytest.mark.slow
def test_walkthrough_notebook_runs_top_to_bottom():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    started = time.monotonic()
    nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    elapsed_s = time.monotonic() - started
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    images = sum(
        "image/png" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )
    assert images == 7  # laps, trace, reps, hilly trace, fitness, weekly sessions, best mile
    text = "".join(
        str(out.get("data", {}).get("text/plain", "")) + str(out.get("text", ""))
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )
    # the archive view: weekly volume, the review in words, load, records
    for expected in ("distance_m", "no sprint session this week", "ctl", "mile", "Archive("):
        assert expected in text, expected
    assert elapsed_s < MAX_RUNTIME_S, f"notebook took {elapsed_s:.0f} s"
