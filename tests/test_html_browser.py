"""The HTML report in a real browser (headless Chromium, Debian's ``chromium``, driven by
playwright): pages open from ``file://`` with no console error, no failed request and no
request to any host; the tables hold the numbers of ``analyze --json`` (and of the
watch's own lap records); hovering a lap or a rep shows its numbers; the page is not
blank and does not overflow at phone and desktop widths; print hides what only works on
screen.

.ci/run installs chromium, so in CI (``CI`` set) a missing browser fails these tests;
elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import fitparse
import pytest
from click.testing import CliRunner

from conftest import REAL, SAMPLES
from splitcheck.cli import cli

INTERVALS = REAL / "run-stats" / "6761214480_ACTIVITY.fit"
MILE = SAMPLES / "mile_time_trial_too_fast.fit"
PHONE_W, DESKTOP_W = 390, 1280
SMALL_PHONE_W = 320
"""The narrowest phones still sold and used (iPhone SE 1st gen, small Androids)."""
LANDSCAPE_W = 640
"""A phone on its side: the wide charts, shown at their smallest."""
MIN_COLOURS = 12
"""A rendered page (text, charts, tables) has many distinct colours; a blank or unstyled
failure has a handful."""
MIN_CHART_TEXT_PX = 11.0
"""Chart text at least 11 CSS px on screen, after the SVG's scaling (a phone's small
print is about 11-12 px)."""
CHART_TEXT_JS = """svg => {
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
            h: r.height, l: r.left, r: r.right, t: r.top, b: r.bottom,
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 &&
                    r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5};
  }).filter(t => t.h > 0);
}"""


def chart_text(page) -> dict[str, list[dict]]:
    """The text drawn in each chart shown (its SVG displayed): size on screen, box."""
    out = {}
    for svg in page.locator("svg.chart-svg").all():
        if svg.is_visible():
            out[svg.get_attribute("id")] = svg.evaluate(CHART_TEXT_JS)
    return out


def overlapping(texts: list[dict]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap (by more than a pixel each way)."""
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if min(a["r"], b["r"]) - max(a["l"], b["l"]) > 1 and (
                min(a["b"], b["b"]) - max(a["t"], b["t"]) > 1
            ):
                pairs.append((a["text"], b["text"]))
    return pairs


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and Path("/usr/bin/chromium").exists():
        path = "/usr/bin/chromium"
    if path is None:
        message = "chromium is not installed (.ci/run installs Debian's chromium package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield b
        b.close()


class Opened:
    """A page opened from a file, with everything the browser said and asked for."""

    def __init__(self, browser, path: Path, width: int = DESKTOP_W):
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.console: list[str] = []
        self.failed: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda err: self.console.append(f"pageerror: {err}"))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")

    def _console(self, msg) -> None:
        if msg.type in ("error", "warning"):
            self.console.append(f"{msg.type}: {msg.text}")

    def assert_clean(self) -> None:
        assert self.console == []
        assert self.failed == []
        assert [u for u in self.requests if not u.startswith("file://")] == []

    def table(self, table_id: str) -> list[dict[str, tuple[str, str | None]]]:
        """Rows of a table: column key -> (text shown, data-v)."""
        return self.page.eval_on_selector_all(
            f"#{table_id} tbody tr",
            """rows => rows.map(r => Object.fromEntries([...r.querySelectorAll('td')]
                 .map(td => [td.dataset.k, [td.textContent, td.dataset.v ?? null]])))""",
        )


def analyze_json(path: Path, *options: str) -> dict:
    result = CliRunner().invoke(cli, ["analyze", "--json", str(path), *options])
    assert result.exit_code == 0
    return json.loads(result.stdout)["activities"][0]


