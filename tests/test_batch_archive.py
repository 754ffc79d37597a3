"""The archive view on the real files plus simulated months: weekly volume equals the sum of
the activities, records equal the best efforts found per file, the same workout over time
matches the simulator's plan; training load against a hand computation."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

import splitcheck
from conftest import REAL
from splitcheck.batch.archive import parse_last
from splitcheck.batch.load import FitnessDay, fitness, running_tss, trimp, zone_seconds
from splitcheck.batch.measures import elevation_gain_m
from splitcheck.batch.records import WORLD_RECORD_S, workout_name
from splitcheck.simulate import simulate, workout

FIRST_MONDAY = dt.date(2025, 1, 6)  # ISO 2025-W02; no real file is dated in 2025
SIM_WEEKS = 7
BREAK_WEEKS = 4
REP_PACE_S_PER_KM = 200.0
FADE_S_PER_KM_PER_REP = 2.0
RECOVERY_S = 90.0


def _sim_plan():
    """(day, plan, seed): 7 weeks of 6x400 m on Tuesdays, easy runs on Thursdays and
    Sundays; a 4-week break; then one more week."""
    days = []
    weeks = [*range(SIM_WEEKS), SIM_WEEKS + BREAK_WEEKS]
    for i, w in enumerate(weeks):
        monday = FIRST_MONDAY + dt.timedelta(weeks=w)
        reps = workout.repeats(
            6,
            400,
            REP_PACE_S_PER_KM,
            recovery=RECOVERY_S,
            fade_s_per_km_per_rep=FADE_S_PER_KM_PER_REP,
        )
        days.append((monday + dt.timedelta(days=1), reps, 10 * i + 1))
        days.append((monday + dt.timedelta(days=3), workout.easy(2400), 10 * i + 2))
        days.append((monday + dt.timedelta(days=6), workout.easy(3600), 10 * i + 3))
    return days


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("archive")
    shutil.copytree(REAL, root / "real")
    (root / "sim").mkdir()
    truth = {}
    for day, plan, seed in _sim_plan():
        start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
        sim = simulate(plan, seed=seed, start_utc=start)
        path = sim.write_fit(root / "sim" / f"{day.isoformat()}.fit")
        steps = sim.truth.steps
        paces = [r.duration_s / r.distance_m * 1000.0 for r in sim.truth.reps]
        truth[path.name] = {
            "day": day,
            "distance_m": sum(s.end_m - s.start_m for s in steps),
            "duration_s": steps[-1].end_s - steps[0].start_s,
            "fade_pct": (np.mean(paces[3:]) / np.mean(paces[:3]) - 1) * 100 if paces else None,
        }
    arc = splitcheck.batch(root, cache_dir=None, jobs=1, timezone="UTC")
    return arc, truth, root


@pytest.mark.slow
def test_weekly_distance_and_time_are_the_sums_of_the_runs(archive):
    arc, truth, _ = archive
    acts = arc.activities
    runs = acts[acts.sport.isin(["running", "trail_running"]) & acts.date.notna()]
    # grouped here from each run's own date, independently of the batch's week code
    week_of = runs.date.map(lambda d: "{}-W{:02d}".format(*dt.date.fromisoformat(d).isocalendar()))
    by_week = runs.groupby(week_of)[["distance_m", "moving_s"]].sum()
    weeks = arc.weeks.set_index("week")
    assert len(by_week) > 20  # real files over 16 years, and the simulated weeks
    for week, row in by_week.iterrows():
        assert weeks.loc[week, "distance_m"] == pytest.approx(row.distance_m, abs=0.2)
        assert weeks.loc[week, "duration_s"] == pytest.approx(row.moving_s, abs=0.2)
        assert weeks.loc[week, "runs"] == (week_of == week).sum()
    empty = weeks[~weeks.index.isin(by_week.index)]
    assert (empty.distance_m == 0).all() and (empty.runs == 0).all()
    # the simulated weeks against the simulator's truth: distance within GPS error
    for w in range(SIM_WEEKS):
        monday = FIRST_MONDAY + dt.timedelta(weeks=w)
        key = "{}-W{:02d}".format(*monday.isocalendar())
        true_m = sum(t["distance_m"] for t in truth.values() if t["day"] - monday < dt.timedelta(7)
                     and t["day"] >= monday)  # fmt: skip
        true_s = sum(t["duration_s"] for t in truth.values() if t["day"] - monday < dt.timedelta(7)
                     and t["day"] >= monday)  # fmt: skip
        assert weeks.loc[key, "runs"] == 3
        assert weeks.loc[key, "distance_m"] == pytest.approx(true_m, rel=0.02)
        assert weeks.loc[key, "duration_s"] == pytest.approx(true_s, rel=0.01)
    # months add up the same way
    months = arc.months.set_index("period")
    jan = runs[runs.date.str.startswith("2025-01")]
    assert months.loc["2025-01", "distance_m"] == pytest.approx(jan.distance_m.sum(), abs=0.2)


@pytest.mark.slow
def test_the_break_is_named_and_the_jump_measured_against_the_weeks_before_it(archive):
    arc, _, _ = archive
    weeks = arc.weeks.set_index("week")
    back = "{}-W{:02d}".format(
        *(FIRST_MONDAY + dt.timedelta(weeks=SIM_WEEKS + BREAK_WEEKS)).isocalendar()
    )
    assert weeks.loc[back, "break_weeks"] == BREAK_WEEKS
    assert f"first week back after a {BREAK_WEEKS}-week break" in weeks.loc[back, "review"]
    # the same session as each week before the break: no jump in hard minutes
    assert "hard_minutes_jump" not in weeks.loc[back, "flags"]
    assert abs(weeks.loc[back, "hard_change_pct"]) < 30
    assert not any("_" in words for review in weeks.review.dropna() for words in review)


@pytest.mark.slow
def test_records_are_the_best_efforts_found_per_file(archive):
    arc, _, root = archive
    acts = arc.activities
    kept = set(zip(acts.source, acts.session_index, strict=True))
    best: dict[tuple[str, int | None], float] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (".fit", ".gpx", ".tcx", ".gz"):
            continue
        try:
            analyses = splitcheck.analyze_file(path)
        except splitcheck.FileError:
            continue
        for a in analyses:
            if (str(path), a.activity.session_index) not in kept or a.structure is None:
                continue
            if a.activity.sport not in ("running", "trail_running"):
                continue
            year = a.activity.start_utc.year if a.activity.start_utc else None
            for name, effort in a.structure.efforts.items():
                if effort.duration_s < WORLD_RECORD_S[name]:
                    continue  # a foot pod 2.3x long, a ride saved as a run
                for slot in ((name, None), (name, year)):
                    best[slot] = min(best.get(slot, math.inf), effort.duration_s)
    records = arc.records
    assert len(records) == len(best) and len(best) >= 8 * 2  # every distance, all-time + years
    for _, r in records.iterrows():
        year = None if math.isnan(r.year) else int(r.year)
        assert r.duration_s == pytest.approx(best[(r.effort, year)], abs=0.01), (r.effort, year)
    assert (records.duration_s >= records.effort.map(WORLD_RECORD_S)).all()
    assert set(records.effort) >= {"400m", "800m", "1km", "mile", "5km", "10km"}


@pytest.mark.slow
def test_the_same_workout_over_time_follows_the_simulated_plan(archive):
    arc, truth, _ = archive
    sessions = arc.workouts[arc.workouts.workout == "6x400 m"]
    sims = sessions[sessions.source.str.contains("/sim/")]
    assert len(sims) == SIM_WEEKS + 1
    assert list(sims.date) == sorted(sims.date)
    # planned pace of rep i is 200 + 2 i s/km: the last three 3 x 2 s/km slower than the
    # first three, +2.97 %; the runner's pace changes around each lap press add a second
    # or so to some reps, so the fade the reps really had is the simulator's truth's
    planned = 3 * FADE_S_PER_KM_PER_REP / (REP_PACE_S_PER_KM + FADE_S_PER_KM_PER_REP) * 100
    true_fade = np.median([t["fade_pct"] for t in truth.values() if t["fade_pct"] is not None])
    assert true_fade == pytest.approx(planned, abs=1.0)
    assert sims.fade_pct.median() == pytest.approx(true_fade, abs=1.0)
    mean_pace = REP_PACE_S_PER_KM + 2.5 * FADE_S_PER_KM_PER_REP
    assert sims.mean_rep_pace_s_per_km.median() == pytest.approx(mean_pace, rel=0.02)
    assert sims.mean_recovery_s.median() == pytest.approx(RECOVERY_S, abs=5.0)
    assert (sims.reps == 6).all()


@pytest.mark.slow
def test_the_archive_summary_counts_add_up(archive):
    arc, truth, root = archive
    r = arc.result
    assert r.files == r.read + r.skipped + r.failed + r.duplicates
    assert r.files == sum(1 for p in root.rglob("*") if p.is_file())


def test_fitness_fatigue_form_by_hand():
    """Loads 100, 0, 50 on three days. By hand, with exp(-1/42) = 0.976472 and
    exp(-1/7) = 0.866878:
    day 0: CTL = 100 x 0.023528 = 2.3528; ATL = 100 x 0.133122 = 13.3122; TSB = 0
    day 1: CTL = 2.3528 x 0.976472 = 2.2975; ATL = 13.3122 x 0.866878 = 11.5401;
           TSB = 2.3528 - 13.3122 = -10.9594 (yesterday's fitness minus fatigue)
    day 2: CTL = 2.2975 x 0.976472 + 50 x 0.023528 = 3.4198;
           ATL = 11.5401 x 0.866878 + 50 x 0.133122 = 16.6599; TSB = 2.2975 - 11.5401"""
    d0 = dt.date(2026, 3, 2)
    days = fitness({d0: 100.0, d0 + dt.timedelta(2): 50.0}, d0, d0 + dt.timedelta(2))
    expected = [(2.3528, 13.3122, 0.0), (2.2975, 11.5401, -10.9594), (3.4198, 16.6599, -9.2426)]
    for day, (ctl, atl, tsb) in zip(days, expected, strict=True):
        assert isinstance(day, FitnessDay)
        assert (day.ctl, day.atl, day.tsb) == pytest.approx((ctl, atl, tsb), abs=1e-4)


def test_trimp_running_tss_and_zones_by_hand():
    # 30 min at 150 bpm, rest 60, max 190: HRr = 90/130 = 0.692308;
    # men: 30 x 0.692308 x 0.64 x exp(1.92 x 0.692308) = 50.22; women (0.86, 1.67): 56.76
    assert trimp({150: 1800.0}, 190, 60, None) == pytest.approx(50.22, abs=0.01)
    assert trimp({150: 1800.0}, 190, 60, "female") == pytest.approx(56.76, abs=0.01)
    assert running_tss(3600.0, 4.0, 4.0) == pytest.approx(100.0)  # an hour at threshold
    assert running_tss(1800.0, 3.0, 4.0) == pytest.approx(50 * 0.75**2)
    # 150 bpm of 190 is 78.9 %: zone 3 (70-80 %); 180 bpm is 94.7 %: zone 5; 80 bpm: none
    assert zone_seconds({150: 60.0, 180: 30.0, 80: 10.0}, 190) == (0, 0, 60.0, 0, 30.0)


def test_elevation_gain_ignores_jitter_below_the_dead_band():
    d = [float(i) for i in range(0, 4001, 5)]
    hills = [10.0 * math.sin(2 * math.pi * x / 1000) for x in d]  # 4 hills of 20 m
    jitter = [h + (0.8 if i % 2 else -0.8) for i, h in enumerate(hills)]
    assert elevation_gain_m(d, jitter) == pytest.approx(4 * 20, rel=0.1)
    assert elevation_gain_m(d, [1.0 if i % 2 else 0.0 for i in range(len(d))]) == 0.0
    assert elevation_gain_m(d, [math.nan] * len(d)) is None


def test_last_and_workout_names():
    thursday = dt.date(2026, 3, 12)
    assert parse_last("12w", thursday) == dt.date(2025, 12, 22)  # 12 ISO weeks, Mondays
    assert parse_last("7d", thursday) == dt.date(2026, 3, 6)
    assert parse_last("3m", thursday) == dt.date(2026, 1, 1)
    with pytest.raises(splitcheck.ProfileError):
        parse_last("12 fortnights", thursday)
    label = "20:03 warm-up; 6x400 m with jog recoveries; 8:15 cool-down"
    assert workout_name(label) == "6x400 m"


def test_python_api_one_call_keywords_and_short_reprs(tmp_path):
    (a,) = splitcheck.read(REAL / "python-fitparse/garmin-fenix-5-run.fit")
    result = splitcheck.analyze(a, goal_mile="6:00", age=40, sex="f")
    assert isinstance(splitcheck.Profile(), splitcheck.Profile)
    with pytest.raises(splitcheck.ProfileError):
        splitcheck.analyze(a, goal_mile="six")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(REAL / "python-fitparse/garmin-fenix-5-run.fit", folder / "run.fit")
    arc = splitcheck.batch(folder, cache_dir=None, jobs=1, goal_mile="6:00")
    assert isinstance(arc, splitcheck.Archive) and len(arc.activities) == 1
    assert {"week", "distance_m", "duration_s", "runs"} <= set(arc.weeks.columns)
    for obj in (a, a.samples, result, arc, arc.view, arc.view.review, arc.result, *arc.view.weeks):
        text = repr(obj)
        assert "\n" not in text and len(text) < 200, text


def test_cli_period_json_and_csv(tmp_path):
    from click.testing import CliRunner

    from splitcheck.cli import cli

    folder = tmp_path / "in"
    folder.mkdir()
    for w in range(3):
        day = dt.datetime(2026, 3, 3, 7, 0, tzinfo=dt.UTC) + dt.timedelta(weeks=w)
        simulate(workout.easy(1500), seed=w, start_utc=day).write_fit(folder / f"{w}.fit")
    out = tmp_path / "o"
    args = ["batch", str(folder), "--no-cache", "-j", "1", "--out", str(out), "--timezone", "UTC"]
    result = CliRunner().invoke(cli, [*args, "--json", "--since", "2026-03-09"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [w["week"] for w in doc["weeks"]] == ["2026-W11", "2026-W12"]
    assert all(w["runs"] == 1 and w["distance_m"] > 3000 and w["duration_s"] > 1400
               for w in doc["weeks"])  # fmt: skip
    assert (out / "weeks.csv").read_text().splitlines()[0].startswith("week,period,start,end")
    text = CliRunner().invoke(cli, [*args, "--until", "2026-03-22", "--last", "1w"])
    assert text.exit_code == 0 and "2026-W12" in text.stdout and "2026-W11" not in text.stdout
    shown = CliRunner().invoke(cli, [*args, "--weeks", "1"])
    assert "the last 1 of 3 weeks" in shown.stdout and "--weeks 0 shows every week" in shown.stdout
    bad = CliRunner().invoke(cli, [*args, "--last", "soon"])
    assert bad.exit_code == 2 and bad.stderr.startswith("splitcheck: --last")  # before reading


def test_batch_analyze_and_chart_share_one_option_set():
    import click

    from splitcheck.cli import cli

    def options(name):
        command = cli.get_command(click.Context(cli), name)  # commands load lazily
        return {o.name: (o.type.name, o.help) for o in command.params if o.opts}

    shared = {"units", "profile_path", "goal_mile", "best_mile", "age", "sex", "max_hr",
              "rest_hr", "threshold_pace", "level", "laps", "timezone"}  # fmt: skip
    batch, analyze, chart = options("batch"), options("analyze"), options("chart")
    assert shared <= set(batch) and shared <= set(analyze) and shared <= set(chart)
    for name in shared:
        assert batch[name] == analyze[name] == chart[name], name
        assert batch[name][1], f"--{name} has no help"


def test_repr_of_the_sample_activities_is_short():
    path = Path(__file__).resolve().parents[1] / "sample_activities" / "ladder_ascending.fit"
    (a,) = splitcheck.read(path)
    assert len(repr(a)) < 200 and len(repr(splitcheck.analyze(a).structure)) < 200


def test_races_are_race_distances_near_the_record_and_time_trials():
    from splitcheck.batch.records import races, records

    def run(src, distance_m, workout_type="continuous"):
        return {"source": src, "session_index": 0, "sport": "running", "date": "2026-03-0" + src[0],
                "distance_m": distance_m, "workout_type": workout_type}  # fmt: skip

    def effort(src, name, distance_m, duration_s):
        return {"source": src, "session_index": 0, "effort": name, "distance_m": distance_m,
                "duration_s": duration_s}  # fmt: skip

    acts = [
        run("1.fit", 5040),
        run("2.fit", 5020),
        run("3.fit", 6000),
        run("4.fit", 4100, "time_trial"),
    ]
    efforts = [
        effort("1.fit", "5km", 5000, 1200),
        effort("2.fit", "5km", 5000, 1300),
        effort("3.fit", "5km", 5000, 1190),
        effort("4.fit", "mile", 1609.344, 330),
    ]
    found = races(efforts, acts, records(efforts, acts))
    # 1: 5.04 km, 1200 s, within 3 % of the 1190 s record; 2: 9 % slower; 3: 6 km is no 5 km
    assert [(r.source, r.effort) for r in found] == [("1.fit", "5km"), ("4.fit", "mile")]


def test_profile_takes_resting_heart_rate_and_threshold_pace():
    p = splitcheck.Profile.from_options(rest_hr=50, threshold_pace="4:10")
    assert (p.rest_hr_bpm, p.threshold_pace_s_per_km) == (50.0, 250.0)
    per_mile = splitcheck.Profile.from_options(threshold_pace="6:42/mi")
    assert per_mile.threshold_pace_s_per_km == pytest.approx(402 / 1.609344)
    for bad in ({"rest_hr": 300}, {"threshold_pace": "1:00"}, {"threshold_pace": "fast"}):
        with pytest.raises(splitcheck.ProfileError):
            splitcheck.Profile.from_options(**bad)


def test_a_bad_date_is_one_splitcheck_line(tmp_path):
    from click.testing import CliRunner

    from splitcheck.cli import cli

    result = CliRunner().invoke(cli, ["batch", str(tmp_path), "--no-cache", "--since", "May"])
    assert result.exit_code == 2 and result.stderr == (
        "splitcheck: --since 'May' is not a date (YYYY-MM-DD)\n"
    )


def test_the_day_is_the_activity_s_own_local_day_when_the_reader_knows_it():
    from splitcheck.batch.tables import local_day

    row = {"start_utc": "2026-03-09T03:30:00Z"}
    assert local_day(row, dt.UTC) == dt.date(2026, 3, 9)
    # a run at 22:30 in New York on Sunday belongs to Sunday (ISO week 10), whatever --timezone
    local = {**row, "start_local": "2026-03-08T22:30:00-05:00"}
    assert local_day(local, dt.UTC) == dt.date(2026, 3, 8)


@pytest.mark.slow
def test_elevation_gain_against_the_watch_s_own_total_ascent():
    """The device's session total_ascent (barometric on most of these watches) is the
    independent truth; ours comes from the recorded altitude with a 3 m dead band."""
    from splitcheck.batch.measures import elevation_gain_m
    from splitcheck.io.fit_fast import decode_fast

    pairs = []
    for path in sorted(REAL.rglob("*.fit")):
        messages = decode_fast(path.read_bytes(), path.name)  # the session as the watch wrote it
        try:
            activities = splitcheck.read(path)
        except splitcheck.FileError:
            continue
        if messages is None:
            continue
        for session, a in zip(messages.sessions, activities, strict=False):
            ascent = session.get("total_ascent")
            if ascent and ascent >= 40 and a.sport in ("running", "trail_running"):
                pairs.append((ascent, elevation_gain_m(a.samples.distance_m, a.samples.altitude_m)))
    assert len(pairs) >= 10
    close = sum(abs(ours / device - 1) <= 0.2 for device, ours in pairs)
    assert close >= 0.8 * len(pairs), pairs
    total_device, total_ours = sum(d for d, _ in pairs), sum(o for _, o in pairs)
    assert total_ours == pytest.approx(total_device, rel=0.1)
