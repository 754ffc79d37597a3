"""``splitcheck chart FILE...``: pictures of a run, as PNG or SVG files."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import NothingToChartError, SplitcheckError
from .common import (
    ANALYSIS_MODULES,
    EXIT_OK,
    EXIT_SOME_FAILED,
    exit_cannot_write,
    file_error_line,
    file_stem,
    printable,
    refuse_beside_inputs,
    say_file_failed,
    terminal_safe,
    warn,
)
from .profile_options import RunnerOptions, runner_options

PRELOAD = (
    *ANALYSIS_MODULES,
    "splitcheck.report.charts",
    "splitcheck.report.charts.style",  # matplotlib, its Agg canvas and Figure
    "splitcheck.report.charts.bars",
    "splitcheck.report.charts.trace_draw",
)
"""What every chart imports on first use: loaded with the command, in cli.main's
start-up step (the collector paused, then frozen: matplotlib makes ~100,000 objects)."""

DEFAULT_DIR = "splitcheck-charts"
"""Charts go here, under the current folder, when -o is not given (never beside the input
files, which may sit in a synced watch folder)."""
KIND_CHOICES = ("all", "laps", "splits", "trace", "reps")
EXIT_NOTHING_TO_CHART = 4
"""Every file was read, but a chart asked for had nothing to show (``--kind reps`` on an
easy run): no file written for it, and a script can tell this from success (0) and from
unreadable files (1)."""
FORMAT_CHOICES = ("png", "svg")


@click.command("chart")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help=f"A folder for the charts, or a file name ending .png/.svg for one chart "
    f"[./{DEFAULT_DIR}].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    default=None,
    help="Image format [png, or the -o file's].",
)
@click.option(
    "--kind",
    type=click.Choice(KIND_CHOICES),
    default="all",
    show_default=True,
    help="Which chart: the mile's laps, distance splits, pace and heart-rate trace, rep "
    "consistency; all: every one that applies to the run.",
)
@click.option("--page", is_flag=True, help="All the charts on one page (one file per run).")
@click.option(
    "--x",
    "x_axis",
    type=click.Choice(["auto", "distance", "time"]),
    default="auto",
    show_default=True,
    help="The trace's x axis (auto: time for timed reps, else distance).",
)
@click.option("--grade-adjusted", is_flag=True, help="Trace: grade-adjusted pace (hills).")
@runner_options
def chart_cmd(
    files: tuple[Path, ...],
    output: Path | None,
    fmt: str | None,
    kind: str,
    page: bool,
    x_axis: str,
    grade_adjusted: bool,
    runner: RunnerOptions,
) -> None:
    """Draw charts of each FILE (FIT, GPX, TCX, or .gz of them): laps against even and
    goal pace, pace and heart rate with the reps shaded, rep consistency. Prints the
    files written. A chart with nothing to show (``--kind reps`` on an easy run) is not
    written: one line says why. Exit code 0 when every file was charted, 1 when any could
    not be read, 2 for a bad option, 4 when a chart asked for had nothing to show."""
    profile, library = runner.for_analysis()
    out_dir, name, fmt = _target(output, fmt, single=len(files) == 1 and (page or kind != "all"))
    refuse_beside_inputs(out_dir, files)
    failed = nothing = 0
    for path in files:
        try:
            written, empty = _chart_file(
                path, out_dir, name, fmt, kind, page, profile, x_axis, grade_adjusted, library
            )
        except SplitcheckError as err:
            click.echo(terminal_safe(file_error_line(path, err)), err=True)
            failed += 1
            continue
        except OSError as err:  # the output folder or file cannot be made
            exit_cannot_write(err, out_dir)
        except Exception as err:  # noqa: BLE001 - a bug in one file must not stop the others
            say_file_failed(path, err)
            failed += 1
            continue
        for p in written:
            click.echo(printable(p))
        if empty:
            reason = "; ".join(empty)
            click.echo(
                terminal_safe(f"splitcheck: {printable(path)}: {reason}; nothing written"), err=True
            )
            nothing += 1
    if failed:
        raise SystemExit(EXIT_SOME_FAILED)
    raise SystemExit(EXIT_NOTHING_TO_CHART if nothing else EXIT_OK)


def _chart_file(path, out_dir, name, fmt, kind, page, profile, x_axis, grade_adjusted, library):
    """Chart every session of one file: (the paths written, why a session had nothing
    to show)."""
    from ..analysis import analyze_file
    from ..report.charts import chart_activity, save_figure

    analyses = analyze_file(path, profile, **library)
    options = {"x": x_axis, "grade_adjusted": grade_adjusted}
    written = []
    nothing: list[str] = []
    for a in analyses:
        for message in a.activity.warnings:
            warn(printable(path), message)
        suffix = f"-session{a.activity.session_index + 1}" if len(analyses) > 1 else ""
        try:
            if name:  # -o named the file: exactly that name (one chart or one page)
                target = out_dir / f"{name}{suffix}.{fmt}"
                fig = chart_activity(a, kind, profile, **options)
                out_dir.mkdir(parents=True, exist_ok=True)
                save_figure(fig, target, fmt)
                written.append(target)
                continue
            stem = file_stem(path) + suffix
            written += _save(a, out_dir, stem, fmt, kind, page, profile, options)
        except NothingToChartError as err:
            where = f"session {a.activity.session_index + 1}: " if suffix else ""
            nothing.append(where + err.reason)
    return written, nothing


def _save(a, out_dir, stem, fmt, kind, page, profile, options):
    from ..report.charts import save_charts

    return save_charts(
        a, out_dir, stem=stem, fmt=fmt, kind=kind, page=page, profile=profile, **options
    )


def _target(output: Path | None, fmt: str | None, *, single: bool):
    """(folder, file stem or None, format) from -o and --format."""
    if output is None:
        return Path(DEFAULT_DIR), None, fmt or "png"
    suffix = output.suffix.lower().lstrip(".")
    if suffix in FORMAT_CHOICES and not output.is_dir():
        if fmt is not None and fmt != suffix:
            raise click.UsageError(f"-o {output} is a .{suffix} file but --format is {fmt}")
        if not single:
            raise click.UsageError(
                f"-o {output} names one file, but this makes several charts: give a folder, "
                "or one --kind, or --page, for one file"
            )
        return output.parent, output.stem, suffix
    if output.exists() and not output.is_dir():
        raise click.UsageError(
            f"-o {output} is an existing file, not a folder: give a folder, or a .png/.svg "
            "file name"
        )
    return output, None, fmt or "png"
