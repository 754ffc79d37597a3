"""``splitcheck batch PATH...``: every activity in folders and export zips, the tables, and
the weekly review."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from ..errors import SplitcheckError
from ..units import format_duration
from .common import EXIT_OK, EXIT_SOME_FAILED, error_line, laps_option

EXIT_INTERRUPTED = 130
LOG_EVERY_S = 10.0
"""Without a terminal, a progress line at most this often (log-friendly)."""
DEFAULT_OUT = "splitcheck-out"


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
    help="Folder for the tables (CSV, JSON, Parquet when pyarrow is installed) and the review.",
)
@click.option(
    "--failures",
    "failures_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File listing the failures, one per line [OUT/failures.txt].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the weekly review as JSON.")
@click.option(
    "--charts",
    "charts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also draw the weekly charts (sessions by kind, best mile and its trend) as PNG "
    "into this folder.",
)
@click.option(
    "--timezone",
    "tz_name",
    default=None,
    help="Your time zone for days and weeks, e.g. Europe/Paris [each run's local time: "
    "the file's offset, else its start position's zone, else UTC].",
)
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--goal-mile", default=None, help="Goal mile time, m:ss.")
@click.option("--best-mile", default=None, help="Fastest mile so far, m:ss.")
@click.option("--level", type=click.Choice(["beginner", "experienced"]), default=None)
@click.option("--age", default=None, help="Age in years.")
@click.option("--sex", default=None, help="female or male.")
@click.option("--max-hr", default=None, help="Maximum heart rate, bpm.")
@laps_option
def batch_cmd(
    paths: tuple[Path, ...],
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    out_dir: Path,
    failures_file: Path | None,
    as_json: bool,
    charts_dir: Path | None,
    tz_name: str | None,
    profile_file: Path | None,
    laps_mode: str,
    **profile_options: Any,
) -> None:
    """Analyse every activity file under PATHS (folders, recursively, and the zips that
    Garmin and Strava exports produce, read in place), then review the training week by
    week. Results are cached: a re-run analyses only new or changed files.

    Exit code 0 when every activity file was read, 1 when any failed, 130 when
    interrupted (what was done is kept in the cache).
    """
    from ..batch.run import run_batch
    from ..batch.store import Store, default_cache_dir

    try:
        profile = _profile(profile_file, profile_options)
        tz = _timezone(tz_name)
        failures_file = failures_file or out_dir / "failures.txt"
        cache = None if no_cache else (cache_dir or default_cache_dir())
        _refuse_inside_inputs(paths, [out_dir, failures_file, cache, charts_dir])
        with Store(cache) as store:
            if store.moved_aside:
                click.echo(f"splitcheck: unusable cache moved to {store.moved_aside}", err=True)
            with _ProgressReport() as report:
                result = run_batch(
                    paths, store, profile=profile, jobs=jobs, on_progress=report, laps=laps_mode
                )
    except SplitcheckError as err:
        click.echo(error_line(err), err=True)
        raise SystemExit(2) from err
    if result.interrupted:
        click.echo(
            f"splitcheck: interrupted after {result.analysed + result.cached} files; "
            "their results are kept in the cache: run the same command again to continue",
            err=True,
        )
        raise SystemExit(EXIT_INTERRUPTED)
    review = _outputs(result, profile, tz, out_dir, failures_file)
    if charts_dir is not None:
        _charts(review, result, tz, profile, charts_dir)
    if as_json:
        click.echo(json.dumps(review.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_review(review))
    _summary(result, out_dir, failures_file)
    raise SystemExit(EXIT_SOME_FAILED if result.failures else EXIT_OK)


def _profile(profile_file: Path | None, options: dict[str, Any]):
    from ..profile import Profile, load_profile

    base = load_profile(profile_file) if profile_file else None
    given = {k: v for k, v in options.items() if v is not None}
    if base is None and not given:
        return None
    return Profile.from_options(base=base, **given)


def _timezone(name: str | None) -> dt.tzinfo | None:
    """The zone named, or None: each activity's own local time (from its file or start
    position), so a run abroad falls on the day it was run there."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise click.BadParameter(f"unknown time zone {name!r}", param_hint="--timezone") from err


def _refuse_inside_inputs(inputs, outputs) -> None:
    """Never write into the folders being read (rule: nothing next to the input files)."""
    folders = [p.resolve() for p in inputs if p.is_dir()]
    for out in filter(None, outputs):
        target = Path(out).resolve()
        for folder in folders:
            if target == folder or folder in target.parents:
                raise click.UsageError(
                    f"{out} is inside the input folder {folder}: splitcheck never writes "
                    "into its inputs; choose another place (--out, --failures, --cache-dir)"
                )


