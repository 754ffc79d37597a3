"""Charts: each chart's data checked against the analysis (hand-built structures, the
simulator's truth), the drawing checked against the data (artists, not pixels), every
sample activity charted, and the command."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from functools import cache

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.text import Text

from conftest import SAMPLES, manifest
from splitcheck import Activity, Samples, SplitcheckError, analyze_file
from splitcheck.analysis import Analysis
from splitcheck.batch.weekly import Week, WeeklyReview
from splitcheck.cli import cli
from splitcheck.profile import Profile
from splitcheck.report.charts import (
    applicable_kinds,
    chart_activity,
    chart_data,
    save_charts,
    style,
)
from splitcheck.report.charts.weekly import (
    SESSION_KINDS,
    best_mile_data,
    chart_weekly,
    save_weekly_charts,
    sessions_data,
)
from splitcheck.scoring import mile_effort
from splitcheck.segment.types import Effort, Interval, Span, Split, Structure, Workout
from splitcheck.units import MILE_M

SAMPLE_FILES = sorted(SAMPLES.glob("*.fit")) + sorted(SAMPLES.glob("*.gpx"))
T0 = dt.datetime(2026, 5, 4, 7, 0, tzinfo=dt.UTC)


# -- building blocks ------------------------------------------------------------------------
def steady_activity(speeds_mps, durations_s, *, hr=True) -> Activity:
    """1 Hz samples running each stretch at a constant speed (exact distances)."""
    v = np.concatenate([np.full(int(d), s) for s, d in zip(speeds_mps, durations_s, strict=True)])
    t = np.arange(len(v), dtype=float)
    d = np.concatenate([[0.0], np.cumsum(v[:-1])])
    heart = 130 + 10 * v if hr else None
    samples = Samples.from_columns(elapsed_s=t, distance_m=d, speed_mps=v, heart_rate_bpm=heart)
    return Activity(samples=samples, start_utc=T0, sport="running")


def mile(lap_s, start_s=0.0) -> Effort:
    q = MILE_M / 4
    starts = start_s + np.concatenate([[0.0], np.cumsum(lap_s)])
    laps = tuple(Span(float(a), float(b), q) for a, b in zip(starts[:-1], starts[1:], strict=True))
    return Effort(start_s, float(starts[-1]), MILE_M, name="mile", laps=laps)


def time_trial(lap_s) -> Analysis:
    structure = Structure(Workout("time_trial", "mile time trial"), mile_effort=mile(lap_s))
    activity = steady_activity([MILE_M / sum(lap_s)], [sum(lap_s)])
    return Analysis(activity, structure)


def session(reps) -> Analysis:
    """Work reps (distance [m], time [s], nominal) with 90 s jogs, after a 5 min warm-up."""
    speeds, durations, intervals, t = [3.0], [300.0], [], 300.0
    for i, (dist, secs, nominal) in enumerate(reps, start=1):
        speeds += [dist / secs, 2.0]
        durations += [secs, 90.0]
        intervals.append(
            Interval(
                t,
                t + secs,
                dist,
                kind="work",
                rep=i,
                nominal=nominal,
                nominal_distance_m=float(nominal.split()[0]),
            )
        )
        t += secs + 90.0
    activity = steady_activity(speeds, durations)
    return Analysis(activity, Structure(Workout("repeats", "reps"), intervals=tuple(intervals)))


@cache
def sample_analyses(name: str) -> list[Analysis]:
    return analyze_file(SAMPLES / name, Profile(goal_mile_s=360.0))


def drawn_texts(fig) -> list[Text]:
    """The texts a reader sees: titles, axis labels, tick labels inside the view, texts
    written on the axes and figure, legends."""
    out = list(fig.texts) + [t for leg in fig.legends for t in leg.get_texts()]
    for sub in fig.subfigs:  # a page: each chart is a subfigure with its own legend
        out += [t for leg in sub.legends for t in leg.get_texts()] + list(sub.texts)
    for ax in fig.get_axes():
        out += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        out += list(ax.texts)
        if ax.get_legend():
            out += ax.get_legend().get_texts()
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            out += [
                tick.label1
                for tick in ticks
                if lo <= tick.get_loc() <= hi and tick.label1.get_visible()
            ]
    return [t for t in out if t.get_visible() and t.get_text().strip()]


def overlapping_texts(fig) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = list({id(t): t for t in drawn_texts(fig)}.values())
    boxes = [(t.get_text(), t.get_window_extent(renderer).padded(-1)) for t in texts]
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


def texts_outside(fig) -> list[str]:
    """Drawn texts that stick out of the figure (a title too long for its line)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    return [
        t.get_text()
        for t in drawn_texts(fig)
        if (e := t.get_window_extent(renderer)).x0 < box.x0 - 1 or e.x1 > box.x1 + 1
    ]


