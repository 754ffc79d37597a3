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


EXIT_INTERRUPTED = 130
"""128 + SIGINT, what shells report for a command stopped by Ctrl-C."""


def main() -> None:
    """Console entry point.

    Click's own standalone mode turns Ctrl-C into "Aborted!" and exit 1; here an
    interrupt at any point (a second Ctrl-C, or ``timeout -s INT`` signalling the process
    and then its group, while a command is writing its outputs) exits 130.
    """
    try:
        code = cli.main(prog_name="splitcheck", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        _interrupted()
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except Exception as err:  # noqa: BLE001 - last line of defence: never a traceback
        fail_unexpected(err)
    sys.exit(code if isinstance(code, int) else 0)


def _interrupted() -> None:
    try:
        click.echo("splitcheck: interrupted", err=True)
    finally:
        sys.exit(EXIT_INTERRUPTED)
