"""Rewrite the README's "A session, scored" block with the real output of its command.

tests/test_docs.py fails when the block and the output differ; run this, read the diff,
commit::

    PYTHONPATH=src python scripts/update_readme_example.py
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from splitcheck.cli import cli

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"## A session, scored\n\n```text\n\$ ([^\n]+)\n.*?```", re.S)


def main() -> None:
    import os

    readme_path = ROOT / "README.md"
    readme = readme_path.read_text()
    match = BLOCK.search(readme)
    if match is None:
        raise SystemExit("README has no 'A session, scored' block")
    command = match.group(1)
    os.chdir(ROOT)
    output = CliRunner().invoke(cli, shlex.split(command)[1:]).output
    lines = "\n".join(line.rstrip() for line in output.rstrip("\n").split("\n"))
    block = f"## A session, scored\n\n```text\n$ {command}\n{lines}\n```"
    readme_path.write_text(readme[: match.start()] + block + readme[match.end() :])


if __name__ == "__main__":
    main()