def write_report(path: Path, out: Path, *options: str) -> Path:
    result = CliRunner().invoke(cli, ["report", str(path), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return Path(result.stdout.splitlines()[0])


def clock_s(text: str) -> float:
    """``1:19.4`` or ``1:04:22`` -> seconds, read independently of the page's code."""
    total = 0.0
    for part in text.split(":"):
        total = total * 60 + float(part)
    return total


def tip_value(text: str, name: str) -> float:
    """The clock value on a tooltip's line ``name m:ss...``, in seconds."""
    line = next(x for x in text.splitlines() if x.startswith(f"{name} "))
    return clock_s(line.split()[1])


@pytest.fixture(scope="module")
def intervals(tmp_path_factory):
    out = tmp_path_factory.mktemp("intervals")
    return write_report(INTERVALS, out, "--goal-mile", "6:00"), analyze_json(
        INTERVALS, "--goal-mile", "6:00"
    )


def test_interval_page_opens_clean_with_every_section(browser, intervals):
    page_path, _ = intervals
    opened = Opened(browser, page_path)
    opened.assert_clean()
    for section in ("scorecard", "trace", "reps", "laps", "splits", "efforts"):
        assert opened.page.locator(f"section#{section}").count() == 1, section
    for part in (".pace", ".hr", ".elevation", ".shade"):  # the file has all of them
        assert opened.page.locator(f"#trace-chart {part}").count() >= 1, part
    assert opened.page.locator("#trace-chart .shade").count() == 6  # the 6 reps
    assert opened.page.locator("#route .route").count() == 1  # the file has positions
    for chart in ("trace-chart", "reps-chart", "laps-chart"):
        box = opened.page.locator(f"#{chart}").bounding_box()
        assert box and box["width"] > 600 and box["height"] > 150, chart


def test_tables_hold_the_numbers_of_analyze_json(browser, intervals):
    page_path, doc = intervals
    opened = Opened(browser, page_path)
    laps = opened.table("laps-table")
    assert len(laps) == len(doc["device_laps"]) == 18
    for row, lap in zip(laps, doc["device_laps"], strict=True):
        assert float(row["duration_s"][1]) == lap["duration_s"]
        assert abs(clock_s(row["duration_s"][0]) - lap["duration_s"]) <= 0.05
        assert float(row["distance_m"][1]) == lap["distance_m"]
        assert abs(clock_s(row["pace_s_per_km"][0]) - lap["pace_s_per_km"]) <= 0.5
    stats = doc["pacing"]["lap_stats"]
    assert [float(r["hr_avg_bpm"][1]) for r in laps] == [s["hr_avg_bpm"] for s in stats]
    assert [float(r["cadence_avg_spm"][1]) for r in laps] == [s["cadence_avg_spm"] for s in stats]
    reps = opened.table("reps-table")
    assert len(reps) == len(doc["pacing"]["reps"]) == 6
    for row, rep in zip(reps, doc["pacing"]["reps"], strict=True):
        assert abs(clock_s(row["duration_s"][0]) - rep["time_s"]) <= 0.05
        assert abs(clock_s(row["pace_s_per_km"][0]) - rep["pace_s_per_km"]) <= 0.5
        assert float(row["vs_goal_pct"][1]) == rep["vs_goal_pct"]
        if rep["recovery_s"] is None:  # the last rep: no recovery after it
            assert row["recovery_s"][0] == "\u2013"
        else:
            assert abs(clock_s(row["recovery_s"][0]) - rep["recovery_s"]) <= 0.5
    splits = opened.table("splits-table")
    assert [float(r["duration_s"][1]) for r in splits] == [s["duration_s"] for s in doc["splits"]]
    score = opened.page.locator("#t-score .v").text_content()
    assert score == f"{doc['pacing']['score']}/100"


def test_laps_table_matches_the_watchs_own_lap_records(browser, intervals):
    """Independent of splitcheck's reader: the FIT file's lap messages, via fitparse."""
    page_path, _ = intervals
    records = [
        {f.name: f.value for f in m} for m in fitparse.FitFile(str(INTERVALS)).get_messages("lap")
    ]
    laps = Opened(browser, page_path).table("laps-table")
    assert len(laps) == len(records)
    for row, rec in zip(laps, records, strict=True):
        assert abs(clock_s(row["duration_s"][0]) - rec["total_timer_time"]) <= 1.0
        shown = row["distance_m"][0]
        assert shown.endswith(" m") and abs(float(shown[:-2]) - rec["total_distance"]) <= 1.0
        assert abs(float(row["hr_avg_bpm"][0]) - rec["avg_heart_rate"]) <= 2


def test_hovering_a_lap_or_a_rep_shows_its_numbers(browser, intervals):
    page_path, doc = intervals
    opened = Opened(browser, page_path)
    tip = opened.page.locator("#tip")
    assert tip.is_hidden()
    lap = doc["device_laps"][4]  # the first 400 m rep's lap
    opened.page.hover('#laps-chart rect[data-row="lap-5"]')
    assert tip.is_visible()
    text = tip.inner_text()
    assert text.startswith("Lap 5")
    assert f"distance {lap['distance_m']:.0f} m" in text
    assert abs(tip_value(text, "time") - lap["duration_s"]) <= 0.05
    assert abs(tip_value(text, "pace") - lap["pace_s_per_km"]) <= 0.5
    assert "hot" in opened.page.locator("#lap-5").get_attribute("class")
    rep = doc["pacing"]["reps"][1]
    opened.page.hover('#reps-chart rect[data-row="rep-2"]')
    text = tip.inner_text()
    assert text.startswith("Rep 2")
    assert abs(tip_value(text, "time") - rep["time_s"]) <= 0.05
    assert f"{rep['hr_avg_bpm']:.0f} bpm" in text
    opened.page.mouse.move(1, 1)
    assert tip.is_hidden()


def test_hovering_the_trace_reads_pace_heart_rate_and_distance(browser, intervals):
    page_path, doc = intervals
    opened = Opened(browser, page_path)
    area = opened.page.locator("#trace-chart .hover-area")
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    opened.page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    lines = opened.page.locator("#tip").inner_text().splitlines()
    km = float(lines[0].removesuffix(" km"))
    total_km = doc["distance_m"] / 1000
    assert abs(km - total_km / 2) < total_km * 0.05  # the middle of the x axis
    assert any(line.startswith("pace ") and line.endswith("/km") for line in lines)
    assert any(line.startswith("heart rate ") for line in lines)
    cursor = opened.page.locator("#trace-chart .cursor").get_attribute("visibility")
    assert cursor == "visible"
    opened.assert_clean()


def test_on_a_phone_a_tap_shows_a_reps_numbers_until_the_next_tap(browser, intervals):
    page_path, doc = intervals
    context = browser.new_context(
        viewport={"width": PHONE_W, "height": 800}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(page_path.resolve().as_uri())
    tip = page.locator("#tip")
    page.tap('#reps-chart-phone rect[data-row="rep-3"]')  # the phone-shaped chart
    assert tip.is_visible()
    text = tip.inner_text()
    assert text.startswith("Rep 3")
    assert abs(tip_value(text, "time") - doc["pacing"]["reps"][2]["time_s"]) <= 0.05
    page.tap("h1")  # a tap elsewhere puts it away
    assert tip.is_hidden()
    area = page.locator("#trace-chart-phone .hover-area")  # the phone-shaped trace
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    page.tap("#trace-chart-phone .hover-area", position={"x": box["width"] * 0.25, "y": 20})
    km = float(tip.inner_text().splitlines()[0].removesuffix(" km"))
    total_km = doc["distance_m"] / 1000
    assert abs(km - total_km / 4) < total_km * 0.03  # a quarter of the way along
    context.close()


def _colours(png: bytes) -> int:
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return len(image.getcolors(maxcolors=1 << 20) or [])


@pytest.mark.parametrize("width", [PHONE_W, DESKTOP_W])
def test_the_page_is_drawn_and_fits_the_screen(browser, intervals, width, tmp_path):
    page_path, _ = intervals
    opened = Opened(browser, page_path, width=width)
    png = opened.page.screenshot(full_page=True, path=str(tmp_path / f"page-{width}.png"))
    assert _colours(png) >= MIN_COLOURS
    scroll_w = opened.page.evaluate("document.documentElement.scrollWidth")
    assert scroll_w <= width  # wide tables scroll inside their box, not the page
    shown = "#trace-chart-phone" if width == PHONE_W else "#trace-chart"
    hidden = "#trace-chart" if width == PHONE_W else "#trace-chart-phone"
    assert opened.page.locator(hidden).is_hidden()
    chart_w = opened.page.locator(shown).bounding_box()["width"]
    assert chart_w > min(width, 980) * 0.9  # the page's column: 980 px at most


def test_print_hides_the_screen_only_parts(browser, intervals):
    page_path, _ = intervals
    opened = Opened(browser, page_path)
    opened.page.hover('#laps-chart rect[data-row="lap-5"]')
    opened.page.emulate_media(media="print")
    assert opened.page.locator("#tip").is_hidden()
    assert opened.page.locator(".hint").first.is_hidden()
    assert len(opened.page.pdf()) > 10_000


def test_mile_page_charts_the_laps_against_even_and_goal(browser, tmp_path):
    page_path = write_report(MILE, tmp_path, "--goal-mile", "6:00")
    doc = analyze_json(MILE, "--goal-mile", "6:00")
    opened = Opened(browser, page_path)
    opened.assert_clean()
    assert opened.page.locator("#mile-chart .ref.even").count() == 1
    assert opened.page.locator("#mile-chart .ref.goal").count() == 1
    laps = opened.table("mile-table")
    assert [float(r["duration_s"][1]) for r in laps] == [x["time_s"] for x in doc["pacing"]["laps"]]
    first = opened.page.locator('#mile-chart rect[data-row="mile-1"]')
    assert "too_fast" in first.get_attribute("class")  # the scorecard: out too fast
    first.hover()
    assert "out too fast" in opened.page.locator("#tip").inner_text()


def test_archive_index_opens_clean_and_links_to_each_page(browser, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(INTERVALS, inputs / INTERVALS.name)
    shutil.copy(SAMPLES / "easy_32min.fit", inputs / "easy.fit")
    args = ["batch", str(inputs), "--out", str(tmp_path / "t"), "--no-cache", "-j", "1",
            "--html", str(tmp_path / "web"), "--json", "--timezone", "UTC"]  # fmt: skip
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    doc = json.loads(result.stdout)
    opened = Opened(browser, tmp_path / "web" / "index.html")
    opened.assert_clean()
    week = [w for w in doc["weeks"] if w["activities"]][-1]  # the chart ends with it
    bar = opened.page.locator(f'#volume-chart rect[data-row="week-{week["week"]}"]')
    bar.hover()
    assert f"{week['distance_m'] / 1000:.1f} km" in opened.page.locator("#tip").inner_text()
    records = opened.table("records-table")
    best = [r for r in doc["records"] if r["year"] is None]
    assert len(records) == len(best)
    links = opened.page.locator("#activities-table a")
    assert links.count() == 2
    links.first.click()
    opened.page.wait_for_load_state("load")
    assert opened.page.url.endswith(".html") and "/activities/" in opened.page.url
    opened.page.locator("nav.back a").click()
    opened.page.wait_for_load_state("load")
    assert opened.page.url.endswith("/index.html")
    opened.assert_clean()


@pytest.mark.parametrize("width", [SMALL_PHONE_W, PHONE_W, LANDSCAPE_W, DESKTOP_W])
def test_chart_text_is_legible_on_a_phone_and_a_desktop(browser, intervals, width, tmp_path):
    """Every label of every chart shown is at least 11 px on screen after the SVG's
    scaling (computed font size x drawn width / viewBox width, and the glyphs' box), lies
    inside its chart, and overlaps no other label. At 390 px the phone-shaped charts are
    the ones shown, and they are taller than wide ones would be."""
    page_path, _ = intervals
    mile = write_report(MILE, tmp_path, "--goal-mile", "6:00")
    for path in (page_path, mile, _archive_index(tmp_path)):
        opened = Opened(browser, path, width=width)
        charts = chart_text(opened.page)
        assert len(charts) >= 2, path.name
        for chart, texts in charts.items():
            assert len(texts) >= 5, chart
            small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < MIN_CHART_TEXT_PX]
            assert small == [], (path.name, chart)
            assert chart.endswith("-phone") == (width <= PHONE_W), chart
            assert min(t["h"] for t in texts) >= MIN_CHART_TEXT_PX, (path.name, chart)
            assert [t["text"] for t in texts if not t["inside"]] == [], (path.name, chart)
            assert overlapping(texts) == [], (path.name, chart)
        trace = opened.page.locator("#trace-chart-phone")
        if width <= PHONE_W and trace.count():
            box = trace.bounding_box()
            assert box["height"] > 0.6 * box["width"]  # the wide shape: 0.42


def _archive_index(tmp_path: Path) -> Path:
    """The index page of 14 months of runs, one every third day (rows as the batch stores
    them: the weekly and the monthly volume charts)."""
    import datetime as dt

    from splitcheck.batch.archive import archive_view
    from splitcheck.report.html.index import render_index

    start = dt.datetime(2025, 1, 6, 7, 0, tzinfo=dt.UTC)
    rows = [
        {"source": f"{i}.fit", "session_index": 0, "sport": "running",
         "start_utc": (start + dt.timedelta(days=i)).isoformat().replace("+00:00", "Z"),
         "distance_m": 8000.0 + 100.0 * (i % 9), "moving_s": 2700.0, "elapsed_s": 2750.0}
        for i in range(0, 420, 3)
    ]  # fmt: skip
    path = tmp_path / "index.html"
    view = archive_view({"activities": rows}, tz=dt.UTC)
    path.write_text(render_index(view, {}), encoding="utf-8")
    return path
