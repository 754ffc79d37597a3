"""Analyse many files: in parallel worker processes, through the cache, one bad file never
stopping the rest.

The main process walks the inputs, recognises each file by its content digest (reusing the
stored digest when the file's stamp is unchanged), takes cached results from the store and
sends the rest, as bytes, to worker processes (or analyses them itself while that is
quicker than starting workers: :data:`POOL_WORTH_S`). Each result is stored in its own
transaction as soon as it arrives, so an interrupted batch (Ctrl-C) keeps everything
already finished. Files go one per task: a one-hour FIT takes tens of milliseconds, a
damaged or long file seconds, so per-task overhead (well under a millisecond) is
negligible, progress is smooth, and a worker that dies takes only its own file with it
(the files in flight with it are tried once more in a fresh pool).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FileError
from ..profile import Profile
from .sources import (
    ArchiveReader,
    Source,
    WalkReport,
    content_digest,
    iter_sources,
    printable,
)
from .store import FileResult, Store
from .tables import TABLES, mark_duplicates
from .worker import INTERNAL_ERROR, analyse_content, analysis_version

POOL_WORTH_S = {"fork": 1.0, "spawn": 5.0}
"""Start worker processes only when the files left would take longer than this in the
main process, by how workers start. Measured on 2 shared cores (benchmarks/bench_batch.py,
one-hour FIT files): 16-33 ms per file in the main process; 2 workers go ~1.35-1.45x as
fast and take 0.16 s to start by fork, ~1.5 s by spawn (which re-imports numpy and
splitcheck in each), so they pay past about start / (1 - 1 / 1.4): 0.5 s and 5 s of work.
A warm run's few new files never repay a spawn."""
INLINE_PROBE_FILES = 3
"""Files analysed in the main process to estimate the time per file; the first one is left
out of the estimate (it pays for importing the readers)."""
IN_FLIGHT_PER_JOB = 2
"""Files queued per worker: enough to keep workers busy, few enough to bound memory."""


