"""Table rows from an analysis document; predictions; twin exports of one activity."""

from __future__ import annotations

import pytest

from splitcheck.batch.tables import (
    ACTIVITY_COLUMNS,
    mark_duplicates,
    pacing_score,
    predicted_mile_s,
    rows_from_document,
    table_columns,
)
from splitcheck.units import MILE_M

DOC = {
    "sport": "running",
    "start_utc": "2026-03-03T07:00:00Z",
    "format": "fit",
    "session_index": 0,
    "distance_m": 6000.0,
    "moving_s": 1800.0,
    "workout": {"type": "repeats", "label": "4x400 m"},
    "intervals": [
        {"kind": "warmup", "duration_s": 600.0, "distance_m": 2000.0},
        *[
            {"kind": "work", "rep": i + 1, "duration_s": 80.0, "distance_m": 400.0}
            for i in range(4)
        ],
        {"kind": "recovery", "duration_s": 90.0, "distance_m": 200.0},
    ],
    "splits": [{"index": i, "duration_s": 300.0, "distance_m": 1000.0} for i in range(6)],
    "efforts": {
        "mile": {"duration_s": 400.0, "distance_m": MILE_M},
        "5km": {"duration_s": 1500.0, "distance_m": 5000.0},
    },
    "pacing": {"score": 87, "parts": []},
    "warnings": ["a", "b"],
}


def test_rows_from_a_document():
    rows = rows_from_document(DOC, hard_s=30.0)
    (act,) = rows["activities"]
    assert act["work_reps"] == 4 and act["work_s"] == 320.0
    assert act["hard_s"] == 350.0  # reps plus the time above threshold outside them
    assert act["best_mile_s"] == 400.0  # no mile effort: the fastest mile inside the run
    assert act["predicted_mile_s"] == pytest.approx(1500 * (MILE_M / 5000) ** 1.06, abs=0.01)
    assert act["pacing_score"] == 87.0
    assert (act["workout_type"], act["workout_label"]) == ("repeats", "4x400 m")
    assert act["warnings"] == "a; b"
    assert len(rows["reps"]) == 6 and len(rows["splits"]) == 6
    assert set(act) == set(ACTIVITY_COLUMNS)


def test_rows_from_a_bare_document():
    (act,) = rows_from_document({"sport": "cycling"})["activities"]
    assert act["work_reps"] == 0 and act["best_mile_s"] is None and act["pacing_score"] is None


def test_predicted_mile_reference_values():
    # pacing-science.md: 1500 m in 3:30 -> mile 226.26 s; mile 6:00 <- 5 km in 1197.19 s
    assert predicted_mile_s({"1500m": {"duration_s": 210.0, "distance_m": 1500.0}}) == 226.26
    assert predicted_mile_s({"5km": {"duration_s": 1197.19, "distance_m": 5000.0}}) == 360.0
    # outside Riegel's 3.5-230 min, and the mile itself, predict nothing
    assert predicted_mile_s({"400m": {"duration_s": 60.0, "distance_m": 400.0}}) is None
    assert predicted_mile_s({"mile": {"duration_s": 300.0, "distance_m": MILE_M}}) is None


@pytest.mark.parametrize(
    ("pacing", "score"),
    [({"score": 71}, 71.0), ({"score": {"total": 64}}, 64.0), (55, 55.0), (None, None), ({}, None)],
)
def test_pacing_score_wherever_it_is(pacing, score):
    assert pacing_score(pacing) == score


def _row(source, fmt, sport="running", start="2026-03-03T07:00:00Z", session=0, d=5000.0):
    return {
        "source": source,
        "format": fmt,
        "sport": sport,
        "start_utc": start,
        "session_index": session,
        "distance_m": d,
        "elapsed_s": 1500.0,
        "also_in": None,
    }


def test_twin_exports_become_one_row_keeping_the_fit():
    rows = [_row("a.gpx", "gpx", sport="unknown"), _row("a.fit", "fit"), _row("a.tcx", "tcx")]
    (kept,) = mark_duplicates(rows)
    assert kept["source"] == "a.fit" and kept["also_in"] == "a.tcx; a.gpx"


def test_not_twins_other_sport_other_distance_same_file():
    assert len(mark_duplicates([_row("a.fit", "fit"), _row("b.fit", "fit", sport="cycling")])) == 2
    assert len(mark_duplicates([_row("a.fit", "fit"), _row("b.gpx", "gpx", d=5600.0)])) == 2
    multisport = [_row("t.fit", "fit", session=i, d=0.0) for i in range(3)]
    assert len(mark_duplicates(multisport)) == 3


def test_table_columns_keep_activity_order_and_add_new_keys():
    cols = table_columns("activities", [{"extra": 1}])
    assert cols[: len(ACTIVITY_COLUMNS)] == list(ACTIVITY_COLUMNS) and cols[-1] == "extra"
    assert table_columns("reps", [{"b": 1, "a": 2}, {"c": 3}]) == ["b", "a", "c"]


def test_many_activities_are_checked_in_linear_time():
    import datetime as dt
    import time

    t0 = dt.datetime(2016, 1, 1, 7, tzinfo=dt.UTC)
    many = [
        _row(f"r{i}.fit", "fit", start=(t0 + dt.timedelta(hours=9 * i)).isoformat())
        for i in range(8000)  # nine years of two runs a day
    ]
    many.append(_row("twin.gpx", "gpx", start=many[5000]["start_utc"]))
    started = time.perf_counter()
    kept = mark_duplicates(many)
    assert len(kept) == 8000 and kept[5000]["also_in"] == "twin.gpx"
    assert time.perf_counter() - started < 5.0  # all pairs would be 32 million comparisons