def orphaned_title_lines(fig) -> list[str]:
    """Title lines holding a single word while another line of the same title has
    several ("1:33.5" or "half" alone on a line)."""
    out = []
    for ax in fig.get_axes():
        lines = ax._left_title.get_text().split("\n")
        if len(lines) > 1:
            out += [line for line in lines if len(line.split()) == 1]
    return out


def bars_off_zero(fig) -> list[str]:
    """Bars (rectangles with a bar gid) whose base is not at y = 0, or whose axis does
    not show its zero: a truncated bar."""
    bad = []
    for rect in fig.findobj(lambda a: str(a.get_gid() or "").startswith("bar")):
        if not hasattr(rect, "get_y"):
            continue
        lo, hi = sorted(rect.axes.get_ylim())
        if rect.get_y() != 0 or not lo <= 0 <= hi:
            bad.append(str(rect.get_gid()))
    for patch in fig.findobj(lambda a: str(a.get_gid() or "").startswith("bars:")):
        for rect in getattr(patch, "patches", []):
            if rect.get_y() != 0:
                bad.append(str(patch.get_gid()))
    return bad


def readable(fig) -> list:
    """Every defect a reader would see: overlapping labels, labels off the figure, lone
    title words, bars not starting at their zero."""
    return (
        overlapping_texts(fig) + texts_outside(fig) + orphaned_title_lines(fig) + bars_off_zero(fig)
    )


def by_gid(fig, prefix: str) -> list:
    return fig.findobj(lambda a: str(a.get_gid() or "").startswith(prefix))


# -- import cost ---------------------------------------------------------------------------
def test_analysing_does_not_import_matplotlib():
    code = (
        "import sys, splitcheck, splitcheck.cli;"
        f"splitcheck.analyze_file({str(SAMPLES / 'pyramid.fit')!r});"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- mile laps -----------------------------------------------------------------------------
def test_mile_bars_are_lap_paces_with_even_and_goal_lines():
    lap_s = [84.0, 93.0, 94.0, 88.0]  # out fast, slowing, then a kick
    data = chart_data(time_trial(lap_s), "laps", units="mi", goal_mile_s=360.0)
    # Each quarter is a quarter mile: pace per mile is 4 x the lap time.
    assert [b.pace for b in data.bars] == pytest.approx([4 * s for s in lap_s])
    # Bars are seconds per lap against an even lap (89.75 s), positive when faster.
    assert [b.value for b in data.bars] == pytest.approx([sum(lap_s) / 4 - s for s in lap_s])
    assert [b.text for b in data.bars] == ["1:24.0", "1:33.0", "1:34.0", "1:28.0"]
    assert data.lines["even"] == pytest.approx(sum(lap_s))
    assert data.lines["goal"] == pytest.approx(360.0)
    assert [b.flag for b in data.bars] == ["too_fast", None, None, "kick"]
    kick = (1 / 88) / ((1 / 93 + 1 / 94) / 2) * 100  # last-lap speed over laps 2-3
    assert data.extra["kick_pct"] == pytest.approx(kick)
    assert "went out too fast" in data.title and "kick" in data.title
    assert data.title.startswith("Mile in 5:59")


def test_even_mile_without_goal_has_no_marks_and_says_why():
    data = chart_data(time_trial([90.0, 90.5, 90.2, 90.1]), "laps")
    assert [b.flag for b in data.bars] == [None] * 4
    assert "goal" not in data.lines and data.notes
    assert "even laps" in data.title and "no kick" in data.title


def test_mile_drawing_shows_the_data():
    fig = chart_activity(
        time_trial([84.0, 93.0, 94.0, 88.0]), "laps", units="km", goal_mile_s=360.0
    )
    data = fig.chart_data[0]
    ax = fig.axes[0]
    for bar in data.bars:
        (rect,) = by_gid(fig, f"bar:{bar.label}")
        assert rect.get_y() == 0 and rect.get_height() == pytest.approx(bar.value)
    (even,) = by_gid(fig, "line:even")
    assert even.get_ydata()[0] == 0  # the bars' zero is the even pace
    (goal,) = by_gid(fig, "line:goal")  # 6:00 is 1:30.0 a lap: 0.25 s slower than even
    assert goal.get_ydata()[0] == pytest.approx(359 / 4 - 90.0)
    assert not ax.yaxis_inverted() and ax.get_ylim()[0] < 0 < ax.get_ylim()[1]
    assert ax.yaxis.get_major_formatter()(5.0, 0) == "−5"  # 5 s quicker than even
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["1:24.0", "1:33.0", "1:34.0", "1:28.0"]  # each lap's time at its end
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "went out too fast" in legend and "kick" in legend
    assert not readable(fig)


@pytest.mark.parametrize("name", ["mile_time_trial_too_fast", "mile_time_trial_even_kick"])
def test_mile_chart_of_a_simulated_trial_matches_the_truth(name):
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())["mile_effort"]
    (a,) = sample_analyses(f"{name}.fit")
    data = chart_data(a, "laps", units="km")
    true_paces = [lap["duration_s"] / lap["distance_m"] * 1000 for lap in truth["laps"]]
    assert [b.pace for b in data.bars] == pytest.approx(true_paces, rel=0.02)
    true_even = sum(lap["duration_s"] for lap in truth["laps"]) / 4
    true_dev = [true_even - lap["duration_s"] for lap in truth["laps"]]
    assert [b.value for b in data.bars] == pytest.approx(true_dev, abs=1.5)
    assert data.title.startswith("Mile in ")
    assert (data.bars[0].flag == "too_fast") == a.pacing.metrics["went_out_too_fast"]
    trace = chart_data(a, "trace", x="time")  # the quarters marked on the trace too
    true_marks = [lap["start_s"] / 60 for lap in truth["laps"][1:]]
    assert trace.extra["lap_marks"] == pytest.approx(true_marks, abs=0.1)


