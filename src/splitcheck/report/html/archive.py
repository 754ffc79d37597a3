"""An archive as a small site: an index page (:mod:`.index`) and a page per activity,
written by ``splitcheck batch PATHS --html DIR``.

Each activity's file is read again (folders and zips alike, through the batch's own
walk) and analysed the way the batch's workers do (same reader, same options), so its
page shows the numbers of the batch's tables. A page is named after the file's date,
name and content digest and carries a key of the settings it was made with: a re-run
rewrites only the pages of new or changed files, or all of them when a setting changed.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import __version__
from ...errors import SplitcheckError
from . import write_text_atomic
from .assets import asset
from .index import render_index
from .page import PAGE_VERSION, render_page

PAGES_DIR = "activities"
"""Activity pages go into this sub-folder of the site; the index sits at its top."""
KEY_META = "splitcheck-key"
KEY_READ_BYTES = 4096
"""The key is in the page's head, within its first few kB."""
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
POOL_WORTH_PAGES = {"fork": 12, "spawn": 100}
"""Pages made by worker processes only when there are at least this many to make, by how
workers start. A page costs ~30 ms of CPU (read, analyse, draw, write: 27-39 ms measured by
benchmarks/bench_html.py on 2 shared cores); workers take ~0.16 s to start by fork and
~1.5 s by spawn (``batch.run.POOL_WORTH_S``), and 2 of them repay that after about
start / (1 - 1 / 1.9) of work: 0.34 s (11 pages) and 3.2 s (105 pages)."""


@dataclass(frozen=True)
class ArchiveSite:
    """What :func:`write_archive` did: the index page, the pages written now, the pages
    already up to date, and the activities whose page could not be made (with why)."""

    index: Path
    written: int = 0
    kept: int = 0
    failed: tuple[str, ...] = field(default_factory=tuple)


def page_key(profile: Any, options: Mapping[str, Any], unit: str) -> str:
    """A fingerprint of everything a page depends on beside the file's content."""
    from ...batch.worker import analysis_version

    looks = asset("page.css") + asset("page.js")
    text = f"{__version__}|{PAGE_VERSION}|{looks}|{analysis_version(profile, options)}|{unit}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def page_file(row: Mapping[str, Any], sessions: int = 1) -> str:
    """``2021-05-11-6761214480_ACTIVITY-1a2b3c4d.html`` for an activity row."""
    name = str(row.get("source") or "activity").replace("\\", "/").rsplit("/", 1)[-1]
    name = name.rsplit(":", 1)[-1]
    stem = re.sub(r"(\.(fit|gpx|tcx|xml))?(\.gz)?$", "", name, flags=re.IGNORECASE)
    stem = SAFE_NAME.sub("_", stem).strip("._")[:60] or "activity"
    digest = str(row.get("digest") or "")[:8]
    session = f"-s{int(row.get('session_index') or 0) + 1}" if sessions > 1 else ""
    parts = [str(row.get("date") or "undated"), stem, digest]
    return "-".join(p for p in parts if p) + session + ".html"


def write_archive(
    view: Any,
    out_dir: str | os.PathLike,
    *,
    paths: Sequence[str | os.PathLike],
    profile: Any = None,
    options: Mapping[str, Any] | None = None,
    unit: str = "km",
    exclude: Sequence[str | os.PathLike] = (),
    on_page: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    workers: bool = False,
) -> ArchiveSite:
    """Write the index of ``view`` (an :class:`~splitcheck.batch.archive.ArchiveView`)
    and a page per activity in it into ``out_dir``. ``paths`` are the batch's inputs
    (walked again to find each activity's file), ``options`` its library options.
    ``on_page(done, total)`` is called after each page written. ``jobs`` worker processes
    make the pages when there are enough of them to repay their start (``workers``: in
    any case); the pages are the same bytes either way."""
    out = Path(out_dir)
    pages_dir = out / PAGES_DIR
    pages_dir.mkdir(parents=True, exist_ok=True)
    options = dict(options or {})
    key = page_key(profile, options, unit)
    rows = list(view.activities)
    sessions: dict[str, int] = {}
    for row in rows:
        sessions[row["source"]] = sessions.get(row["source"], 0) + 1
    hrefs = {
        (row["source"], int(row.get("session_index") or 0)): (
            f"{PAGES_DIR}/{page_file(row, sessions[row['source']])}"
        )
        for row in rows
    }
    todo = {(src, i): href for (src, i), href in hrefs.items() if not _up_to_date(out / href, key)}
    written, failed = _write_pages(
        todo, sessions, out, paths, profile, options, unit, key, exclude, on_page, jobs, workers
    )
    missing = {k for k in todo if k not in written}
    links = {k: v for k, v in hrefs.items() if k not in missing}
    index = out / "index.html"
    write_text_atomic(index, render_index(view, links, unit=unit))
    return ArchiveSite(index, len(written), len(hrefs) - len(todo), tuple(failed))


