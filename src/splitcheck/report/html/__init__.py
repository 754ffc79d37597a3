"""HTML reports a runner opens in a browser: one self-contained page per activity
(:func:`render_page`, :func:`write_pages`) and an index page for an archive
(:mod:`.index`).

Pages are plain HTML with the style sheet, a small script and the charts (SVG drawn here
from the analysis's numbers) inline: they open offline from ``file://`` and request
nothing from any host. matplotlib is not imported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .page import render_page

__all__ = ["page_name", "render_page", "write_pages"]


def page_name(stem: str, session_index: int, sessions: int) -> str:
    """``run.html``, or ``run-session2.html`` for the second session of a file."""
    return f"{stem}-session{session_index + 1}.html" if sessions > 1 else f"{stem}.html"


def write_pages(
    analyses: Sequence[Any],
    source: str,
    out_dir: str | os.PathLike,
    *,
    stem: str = "activity",
    unit: str = "km",
    profile: Any = None,
    index_href: str | None = None,
) -> list[Path]:
    """Write one page per analysed session of a file into ``out_dir`` (made if needed);
    every page is rendered before any is written. Returns the paths written."""
    out = Path(out_dir)
    pages = [
        (
            out / page_name(stem, a.activity.session_index, len(analyses)),
            render_page(
                a,
                source,
                unit=unit,
                profile=profile,
                sessions=len(analyses),
                index_href=index_href,
            ),
        )
        for a in analyses
    ]
    out.mkdir(parents=True, exist_ok=True)
    for path, text in pages:
        write_text_atomic(path, text)
    return [path for path, _ in pages]


def write_text_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and a rename: a reader never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