# -- splits --------------------------------------------------------------------------------
def test_splits_bars_even_line_and_short_partial():
    splits = (
        Split(0, 300, 1000, index=1),
        Split(300, 610, 1000, index=2),
        Split(610, 930, 1000, index=3),
        Split(930, 1090, 500, index=4, partial=True),
        Split(1090, 1100, 40, index=5, partial=True),  # 40 m: GPS noise, left off
    )
    structure = Structure(Workout("continuous", "easy"), splits=splits)
    data = chart_data(Analysis(steady_activity([3.3], [1100]), structure), "splits")
    assert [b.pace for b in data.bars] == pytest.approx([300, 310, 320, 320])
    assert [b.value for b in data.bars] == pytest.approx([10, 0, -10, -10])  # vs even
    assert [b.flag for b in data.bars] == [None, None, None, "partial"]
    assert data.lines["even"] == pytest.approx(310.0)  # full splits only
    fig = chart_activity(Analysis(steady_activity([3.3], [1100]), structure), "splits")
    assert [t.get_text() for t in fig.axes[0].texts] == ["5:00", "5:10", "5:20", "2:40"]
    assert not readable(fig)
    # the trend is the run's own (its samples: steady 3.3 m/s), the verdict the findings give
    assert data.title == "3.54 km in 18:20: even pace"


def test_splits_follow_the_runners_units():
    """Structure splits per km, chart in miles: mile splits from the samples."""
    activity = steady_activity([3.2, 3.4], [1200, 1200])  # 3840 m then 4080 m
    structure = Structure(Workout("continuous", "easy"), splits=(Split(0, 300, 1000, index=1),))
    data = chart_data(Analysis(activity, structure), "splits", units="mi")
    # The first 2.386 mi at 3.2 m/s: two full miles at that speed, then a mixed one.
    assert [b.pace for b in data.bars[:2]] == pytest.approx([MILE_M / 3.2] * 2, rel=1e-3)
    t3 = (3840 - 2 * MILE_M) / 3.2 + (3 * MILE_M - 3840) / 3.4
    assert data.bars[2].pace == pytest.approx(t3, rel=1e-3)
    assert data.x_label == "mile split" and data.bars[-1].flag == "partial"


