"""``splitcheck report FILE... -o DIR``: one HTML page per activity, to open in a browser."""

from __future__ import annotations

from pathlib import Path

import click

from .common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    exit_cannot_write,
    file_stem,
    printable,
    refuse_beside_inputs,
    say_file_failed,
    warn,
)
from .profile_options import RunnerOptions, runner_options

DEFAULT_DIR = "splitcheck-report"
"""Pages go here, under the current folder, when -o is not given (never beside the input
files, which may sit in a synced watch folder)."""


@click.command("report")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=f"Folder for the pages [./{DEFAULT_DIR}]; never the folder of an input file.",
)
@runner_options
def report_cmd(files: tuple[Path, ...], output: Path | None, runner: RunnerOptions) -> None:
    """Write an HTML page for each FILE (FIT, GPX, TCX, or .gz of them): the session in
    words, the pacing scorecard, charts that show a lap's or rep's numbers on hover, and
    the laps, reps and splits tables. Each page is one file that opens offline in any
    browser and fetches nothing. Prints the pages written. Exit code 0 when every file
    was read, 1 when any could not be, 2 for a bad option."""
    profile, library = runner.for_analysis()
    out_dir = output if output is not None else Path(DEFAULT_DIR)
    if out_dir.exists() and not out_dir.is_dir():
        raise click.UsageError(f"-o {out_dir} is an existing file, not a folder")
    refuse_beside_inputs(out_dir, files)
    unit = profile.units or "km"
    stems: set[str] = set()
    failed = 0
    for path in files:
        try:
            analyses = _analyze(path, profile, library)
        except Exception as err:  # noqa: BLE001 - one bad file must not stop the others
            say_file_failed(path, err)
            failed += 1
            continue
        from ..report.html import write_pages

        stem = _unique(file_stem(path), stems)
        try:
            written = write_pages(
                analyses, printable(path), out_dir, stem=stem, unit=unit, profile=profile
            )
        except OSError as err:  # the output folder or a page cannot be written
            exit_cannot_write(err, out_dir)
        for page in written:
            click.echo(printable(page))
    raise SystemExit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _analyze(path: Path, profile, library) -> list:
    """The file's analyses; its warnings said on stderr."""
    from ..analysis import analyze_file

    analyses = analyze_file(path, profile, **library)
    for a in analyses:
        for message in a.activity.warnings:
            warn(printable(path), message)
    return analyses


def _unique(stem: str, taken: set[str]) -> str:
    """``run``, then ``run-2``, ``run-3``... for files of the same name in other folders:
    one page never overwrites another made by the same command."""
    name, n = stem, 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}"
    taken.add(name)
    return name
