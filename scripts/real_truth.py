"""Scoring splitcheck's structure against hand truth for real watch files.

Truth: ``../shared/real-activities/TRUTH.json`` (the development set) and
``tests/data/truth_manifest.json`` (older files, written from their MANIFEST notes and
device laps by ``scripts/write_truth_manifest.py``). Each session is run with its laps as
recorded (``laps="auto"``) and with them ignored (``laps="ignore"``: the pace trace alone).
Used by ``scripts/evaluate_segmentation.py`` and ``tests/test_segment_real.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from splitcheck.io import read
from splitcheck.model import Activity
from splitcheck.report.structure_text import workout_label
from splitcheck.segment import find_structure

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-activities"
MANIFEST_TRUTH = ROOT / "tests" / "data" / "truth_manifest.json"
CORRECTIONS = ROOT / "tests" / "data" / "truth_corrections.json"
"""TRUTH.json entries that the devices' own channels contradict (speed field and cadence
of two watches on one run, read by hand; each entry says what it replaces and why)."""
TYPES = {
    "repeats": {"repeats"},
    "time_intervals": {"time_reps"},
    "ladder": {"ladder_ascending", "ladder_descending"},
    "pyramid": {"pyramid"},
    "mixed": {"mixed"},
    "time_trial": {"time_trial"},
    "continuous": {"continuous"},
}
"""TRUTH.json's types to splitcheck's (``segment.types.WORKOUT_TYPES``)."""
MATCH_S = 30.0
"""A found rep starting within 30 s of a true rep's start is that rep (for edge errors)."""
DISTANCE_WITHIN = 0.03


@dataclass
class Result:
    name: str
    type_ok: bool
    count_ok: bool
    edge_err_s: list[float]
    dist_err: list[float]
    line: str


@dataclass
class Figures:
    results: list[Result] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.results)

    def share(self, attr: str) -> float:
        return float(np.mean([getattr(r, attr) for r in self.results])) if self.results else 0.0

    @property
    def both(self) -> float:
        return float(np.mean([r.type_ok and r.count_ok for r in self.results]))

    @property
    def edge_median_s(self) -> float:
        e = [x for r in self.results for x in r.edge_err_s]
        return float(np.median(e)) if e else float("nan")

    @property
    def dist_within(self) -> float:
        d = [x for r in self.results for x in r.dist_err]
        return float(np.mean(np.asarray(d) <= DISTANCE_WITHIN)) if d else float("nan")

    def lines(self, title: str) -> list[str]:
        ok = sum(r.type_ok and r.count_ok for r in self.results)
        return [
            f"{title}: {self.n} sessions",
            f"  type and rep count right: {ok}/{self.n} ({self.both:.0%});"
            f" type {self.share('type_ok'):.0%}, count {self.share('count_ok'):.0%}",
            f"  rep edge error median {self.edge_median_s:.2f} s;"
            f" rep distance within 3 % of the lap's: {self.dist_within:.0%}",
        ]


def load_truth(which: str = "all", *, corrected: bool = True) -> dict[str, dict]:
    """Scored sessions (``unclear`` ones left out): ``dev`` (TRUTH.json, with
    :data:`CORRECTIONS` applied unless ``corrected`` is False), ``manifest`` (older files)
    or ``all``."""
    out: dict[str, dict] = {}
    if which in ("dev", "all"):
        out.update(json.loads((REAL / "TRUTH.json").read_text(encoding="utf-8")))
        if corrected:
            fixes = json.loads(CORRECTIONS.read_text(encoding="utf-8"))
            out.update({k: v for k, v in fixes.items() if k in out})
    if which in ("manifest", "all"):
        out.update(json.loads(MANIFEST_TRUTH.read_text(encoding="utf-8")))
    return {k: v for k, v in out.items() if v.get("type") in TYPES}


def running_activity(rel: str) -> Activity:
    """The file's (first) running session: a triathlon's run leg."""
    acts = read(REAL / rel)
    for a in acts:
        if a.sport in ("running", "unknown", "trail_running") and len(a.samples) >= 2:
            return a
    return acts[0]


