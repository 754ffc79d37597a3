"""``splitcheck analyze FILE...``: one report per activity."""

from __future__ import annotations

from pathlib import Path

import click

from ..analysis import SCHEMA_VERSION, analyze_file
from ..report.text import render_analysis
from .common import (
    ANALYSIS_MODULES,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    printable,
    say_file_failed,
    terminal_safe,
    warn,
)
from .profile_options import RunnerOptions, runner_options

PRELOAD = ANALYSIS_MODULES
"""Loaded with the command, in cli.main's start-up step."""


@click.command("analyze")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON document per file (docs/json.md).")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Write the laps / reps / splits table as CSV to FILE ('-': stdout, instead of "
    "the report). Columns: docs/pacing.md.",
)
@runner_options
def analyze_cmd(
    files: tuple[Path, ...], as_json: bool, csv_path: Path | None, runner: RunnerOptions
) -> None:
    """Read each FILE (FIT, GPX, TCX, or .gz of them) and report its structure, splits
    and pacing. Exit code 0 when every file was read, 1 when any could not be, 2 for a
    bad option or profile value."""
    profile, library = runner.for_analysis()
    if (
        csv_path is not None
        and str(csv_path) != "-"
        and csv_path.resolve() in {f.resolve() for f in files}
    ):
        click.echo(f"splitcheck: --csv {csv_path}: will not overwrite an input file", err=True)
        raise SystemExit(EXIT_USAGE)
    unit = profile.units or "km"
    csv_to_stdout = csv_path is not None and str(csv_path) == "-"
    tables = []
    failed = 0
    for path in files:
        try:
            analyses = analyze_file(path, profile, **library)
            out = _report(path, analyses, as_json=as_json, unit=unit, quiet=csv_to_stdout)
        except Exception as err:  # noqa: BLE001 - one bad file must not stop the others
            say_file_failed(path, err)
            failed += 1
            continue
        tables.append((printable(path), analyses))
        if out:
            click.echo(out)
    if csv_path is not None:
        _write_csv(csv_path, tables)
    raise SystemExit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _report(path: Path, analyses: list, *, as_json: bool, unit: str, quiet: bool) -> str:
    """The text report (warnings to stderr first) or the JSON document of one file;
    nothing with ``--csv -``. Rendered whole before anything is printed, so a file that
    fails half-way prints only its error line."""
    if quiet:
        return ""
    if as_json:
        import json  # only for --json: not at start-up

        doc = {
            "schema_version": SCHEMA_VERSION,
            "file": printable(path),
            "activities": [a.to_dict() for a in analyses],
        }
        return json.dumps(doc, ensure_ascii=False)
    text = terminal_safe(render_analysis(analyses, printable(path), unit=unit))
    for a in analyses:
        for message in a.activity.warnings:
            warn(printable(path), message)
    return text


def _write_csv(csv_path: Path, tables: list) -> None:
    from ..report.csv_out import render_csv

    text = render_csv(tables)
    if str(csv_path) == "-":
        click.echo(text, nl=False)
        return
    try:
        csv_path.write_text(text, encoding="utf-8")
    except OSError as err:
        click.echo(f"splitcheck: --csv {csv_path}: {err.strerror or err}", err=True)
        raise SystemExit(EXIT_SOME_FAILED) from None
