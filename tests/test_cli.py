"""The command line: exit codes, one-line errors, never a traceback."""

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from splitcheck.cli import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"hello, not a watch file", "not a FIT, GPX or TCX file"),
        (b"\x1f\x8b\x08\x00garbage", "truncated or damaged gzip"),
    ],
)
def test_bad_file_gives_one_line_naming_it_and_exit_1(tmp_path, content, reason):
    bad = tmp_path / "run.fit"
    bad.write_bytes(content)
    result = run("analyze", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"splitcheck: {bad}: {reason}")
    assert "Traceback" not in result.output


def test_missing_file_and_folder(tmp_path):
    result = run("analyze", str(tmp_path / "nope.gpx"), str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"splitcheck: {tmp_path / 'nope.gpx'}: no such file",
        f"splitcheck: {tmp_path}: is a folder, not a file (use 'splitcheck batch')",
    ]


def test_json_mode_keeps_stdout_valid_when_a_file_fails(tmp_path):
    bad = tmp_path / "x.gpx"
    bad.write_text("nonsense")
    result = run("analyze", "--json", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""


def test_every_command_has_help():
    names = cli.list_commands(click.Context(cli))
    assert {"analyze", "batch", "chart"} <= set(names)
    for name in names:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.output


def test_python_dash_m_and_no_heavy_imports():
    code = (
        "import sys, splitcheck, splitcheck.cli;"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'gpxpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.replace("'", '"')) == []
    version = subprocess.run(
        [sys.executable, "-m", "splitcheck", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and "splitcheck" in version.stdout


def test_reading_bytes_by_mistake_points_to_read_bytes():
    import splitcheck

    with pytest.raises(TypeError, match="read_bytes"):
        splitcheck.read(b"<gpx></gpx>")
