"""The weekly review (guidance.md section 3): hand-built rows, then a simulated month."""

from __future__ import annotations

import datetime as dt

import pytest

from splitcheck.batch.run import run_batch
from splitcheck.batch.store import Store
from splitcheck.batch.weekly import (
    HARD_JUMP_PCT,
    rep_kinds,
    session_kinds,
    weekly_review,
)

MON = dt.date(2026, 3, 2)  # ISO 2026-W10


def act(day: int, sport="running", hard_s=0.0, moving_s=1200.0, src=None, **kw) -> dict:
    start = dt.datetime.combine(MON + dt.timedelta(days=day), dt.time(7, 0), tzinfo=dt.UTC)
    return {
        "source": src or f"d{day}.fit",
        "session_index": 0,
        "start_utc": start.isoformat().replace("+00:00", "Z"),
        "sport": sport,
        "hard_s": hard_s,
        "moving_s": moving_s,
        "workout_type": kw.pop("workout_type", "continuous"),
        **kw,
    }


def reps(day: int, n: int, duration_s: float, distance_m: float) -> list[dict]:
    rep = {"source": f"d{day}.fit", "session_index": 0, "kind": "work"}
    return [{**rep, "duration_s": duration_s, "distance_m": distance_m} for _ in range(n)]


@pytest.mark.parametrize(
    ("duration_s", "distance_m", "kinds"),
    [
        (30, 180, {"sprint"}),  # 30 s reps
        (75, 300, {"sprint"}),  # 300 m, slowly: sprint by distance
        (58, 400, {"sprint"}),  # a fast 400: sprint by time
        (90, 400, set()),  # 400 m in 90 s: neither
        (300, 1250, {"speed_endurance"}),  # 5 min at mile pace
        (110, 600, {"speed_endurance"}),  # 600 m
        (65, 280, {"sprint"}),  # ~60 s, ~300 m
    ],
)
def test_rep_kinds(duration_s, distance_m, kinds):
    assert rep_kinds(duration_s, distance_m) == kinds


def test_one_odd_rep_does_not_make_a_session_and_a_ladder_is_both():
    assert session_kinds(reps(0, 1, 30, 150)) == set()
    ladder = reps(0, 4, 45, 200) + reps(0, 2, 90, 400) + reps(0, 2, 135, 600) + reps(0, 1, 180, 800)
    assert session_kinds(ladder) == {"sprint", "speed_endurance"}


def test_hand_built_weeks_counts_and_flags():
    acts = [
        act(0, moving_s=1900),  # W10 Mon: 31:40 continuous
        act(2, hard_s=360, workout_type="repeats"),  # W10 Wed: 8x200
        act(4, hard_s=1200, workout_type="time_reps"),  # W10 Fri: 4x5 min
        act(7),  # W11 Mon
        act(8),  # W11 Tue: back to back
        act(12, sport="cycling"),  # W11 Sat: cross-training
        act(15, hard_s=300, workout_type="time_reps"),  # W12 Tue: 10x30 s
        act(29, hard_s=3000, workout_type="repeats"),  # W14 Tue: 10x800 (W13 empty)
    ]
    rows = reps(2, 8, 45, 200) + reps(4, 4, 300, 1250) + reps(15, 10, 30, 150)
    rows += reps(29, 10, 180, 800)
    review = weekly_review(acts, rows, level="beginner")
    weeks = {w.week: w for w in review.weeks}
    assert list(weeks) == ["2026-W10", "2026-W11", "2026-W12", "2026-W13", "2026-W14"]
    w10, w11, w12, w13, w14 = weeks.values()
    assert (w10.sprint_sessions, w10.speed_endurance_sessions, w10.has_long_run) == (1, 1, True)
    assert w10.flags == ()
    assert w11.back_to_back == (("2026-03-09", "2026-03-10"),)
    assert w11.cross_training == 1 and w11.runs == 2
    assert set(w11.flags) == {
        "no_sprint_session",
        "no_speed_endurance_session",
        "no_30_min_run",
        "back_to_back_days",
    }
    assert "no_speed_endurance_session" in w12.flags and w12.sprint_sessions == 1
    assert w13.activities == 0 and w13.flags == ()  # an empty week: nothing to judge
    assert w11.activities == 3
    # W14 against the mean of W11-W13: (0 + 300 + 0) / 3 = 100 s
    assert w14.hard_previous_s == pytest.approx(100.0)
    assert w14.hard_change_pct == pytest.approx((3000 - 100) / 100 * 100)
    assert "hard_minutes_jump" in w14.flags
    assert w10.hard_change_pct is None  # no 3 weeks of history yet


