"""The ``splitcheck`` command: the only code that prints or exits.

Each sub-command lives in its own module and calls one library function; library errors
(:class:`splitcheck.errors.SplitcheckError`) become one ``splitcheck: ...`` line on stderr
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import sys

import click

from .. import __version__
from .common import fail_unexpected


class LazyGroup(click.Group):
    """A command group whose sub-commands are imported when one is run or listed, not
    at start-up: ``splitcheck analyze`` never imports batch's or chart's modules.

    ``lazy_commands`` maps each name to ``(module, attribute)`` below this package; a
    command whose module is not there (a trimmed install) is left out of the listing. A
    command module's ``PRELOAD`` names modules it imports on first use anyway (numpy's
    users, matplotlib): they are imported with it, so cli.main's start-up step covers
    them.
    """

    def __init__(self, *args, lazy_commands: dict[str, tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands)

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        names.update(n for n in self.lazy_commands if self.get_command(ctx, n) is not None)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self.load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def load(self, cmd_name: str) -> None:
        """Import the sub-command ``cmd_name`` (and so every module it uses) if it is one
        of the lazy commands and not loaded yet."""
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, attribute = self.lazy_commands[cmd_name]
            try:
                mod = importlib.import_module(f"{__name__}.{module}")
            except ModuleNotFoundError as err:
                if err.name != f"{__name__}.{module}":
                    raise
                return
            for name in getattr(mod, "PRELOAD", ()):  # what the command imports on first use
                importlib.import_module(name)
            self.add_command(getattr(mod, attribute), cmd_name)


COMMANDS = {
    "analyze": ("analyze", "analyze_cmd"),
    "batch": ("batch", "batch_cmd"),
    "chart": ("chart", "chart_cmd"),
    "report": ("report", "report_cmd"),
}
"""Sub-command name -> (module in this package, click command in it)."""


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="splitcheck")
def cli() -> None:
    """How did you pace that run? Structure, splits and a pacing scorecard from GPS
    watch files (FIT, GPX, TCX, gzipped or not), with guidance for a faster mile."""


EXIT_INTERRUPTED = 130
"""128 + SIGINT, what shells report for a command stopped by Ctrl-C."""


def main() -> None:
    """Console entry point.

    Click's own standalone mode turns Ctrl-C into "Aborted!" and exit 1; here an
    interrupt at any point (a second Ctrl-C, or ``timeout -s INT`` signalling the process
    and then its group, while a command is writing its outputs) exits 130.
    """
    _load_and_freeze(sys.argv[1:2])
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


def _load_and_freeze(first_arg: list[str]) -> None:
    """Import the sub-command about to run, and with it numpy and every module it uses,
    in one step (the group takes no option but ``--help`` and ``--version``, so the
    command is the first argument) with the cyclic garbage collector paused, then hand
    every object the imports made (modules, classes, functions: none of them ever
    garbage) to :func:`gc.freeze`, out of the collector's sight.

    Collections during the imports find nothing to free (~15 ms of CPU in ``splitcheck
    analyze`` on a one-hour run), and at exit the interpreter's shutdown collections
    would take the frozen objects apart one by one (~35 ms) for memory the operating
    system reclaims with the process anyway (benchmarks/bench_startup.py). Objects made
    afterwards, the analysis's, are collected as usual. Only the command-line process
    does this (``import splitcheck`` imports no numpy, so nothing heavy is loaded
    before); the library leaves the collector alone.
    """
    if not first_arg or first_arg[0] not in COMMANDS:
        return
    collecting = gc.isenabled()
    gc.disable()
    try:
        cli.load(first_arg[0])
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _interrupted() -> None:
    try:
        click.echo("splitcheck: interrupted", err=True)
    finally:
        sys.exit(EXIT_INTERRUPTED)