class _ProgressReport:
    """A progress bar on a terminal; plain, occasional log lines otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.last_log = time.monotonic()

    def __enter__(self) -> _ProgressReport:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)

    def __call__(self, progress) -> None:
        if self.tty:
            self._bar(progress)
        elif time.monotonic() - self.last_log >= LOG_EVERY_S or progress.done == progress.total:
            self.last_log = time.monotonic()
            eta = progress.eta_s()
            click.echo(
                f"splitcheck: batch: {progress.done}/{progress.total} files "
                f"({progress.analysed} analysed, {progress.cached} cached, "
                f"{progress.failed} failed)"
                + (f", about {format_duration(eta)} left" if eta else ""),
                err=True,
            )

    def _bar(self, progress) -> None:
        if self.bar is None:
            self.bar = click.progressbar(
                length=progress.total,
                label="analysing",
                file=sys.stderr,
                show_eta=True,
                show_pos=True,
                item_show_func=lambda p: (
                    p and f"{p.analysed} new, {p.cached} cached, {p.failed} failed"
                ),
            )
            self.bar.__enter__()
        self.bar.update(progress.done - self.bar.pos, progress)


def _outputs(result, profile, tz, out_dir: Path, failures_file: Path):
    """Write the tables, the review and the failures list; return the review."""
    from ..batch.tables import with_local_dates
    from ..batch.weekly import weekly_review

    activities = with_local_dates(result.tables["activities"], tz)
    review = weekly_review(
        activities, result.tables["reps"], level=getattr(profile, "level", None), tz=tz
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {**result.tables, "activities": activities}
    write_tables(tables, out_dir)
    _write_atomic(out_dir / "weekly.json", json.dumps(review.to_dict(), indent=2) + "\n")
    lines = "".join(f"{f.line()}\n" for f in result.failures)
    failures_file.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(failures_file, lines)
    return review


def _charts(review, result, tz, profile, charts_dir: Path) -> None:
    """The weekly charts (splitcheck.report.charts.weekly), paths on stderr."""
    from ..batch.tables import with_local_dates
    from ..report.charts.weekly import save_weekly_charts

    activities = with_local_dates(result.tables["activities"], tz)
    goal = getattr(profile, "goal_mile_s", None)
    for path in save_weekly_charts(review, charts_dir, activities=activities, goal_mile_s=goal):
        click.echo(f"splitcheck: chart {path}", err=True)


def write_tables(tables: dict[str, list[dict]], out_dir: Path) -> list[Path]:
    """CSV and JSON of each table, and Parquet when pyarrow is installed (pandas is
    imported only then: a warm run should not pay its half second)."""
    import importlib.util

    from ..batch.tables import table_columns

    written = []
    for name, rows in tables.items():
        columns = table_columns(name, rows)
        csv_path, json_path = out_dir / f"{name}.csv", out_dir / f"{name}.json"
        _write_atomic(csv_path, _csv_text(rows, columns))
        _write_atomic(json_path, json.dumps(rows, ensure_ascii=False) + "\n")
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


def _write_atomic(path: Path, text: str) -> None:
    """Write beside the target and rename: a crash never leaves half a file."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _summary(result, out_dir: Path, failures_file: Path) -> None:
    activities = len(result.tables["activities"])
    click.echo(
        f"splitcheck: {result.read} files read ({activities} activities), "
        f"{result.skipped} skipped, {result.failed} failed"
        + (f", {result.duplicates} duplicates" if result.duplicates else "")
        + f"; {result.analysed} analysed, {result.cached} from the cache, "
        f"{result.identified} new or changed on disk; "
        f"{result.elapsed_s:.1f} s; tables in {out_dir}",
        err=True,
    )
    for reason, n in sorted(result.skipped_reasons.items()):
        click.echo(f"splitcheck: skipped {n}: {reason}", err=True)
    if result.read == 0 and not result.failures:
        click.echo(
            "splitcheck: no activity files found (.fit, .gpx, .tcx, .gz of them, or .zip exports)",
            err=True,
        )
    if result.failures:
        click.echo(f"splitcheck: failures (also in {failures_file}):", err=True)
        for failure in result.failures:
            click.echo(f"  {failure.line()}", err=True)


FLAG_WORDS = {
    "no_sprint_session": "no sprint session (once a week: reps of <= ~60 s or <= ~300 m)",
    "no_speed_endurance_session": "no speed-endurance session (>= ~2 min or >= ~600 m reps)",
    "no_30_min_run": "no continuous run of 30 min or more (beginners: build up to one a week)",
    "back_to_back_days": "ran on consecutive days (new runners: every other day to start)",
    "hard_minutes_jump": "hard minutes jumped > 30 % over the previous 3 weeks",
    "no_cross_training": "no cross-training (consider one in place of an aerobic run)",
}


def render_review(review) -> str:
    """The weekly review as a terminal table, flags spelled out below it."""
    head = (
        f"{'week':<9} {'runs':>4} {'sprint':>6} {'sp-end':>6} {'longest':>8} {'hard min':>8} "
        f"{'change':>7} {'cross':>5} {'best mile':>9} {'pred mile':>9}  flags"
    )
    lines = [f"Weekly review (days in {review.timezone})", head]
    empty = 0
    for w in review.weeks:
        if not w.activities and not w.flags:
            empty += 1  # long breaks in years of files: one line, not one per week
            continue
        if empty:
            lines.append(f"  ({empty} week{'s' if empty > 1 else ''} without activities)")
            empty = 0
        change = "-" if w.hard_change_pct is None else f"{w.hard_change_pct:+.0f}%"
        lines.append(
            f"{w.week:<9} {w.runs:>4} {w.sprint_sessions:>6} {w.speed_endurance_sessions:>6} "
            f"{_t(w.longest_continuous_run_s):>8} {w.hard_s / 60:>8.1f} {change:>7} "
            f"{w.cross_training:>5} {_t(w.best_mile_s, 1):>9} {_t(w.predicted_mile_s, 1):>9}"
            f"  {', '.join(w.flags)}"
        )
    if not review.weeks:
        lines.append("  (no activities with a date)")
    used = sorted({f for w in review.weeks for f in w.flags})
    lines += [f"  {f}: {FLAG_WORDS.get(f, f)}" for f in used]
    lines += [f"not judged: {n}" for n in review.not_judged]
    lines += [f"note: {n}" for n in review.notes]
    return "\n".join(lines)


def _t(seconds: float | None, decimals: int = 0) -> str:
    return "-" if seconds is None else format_duration(seconds, decimals=decimals)