# -- trace ---------------------------------------------------------------------------------
def test_trace_shades_are_the_work_reps_and_pace_matches_them():
    a = session([(400, 80, "400 m")] * 6 + [(800, 170, "800 m")])
    data = chart_data(a, "trace", x="time", goal_mile_s=360.0)
    work = a.structure.work
    assert [(s.start, s.end, s.label) for s in data.shades] == [
        (w.start_s / 60, w.end_s / 60, w.nominal) for w in work
    ]
    pace = data.series["pace"]
    for w in work:  # the middle of each rep runs at the rep's pace
        mid = (pace.x > w.start_s / 60 + 0.3) & (pace.x < w.end_s / 60 - 0.3)
        assert np.nanmedian(pace.y[mid]) == pytest.approx(
            w.duration_s / w.distance_m * 1000, rel=0.01
        )
    assert "heart_rate" in data.series and data.lines["goal"] == pytest.approx(360 / 1.609344)
    by_distance = chart_data(a, "trace", x="distance")
    assert by_distance.shades[0].start == pytest.approx(a.activity.samples.distance_m[300] / 1000)


def test_trace_drawing_groups_rep_labels_and_shades_both_panels():
    fig = chart_activity(session([(200, 40, "200 m")] * 4 + [(400, 85, "400 m")] * 2), "trace")
    labels = [t.get_text() for t in by_gid(fig, "shade-label:")]
    assert labels == ["4×200 m", "2×400 m"]
    assert len(by_gid(fig, "shade:")) == 2 * 6  # pace and heart-rate panels
    assert fig.axes[0].yaxis_inverted()
    assert not readable(fig)


def test_trace_without_heart_rate_or_distance():
    a = session([(400, 80, "400 m")] * 3)
    no_hr = Analysis(
        a.activity.with_changes(
            samples=a.activity.samples.replace(
                heart_rate_bpm=np.full(len(a.activity.samples), np.nan)
            )
        ),
        a.structure,
    )
    data = chart_data(no_hr, "trace")
    assert "heart_rate" not in data.series and "pace" in data.series
    hr_only = Analysis(
        a.activity.with_changes(
            samples=a.activity.samples.replace(
                distance_m=np.full(len(a.activity.samples), np.nan),
                speed_mps=np.full(len(a.activity.samples), np.nan),
            )
        )
    )
    data = chart_data(hr_only, "trace")
    assert list(data.series) == ["heart_rate"] and data.extra["x"] == "time"
    chart_activity(hr_only, "trace")


def test_trace_of_a_hilly_run_has_elevation_route_and_real_pace():
    """tempo_hilly: the pace drawn is the runner's own (not grade-adjusted), the smoothed
    line over a faint raw one, with the simulator's hills below and the loop at the side."""
    (a,) = sample_analyses("tempo_hilly.fit")
    truth = json.loads((SAMPLES / "tempo_hilly.truth.json").read_text())
    data = chart_data(a, "trace", x="time")
    assert {"pace", "pace_raw", "heart_rate", "elevation", "route"} <= set(data.series)
    (tempo,) = [step for step in truth["steps"] if step["kind"] == "work"]
    pace = data.series["pace"]
    mid = (pace.x > tempo["start_s"] / 60 + 1) & (pace.x < tempo["end_s"] / 60 - 1)
    true_pace = tempo["duration_s"] / tempo["distance_m"] * 1000
    assert np.nanmean(pace.y[mid]) == pytest.approx(true_pace, rel=0.03)
    alt = a.activity.samples.altitude_m
    elev = data.series["elevation"].y
    assert np.ptp(elev) == pytest.approx(np.nanmax(alt) - np.nanmin(alt), rel=0.15)
    fig = chart_activity(a, "trace")
    assert len(fig.axes) == 4  # pace, heart rate, elevation, route
    assert by_gid(fig, "series:pace_raw")[0].get_alpha() < 0.5  # faint behind
    assert not readable(fig)


@pytest.mark.slow
def test_triathlon_legs_each_on_their_own_axis(real):
    legs = analyze_file(real / "muktihari-fit" / "triathlon_summary_last.fit")
    sports = [a.activity.sport for a in legs]
    assert sports == ["swimming", "transition", "cycling", "transition", "running"]
    axes = [chart_data(a, "trace").extra["axis"] for a in legs]
    assert axes == ["pace_100m", "none", "speed", "none", "pace"]
    swim, _, bike, t2, run = legs
    bike_data = chart_data(bike, "trace")
    speed = bike_data.series["speed"]
    mean_kmh = bike.activity.distance_m / bike.activity.moving_s * 3.6
    assert np.nanmedian(speed.y) == pytest.approx(mean_kmh, rel=0.15)
    assert speed.x[0] == pytest.approx(0, abs=0.05)  # the leg's own distance from 0
    fig = chart_activity(bike, "trace")
    assert fig.axes[0].get_ylabel() == "speed (km/h)" and not fig.axes[0].yaxis_inverted()
    swim_fig = chart_activity(swim, "trace")
    assert swim_fig.axes[0].get_ylabel() == "pace (min/100 m)"
    t2_data = chart_data(t2, "trace")
    assert "pace" not in t2_data.series and "speed" not in t2_data.series
    for a in legs:
        assert not readable(chart_activity(a, "all")), a.activity.sport


