"""``splitcheck batch --html DIR``: the archive's web pages, made by the batch's ``--jobs``
worker processes, with a progress bar on a terminal (occasional log lines otherwise) and a
line for each activity that got no page."""

from __future__ import annotations

from pathlib import Path

import click

from .common import exit_cannot_write
from .progress import Progress


class _PageProgress(Progress):
    """``on_page(done, total)`` for :func:`write_archive`."""

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            self.bar(done, total, "web pages")
        elif self.due():
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