def score(rel: str, truth: dict, laps: str, activity: Activity | None = None) -> Result:
    """One session against its truth, with ``laps`` ("auto", "use" or "ignore")."""
    a = activity if activity is not None else running_activity(rel)
    s = find_structure(a, laps=laps)
    work = list(s.work)
    kind = truth["type"]
    type_ok = s.workout.type in TYPES[kind]
    reps = truth.get("reps", [])
    if "n_work" in truth:
        count_ok = len(work) == truth["n_work"]
    else:
        count_ok = len(work) <= truth.get("n_work_max", 0)
    edges, dists = [], []
    for r in reps:
        near = min(work, key=lambda w: abs(w.start_s - r["start_s"]), default=None)
        if near is None or abs(near.start_s - r["start_s"]) > MATCH_S:
            continue
        edges += [
            abs(near.start_s - r["start_s"]),
            abs(near.end_s - (r["start_s"] + r["duration_s"])),
        ]
        dists.append(abs(near.distance_m / r["distance_m"] - 1))
    got = f"{s.workout.type}/{len(work)}"
    want = f"{kind}/{truth.get('n_work', truth.get('n_work_max'))}"
    flag = "ok  " if type_ok and count_ok else "MISS"
    label = workout_label(s.workout)
    line = f"  {flag} {rel[:46]:46s} {laps:6s} truth {want:18s} got {got:20s} {label}"
    return Result(rel, type_ok, count_ok, edges, dists, line)


def evaluate(
    which: str = "all", modes: tuple[str, ...] = ("auto", "ignore"), *, corrected: bool = True
) -> dict:
    """Figures per laps mode over the chosen truth set (see :func:`load_truth`)."""
    out = {m: Figures() for m in modes}
    for rel, truth in load_truth(which, corrected=corrected).items():
        a = running_activity(rel)
        for m in modes:
            out[m].results.append(score(rel, truth, m, a))
    return out


@dataclass
class RepRow:
    """One true rep against the found rep starting nearest it (within :data:`MATCH_S`)."""

    name: str
    rep: int
    truth: tuple[float, float, float]
    """start [s], duration [s], distance [m] of the truth's lap"""
    found: tuple[float, float, float] | None
    start_err_s: float
    end_err_s: float
    dist_err: float
    span_err: float
    """the file's own distance over the lap's exact span against the lap's distance: what
    the rep would measure with perfect edges"""

    @property
    def cause(self) -> str:
        """``ok`` (within :data:`DISTANCE_WITHIN`), ``unmatched``, ``GPS!=lap`` (the
        trace's distance over the lap's own span is already off by more: no edge can
        fix it) or ``edges``."""
        if self.found is None:
            return "unmatched"
        if abs(self.dist_err) <= DISTANCE_WITHIN:
            return "ok"
        return "GPS!=lap" if abs(self.span_err) > DISTANCE_WITHIN else "edges"

    @property
    def line(self) -> str:
        t0, dur, dist = self.truth
        head = f"  {self.name[:44]:44s} {self.rep:2d} {t0:7.1f} {dur:6.1f} {dist:7.1f} |"
        if self.found is None:
            return f"{head} {'-':>23s} | span {self.span_err:+6.1%} {self.cause}"
        f0, fdur, fdist = self.found
        return (
            f"{head} {f0:7.1f} {fdur:6.1f} {fdist:7.1f} | start {self.start_err_s:+5.1f}"
            f" end {self.end_err_s:+5.1f} s, distance {self.dist_err:+6.1%},"
            f" span {self.span_err:+6.1%} {self.cause}"
        )