# -- reps ----------------------------------------------------------------------------------
def test_rep_bars_in_the_order_run_against_goal_with_fade():
    reps = [(400, 84 + i, "400 m") for i in range(6)] + [(200, 40, "200 m")] * 2
    data = chart_data(session(reps), "reps", goal_mile_s=345.0)
    assert [b.group for b in data.bars] == ["400 m"] * 6 + ["200 m"] * 2  # as run
    assert [b.label for b in data.bars][:2] == ["1\n400 m", "2\n400 m"]
    paces_400 = [(84 + i) / 400 * 1000 for i in range(6)]
    goal = 345.0 / 1.609344
    assert [b.pace for b in data.bars[:6]] == pytest.approx(paces_400)
    assert [b.value for b in data.bars[:6]] == pytest.approx([goal - p for p in paces_400])
    assert data.bars[0].text == "1:24.0\n3:30" and data.bars[6].text == "40.0\n3:20"
    expected = ["at_goal" if goal / p - 1 >= -0.01 else "off_goal" for p in paces_400]
    assert [b.flag for b in data.bars[:6]] == expected
    slope = np.polyfit(np.arange(6), paces_400, 1)[0]  # 2.5 s/km per rep
    assert data.extra["fade_s_per_unit_per_rep"]["400 m"] == pytest.approx(slope)
    assert "fade 200 m" not in data.series  # two reps make no trend
    fade = data.series["fade 400 m"]
    assert list(fade.x) == [1, 2, 3, 4, 5, 6]
    assert fade.y[0] - fade.y[-1] == pytest.approx(5 * slope)  # slower: falling
    hits = sum(f == "at_goal" for f in expected) + 2
    assert f"{hits} of 8 on goal pace" in data.title and "slowing 2.5 s/km" in data.title
    # 90 s jogs between the reps (2 m/s: a jog), one fewer than the reps; all alike, the
    # kind is said once
    assert data.extra["recoveries"] == [(k + 0.5, "1:30") for k in range(1, 8)]
    assert data.x_label.endswith("grey: jog between")


def test_reps_without_goal_are_against_their_average():
    a = session([(200, 40, "200 m"), (400, 84, "400 m"), (200, 38, "200 m")])
    data = chart_data(a, "reps")
    mean = (40 + 84 + 38) / 800 * 1000
    assert data.lines == {"average": pytest.approx(mean)}
    assert [b.value for b in data.bars] == pytest.approx([mean - 200.0, mean - 210.0, mean - 190.0])
    assert [b.flag for b in data.bars] == [None] * 3 and data.notes


def test_reps_drawing_shows_the_data():
    fig = chart_activity(
        session([(400, 84 + i, "400 m") for i in range(5)]), "reps", units="mi", goal_mile_s=345.0
    )
    data = fig.chart_data[0]
    for bar in data.bars:
        (rect,) = by_gid(fig, f"bar:{bar.label}")
        assert rect.get_y() == 0 and rect.get_height() == pytest.approx(bar.value)
    (fade,) = by_gid(fig, "series:fade 400 m")
    assert list(fade.get_ydata()) == pytest.approx(list(data.series["fade 400 m"].y))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == [b.text for b in data.bars]
    minor = [t.get_text() for t in ax.get_xticklabels(minor=True)]
    assert minor == ["1:30"] * 4  # the recoveries, between the reps
    assert not readable(fig)


def test_pyramid_reps_keep_the_up_and_down_order():
    """The point of a pyramid is its shape: the chart keeps it, and the colours climb
    with the distance."""
    (a,) = sample_analyses("pyramid.fit")
    truth = json.loads((SAMPLES / "pyramid.truth.json").read_text())
    data = chart_data(a, "reps")
    true_m = [r["distance_m"] for r in truth["reps"]]
    assert [b.group for b in data.bars] == [f"{m:.0f} m" for m in true_m]
    fig = chart_activity(a, "reps")
    colours = {
        b.group: tuple(r.get_facecolor()) for b in data.bars for r in by_gid(fig, f"bar:{b.label}")
    }
    lightness = [sum(colours[f"{m} m"][:3]) for m in (200, 400, 600, 800)]
    assert lightness == sorted(lightness, reverse=True)  # darker as the reps grow
    assert not readable(fig)


