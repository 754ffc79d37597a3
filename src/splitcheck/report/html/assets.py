"""The page's style sheet and script (``page.css``, ``page.js`` beside this module),
inlined into every page: a page is one file that opens offline from ``file://`` and asks
no other host for anything (its Content-Security-Policy forbids it)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources

from .fmt import esc

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
"""No request leaves the page: styles and the script are inline, nothing is fetched."""


@functools.cache
def asset(name: str) -> str:
    """The text of ``page.css`` or ``page.js`` (package data)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def page_shell(
    title: str, body: str, *, script: bool = True, meta: Mapping[str, str] | None = None
) -> str:
    """A complete HTML document around ``body``; ``meta``: more ``<meta>`` tags."""
    js = f"<script>{asset('page.js')}</script>" if script else ""
    extra = "".join(f'<meta name="{esc(k)}" content="{esc(v)}">' for k, v in (meta or {}).items())
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="splitcheck">{extra}'
        f"<title>{esc(title)}</title><style>{asset('page.css')}</style></head>"
        f'<body><main>{body}</main><div id="tip" class="tip" role="status" hidden></div>'
        f"{js}</body></html>\n"
    )
