"""``splitcheck analyze FILE...``: one report per activity."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..analysis import SCHEMA_VERSION, analyze_file
from ..errors import SplitcheckError
from ..report.text import render_analysis
from .common import EXIT_OK, EXIT_SOME_FAILED, error_line, unit_option, warn


@click.command("analyze")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON document per file (docs/json.md).")
@unit_option
def analyze_cmd(files: tuple[Path, ...], as_json: bool, units: str | None) -> None:
    """Read each FILE (FIT, GPX, TCX, or .gz of them) and report its structure, splits
    and pacing. Exit code 0 when every file was read, 1 when any could not be."""
    unit = units or "km"
    failed = 0
    for path in files:
        try:
            analyses = analyze_file(path)
        except SplitcheckError as err:
            click.echo(error_line(err), err=True)
            failed += 1
            continue
        if as_json:
            doc = {
                "schema_version": SCHEMA_VERSION,
                "file": str(path),
                "activities": [a.to_dict() for a in analyses],
            }
            click.echo(json.dumps(doc, ensure_ascii=False))
            continue
        for a in analyses:
            for message in a.activity.warnings:
                warn(str(path), message)
        click.echo(render_analysis(analyses, str(path), unit=unit))
    raise SystemExit(EXIT_SOME_FAILED if failed else EXIT_OK)
