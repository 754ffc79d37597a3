"""Progress on stderr for the long commands: a bar on a terminal, occasional plain log
lines otherwise (a log file or a pipe gets no bar redrawn in place)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import click

LOG_EVERY_S = 10.0
"""Without a terminal, a progress line at most this often."""


class Progress:
    """A context manager: :meth:`bar` draws and moves the bar on a terminal; :meth:`due`
    says when a log line is due without one; the bar is closed on exit."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._bar = None
        self._last_log = time.monotonic()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def bar(
        self,
        done: int,
        total: int,
        label: str,
        item: object = None,
        item_text: Callable[[object], str | None] | None = None,
    ) -> None:
        """The bar at ``done`` of ``total`` (made on first use), ``item_text(item)`` beside it."""
        if self._bar is None:
            self._bar = click.progressbar(
                length=total,
                label=label,
                file=sys.stderr,
                show_eta=True,
                show_pos=True,
                item_show_func=item_text,
            )
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos, item)

    def due(self, final: bool = False) -> bool:
        """Whether a log line is due now (every :data:`LOG_EVERY_S`, and the ``final`` one)."""
        if final or time.monotonic() - self._last_log >= LOG_EVERY_S:
            self._last_log = time.monotonic()
            return True
        return False
