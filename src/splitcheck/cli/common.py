"""Helpers shared by the sub-commands: error lines, options, exit codes."""

from __future__ import annotations

import os
import sys
import traceback

import click

from ..errors import SplitcheckError

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


def error_line(err: SplitcheckError) -> str:
    """``splitcheck: run.fit: truncated at byte 7471`` (FileError carries the file)."""
    return f"splitcheck: {err}"


def printable(path: str | os.PathLike) -> str:
    """A file name as UTF-8 text for tables and JSON: bytes that are not UTF-8 become
    ``\xe9`` escapes (lone surrogates cannot be written as UTF-8)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def warn(source: str, message: str) -> None:
    click.echo(f"splitcheck: {source}: warning: {message}", err=True)


def fail_unexpected(err: BaseException) -> None:
    """A bug, not bad input: one line, the traceback only with SPLITCHECK_DEBUG=1."""
    if os.environ.get("SPLITCHECK_DEBUG"):
        traceback.print_exception(err)
    click.echo(
        f"splitcheck: internal error: {type(err).__name__}: {err} "
        "(set SPLITCHECK_DEBUG=1 for details, and please report it)",
        err=True,
    )
    sys.exit(3)


unit_option = click.option(
    "--units",
    type=click.Choice(["km", "mi"]),
    default=None,
    help="Units for distance and pace (default: km, or the profile's).",
)
