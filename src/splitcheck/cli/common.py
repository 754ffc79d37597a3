"""Helpers shared by the sub-commands: error lines, options, exit codes."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import NoReturn

import click

from ..errors import FileError, SplitcheckError
from ..io import display_name

ANALYSIS_MODULES = (
    "splitcheck.analysis",
    "splitcheck.localtime",
    "splitcheck.scoring",
    "splitcheck.segment",
    "splitcheck.sport",
)
"""What every analysis imports (splitcheck.analysis keeps the last four out of its own
import, to import them on first use): a command that analyses lists them in its
``PRELOAD``, so cli.main loads them with the command (see ``_load_and_freeze``)."""
EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


def error_line(err: SplitcheckError) -> str:
    """``splitcheck: run.fit: truncated at byte 7471`` (FileError carries the file)."""
    return f"splitcheck: {err}"


def printable(path: str | os.PathLike) -> str:
    """A file name as UTF-8 text for the terminal, tables and JSON: bytes that are not
    UTF-8 become ``\xe9`` escapes (lone surrogates cannot be written as UTF-8), control
    characters ``\n``, ``\x1b`` (a name must not colour the terminal or forge a line)."""
    return display_name(path)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with control characters other than newline and tab escaped (``\x1b``):
    a device name or a note read from a file cannot colour or rewrite the terminal."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def file_error_line(path: str | os.PathLike, err: BaseException) -> str:
    """The line for a file that failed: the library's message when it names the file,
    else the file's name first; an unexpected exception is an internal error, named."""
    if isinstance(err, FileError):
        return f"splitcheck: {err}"
    if isinstance(err, SplitcheckError):
        return f"splitcheck: {printable(path)}: {err}"
    if isinstance(err, MemoryError):
        return f"splitcheck: {printable(path)}: out of memory while analysing it"
    return (
        f"splitcheck: {printable(path)}: internal error: {type(err).__name__}: {err} "
        "(set SPLITCHECK_DEBUG=1 for details, and please report it)"
    )


def warn(source: str, message: str) -> None:
    click.echo(terminal_safe(f"splitcheck: {source}: warning: {message}"), err=True)


def debug_traceback(err: BaseException) -> None:
    """The traceback of an unexpected error, on stderr, only with SPLITCHECK_DEBUG=1."""
    if os.environ.get("SPLITCHECK_DEBUG"):
        import traceback  # only for a bug's details: not at start-up

        traceback.print_exception(err)


def say_file_failed(path: str | os.PathLike, err: BaseException) -> None:
    """One line for a file that could not be done (the batch goes on); a bug's traceback
    too, only with SPLITCHECK_DEBUG=1."""
    if not isinstance(err, SplitcheckError):
        debug_traceback(err)
    click.echo(terminal_safe(file_error_line(path, err)), err=True)


def exit_cannot_write(err: OSError, out_dir: Path, option: str = "-o") -> NoReturn:
    """The output folder or a file in it cannot be written: one line, exit 1."""
    where = err.filename or out_dir
    click.echo(f"splitcheck: {option} {where}: cannot write ({err.strerror or err})", err=True)
    raise SystemExit(EXIT_SOME_FAILED) from None


def fail_unexpected(err: BaseException) -> None:
    """A bug, not bad input: one line, the traceback only with SPLITCHECK_DEBUG=1."""
    if os.environ.get("SPLITCHECK_DEBUG"):
        import traceback  # only for a bug's details: not at start-up

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


def refuse_beside_inputs(out_dir: Path, files, option: str = "-o") -> None:
    """Never write next to the input files (project rule): a usage error naming both."""
    target = out_dir.resolve()
    for f in files:
        if Path(f).resolve().parent == target:
            raise click.UsageError(
                f"{out_dir} is the folder of {f}: splitcheck never writes next to its input "
                f"files; choose another place with {option}"
            )


def file_stem(path: Path) -> str:
    """``run.fit.gz`` -> ``run``: the name of what is written for a file."""
    name = path.name
    for suffix in (".gz", ".fit", ".gpx", ".tcx", ".xml"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or "activity"