def test_level_decides_which_rules_are_judged():
    acts = [act(0, moving_s=600), act(1, moving_s=600)]
    beginner = weekly_review(acts, level="beginner").weeks[0].flags
    experienced = weekly_review(acts, level="experienced").weeks[0].flags
    unknown = weekly_review(acts, level=None)
    assert {"no_30_min_run", "back_to_back_days"} <= set(beginner)
    assert "no_cross_training" not in beginner
    assert "no_cross_training" in experienced and "back_to_back_days" not in experienced
    assert not {"no_30_min_run", "back_to_back_days", "no_cross_training"} & set(
        unknown.weeks[0].flags
    )
    assert unknown.not_judged and "level" in unknown.not_judged[0]


def test_days_and_weeks_are_local_to_the_runner():
    from zoneinfo import ZoneInfo

    # Sunday 2026-03-08 22:30 in New York is Monday 03:30 UTC: W10 locally, W11 in UTC
    late = {**act(0), "start_utc": "2026-03-09T03:30:00Z"}
    assert weekly_review([late], tz=ZoneInfo("America/New_York")).weeks[0].week == "2026-W10"
    assert weekly_review([late]).weeks[0].week == "2026-W11"


def test_hard_jump_threshold_is_strictly_above():
    acts = [act(7 * i, hard_s=100.0) for i in range(3)]
    acts.append(act(21, hard_s=100.0 * (1 + HARD_JUMP_PCT / 100)))
    assert "hard_minutes_jump" not in weekly_review(acts).weeks[3].flags
    acts[-1] = act(21, hard_s=100.0 * (1 + HARD_JUMP_PCT / 100) + 1)
    assert "hard_minutes_jump" in weekly_review(acts).weeks[3].flags


def test_empty_input_gives_no_weeks():
    review = weekly_review([], [])
    assert review.weeks == () and review.to_dict()["weeks"] == []


# -- a simulated month ---------------------------------------------------------------------


def _month_plan():
    """(day offset from Monday 2026-03-02, plan, sport). Expected answers in the test."""
    from splitcheck.simulate import workout as w

    return [
        (1, w.easy(32 * 60), "running"),  # W10 Tue
        (3, w.repeats(8, 200, 210, recovery=200, recovery_mode="distance"), "running"),
        (5, w.time_reps(4, 300, 240, recovery_s=120), "running"),  # W10 Sat: 4x5 min
        (7, w.easy(25 * 60), "running"),  # W11 Mon
        (8, w.easy(25 * 60), "running"),  # W11 Tue: back to back
        (10, w.ascending_ladder(225), "running"),  # W11 Thu: sprint + speed endurance
        (12, w.easy(50 * 60), "cycling"),  # W11 Sat: cross-training
        (15, w.time_reps(10, 30, 200, recovery_s=60), "running"),  # W12 Tue: 10x30 s
        (17, w.easy(40 * 60), "running"),  # W12 Thu
        (19, w.mile_tt((90.0, 92.0, 92.0, 88.0)), "running"),  # W12 Sat
        (20, w.easy(20 * 60), "running"),  # W12 Sun
        (21, w.repeats(6, 800, 225, recovery=120), "running"),  # W13 Mon (after Sun)
        (23, w.time_reps(10, 30, 200, recovery_s=60), "running"),  # W13 Wed
        (25, w.time_reps(4, 180, 240, recovery_s=90), "running"),  # W13 Fri: 4x3 min
        (29, w.time_reps(4, 180, 240, recovery_s=90), "running"),  # W14 Tue
        (31, w.repeats(8, 200, 210, recovery=200, recovery_mode="distance"), "running"),
        (33, w.easy(32 * 60), "running"),  # W14 Sat
    ]


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> dict:
    from splitcheck.simulate import simulate

    folder = tmp_path_factory.mktemp("month")
    for i, (day, plan, sport) in enumerate(_month_plan()):
        start = dt.datetime.combine(MON + dt.timedelta(days=day), dt.time(7, 0), tzinfo=dt.UTC)
        sim = simulate(plan, seed=100 + i, start_utc=start)
        if sport == "running":
            sim.write_fit(folder / f"{i:02d}.fit")
        else:
            gpx = folder / f"{i:02d}.gpx"
            sim.write_gpx(gpx)
            gpx.write_text(gpx.read_text().replace("<type>running</type>", f"<type>{sport}</type>"))
    with Store(None) as store:
        result = run_batch([folder], store, jobs=2)
    assert result.failures == []
    return {"result": result, "folder": folder}


