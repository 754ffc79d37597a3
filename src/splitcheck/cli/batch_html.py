"""``splitcheck batch --html DIR``: the archive's web pages, made by the batch's ``--jobs``
worker processes, with a progress bar on a terminal (occasional log lines otherwise) and a
line for each activity that got no page."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .common import exit_cannot_write

LOG_EVERY_S = 10.0
"""Without a terminal, a progress line at most this often (as the batch's own)."""


class _PageProgress:
    """``on_page(done, total)`` for :func:`write_archive`: a bar on a terminal."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.last_log = time.monotonic()

    def __enter__(self) -> _PageProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            if self.bar is None:
                self.bar = click.progressbar(
                    length=total, label="web pages", file=sys.stderr, show_eta=True, show_pos=True
                )
                self.bar.__enter__()
            self.bar.update(done - self.bar.pos)
        elif time.monotonic() - self.last_log >= LOG_EVERY_S:
            self.last_log = time.monotonic()
            click.echo(f"splitcheck: --html: {done}/{total} pages written", err=True)


def write_html(view, html_dir: Path, paths, profile, options, exclude, jobs: int | None) -> None:
    """The archive's web pages (splitcheck.report.html.archive); the index on stderr."""
    import os

    from ..report.html.archive import write_archive

    unit = getattr(profile, "units", None) or "km"
    jobs = max(1, jobs or os.cpu_count() or 1)
    try:
        with _PageProgress() as progress:
            site = write_archive(
                view,
                html_dir,
                paths=paths,
                profile=profile,
                options=options,
                unit=unit,
                exclude=exclude,
                on_page=progress,
                jobs=jobs,
            )
    except OSError as err:
        exit_cannot_write(err, html_dir, "--html")
    for line in site.failed:
        click.echo(f"splitcheck: --html: no page for {line}", err=True)
    click.echo(
        f"splitcheck: web pages {site.index} ({site.written} written, {site.kept} up to date)",
        err=True,
    )