# -- every sample activity -----------------------------------------------------------------
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_activity_charts(path):
    assert SAMPLE_FILES, "sample_activities/ is empty"
    for a in sample_analyses(path.name):
        kinds = applicable_kinds(a)
        fig = chart_activity(a, "all", Profile(goal_mile_s=360.0), units="mi")
        assert [d.kind for d in fig.chart_data] == kinds
        assert all(not d.empty for d in fig.chart_data)
        workout = a.structure.workout.type
        has_mile = mile_effort(a.activity, a.structure) is not None
        assert ("laps" in kinds) == has_mile and (has_mile or workout != "time_trial")
        assert ("reps" in kinds) == (workout not in ("time_trial", "continuous"))
        assert not readable(fig), path.name
        for kind in kinds:  # one chart per figure reads cleanly too
            assert not readable(chart_activity(a, kind)), (path.name, kind)


def test_save_charts_writes_png_and_svg(tmp_path):
    (a,) = sample_analyses("ladder_ascending.fit")
    pngs = save_charts(a, tmp_path, stem="ladder")
    assert [p.name for p in pngs] == ["ladder-trace.png", "ladder-reps.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)
    (svg,) = save_charts(a, tmp_path, stem="ladder", fmt="svg", page=True)
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "4×200" in text  # titles stay text


# -- weekly --------------------------------------------------------------------------------
def review_of(best_miles) -> WeeklyReview:
    monday = dt.date(2026, 3, 2)
    weeks = tuple(
        Week(
            f"2026-W{10 + i:02d}",
            monday + dt.timedelta(weeks=i),
            runs=3,
            sprint_sessions=i % 2,
            speed_endurance_sessions=1,
            best_mile_s=best,
        )
        for i, best in enumerate(best_miles)
    )
    return WeeklyReview(weeks=weeks, level=None, timezone="UTC")


def test_weekly_sessions_side_by_side_with_distance(tmp_path):
    review = review_of([400.0, 395.0, None, 385.0])
    rows = [
        {"iso_week": "2026-W10", "sport": "running", "work_reps": 0, "workout_type": "continuous",
         "distance_m": 8000.0},
        {"iso_week": "2026-W10", "sport": "running", "work_reps": 6, "workout_type": "repeats",
         "distance_m": 6000.0},
        {"iso_week": "2026-W12", "sport": "cycling", "work_reps": 0, "workout_type": None,
         "distance_m": 30000.0},
    ]  # fmt: skip
    data = sessions_data(review, rows)
    counts = {(b.label, b.stack): b.value for b in data.bars}
    assert counts[("2026-W10", "continuous")] == 1 and counts[("2026-W12", "continuous")] == 0
    assert counts[("2026-W11", "sprint")] == 1 and counts[("2026-W10", "sprint")] == 0
    w11 = [b for b in data.bars if b.label == "2026-W11"]
    assert [b.base for b in w11] == [0, 0, 0] and len({b.x for b in w11}) == 3  # side by side
    dist = data.series["distance"]
    assert list(dist.y) == pytest.approx([14.0])  # running only: the ride is not counted
    assert data.title == "Sprints 2 of 4 weeks, speed endurance 4 of 4"
    assert data.extra["period"] == "week"
    fig = chart_weekly(review, "sessions", activities=rows)
    assert not readable(fig)
    # the weeks' fastest miles alone (no run known to be hard): context, never a trend
    best = best_mile_data(review, goal_mile_s=380.0)
    assert "best_mile" not in best.series and "trend" not in best.series
    assert list(best.series["other_runs"].y) == [400.0, 395.0, 385.0]
    assert best.extra["trend_s_per_week"] is None
    assert best.title == "No mile run hard yet: no trend"
    hard = [
        {"date": day, "sport": "running", "hard_mile_s": s, "hard_mile_kind": "time_trial"}
        for day, s in (("2026-03-02", 400.0), ("2026-03-11", 395.0), ("2026-03-24", 385.0))
    ]
    best = best_mile_data(review, goal_mile_s=380.0, activities=hard)
    assert list(best.series["best_mile"].y) == [400.0, 395.0, 385.0]
    assert "other_runs" not in best.series  # every week with a mile ran it hard
    assert best.extra["trend_s_per_week"] == pytest.approx(-5.0)  # 400 -> 385 in 3 weeks
    assert "trend 5.0 s faster a week" in best.title
    paths = save_weekly_charts(review, tmp_path, activities=rows, goal_mile_s=380.0)
    assert [p.name for p in paths] == ["weekly-sessions.png", "weekly-best-mile.png"]


def long_review(years: int = 3) -> WeeklyReview:
    """Every week for ``years`` years: a sprint session every other week, speed endurance
    every week, and a best mile improving a second a month."""
    monday = dt.date(2023, 1, 2)
    weeks = []
    for i in range(52 * years):
        day = monday + dt.timedelta(weeks=i)
        year, week, _ = day.isocalendar()
        weeks.append(
            Week(
                f"{year}-W{week:02d}",
                day,
                runs=4,
                sprint_sessions=i % 2,
                speed_endurance_sessions=1,
                best_mile_s=420.0 - i / 4.35,
            )  # fmt: skip
        )
    return WeeklyReview(weeks=tuple(weeks), level=None, timezone="UTC")


def test_weekly_over_three_years_is_by_month():
    review = long_review(3)
    rows = [
        {"iso_week": w.week, "sport": "running", "work_reps": 0, "workout_type": "continuous",
         "distance_m": 10000.0}
        for w in review.weeks
    ]  # fmt: skip
    data = sessions_data(review, rows)
    assert data.extra["period"] == "month"
    months = {b.label for b in data.bars}
    assert len(months) == 36  # not 156 weekly bars
    # every week's sessions land in exactly one month: the totals are the weeks' totals
    total = {k: sum(b.value for b in data.bars if b.stack == k) for k in SESSION_KINDS}
    assert total["sprint"] == sum(w.sprint_sessions for w in review.weeks)
    assert total["speed_endurance"] == len(review.weeks)
    assert total["continuous"] == len(review.weeks)
    assert sum(data.series["distance"].y) == pytest.approx(10.0 * len(review.weeks))
    hard = [
        {"date": w.monday.isoformat(), "sport": "running", "hard_mile_s": w.best_mile_s}
        for w in review.weeks
    ]
    best = best_mile_data(review, activities=hard)
    assert len(best.series["best_mile"].x) == 36 and best.extra["period"] == "month"
    assert best.extra["trend_s_per_week"] == pytest.approx(-7 / 30.45, rel=0.01)  # 1 s a month
    for kind in ("sessions", "best_mile"):
        assert not readable(chart_weekly(review, kind, activities=rows + hard)), kind


def test_weekly_without_miles_says_so():
    assert best_mile_data(review_of([None, None])).title == "No mile efforts yet"


# -- the command ---------------------------------------------------------------------------
def test_chart_command_writes_files_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["chart", str(SAMPLES / "pyramid.fit"), "--units", "mi"])
    assert result.exit_code == 0, result.output
    written = result.stdout.split()
    assert written == ["splitcheck-charts/pyramid-trace.png", "splitcheck-charts/pyramid-reps.png"]
    assert all((tmp_path / p).is_file() for p in written)