def _up_to_date(path: Path, key: str) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(KEY_READ_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    return f'<meta name="{KEY_META}" content="{key}">' in head


def _write_pages(
    todo, sessions, out, paths, profile, options, unit, key, exclude, on_page, jobs, workers
):
    """Read each file needing a page once (here: folders and zips alike), and have its
    sessions analysed and their pages written, by worker processes when they pay
    (:data:`POOL_WORTH_PAGES`). Results are gathered as they come; the failures are
    reported in the walk's order, so a run with workers says what a run without does."""
    from ...batch.run import IN_FLIGHT_PER_JOB, _InlineExecutor, _make_pool, _start_method
    from ...batch.sources import ArchiveReader, WalkReport, iter_sources

    wanted: dict[str, dict[int, str]] = {}
    for (src, i), href in todo.items():
        wanted.setdefault(src, {})[i] = str(out / href)
    walk = WalkReport(exclude=frozenset(Path(p).resolve() for p in exclude))
    sources = [s for s in iter_sources(paths, walk) if s.name in wanted]
    pool_pays = len(todo) >= POOL_WORTH_PAGES[_start_method()]
    executor = _make_pool(jobs) if jobs > 1 and (workers or pool_pays) else _InlineExecutor()
    page_args = (profile, options, unit, key)
    written: set[tuple[str, int]] = set()
    failed: dict[int, list[str]] = {}
    pending: dict[Future, int] = {}

    def collect() -> None:
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in done:
            order = pending.pop(future)
            made, errors = future.result()  # OSError (cannot write): raised here
            written.update(made)
            failed.setdefault(order, []).extend(errors)
            if on_page is not None and made:
                on_page(len(written), len(todo))

    try:
        with ArchiveReader() as reader:
            for order, source in enumerate(sources):
                try:
                    data = reader.read(source)
                except SplitcheckError as err:
                    failed[order] = [f"{source.name}: {err}"]
                    continue
                task = (data, source.name, wanted[source.name], sessions[source.name])
                pending[executor.submit(file_pages, *task, *page_args)] = order
                while len(pending) >= max(jobs, 1) * IN_FLIGHT_PER_JOB:
                    collect()
        while pending:
            collect()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return written, [line for order in sorted(failed) for line in failed[order]]


def file_pages(
    data: bytes,
    name: str,
    wanted: Mapping[int, str],
    sessions: int,
    profile: Any,
    options: Mapping[str, Any],
    unit: str,
    key: str,
) -> tuple[list[tuple[str, int]], list[str]]:
    """Read one file's content, analyse the sessions in ``wanted`` (session index -> the
    page's path) and write their pages (in a worker process, or here). Returns the
    (name, session index) of the pages written and the failures, one line each; raises
    OSError when a page cannot be written."""
    from ... import analysis, io
    from ...batch.worker import INTERNAL_ERROR, accepted

    made: list[tuple[str, int]] = []
    try:
        activities = io.read_bytes(data, name, **accepted(io.read_bytes, options))
    except SplitcheckError as err:
        return made, [f"{name}: {err}"]
    errors = []
    for activity in activities:
        path = wanted.get(activity.session_index)
        if path is None:
            continue
        try:
            result = analysis.analyze(activity, profile, **accepted(analysis.analyze, options))
            text = render_page(
                result,
                name,
                unit=unit,
                profile=profile,
                sessions=sessions,
                index_href="../index.html",
                meta={KEY_META: key},
            )
        except SplitcheckError as err:
            errors.append(f"{name}: {err}")
            continue
        except Exception as err:  # noqa: BLE001 - a bug: one page missing, not the site
            errors.append(f"{name}: {INTERNAL_ERROR}: {type(err).__name__}: {err}")
            continue
        write_text_atomic(Path(path), text)
        made.append((name, activity.session_index))
    return made, errors
