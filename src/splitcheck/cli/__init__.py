"""The ``splitcheck`` command: the only code that prints or exits.

Each sub-command lives in its own module and calls one library function; library errors
(:class:`splitcheck.errors.SplitcheckError`) become one ``splitcheck: ...`` line on stderr
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from .common import fail_unexpected


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="splitcheck")
def cli() -> None:
    """How did you pace that run? Structure, splits and a pacing scorecard from GPS
    watch files (FIT, GPX, TCX, gzipped or not), with guidance for a faster mile."""


def _register() -> None:
    from .analyze import analyze_cmd

    cli.add_command(analyze_cmd)
    for module, name in (("batch", "batch_cmd"), ("chart", "chart_cmd")):
        try:
            mod = __import__(f"{__name__}.{module}", fromlist=[name])
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{module}":
                raise
            continue
        cli.add_command(getattr(mod, name))


_register()


def main() -> None:
    """Console entry point."""
    try:
        cli.main(prog_name="splitcheck", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("splitcheck: interrupted", err=True)
        sys.exit(130)
    except Exception as err:  # noqa: BLE001 - last line of defence: never a traceback
        fail_unexpected(err)