def test_chart_command_one_svg_file(tmp_path):
    out = tmp_path / "mile.svg"
    args = [
        "chart",
        str(SAMPLES / "mile_time_trial_even_kick.fit"),
        "--kind",
        "laps",
        "-o",
        str(out),
        "--goal-mile",
        "6:00",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out) and "<svg" in out.read_text()


def test_chart_with_nothing_to_show_is_not_written(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["chart", str(SAMPLES / "easy_32min.fit"), "--kind", "reps", "-o", str(out)]
    )
    assert result.exit_code == 4 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "easy_32min.fit" in line and "no work intervals" in line and "nothing written" in line
    assert not out.exists()
    with pytest.raises(SplitcheckError, match="no work intervals"):
        save_charts(sample_analyses("easy_32min.fit")[0], out, kind="reps")
    assert not out.exists()


def test_chart_command_refuses_to_write_beside_the_input(tmp_path):
    src = tmp_path / "run.fit"
    src.write_bytes((SAMPLES / "easy_32min.fit").read_bytes())
    result = CliRunner().invoke(cli, ["chart", str(src), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "never writes next to its input" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.fit"]


def test_chart_command_bad_file_and_one_file_for_many_charts(tmp_path):
    bad = tmp_path / "in" / "junk.fit"
    bad.parent.mkdir()
    bad.write_bytes(b"not a fit file at all")
    result = CliRunner().invoke(cli, ["chart", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"splitcheck: {bad}") and "Traceback" not in result.output
    result = CliRunner().invoke(
        cli, ["chart", str(SAMPLES / "pyramid.fit"), "-o", str(tmp_path / "x.png")]
    )
    assert result.exit_code == 2 and "names one file" in result.output


def test_pace_ticks_are_round_clock_values():
    assert style.pace_tick_step_s(40) == 10 and style.pace_tick_step_s(300) == 60
    assert style.pace_label(225.4) == "3:45"


def test_batch_charts_option(tmp_path):
    args = [
        "batch",
        str(SAMPLES),
        "--no-cache",
        "-j",
        "1",
        "--out",
        str(tmp_path / "tables"),
        "--charts",
        str(tmp_path / "charts"),
        "--timezone",
        "UTC",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    charts = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert charts == ["weekly-best-mile.png", "weekly-sessions.png"]
    inside = CliRunner().invoke(cli, args[:-4] + ["--charts", str(SAMPLES / "charts")])
    assert inside.exit_code == 2 and not (SAMPLES / "charts").exists()


@pytest.mark.slow
def test_every_readable_real_file_charts_cleanly(real):
    """Real files are messier than simulated ones (no distance, HR only, other sports,
    salvaged damage): every chart of each activity that reads is drawn without error,
    overlapping labels, labels off the figure, lone title words or bars off their zero."""
    charted, files, defects = 0, set(), []
    for row in manifest():
        try:
            analyses = analyze_file(real / row["path"])
        except SplitcheckError:
            continue  # unreadable on purpose: the readers' tests cover the message
        for a in analyses:
            kinds = applicable_kinds(a)
            if not kinds:  # neither pace nor heart rate: nothing is drawn, and it says so
                with pytest.raises(SplitcheckError, match="nothing to chart"):
                    chart_activity(a, "all")
                continue
            for kind in kinds:
                found = readable(chart_activity(a, kind))
                if found:
                    defects.append((row["path"], a.activity.session_index, kind, found))
                charted += 1
                files.add(row["path"])
    assert not defects
    assert charted >= 60 and len(files) >= 40


@pytest.mark.slow
def test_three_year_simulated_archive_counts_what_was_run():
    """Simulated sessions (read and analysed by the batch worker) placed on a three-year
    calendar: the monthly chart counts exactly the sessions placed, by kind, and the
    distance the simulator ran."""
    from splitcheck.batch.tables import with_local_dates
    from splitcheck.batch.weekly import weekly_review
    from splitcheck.batch.worker import analyse_content
    from splitcheck.simulate import simulate, workout

    def session_of(plan, seed):
        sim = simulate(plan, seed=seed)
        result = analyse_content(sim.fit_bytes(), f"sim{seed}.fit")
        assert result.status == "ok", result.reason
        return result.tables, sim.truth.steps[-1].end_m - sim.truth.steps[0].start_m

    kinds = {
        "easy": session_of(workout.easy(1920.0), 1),  # continuous
        "200s": session_of(workout.repeats(8, 200, 190, recovery=120), 3),  # sprint
        "600s": session_of(workout.repeats(4, 600, 225, recovery=120), 4),  # speed endurance
    }
    acts, reps, placed, true_m = [], [], dict.fromkeys(kinds, 0), 0.0
    monday = dt.datetime(2023, 1, 2, 7, 0, tzinfo=dt.UTC)
    for week in range(156):
        for day, kind in ((0, "easy"), (2, "200s" if week % 3 else "easy"), (4, "600s")):
            tables, metres = kinds[kind]
            source = f"w{week}d{day}.fit"
            when = (monday + dt.timedelta(weeks=week, days=day)).isoformat()
            acts += [
                {**a, "start_utc": when, "start_local": when, "source": source}
                for a in tables["activities"]
            ]
            reps += [{**r, "source": source} for r in tables["reps"]]
            placed[kind] += 1
            true_m += metres
    acts = with_local_dates(acts, dt.UTC)
    data = sessions_data(weekly_review(acts, reps), acts)
    assert data.extra["period"] == "month" and len({b.label for b in data.bars}) == 36
    total = {k: sum(b.value for b in data.bars if b.stack == k) for k in SESSION_KINDS}
    assert total == {
        "sprint": placed["200s"],
        "speed_endurance": placed["600s"],
        "continuous": placed["easy"],
    }
    assert sum(data.series["distance"].y) == pytest.approx(true_m / 1000, rel=0.03)
