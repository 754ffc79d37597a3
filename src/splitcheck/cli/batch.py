"""``splitcheck batch PATH...``: every activity in folders and export zips, then the archive
view: volume per week and month, the weekly review, training load, records, workouts."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from pathlib import Path

import click

from ..errors import ProfileError, SplitcheckError
from ..units import format_duration
from .batch_files import view_tables, write_atomic, write_tables
from .batch_text import DEFAULT_WEEKS_SHOWN, render_archive, summary_lines
from .common import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, error_line
from .profile_options import RunnerOptions, runner_options
from .progress import Progress

EXIT_INTERRUPTED = 130
DEFAULT_OUT = "splitcheck-out"

__all__ = ["batch_cmd", "write_tables"]


@click.command("batch")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [all cores]."
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the results cache lives [$SPLITCHECK_CACHE_DIR, else the platform's cache "
    "folder, e.g. ~/.cache/splitcheck].",
)
@click.option("--no-cache", is_flag=True, help="Analyse everything; keep nothing.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(DEFAULT_OUT),
    show_default=True,
    help="Folder for the tables (CSV, JSON, Parquet when pyarrow is installed): activities, "
    "weeks, months, fitness, records, workouts. Never read as input.",
)
@click.option(
    "--failures",
    "failures_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File listing the failures, one per line [OUT/failures.txt].",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    default=None,
    help="Analyse on a Dask cluster: its scheduler (tcp://host:8786, or its scheduler "
    "file), or 'local' for --jobs worker processes here. Needs "
    'pip install "splitcheck[dask]" (docs/dask.md).',
)
@click.option(
    "--dask-shared-paths",
    is_flag=True,
    help="With --dask: the workers read the files by path (they see this machine's paths) "
    "instead of receiving their bytes from here.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the archive view as JSON.")
@click.option(
    "--charts",
    "charts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also draw the weekly charts (sessions by kind, best mile and its trend) as PNG "
    "into this folder.",
)
@click.option(
    "--html",
    "html_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the archive as web pages into this folder: index.html (weekly volume "
    "and review, records, every activity) and a page per activity.",
)
@click.option("--since", metavar="YYYY-MM-DD", default=None, help="First day shown.")
@click.option("--until", metavar="YYYY-MM-DD", default=None, help="Last day shown.")
@click.option(
    "--last",
    metavar="N[dwmy]",
    default=None,
    help="The last N days, weeks, months or years up to --until (or today), e.g. 12w.",
)
@click.option(
    "--weeks",
    "show_weeks",
    type=click.IntRange(min=0),
    default=DEFAULT_WEEKS_SHOWN,
    show_default=True,
    help="Weeks printed (the most recent; 0: all of them). The files hold every week.",
)
@runner_options
def batch_cmd(
    paths: tuple[Path, ...],
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    out_dir: Path,
    failures_file: Path | None,
    dask_address: str | None,
    dask_shared_paths: bool,
    as_json: bool,
    charts_dir: Path | None,
    html_dir: Path | None,
    since: str | None,
    until: str | None,
    last: str | None,
    show_weeks: int,
    runner: RunnerOptions,
) -> None:
    """Analyse every activity file under PATHS (folders, recursively, and the zips that
    Garmin and Strava exports produce, read in place), then show the training: volume per
    week and month, the weekly review, training load (fitness, fatigue, form), records and
    repeated workouts. Results are cached: a re-run analyses only new or changed files.

    `splitcheck batch .` in the activity folder works: the output folder is not read.
    Exit code 0 when every activity file was read, 1 when any failed, 2 for a bad option,
    130 when interrupted (what was done is kept in the cache).
    """
    from .. import analysis, io
    from ..batch.run import run_batch
    from ..batch.store import Store, default_cache_dir

    started = time.monotonic()  # wall time: the summary reports the whole command
    try:
        profile = runner.profile()
        tz = runner.tzinfo()
        options = runner.library_options(analysis.analyze, io.read_bytes, used=("timezone",))
        period = _period(since, until, last)  # a bad period is told before reading anything
        failures_file = failures_file or out_dir / "failures.txt"
        cache = None if no_cache else (cache_dir or default_cache_dir())
        exclude = _own_folders(paths, out_dir, [failures_file, cache, charts_dir, html_dir])
        with Store(cache) as store, _cluster(dask_address, jobs, dask_shared_paths) as client:
            if store.moved_aside:
                click.echo(f"splitcheck: unusable cache moved to {store.moved_aside}", err=True)
            with _ProgressReport() as report:
                result = run_batch(
                    paths,
                    store,
                    profile=profile,
                    jobs=jobs,
                    on_progress=report,
                    exclude=exclude,
                    options=options,
                    client=client,
                    shared_paths=dask_shared_paths,
                )
    except SplitcheckError as err:
        click.echo(error_line(err), err=True)
        raise SystemExit(EXIT_USAGE) from None
    if result.interrupted:
        click.echo(
            f"splitcheck: interrupted after {result.analysed + result.cached} files; "
            "their results are kept in the cache: run the same command again to continue",
            err=True,
        )
        raise SystemExit(EXIT_INTERRUPTED)
    try:
        view, doc = _outputs(result, profile, tz, out_dir, failures_file, period)
    except SplitcheckError as err:
        click.echo(error_line(err), err=True)
        raise SystemExit(EXIT_USAGE) from None
    if charts_dir is not None:
        _charts(view, charts_dir, profile)
    if html_dir is not None:
        from .batch_html import write_html

        write_html(view, html_dir, paths, profile, options, exclude, jobs)
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        unit = getattr(profile, "units", None) or "km"
        click.echo(render_archive(view, unit=unit, weeks_shown=show_weeks))
    for line in summary_lines(result, out_dir, failures_file, time.monotonic() - started):
        click.echo(line, err=True)
    raise SystemExit(EXIT_SOME_FAILED if result.failures else EXIT_OK)


@contextlib.contextmanager
def _cluster(address: str | None, jobs: int | None, shared_paths: bool):
    """The Dask client for ``--dask`` (None without it), announced on stderr."""
    if address is None:
        if shared_paths:
            raise ProfileError("--dask-shared-paths goes with --dask ADDRESS")
        yield None
        return
    from ..batch.dask_backend import connect, describe

    with connect(address, workers=jobs) as client:
        click.echo(f"splitcheck: batch on the Dask cluster at {describe(client)}", err=True)
        yield client


def _period(since: str | None, until: str | None, last: str | None):
    """(since, until, last) as dates, checked; raises ProfileError in one line."""
    from ..batch.archive import parse_last

    days = []
    for name, text in (("--since", since), ("--until", until)):
        try:
            days.append(dt.date.fromisoformat(text) if text else None)
        except ValueError:
            raise ProfileError(f"{name} {text!r} is not a date (YYYY-MM-DD)") from None
    first, last_day = days
    if last:
        if first is not None:
            raise ProfileError("--last and --since both set the start: give one of them")
        parse_last(last, last_day or dt.datetime.now(dt.UTC).date())
    if first and last_day and first > last_day:
        raise ProfileError(f"--since {first} is after --until {last_day}")
    return first, last_day, last


def _own_folders(inputs, out_dir: Path, others) -> list[Path]:
    """The output folder, when it sits inside an input folder (``batch .``): the walk
    leaves it out. Anything else splitcheck writes (the cache, charts, a failures file
    outside the output folder) is refused inside an input folder, and so is writing
    straight into one (beside the runner's files)."""
    folders = [p.resolve() for p in inputs if p.is_dir()]
    out = out_dir.resolve()
    inside = []
    for folder in folders:
        if out == folder:
            raise ProfileError(
                f"--out {out_dir} is the input folder {folder}: splitcheck never writes beside "
                "its input files; choose a sub-folder or another place"
            )
        if folder in out.parents:
            inside.append(out)
    for other in filter(None, others):
        target = Path(other).resolve()
        if out in target.parents:
            continue  # inside the output folder: skipped with it
        for folder in folders:
            if target == folder or folder in target.parents:
                raise ProfileError(
                    f"{other} is inside the input folder {folder}: splitcheck writes into "
                    "its inputs only in its own output folder; choose another place "
                    "(--failures, --cache-dir, --charts, --html)"
                )
    return inside


class _ProgressReport(Progress):
    """The batch's files: read, analysed, from the cache, failed."""

    def __call__(self, progress) -> None:
        if self.tty:
            self.bar(progress.done, progress.total, "analysing", progress, _progress_text)
        elif self.due(final=progress.done == progress.total):
            eta = progress.eta_s()
            click.echo(
                f"splitcheck: batch: {progress.done}/{progress.total} files to read "
                f"({progress.analysed} analysed now, {progress.cached} from the cache, "
                f"{progress.failed} failed)"
                + (f", about {format_duration(eta)} left" if eta else ""),
                err=True,
            )


def _progress_text(p) -> str | None:
    return p and f"{p.analysed} analysed now, {p.cached} from the cache, {p.failed} failed"


def _outputs(result, profile, tz, out_dir: Path, failures_file: Path, period):
    """Write the tables, the archive view and the failures list; return the view and its
    JSON document."""
    from ..batch.archive import archive_view

    since, until, last = period
    view = archive_view(result.tables, profile=profile, tz=tz, since=since, until=until, last=last)
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = view.to_dict()
    write_tables(view_tables(result.tables, view, doc), out_dir)
    write_atomic(out_dir / "weekly.json", json.dumps(doc, separators=(",", ":")) + "\n")
    lines = "".join(f"{f.line()}\n" for f in result.failures)
    failures_file.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(failures_file, lines)
    return view, doc


def _charts(view, charts_dir: Path, profile) -> None:
    """The weekly charts (splitcheck.report.charts.weekly), paths on stderr."""
    from ..report.charts.weekly import save_weekly_charts

    goal = getattr(profile, "goal_mile_s", None)
    activities = list(view.activities)
    for path in save_weekly_charts(
        view.review, charts_dir, activities=activities, goal_mile_s=goal
    ):
        click.echo(f"splitcheck: chart {path}", err=True)
