"""The HTML report without a browser: what the command writes and where, escaping of
names from the runner's files, page size, the archive site and its links, and that
``analyze`` never loads any of it. (tests/test_html_browser.py opens the pages in
Chromium.)"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REAL, SAMPLES
from splitcheck.cli import cli
from test_startup_imports import analyze_imports

INTERVALS = REAL / "run-stats" / "6761214480_ACTIVITY.fit"
ONE_HOUR = REAL / "activityio" / "c2eb1b_2.tcx"
"""MANIFEST: a 10 km run of 1:04 with heart rate (a one-hour run for the page size)."""
MAX_PAGE_BYTES = 1_000_000


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


class _Collect(HTMLParser):
    """Tags with their attributes, and every URL-bearing attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(text: str) -> _Collect:
    p = _Collect()
    p.feed(text)
    return p


def test_report_writes_one_page_per_file_into_the_folder_given(tmp_path):
    out = tmp_path / "pages"
    result = run("report", str(SAMPLES / "easy_32min.fit"), str(INTERVALS), "-o", str(out))
    assert result.exit_code == 0, result.output
    written = [Path(line) for line in result.output.splitlines()]
    assert [p.name for p in written] == ["easy_32min.html", "6761214480_ACTIVITY.html"]
    assert all(p.parent == out and p.is_file() for p in written)
    assert not list(SAMPLES.glob("*.html")) and not list(INTERVALS.parent.glob("*.html"))


def test_report_never_writes_beside_its_inputs(tmp_path):
    src = tmp_path / "watch"
    src.mkdir()
    shutil.copy(SAMPLES / "easy_32min.fit", src / "run.fit")
    result = run("report", str(src / "run.fit"), "-o", str(src))
    assert result.exit_code == 2
    assert "never writes next to its input" in result.output
    assert sorted(p.name for p in src.iterdir()) == ["run.fit"]


def test_report_default_folder_is_under_the_current_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("report", str(SAMPLES / "easy_32min.fit"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "splitcheck-report" / "easy_32min.html").is_file()


def test_a_bad_file_is_one_line_and_the_others_still_get_their_page(tmp_path):
    bad = tmp_path / "in" / "broken.fit"
    bad.parent.mkdir()
    bad.write_bytes((SAMPLES / "easy_32min.fit").read_bytes()[:40])
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", str(bad), str(SAMPLES / "pyramid.fit"), "-o", str(out)]
    )
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("splitcheck:")]
    assert len(errors) == 1 and "broken.fit" in errors[0]
    assert "Traceback" not in result.output
    assert (out / "pyramid.html").is_file() and not (out / "broken.html").exists()