def rep_rows(name: str, truth: dict, laps: str, activity: Activity) -> list[RepRow]:
    """Per true rep: the truth, the rep found nearest it with ``laps`` ("ignore": the
    trace alone), their edge and distance errors, and the lap-span distance check."""
    s = find_structure(activity, laps=laps)
    work = list(s.work)
    smp = activity.samples
    ok = np.isfinite(smp.distance_m) & np.isfinite(smp.elapsed_s)
    t, d = smp.elapsed_s[ok], smp.distance_m[ok]
    rows = []
    for i, r in enumerate(truth.get("reps", [])):
        t0, dur, dist = r["start_s"], r["duration_s"], r["distance_m"]
        span = float(np.diff(np.interp([t0, t0 + dur], t, d))[0])
        near = min(work, key=lambda w: abs(w.start_s - t0), default=None)
        if near is None or abs(near.start_s - t0) > MATCH_S:
            found, errs = None, (np.nan, np.nan, np.nan)
        else:
            found = (near.start_s, near.end_s - near.start_s, near.distance_m)
            errs = (near.start_s - t0, near.end_s - (t0 + dur), near.distance_m / dist - 1)
        rows.append(RepRow(name, i + 1, (t0, dur, dist), found, *errs, span / dist - 1))
    return rows


def rep_table(rows: list[RepRow], title: str) -> list[str]:
    """The rows as lines, with a count of the reps off by more than
    :data:`DISTANCE_WITHIN` per cause."""
    causes = [r.cause for r in rows]
    off = len(rows) - causes.count("ok")
    return [
        f"{title}: {len(rows)} true reps; distance within 3 %: {causes.count('ok')};"
        f" off {off}: edges {causes.count('edges')}, GPS!=lap {causes.count('GPS!=lap')}"
        f" (the file's distance over the lap's own span already off), unmatched"
        f" {causes.count('unmatched')}",
        "  file                                         rep   start    dur    dist |"
        "   found    dur    dist | errors (found - truth)",
        *[r.line for r in rows],
    ]


def per_rep(which: str, laps: str = "ignore") -> list[RepRow]:
    """:func:`rep_rows` over a truth set (``dev``, ``manifest``) or ``mutated``
    (:data:`MUTATED`, rests rewritten as in :func:`evaluate_mutated`)."""
    rows: list[RepRow] = []
    if which != "mutated":
        for rel, truth in load_truth(which).items():
            if truth.get("reps"):
                rows += rep_rows(rel, truth, laps, running_activity(rel))
        return rows
    for tag, moved, act, modes in _mutations():
        if laps in modes:
            rows += rep_rows(tag, moved, laps, act)
    return rows


MUTATED = {
    "connectstats/track_cs_728599.fit": ("auto", "ignore"),
    "run-stats/6761214480_ACTIVITY.fit": ("auto", "ignore"),
    "run-stats/6840589159_ACTIVITY.fit": ("auto", "ignore"),
    "run-stats/7119384558_ACTIVITY.fit": ("auto", "ignore"),
    "fit-parser/garmin-stamina.fit": ("auto", "ignore"),
    "activityio/c2eb1b_6.tcx": ("auto", "ignore"),
    "workoutizer/with_nones.fit": ("auto", "ignore"),
    "rust_fit_file/20210610_track_garmin_fenix_6.fit": ("ignore",),  # 400 m auto laps
}
"""Real interval sessions whose recoveries are rewritten as standing or paused rests
(tests/rest_mutate.py); distance-triggered auto laps cannot be moved faithfully, so that
file is scored with its laps ignored only."""


def evaluate_mutated(rests_s: tuple[float, ...] = (60.0, 240.0)) -> dict:
    """Figures per laps mode over :data:`MUTATED` with each recovery made a standing rest
    (watch running) or a paused one, of each length in ``rests_s``; the truth's reps move
    with their samples."""
    out = {m: Figures() for m in ("auto", "ignore")}
    for tag, moved, act, modes in _mutations(rests_s):
        for m in modes:
            out[m].results.append(score(tag, moved, m, act))
    return out


def _mutations(rests_s: tuple[float, ...] = (60.0, 240.0)):
    """(name, moved truth, mutated activity, laps modes) for each session of
    :data:`MUTATED` and each rest, standing and paused."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from rest_mutate import with_rests

    truth = load_truth("all")
    for rel, modes in MUTATED.items():
        base = running_activity(rel)
        for rest in rests_s:
            for paused in (False, True):
                act, reps = with_rests(base, truth[rel]["reps"], rest, paused=paused)
                moved = truth[rel] | {"reps": reps}
                tag = f"{rel} ({'paused' if paused else 'standing'} {rest:.0f} s)"
                yield tag, moved, act, modes