def _weeks(month, level):
    res = month["result"]
    review = weekly_review(res.tables["activities"], res.tables["reps"], level=level)
    return {w.week: w for w in review.weeks}


def test_simulated_month_counts(month):
    weeks = _weeks(month, "beginner")
    assert list(weeks) == [f"2026-W{n}" for n in range(10, 15)]
    got = {
        k: (w.runs, w.sprint_sessions, w.speed_endurance_sessions, w.has_long_run, w.cross_training)
        for k, w in weeks.items()
    }
    assert got == {
        "2026-W10": (3, 1, 1, True, 0),
        "2026-W11": (3, 1, 1, False, 1),
        "2026-W12": (4, 1, 0, True, 0),
        "2026-W13": (3, 1, 2, False, 0),
        "2026-W14": (3, 1, 1, True, 0),
    }


def test_simulated_month_flags_for_a_beginner(month):
    flags = {k: set(w.flags) for k, w in _weeks(month, "beginner").items()}
    assert flags == {
        "2026-W10": set(),
        "2026-W11": {"no_30_min_run", "back_to_back_days"},
        "2026-W12": {"no_speed_endurance_session", "back_to_back_days"},  # Sat TT, Sun easy
        # Sun-Mon across the week boundary; 6x800 + 10x30 s + 4x3 min after light weeks
        "2026-W13": {"no_30_min_run", "back_to_back_days", "hard_minutes_jump"},
        "2026-W14": set(),
    }


def test_simulated_month_hard_minutes_follow_the_reps(month):
    weeks = _weeks(month, "beginner")
    # planned rep time: 6x800 m at 3:45/km + 10x30 s + 4x3 min
    assert weeks["2026-W13"].hard_s == pytest.approx(6 * 180 + 300 + 720, rel=0.1)
    assert weeks["2026-W13"].hard_change_pct > HARD_JUMP_PCT
    assert weeks["2026-W14"].hard_change_pct < HARD_JUMP_PCT


def test_simulated_month_best_mile_is_the_time_trial(month):
    weeks = _weeks(month, "experienced")
    assert weeks["2026-W12"].best_mile_s == pytest.approx(90 + 92 + 92 + 88, abs=5)
    others = [w.best_mile_s for k, w in weeks.items() if k != "2026-W12" and w.best_mile_s]
    assert all(m > weeks["2026-W12"].best_mile_s for m in others)
    assert {k for k, w in weeks.items() if "no_cross_training" in w.flags} == {
        "2026-W10",
        "2026-W12",
        "2026-W13",
        "2026-W14",
    }


def test_a_break_is_named_and_the_jump_after_it_is_measured_against_the_weeks_before():
    """Three weeks of 10 hard minutes, ten weeks off, then 11 minutes: +10 % on the weeks
    before the break, not a jump from nothing (it was flagged after gaps of months)."""
    acts = [act(7 * i, hard_s=600.0) for i in range(3)]
    acts.append(act(7 * 13, hard_s=660.0))
    review = weekly_review(acts)
    back = review.weeks[-1]
    assert back.break_weeks == 10 and "back_after_break" in back.flags
    assert back.hard_previous_s == pytest.approx(600.0)
    assert back.hard_change_pct == pytest.approx(10.0)
    assert "hard_minutes_jump" not in back.flags
    assert back.words()[0] == "first week back after a 10-week break"
    assert "no sprint session this week" in back.words()
    # one week off is a rest week, not a break: it counts as zero hard minutes
    rest = weekly_review([*acts[:3], act(28, hard_s=600.0)]).weeks[-1]
    assert rest.break_weeks == 0 and rest.hard_previous_s == pytest.approx(400.0)