def test_two_files_of_the_same_name_get_two_pages(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        shutil.copy(SAMPLES / "easy_32min.fit", tmp_path / d / "run.fit")
    out = tmp_path / "out"
    result = run("report", str(tmp_path / "a" / "run.fit"), str(tmp_path / "b" / "run.fit"),
                 "-o", str(out))  # fmt: skip
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["run-2.html", "run.html"]


def test_names_from_the_runners_files_are_escaped(tmp_path):
    hostile = '<img src=x onerror="alert(1)">&run'
    src = tmp_path / "in" / f"{hostile}.fit"
    src.parent.mkdir()
    shutil.copy(SAMPLES / "mile_time_trial_too_fast.fit", src)
    out = tmp_path / "out"
    assert run("report", str(src), "-o", str(out)).exit_code == 0
    (page,) = out.glob("*.html")
    text = page.read_text(encoding="utf-8")
    assert hostile not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;run" in text
    assert not [t for t, _ in parse(text).tags if t == "img"]


def test_a_page_asks_no_host_for_anything_and_forbids_it(tmp_path):
    out = tmp_path / "out"
    run("report", str(INTERVALS), "-o", str(out))
    text = (out / "6761214480_ACTIVITY.html").read_text(encoding="utf-8")
    tags = parse(text).tags
    urls = [a.get(k) for _, a in tags for k in ("src", "href") if a.get(k)]
    assert urls == []  # scripts and styles inline, no images, fonts or links out
    csp = [a["content"] for t, a in tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]
    assert not re.search(r"https?://", text)


def test_a_one_hour_run_page_is_well_under_a_megabyte(tmp_path):
    out = tmp_path / "out"
    run("report", str(ONE_HOUR), "-o", str(out))
    (page,) = out.glob("*.html")
    doc = json.loads(run("analyze", "--json", str(ONE_HOUR)).output)
    assert doc["activities"][0]["elapsed_s"] >= 3600  # the file is the hour it claims
    assert page.stat().st_size < MAX_PAGE_BYTES


def test_analyze_never_imports_the_html_report():
    code, modules = analyze_imports(str(SAMPLES / "pyramid.fit"))
    assert code == 0
    assert not [m for m in modules if m.startswith("splitcheck.report.html")]
    assert "splitcheck.cli.report" not in modules


def test_the_html_report_does_not_load_matplotlib(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from splitcheck.analysis import analyze_file\n"
        "from splitcheck.report.html import render_page\n"
        f"a = analyze_file({str(INTERVALS)!r})[0]\n"
        "assert render_page(a, 'x').startswith('<!DOCTYPE html>')\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """batch --html over a few real files (one of them twice: the same run under two
    names) and a simulated one, with the batch's own JSON."""
    root = tmp_path_factory.mktemp("site")
    inputs = root / "in"
    inputs.mkdir()
    for name in ("6761214480_ACTIVITY.fit", "6840589159_ACTIVITY.fit"):
        shutil.copy(REAL / "run-stats" / name, inputs / name)
    shutil.copy(ONE_HOUR, inputs / "hour.tcx")
    shutil.copy(SAMPLES / "pyramid.fit", inputs / "pyramid.fit")
    args = ["batch", str(inputs), "--out", str(root / "tables"), "--no-cache", "-j", "1",
            "--html", str(root / "web"), "--json", "--timezone", "UTC"]  # fmt: skip
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return root, doc, result


def test_batch_html_links_every_activity_to_its_page(site):
    root, _, _ = site
    web = root / "web"
    index = (web / "index.html").read_text(encoding="utf-8")
    links = [a["href"] for t, a in parse(index).tags if t == "a" and "href" in a]
    activities = json.loads((root / "tables" / "activities.json").read_text())
    assert len(activities) == 4
    pages = sorted(set(links))
    assert len(pages) == 4  # every activity once (records link to them again)
    for href in pages:
        page = (web / href).resolve()
        assert page.is_file() and web.resolve() in page.parents
        back = [a["href"] for t, a in parse(page.read_text(encoding="utf-8")).tags if t == "a"]
        assert back == ["../index.html"]
    assert not list((root / "in").glob("*.html"))


def test_batch_html_rewrites_only_what_changed(site, tmp_path):
    root, _, first = site
    assert "4 written, 0 up to date" in first.stderr
    args = ["batch", str(root / "in"), "--out", str(root / "tables"), "--no-cache", "-j", "1",
            "--html", str(root / "web"), "--timezone", "UTC"]  # fmt: skip
    again = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "0 written, 4 up to date" in again.stderr
    other = CliRunner().invoke(cli, [*args, "--units", "mi"], catch_exceptions=False)
    assert "4 written, 0 up to date" in other.stderr  # another unit: other pages


def test_batch_html_is_refused_inside_an_input_folder(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLES / "pyramid.fit", inputs / "pyramid.fit")
    args = ["batch", str(inputs), "--out", str(tmp_path / "t"), "--no-cache",
            "--html", str(inputs / "web")]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "--html" in result.output
    assert not (inputs / "web").exists()


class _Cells(HTMLParser):
    """Each table's rows as lists of (data-k, data-v, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[list]]] = {}
        self._table = self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(a.get("id", ""), [])
        elif tag == "tr" and self._table is not None and "data-row" in a:
            self._table.append([])
        elif tag == "td" and self._table:
            self._cell = [a.get("data-k"), a.get("data-v"), ""]
            self._table[-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data


def _clock_s(text: str) -> float:
    total = 0.0
    for part in text.split(":"):
        total = total * 60 + float(part)
    return total


def test_miles_page_shows_paces_per_mile_of_the_same_json(tmp_path):
    out = tmp_path / "out"
    assert run("report", str(INTERVALS), "-o", str(out), "--units", "mi").exit_code == 0
    doc = json.loads(run("analyze", "--json", str(INTERVALS), "--units", "mi").output)
    activity = doc["activities"][0]
    cells = _Cells()
    cells.feed((out / "6761214480_ACTIVITY.html").read_text(encoding="utf-8"))
    splits = cells.tables["splits-table"]
    assert len(splits) == len(activity["splits"]) == 6  # 8.6 km: 5 miles and a part
    for row, split in zip(splits, activity["splits"], strict=True):
        pace = next(c for c in row if c[0] == "pace_s_per_km")
        assert float(pace[1]) == split["pace_s_per_km"]
        assert abs(_clock_s(pace[2]) - split["pace_s_per_km"] * 1.609344) <= 0.5


@pytest.mark.slow
def test_every_real_activity_gets_a_page(tmp_path):
    """batch --html over all the real files: a page for every activity the batch read
    (odd sports, no distance, heart rate only, chained FIT files), none failing."""
    args = ["batch", str(REAL), "--out", str(tmp_path / "t"), "--no-cache",
            "--html", str(tmp_path / "web"), "--timezone", "UTC"]  # fmt: skip
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    activities = json.loads((tmp_path / "t" / "activities.json").read_text())
    pages = sorted((tmp_path / "web" / "activities").glob("*.html"))
    assert len(activities) > 40 and len(pages) == len(activities)
    assert "no page for" not in result.stderr
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
        assert page.stat().st_size < MAX_PAGE_BYTES


def _site_files(web: Path) -> dict[str, bytes]:
    return {str(p.relative_to(web)): p.read_bytes() for p in sorted(web.rglob("*.html"))}


def test_batch_html_pages_made_by_workers_are_the_same_bytes(tmp_path):
    """Pages made by 2 worker processes equal those made in one process, byte for byte,
    a file of several sessions (a triathlon) and a zipped copy included; progress counts
    every page; a re-run with workers rewrites only the page of the file that changed."""
    import datetime as dt
    import zipfile

    from splitcheck.batch.archive import archive_view
    from splitcheck.batch.run import run_batch
    from splitcheck.batch.store import Store
    from splitcheck.report.html.archive import write_archive

    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("6761214480_ACTIVITY.fit", "6840589159_ACTIVITY.fit"):
        shutil.copy(REAL / "run-stats" / name, inputs / name)
    shutil.copy(ONE_HOUR, inputs / "hour.tcx")
    shutil.copy(REAL / "python-fitparse" / "sample_mulitple_header.fit", inputs / "tri.fit")
    with zipfile.ZipFile(inputs / "export.zip", "w") as zf:
        zf.write(SAMPLES / "pyramid.fit", "activities/pyramid.fit")
    edited = inputs / "easy.gpx"
    edited.write_bytes((SAMPLES / "easy_32min.gpx").read_bytes())

    def site(web: Path, jobs: int, workers: bool):
        with Store(None) as store:
            result = run_batch([inputs], store, jobs=1)
        view = archive_view(result.tables, tz=dt.UTC)
        calls: list[tuple[int, int]] = []
        made = write_archive(
            view, web, paths=[inputs], jobs=jobs, workers=workers,
            on_page=lambda done, total: calls.append((done, total)),
        )  # fmt: skip
        return view, made, calls

    view, one, _ = site(tmp_path / "one", 1, False)
    sessions = len(view.activities)
    assert sessions >= 9 and one.written == sessions and one.failed == ()  # 4 tri legs
    _, two, calls = site(tmp_path / "two", 2, True)
    assert two.written == sessions and two.failed == ()
    assert calls[-1] == (sessions, sessions) and len(calls) <= sessions
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    pages_one, pages_two = _site_files(tmp_path / "one"), _site_files(tmp_path / "two")
    assert len(pages_one) == sessions + 1  # and the index
    assert pages_one == pages_two
    text = edited.read_text(encoding="utf-8")  # the runner edits a file: its content changes
    edited.write_text(text.replace("<name>", "<name>Renamed ", 1), encoding="utf-8")
    assert edited.read_text(encoding="utf-8") != text
    _, again, _ = site(tmp_path / "two", 2, True)
    assert (again.written, again.kept) == (1, sessions - 1)