@dataclass(frozen=True)
class Failure:
    """A file that could not be analysed, with the reason in one line."""

    source: str
    reason: str

    def line(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Progress:
    """Counts so far, for a progress bar; ``total`` is known once the inputs were listed."""

    total: int = 0
    done: int = 0
    analysed: int = 0
    cached: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    def eta_s(self) -> float | None:
        """Seconds left at the pace of files analysed so far (None before any)."""
        if self.done == 0 or self.total <= self.done:
            return None
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        return (self.total - self.done) / rate


@dataclass
class BatchResult:
    """What a batch gave: the tables, counts, failures, and whether it was interrupted.

    ``read`` counts files read as activities; ``skipped`` files that are not activities
    (by extension, or valid files with no activity such as FIT monitoring files);
    ``duplicates`` files whose content was already met under another name; ``analysed`` and
    ``cached`` the distinct files whose content was analysed now or taken from the cache
    (files that could not even be read are neither); ``identified``
    files read to learn their content digest (new, or changed on disk since the last run:
    a touched file is read again, and analysed again only if its content changed).
    """

    tables: dict[str, list[dict[str, Any]]]
    read: int = 0
    skipped: int = 0
    duplicates: int = 0
    identified: int = 0
    analysed: int = 0
    cached: int = 0
    failures: list[Failure] = field(default_factory=list)
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    interrupted: bool = False
    elapsed_s: float = 0.0
    files: int = 0
    """Every file met: ``read + skipped + failed + duplicates`` (each file is one of them)."""

    def __repr__(self) -> str:
        return (
            f"BatchResult(files={self.files}, read={self.read}, skipped={self.skipped}, "
            f"failed={self.failed}, duplicates={self.duplicates})"
        )

    @property
    def failed(self) -> int:
        return len(self.failures)


def run_batch(
    paths: Sequence[str | os.PathLike],
    store: Store,
    *,
    profile: Profile | None = None,
    jobs: int | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    workers: bool = False,
    exclude: Sequence[str | os.PathLike] = (),
    options: Mapping[str, Any] | None = None,
    client: Any = None,
    shared_paths: bool = False,
) -> BatchResult:
    """Analyse every activity file under ``paths`` (files, folders, zips).

    Parameters
    ----------
    store : Store
        The cache; results are read from it and written to it as they come.
    profile : optional
        The runner (``splitcheck.profile.Profile``), passed to the analysis.
    jobs : int, optional
        Worker processes; default all cores; 1 analyses in this process. Workers start
        only when the work left repays their start (see :data:`POOL_WORTH_S`).
    workers : bool
        Start the worker processes for the first file, whatever the work (tests,
        benchmarks, and isolation from a file that crashes the interpreter).
    on_progress : callable, optional
        Called with a :class:`Progress` after each file (from this process).
    exclude : paths, optional
        Folders not to walk into (the command's own output inside an input folder).
    options : mapping, optional
        Keyword arguments for the library (``laps=``, ``timezone=``): each is passed to
        the reader and the analysis where their signature accepts it.
    client, shared_paths : dask.distributed.Client, bool
        Analyse on this Dask cluster instead (``jobs``, ``workers`` unused); with
        ``shared_paths`` its workers read plain files by path (docs/dask.md).

    Ctrl-C (KeyboardInterrupt) stops the batch: results stored so far stay in the store
    and the result comes back with ``interrupted`` set.
    """
    started = time.monotonic()  # wall time from here: the walk takes time too
    jobs = max(1, jobs or os.cpu_count() or 1)
    options = dict(options or {})
    version = analysis_version(profile, options)
    walk = WalkReport(exclude=frozenset(Path(p).resolve() for p in exclude))
    sources = list(iter_sources(paths, walk))
    out = BatchResult(tables={t: [] for t in TABLES})
    out.failures.extend(Failure(e.source, e.reason) for e in walk.errors)
    progress = Progress(total=len(sources), failed=len(walk.errors), started=started)
    args = (store, version, (profile, options), jobs, out, progress, on_progress, workers)
    if client is None:
        runner = _Runner(*args)
    else:  # imported only here: a local batch never imports dask
        from .dask_backend import DaskRunner

        runner = DaskRunner(*args, client=client, shared_paths=shared_paths)
    try:
        runner.run(sources)
    except KeyboardInterrupt:
        out.interrupted = True
    finally:
        runner.shutdown(stop_now=out.interrupted)
    out.skipped += walk.skipped_total
    out.files = len(sources) + walk.skipped_total + len(walk.errors)
    for reason, n in walk.skipped.items():
        out.skipped_reasons[reason] = out.skipped_reasons.get(reason, 0) + n
    _in_walk_order(out, {s.name: i for i, s in enumerate(sources)})
    out.tables["activities"] = mark_duplicates(out.tables["activities"])
    out.elapsed_s = time.monotonic() - progress.started
    return out


@dataclass
class _Task:
    source: Source
    digest: str
    data: bytes
    generation: int
    attempts: int = 1


MAX_ATTEMPTS = 2
"""A file in flight when a worker process died is tried once more in a fresh pool: the
file that killed the worker fails again and is reported, the others go through."""


def _in_walk_order(out: BatchResult, order: dict[str, int]) -> None:
    """Results arrive in the order workers finish; report them in the order of the walk,
    so two runs over the same inputs give the same tables (stable sorts keep each file's
    rows in their own order)."""
    for rows in out.tables.values():
        rows.sort(key=lambda row: order.get(row["source"], -1))
    out.failures.sort(key=lambda f: order.get(f.source, -1))


class _Runner:
    """The main-process loop: digests, cache look-ups, the pool, collecting results."""

    def __init__(self, store, version, profile, jobs, out, progress, on_progress, jobs_forced):
        self.store, self.version, self.jobs = store, version, jobs
        self.profile, self.options = profile
        self.out, self.progress, self.on_progress = out, progress, on_progress
        self.pool: Executor | None = None
        self.generation = 0
        self.pending: dict[Future, _Task] = {}
        self.seen: set[str] = set()
        self.inline = _InlineExecutor()
        self.inline_s = 0.0
        self.inline_files = 0
        self.pool_wanted = jobs > 1 and jobs_forced
        self.remaining = 0

    def run(self, sources: list[Source]) -> None:
        with ArchiveReader() as reader:
            for i, (source, digest, data) in enumerate(self._digests(sources, reader)):
                self.remaining = len(sources) - i
                self._dispatch(source, digest, data, reader)
                while len(self.pending) >= self.jobs * IN_FLIGHT_PER_JOB:
                    self._collect()
        while self.pending:
            self._collect()

    def _digests(self, sources, reader) -> Iterator[tuple[Source, str, bytes | None]]:
        for source in sources:
            location = _location(source)
            digest = self.store.known_digest(location, source.stamp)
            data = None
            if digest is None:
                try:
                    digest, data = content_digest(reader.read(source), source.name)
                except FileError as err:
                    self._finish(source, None, FileResult(status="failed", reason=err.reason))
                    continue
                self.store.remember_digest(location, source.stamp, digest)
                self.out.identified += 1
            yield source, digest, data

    def _dispatch(self, source: Source, digest: str, data: bytes | None, reader) -> None:
        if digest in self.seen:
            self.out.duplicates += 1
            self._tick()
            return
        self.seen.add(digest)
        cached = self.store.get(digest, self.version)
        if cached is not None:
            self.progress.cached += 1
            self.out.cached += 1
            self._finish(source, digest, cached)
            return
        if data is None:  # stamp known, result not (a new analysis version): read again
            try:
                data = content_digest(reader.read(source), source.name)[1]
            except FileError as err:
                self._finish(source, digest, FileResult(status="failed", reason=err.reason))
                return
        self._submit(_Task(source, digest, data, self.generation))

    def _submit(self, task: _Task) -> None:
        executor = self._executor()
        task.generation = self.generation
        t0 = time.perf_counter()
        future = executor.submit(
            analyse_content, task.data, task.source.name, self.profile, self.options
        )
        if executor is self.inline:
            if self.inline_files:  # the first file also imports the readers: not typical
                self.inline_s += time.perf_counter() - t0
            self.inline_files += 1
        self.pending[future] = task

    def _executor(self) -> Executor:
        """Worker processes once they pay: the first files are analysed here, and workers
        start when the files left would take longer than :data:`POOL_WORTH_S` here."""
        if self.pool is not None:
            return self.pool
        if self.jobs > 1 and not self.pool_wanted and self.inline_files >= INLINE_PROBE_FILES:
            left_s = self.remaining * self.inline_s / (self.inline_files - 1)
            self.pool_wanted = left_s > POOL_WORTH_S[_start_method()]
        if not self.pool_wanted:
            return self.inline
        self.pool = _make_pool(self.jobs)
        return self.pool

    def _collect(self) -> None:
        done, _ = wait(list(self.pending), return_when=FIRST_COMPLETED)
        for future in done:
            task = self.pending.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                self._pool_died(task.generation)
                if task.attempts < MAX_ATTEMPTS:
                    task.attempts += 1
                    self._submit(task)
                    continue
                result = FileResult("failed", f"{INTERNAL_ERROR}: the worker process died")
            self._done(task, result)

    def _done(self, task: _Task, result: FileResult, *, cache: bool = True) -> None:
        """A file analysed: stored (unless it is a splitcheck bug) and counted."""
        if cache and not (result.reason or "").startswith(INTERNAL_ERROR):
            self.store.put(task.digest, self.version, task.source.name, result)
        self.progress.analysed += 1
        self.out.analysed += 1
        self._finish(task.source, task.digest, result)

    def _pool_died(self, generation: int) -> None:
        if generation == self.generation and self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
            self.generation += 1

    def _finish(self, source: Source, digest: str | None, result: FileResult) -> None:
        out = self.out
        if result.status == "ok":
            out.read += 1
            for table, rows in result.tables.items():
                extra = {"source": source.name}
                if table == "activities":
                    extra["digest"] = digest
                out.tables.setdefault(table, []).extend({**row, **extra} for row in rows)
        elif result.status == "skipped":
            out.skipped += 1
            reason = f"not an activity: {result.reason}"
            out.skipped_reasons[reason] = out.skipped_reasons.get(reason, 0) + 1
        else:
            out.failures.append(Failure(source.name, result.reason or "unknown reason"))
            self.progress.failed += 1
        self._tick()

    def _tick(self) -> None:
        self.progress.done += 1
        if self.on_progress is not None:
            self.on_progress(self.progress)

    def shutdown(self, *, stop_now: bool = False) -> None:
        """Release the workers; ``stop_now`` (Ctrl-C) ends the files they are on too, whose
        results would be thrown away (they are analysed again next run)."""
        if self.pool is None:
            return
        workers = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        if stop_now:
            for process in workers:
                process.terminate()
        self.pool = None


def _location(source: Source) -> str:
    """Where a file is, independent of the current folder (the stamp table's key)."""
    return "::".join([printable(Path(source.path).resolve()), *source.members])


def _ignore_sigint() -> None:
    # Ctrl-C goes to the whole process group; the main process decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _make_pool(jobs: int) -> Executor:
    if jobs == 1:
        return _InlineExecutor()
    ctx = multiprocessing.get_context(_start_method())
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_ignore_sigint)


def _start_method() -> str:
    """``fork`` where it is the platform's default and this process runs a single thread:
    workers then start in milliseconds, with splitcheck already imported (spawn re-imports
    numpy and splitcheck in each: ~1.5 s on 2 shared cores). Forking a process that has
    threads (a notebook kernel, a GUI) can deadlock, so there, and on macOS and Windows,
    ``spawn``."""
    if multiprocessing.get_start_method(allow_none=True) in (None, "fork"):
        default = multiprocessing.get_all_start_methods()[0]
        if default == "fork" and threading.active_count() == 1:
            return "fork"
    return "spawn"


class _InlineExecutor(Executor):
    """Runs each task at submit time in this process (``--jobs 1``: no process start-up)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future
