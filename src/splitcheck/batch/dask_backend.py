"""The batch on a Dask cluster: each file's analysis runs on the Dask workers, everything
else stays in this process (the walk, content digests, the cache, the tables).

Only the analysis moves: :class:`DaskRunner` is the local runner of
:mod:`splitcheck.batch.run` with its pool replaced by ``client.submit``. So the cache is
written here, by the client, one file at a time as results arrive (an interrupted cluster
run resumes like a local one); duplicates and cached files never reach the cluster; the
tables, failures and progress are the same code.

Files travel as bytes by default: this process reads each new file anyway (its content
digest is its identity in the cache), so sending those bytes costs only network (a one-hour
FIT is ~100 KB) and works on any cluster, with no assumption that the workers see this
machine's paths, and the workers analyse exactly the content the result is stored under.
``shared_paths=True`` has the workers read plain files by path instead (a cluster on a
shared file system: less traffic through the scheduler); zip members are always sent as
bytes. A task carries a few files (:data:`TASK_FILES`: Dask's per-task cost is as much as
a small file's analysis), is keyed by their content digests and the analysis version, and
is pure: a task lost with a worker is run again by the scheduler (or, failing that, its
files are submitted once more here, one per task), and a result is taken exactly once per
file.

``distributed`` is imported only inside these functions, never at import, so a local
batch never imports Dask and a missing Dask is one :class:`~splitcheck.errors.ClusterError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import ClusterError, FileError
from ..profile import Profile
from .run import MAX_ATTEMPTS, _Runner, _Task
from .sources import ArchiveReader, content_digest
from .store import FileResult
from .worker import INTERNAL_ERROR, analyse_content

INSTALL_HINT = 'pip install "splitcheck[dask]"'
LOCAL = "local"
"""``--dask local``: a LocalCluster of worker processes on this machine."""
CONNECT_TIMEOUT_S = 10.0
"""Give up reaching a scheduler after this long (distributed's default is 30 s; a typo in
an address should not keep a runner waiting half a minute)."""
WORKERS_WAIT_S = 30.0
"""A scheduler without workers: wait this long for one to join before giving up."""
TASK_FILES = 8
TASK_BYTES = 1_000_000
"""A task holds up to 8 files or 1 MB (about 10 one-hour FITs): ~0.15-0.3 s of analysis.
Dask advises tasks of 100 ms or more: its scheduler spends ~1-5 ms on each task (measured
here on 2 loaded cores, benchmarks/bench_dask.py), as much as a small file's analysis; so
one task per file cost more than twice the CPU of the pool. A lost worker costs a task."""
TASKS_PER_THREAD = 3
"""Tasks submitted per worker thread: the scheduler keeps ~1.1 per thread on the workers
(distributed's worker-saturation) and the rest queued, so a worker finishing a task finds
the next without a round trip to this process; few enough to bound the bytes held."""
SCATTER_ABOVE_BYTES = 4 * 1024**2
"""Content larger than this goes to the cluster by ``client.scatter`` rather than inside
the task: distributed warns about task graphs over 10 MB (admin.large-graph-warning-threshold)."""
NOT_READ_ON_WORKER = "cannot be read on the Dask worker"
"""Start of the reason of a shared-path file a worker could not read: reported, never
cached (the file is fine; the worker's view of it is not)."""


def require_dask() -> Any:
    """The ``distributed`` module; :class:`ClusterError` saying what to install otherwise."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"Dask is not installed: {INSTALL_HINT}") from None
    return distributed


@contextmanager
def connect(address: str, *, workers: int | None = None) -> Iterator[Any]:
    """A Client for ``address`` (``tcp://host:8786``, a scheduler JSON file, or ``local``
    for a LocalCluster of ``workers`` single-threaded processes), checked to have workers
    that run this splitcheck; closed (with the LocalCluster) on exit."""
    distributed = require_dask()
    cluster = None
    try:
        if address == LOCAL:
            n = workers or os.cpu_count() or 1
            with _sigint_ignored():  # the worker processes inherit it: Ctrl-C is ours to handle
                cluster = distributed.LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    # its health endpoints on any free local port, not 8787 (taken or not)
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                    # nothing of its own on the runner's terminal: not "task cancelled" at
                    # Ctrl-C, nor a worker's heartbeat traceback when the cluster closes under
                    # it (seen in tests); the batch reports what failed itself
                    silence_logs=logging.CRITICAL,
                )
            client = distributed.Client(cluster, set_as_default=False)
            client.run(quiet_worker_logs)  # the workers print to this terminal too
        else:
            target = address
            if address.endswith(".json") and Path(address).is_file():  # a scheduler file
                target = json.loads(Path(address).read_text()).get("address")
                if not isinstance(target, str):
                    raise ValueError("no scheduler address in this file")
            _reachable(target)
            client = distributed.Client(target, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, ValueError, TypeError, AttributeError) as err:  # refused, not an address
        if cluster is not None:
            cluster.close()
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({first})") from None
    try:
        check_workers(client)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def quiet_worker_logs() -> None:
    """Run in each worker of ``--dask local``: its ``distributed`` logs off the runner's
    terminal (``silence_logs`` leaves the worker processes at INFO, and a heartbeat racing
    the cluster's close at Ctrl-C printed a traceback there)."""
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored while a LocalCluster starts its worker processes: they inherit it,
    so a terminal's Ctrl-C (sent to the whole process group) stops the batch here, which
    cancels the tasks and closes the cluster, instead of killing each worker mid-file with
    a traceback (the local pool's workers ignore it the same way)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (and receives Ctrl-C)
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _reachable(address: str) -> None:
    """Refuse a malformed address, and a TCP scheduler nobody listens at, at once (the
    Client would retry until its timeout, and leave a half-made client behind)."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(address)  # ValueError: not an address
    host, port = parse_host_port(location)
    if scheme == "tcp":
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S):
            pass


def describe(client: Any) -> str:
    """``tcp://127.0.0.1:8786: 2 workers, 2 threads`` (for the command's first line)."""
    nthreads = client.nthreads()
    return (
        f"{client.scheduler.address}: {len(nthreads)} worker{'s' * (len(nthreads) != 1)}, "
        f"{sum(nthreads.values())} thread{'s' * (sum(nthreads.values()) != 1)}"
    )


def check_workers(client: Any, probe_path: str | None = None) -> int:
    """Wait for a worker, check every worker runs this splitcheck (same analysis version)
    and, given ``probe_path``, sees that file; the number of worker threads."""
    from ..analysis import ANALYSIS_VERSION

    address = getattr(client.scheduler, "address", "the scheduler")
    try:
        client.wait_for_workers(1, timeout=WORKERS_WAIT_S)
    except (TimeoutError, OSError):
        raise ClusterError(
            f"the Dask scheduler at {address} has no workers (start some: dask worker {address})"
        ) from None
    try:
        versions = client.run(worker_version)
    except Exception as err:  # noqa: BLE001 - unpickling fails on a worker without splitcheck
        raise ClusterError(
            f"a Dask worker cannot run splitcheck ({type(err).__name__}: {err}); install the "
            f"same splitcheck on every worker ({INSTALL_HINT})"
        ) from None
    wrong = {w: v for w, v in versions.items() if v != str(ANALYSIS_VERSION)}
    if wrong:
        worker, version = next(iter(wrong.items()))
        raise ClusterError(
            f"Dask worker {worker} runs analysis version {version}, this splitcheck "
            f"{ANALYSIS_VERSION}: install the same splitcheck on every worker"
        )
    if probe_path is not None:
        blind = [w for w, seen in client.run(os.path.isfile, probe_path).items() if not seen]
        if blind:
            raise ClusterError(
                f"Dask worker {blind[0]} does not see {probe_path}: the workers do not share "
                "this machine's paths; leave out shared paths to send the files' bytes"
            )
    return max(1, sum(client.nthreads().values()))


def worker_version() -> str:
    """Run on each worker: the analysis version it would compute."""
    from ..analysis import ANALYSIS_VERSION

    return str(ANALYSIS_VERSION)


def analyse_path(
    path: str,
    name: str,
    digest: str,
    profile: Profile | None = None,
    options: Mapping[str, Any] | None = None,
) -> FileResult:
    """Run on a worker (``shared_paths``): read ``path`` there, check it is the content the
    client recognised (``digest``), and analyse it as :func:`analyse_content` does."""
    from ..io import read_file_bytes

    try:
        got, data = content_digest(read_file_bytes(Path(path), name), name)
    except FileError as err:
        return FileResult("failed", f"{NOT_READ_ON_WORKER}: {err.reason}")
    if got != digest:
        return FileResult("failed", f"{NOT_READ_ON_WORKER}: its content changed during the batch")
    return analyse_content(data, name, profile, options)


def analyse_many(
    items: list[tuple], profile: Profile | None = None, options: Mapping[str, Any] | None = None
) -> list[FileResult]:
    """Run on a worker: one task's files, in order; each item is ``("bytes", data, name)``
    or ``("path", path, name, digest)`` (:func:`analyse_path`). Never raises for a file."""
    return [
        analyse_content(item[1], item[2], profile, options)
        if item[0] == "bytes"
        else analyse_path(*item[1:], profile, options)
        for item in items
    ]


class DaskRunner(_Runner):
    """:class:`splitcheck.batch.run._Runner` whose analyses run on a Dask cluster, a few
    files per task (:data:`TASK_FILES`, :data:`TASK_BYTES`)."""

    def __init__(self, *args: Any, client: Any, shared_paths: bool = False) -> None:
        super().__init__(*args)
        distributed = require_dask()
        self.client = client
        self.shared_paths = shared_paths
        self.completed = distributed.as_completed(loop=client.loop)
        self.token = hashlib.sha256(self.version.encode()).hexdigest()[:12]
        self.buffer: list[_Task] = []
        self.buffer_bytes = 0
        self.threads = 1

    def run(self, sources: list) -> None:
        plain = next((s for s in sources if not s.members), None)
        probe = str(Path(plain.path).resolve()) if self.shared_paths and plain else None
        self.threads = check_workers(self.client, probe)
        with ArchiveReader() as reader:
            for i, (source, digest, data) in enumerate(self._digests(sources, reader)):
                self.remaining = len(sources) - i
                self._dispatch(source, digest, data, reader)
                while len(self.pending) >= self.threads * TASKS_PER_THREAD:
                    self._collect()
        self._flush()
        while self.pending:
            self._collect()

    def _submit(self, task: _Task) -> None:
        """Add a file to the next task; send the task once it is full."""
        by_path = self.shared_paths and not task.source.members
        if len(task.data) > SCATTER_ABOVE_BYTES and not by_path:  # alone, bytes scattered
            data = self.client.scatter(task.data, hash=False)
            self._send([task], [("bytes", data, task.source.name)], analyse_content)
            return
        self.buffer.append(task)
        self.buffer_bytes += len(task.data)
        # The last files of a batch go one per task, so that every worker gets some.
        per_task = max(1, min(TASK_FILES, self.remaining // (2 * self.threads)))
        if len(self.buffer) >= per_task or self.buffer_bytes >= TASK_BYTES:
            self._flush()

    def _flush(self) -> None:
        tasks, self.buffer, self.buffer_bytes = self.buffer, [], 0
        if not tasks:
            return
        items = []
        for task in tasks:
            source = task.source
            if self.shared_paths and not source.members:
                path = str(Path(source.path).resolve())
                items.append(("path", path, source.name, task.digest))
            else:
                items.append(("bytes", task.data, source.name))
        self._send(tasks, items, analyse_many)

    def _send(self, tasks: list[_Task], items: list[tuple], function: Any) -> None:
        # Keyed by the files' identities (content digests, analysis version, attempt):
        # pure, so the scheduler may run it again when a worker is lost.
        names = "".join(t.digest for t in tasks)
        key = hashlib.sha256(f"{names}-{tasks[0].attempts}".encode()).hexdigest()[:40]
        if function is analyse_content:
            args: tuple = items[0][1:]
        else:
            args = (items,)
        future = self.client.submit(
            function, *args, self.profile, self.options, key=f"splitcheck-{key}-{self.token}"
        )
        self.pending[future] = tasks  # type: ignore[assignment]  # a task's files
        self.completed.add(future)

    def _collect(self) -> None:
        # Every task finished by now, their results fetched in one gather (one round trip
        # for the lot, not one per task).
        batch = self.completed.next_batch(block=True)
        finished = [f for f in batch if f.status == "finished"]
        try:
            values = dict(zip(finished, self.client.gather(finished), strict=True))
        except Exception:  # noqa: BLE001 - a result lost with its worker: one by one below
            values = {}
        for future in batch:
            tasks: list[_Task] | None = self.pending.pop(future, None)  # type: ignore[assignment]
            if tasks is None:  # cancelled at shutdown
                continue
            try:
                value = values[future] if future in values else future.result()
            except KeyboardInterrupt:
                raise
            except BaseException as error:  # noqa: BLE001 - its own failure, handled below
                value = error
            future.release()
            if isinstance(value, FileResult):
                value = [value]
            if isinstance(value, list):
                for task, result in zip(tasks, value, strict=True):
                    not_read = (result.reason or "").startswith(NOT_READ_ON_WORKER)
                    self._done(task, result, cache=not not_read)
            else:
                for task in tasks:
                    self._lost(task, value, alone=len(tasks) == 1)
        self._flush()  # files sent again go now, not after the next file

    def _lost(self, task: _Task, error: BaseException, *, alone: bool) -> None:
        """A file whose task gave no result: tried once more on its own, or reported
        (never cached)."""
        if self.client.status not in ("running", "connecting"):
            raise ClusterError(
                f"lost the Dask scheduler ({self.client.status}) after {self.progress.done} "
                "files; their results are in the cache: run the same command again to continue"
            )
        killed = type(error).__name__ == "KilledWorker"  # Dask retried it already
        if task.attempts < MAX_ATTEMPTS and (alone is False or not killed):
            # lost data, a cancelled task, or a task that killed workers with other files
            # in it (the culprit is then the only one to fail again)
            task.attempts += 1
            self.remaining = 0  # one file per task from here
            self._submit(task)
        elif killed:
            self._done(task, FileResult("failed", f"{INTERNAL_ERROR}: its Dask worker died"))
        else:
            reason = f"{INTERNAL_ERROR}: on the Dask cluster: {type(error).__name__}: {error}"
            self._done(task, FileResult("failed", reason))

    def shutdown(self, *, stop_now: bool = False) -> None:
        """Cancel this batch's tasks still on the cluster (Ctrl-C; the client, which may be
        the caller's, stays open)."""
        futures = list(self.pending)
        self.pending.clear()
        self.buffer = []
        if futures:  # a cluster already gone has nothing to cancel
            with contextlib.suppress(Exception):
                self.client.cancel(futures, force=True)
