"""Accuracy of splitcheck's segmentation against known answers.

Two sources of truth:

1. the simulator (``splitcheck.simulate``): workouts with exact rep boundaries, run on a
   track or a hilly road loop, recorded every second or with smart recording, with and
   without auto-pause; the detector sees the file with its laps hidden (pace trace only),
   and once more with the watch's own laps (manual presses or workout steps);
2. real files with hand truth (``../shared/real-activities/TRUTH.json``, the development
   set, and ``tests/data/truth_manifest.json``, older files whose MANIFEST notes describe
   their structure): workout type, rep count, rep edges against the truth's laps and rep
   distance against the laps' distance, with the laps as recorded (``--laps auto``) and
   with them ignored (the pace trace alone), beside the simulator's figures.

Prints the figures issues 4 and 13 ask for. Run: ``python scripts/evaluate_segmentation.py``
(``--quick`` for a third of the simulated sessions, ``--real`` for the real files only,
``--reps`` for each real rep against its truth, ``--verbose`` for each session).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from splitcheck.io import read
from splitcheck.model import Activity
from splitcheck.report.structure_text import workout_label
from splitcheck.segment import find_structure
from splitcheck.simulate import simulate
from splitcheck.simulate import workout as wk
from splitcheck.simulate.watch import REAL_TRACK_GPS_SIGMA_M

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-activities"
REAL_INTERVAL_FILES = (
    "run-stats/6761214480_ACTIVITY.fit",
    "run-stats/6840589159_ACTIVITY.fit",
    "run-stats/7119384558_ACTIVITY.fit",
    "activityio/c2eb1b_6.tcx",
)
"""Real sessions whose reps are marked by laps (workout steps, manual presses)."""


def mixed(pace_s_per_km: float) -> wk.WorkoutPlan:
    """Article tip #6's mixed session: 4 x 100 m strides, then 3 x 3 min at mile pace."""
    easy, jog = wk.pace_to_speed(wk.EASY_PACE_S_PER_KM), wk.pace_to_speed(wk.JOG_PACE_S_PER_KM)
    sprint = wk.pace_to_speed(pace_s_per_km - 50)
    steps = [wk.Step("warmup", easy, duration_s=900.0)]
    for i in range(4):
        steps += [wk.Step("work", sprint, distance_m=100.0, nominal="100 m")]
        steps += [wk.Step("recovery", jog, duration_s=60.0 if i < 3 else 180.0)]
    for i in range(3):
        steps += [wk.Step("work", wk.pace_to_speed(pace_s_per_km), duration_s=180.0)]
        if i < 2:
            steps += [wk.Step("recovery", jog, duration_s=120.0)]
    steps += [wk.Step("cooldown", easy, duration_s=600.0)]
    return wk.WorkoutPlan("mixed", "4x100 m, 3x3:00", tuple(steps))


def plans(rng: np.random.Generator) -> list[wk.WorkoutPlan]:
    """One round of the article's sessions, with paces and recoveries drawn at random."""
    pace = float(rng.uniform(190, 260))  # 3:10-4:20 /km rep pace
    mile_lap = float(rng.uniform(80, 120))
    laps = tuple(mile_lap * (1 + rng.normal(0, 0.03, 4)))
    rec = str(rng.choice(["time", "stand", "distance"]))
    rec_amount = {"time": 90.0, "stand": 60.0, "distance": 200.0}[rec]
    return [
        wk.repeats(8, 200, pace - 15, recovery=rec_amount, recovery_mode=rec),
        wk.repeats(4, 600, pace, recovery=120, fade_s_per_km_per_rep=2.0),
        wk.repeats(6, 400, pace, recovery=200, recovery_mode="distance"),
        wk.repeats(5, 1000, pace + 15, recovery=120, recovery_mode="stand"),
        wk.ascending_ladder(pace),
        wk.descending_ladder(pace),
        wk.pyramid(pace),
        wk.time_reps(10, 30, pace - 25, recovery_s=60),
        wk.time_reps(4, 300, pace + 10, recovery_s=180),
        wk.time_reps(4, 180, pace, recovery_s=120),
        wk.mile_tt(laps),
        wk.mile_tt(laps[::-1], start_rest_s=0.0),
        mixed(pace),
        wk.easy(float(rng.uniform(1500, 3600)), float(rng.uniform(300, 420))),
        wk.tempo_hilly(),
    ]


@dataclass
class Tally:
    sessions: int = 0
    count_right: int = 0
    type_right: int = 0
    continuous: int = 0
    continuous_clean: int = 0
    edge_err_s: list[float] = field(default_factory=list)
    dist_err: list[float] = field(default_factory=list)
    rep_m: list[float] = field(default_factory=list)
    tt_lap_err: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def score_session(tally: Tally, name: str, activity: Activity, truth, recording: str):
    """Compare one session's structure with the simulator's truth; add to the tally."""
    s = find_structure(activity)
    reps = list(truth.reps)
    got = list(s.work)
    tally.sessions += 1
    ok_count = len(got) == len(reps)
    tally.count_right += ok_count
    tally.type_right += s.workout.type == truth.workout_type
    if truth.workout_type == "continuous":
        tally.continuous += 1
        tally.continuous_clean += not got
    if ok_count:
        for g, t in zip(got, reps, strict=True):
            tally.edge_err_s += [abs(g.start_s - t.start_s), abs(g.end_s - t.end_s)]
            tally.dist_err.append(abs(g.distance_m / t.distance_m - 1))
            tally.rep_m.append(t.distance_m)
    if truth.mile_effort is not None:
        true_laps = np.array([lap.duration_s for lap in truth.mile_effort.laps])
        if s.mile_effort is not None:
            got_laps = np.array([lap.duration_s for lap in s.mile_effort.laps])
            err = float(np.abs(got_laps - true_laps).max())
        else:
            err = float("inf")
        tally.tt_lap_err.setdefault(recording, []).append(err)
    if not ok_count or s.workout.type != truth.workout_type:
        tally.failures.append(
            f"{name}: {truth.workout_type} '{truth.label}' -> {s.workout.type}"
            f" '{workout_label(s.workout)}' ({len(got)} reps, truth {len(reps)})"
        )
    return s


def run_simulated(rounds: int, verbose: bool) -> dict[str, Tally]:
    """Every plan of :func:`plans` under four watch set-ups, laps hidden and shown."""
    tallies = {"trace": Tally(), "laps": Tally(), "faulty": Tally(), "real_gps": Tally()}
    seed = 0
    variants = [
        ("track", "1s", False),
        ("road", "1s", False),
        ("track", "smart", False),
        ("road", "smart", True),
    ]
    for r in range(rounds):
        rng = np.random.default_rng(1000 + r)
        for plan in plans(rng):
            for route, recording, pause in variants:
                seed += 1
                if plan.label.startswith("tempo"):
                    route = "road"
                policies = ("none", "manual" if seed % 2 else "workout", "manual_faulty")
                for lap_policy in policies:
                    sim = simulate(
                        plan,
                        seed=seed,
                        route=route,
                        recording=recording,
                        laps=lap_policy,
                        auto_pause=pause,
                    )
                    activity = sim.to_activity()
                    key = {"none": "trace", "manual_faulty": "faulty"}.get(lap_policy, "laps")
                    tag = "pause" if pause else "no-pause"
                    name = f"#{seed} {route}/{recording}/{tag}/{lap_policy}"
                    s = score_session(tallies[key], name, activity, sim.truth, recording)
                    if verbose:
                        print(f"{name}: {plan.label} -> {workout_label(s.workout)}")
                # laps hidden again, with GPS as noisy as on the real track files
                sim = simulate(
                    plan, seed=seed, route=route, recording=recording, laps="none",
                    auto_pause=pause, gps_noise=REAL_TRACK_GPS_SIGMA_M,
                )  # fmt: skip
                name = f"#{seed} {route}/{recording}/real-gps"
                score_session(tallies["real_gps"], name, sim.to_activity(), sim.truth, recording)
    return tallies


def mile_tt_accuracy(rounds: int) -> list[str]:
    """Mile time trials alone, laps hidden: worst lap error per session against the
    truth's quarters, by route, recording and GPS noise (off: what the detector itself
    adds). Half the runners stand at the line first, half roll in from the warm-up."""
    out = ["mile time trials (laps hidden), worst lap error per session:"]
    for noise in (True, False):
        for route in ("track", "road"):
            for recording in ("1s", "smart"):
                errs, lap_errs = [], []
                for r in range(rounds * 8):
                    rng = np.random.default_rng(2000 + r)
                    laps = tuple(float(rng.uniform(80, 120)) * (1 + rng.normal(0, 0.03, 4)))
                    plan = wk.mile_tt(laps, warmup_s=600.0, start_rest_s=90.0 * (r % 2))
                    sim = simulate(
                        plan, seed=r, route=route, recording=recording, laps="none",
                        gps_noise=noise,
                    )  # fmt: skip
                    s = find_structure(sim.to_activity())
                    true_laps = np.array([lap.duration_s for lap in sim.truth.mile_effort.laps])
                    if s.mile_effort is None:
                        errs.append(float("inf"))
                        continue
                    got = np.array([lap.duration_s for lap in s.mile_effort.laps])
                    errs.append(float(np.abs(got - true_laps).max()))
                    lap_errs.append(got - true_laps)
                arr, bias = np.asarray(errs), np.median(lap_errs, axis=0)
                found = arr[np.isfinite(arr)]
                limit = 0.5 if recording == "1s" else 1.0
                out.append(
                    f"  GPS noise {'on ' if noise else 'off'} {route:5s} {recording:5s}:"
                    f" median {np.median(arr):.2f} s, max {found.max():.2f} s; every lap"
                    f" within {limit} s: {np.mean(arr <= limit):3.0%} of {len(arr)}"
                    f" (no mile found: {len(arr) - len(found)}); median error per lap"
                    f" {' '.join(f'{b:+.2f}' for b in bias)} s"
                )
    return out


def real_truth_figures(verbose: bool) -> list[str]:
    """Real sessions against their hand truth, laps as recorded and laps ignored."""
    import real_truth as rt  # scripts/real_truth.py, beside this script

    lines = []
    sets = (
        ("dev", "TRUTH.json as given", False),
        ("dev", "TRUTH.json + truth_corrections.json", True),
        ("manifest", "truth_manifest.json", True),
    )
    for which, title, corrected in sets:
        figures = rt.evaluate(which, corrected=corrected)
        for mode, words in (("auto", "laps as recorded"), ("ignore", "laps ignored")):
            fig = figures[mode]
            lines += fig.lines(f"real files ({title}), {words}")
            lines += [r.line for r in fig.results if verbose or not (r.type_ok and r.count_ok)]
    figures = rt.evaluate_mutated()
    for mode, words in (("auto", "laps as recorded"), ("ignore", "laps ignored")):
        fig = figures[mode]
        lines += fig.lines(f"real interval files, rests rewritten standing/paused, {words}")
        lines += [r.line for r in fig.results if verbose or not (r.type_ok and r.count_ok)]
    return lines


def rep_tables() -> list[str]:
    """Each true rep of the real files against the rep found from the trace alone: where
    the reps off by more than 3 % in distance come from (edges, or the file's own
    distance over the lap's span already disagreeing with the lap's)."""
    import real_truth as rt  # scripts/real_truth.py, beside this script

    lines = []
    for which, title in (
        ("dev", "TRUTH.json + truth_corrections.json"),
        ("manifest", "truth_manifest.json"),
        ("mutated", "real interval files, rests rewritten standing/paused"),
    ):
        lines += rt.rep_table(rt.per_rep(which), f"per rep, laps ignored ({title})")
    return lines


def real_files(verbose: bool) -> list[str]:
    """With laps hidden, does the trace find the reps the laps mark?"""
    lines = []
    for rel in REAL_INTERVAL_FILES:
        path = REAL / rel
        if not path.exists():
            lines.append(f"  {rel}: missing")
            continue
        activity = read(path)[0]
        with_laps = find_structure(activity)
        marked = [i for i in with_laps.work if i.source == "laps"]
        if not marked:  # the reader may not give workout steps: laps by speed
            lines.append(f"  {rel}: laps not read as reps ({workout_label(with_laps.workout)})")
            continue
        hidden = find_structure(activity.with_changes(laps=()))
        got = list(hidden.work)
        edges = []
        for m in marked:
            near = min(got, key=lambda g: abs(g.start_s - m.start_s), default=None)
            if near is not None and abs(near.start_s - m.start_s) < 20:
                edges += [abs(near.start_s - m.start_s), abs(near.end_s - m.end_s)]
        med = f"{np.median(edges):.1f}" if edges else "-"
        p95 = f"{np.percentile(edges, 95):.1f}" if edges else "-"
        lines.append(
            f"  {rel}: laps mark {len(marked)} reps, trace finds {len(got)};"
            f" edges median {med} s, p95 {p95} s; '{workout_label(hidden.workout)}'"
        )
        if verbose:
            lines.append(f"    with laps: '{workout_label(with_laps.workout)}'")
    return lines


def every_real_file() -> list[str]:
    """What a new user sees for each readable running file of the manifest."""
    import csv

    from splitcheck.errors import SplitcheckError

    lines = ["every real running file (laps as recorded):"]
    with (REAL / "MANIFEST.tsv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        try:
            activities = read(REAL / row["path"])
        except SplitcheckError:
            continue
        for a in activities:
            if a.sport not in ("running", "unknown") or len(a.samples) < 2:
                continue
            w = find_structure(a).workout
            lines.append(f"  {row['path'][:48]:48s} {w.type:17s} {workout_label(w)[:70]}")
    return lines


def summary(name: str, t: Tally) -> list[str]:
    e = np.asarray(t.edge_err_s)
    d = np.asarray(t.dist_err)
    out = [
        f"{name}: {t.sessions} sessions",
        f"  work reps count exactly right: {t.count_right / t.sessions:.1%} (target >= 95 %)",
        f"  workout type right:            {t.type_right / t.sessions:.1%} (target >= 95 %)",
        f"  continuous runs without work:  {t.continuous_clean}/{t.continuous}",
    ]
    if len(e):
        out.append(
            f"  rep start/end error: median {np.median(e):.2f} s (target <= 2), "
            f"p95 {np.percentile(e, 95):.2f} s (target <= 5)"
        )
        out.append(
            f"  rep distance within 3 %: {np.mean(d <= 0.03):.1%} (median error {np.median(d):.2%})"
        )
        m = np.asarray(t.rep_m)
        for name, sel in (("reps >= 300 m", m >= 300), ("reps < 300 m", m < 300)):
            if sel.any():
                out.append(f"    {name}: {np.mean(d[sel] <= 0.03):.1%} within 3 % ({sel.sum()})")
    for rec, errs in sorted(t.tt_lap_err.items()):
        limit = 0.5 if rec == "1s" else 1.0
        arr = np.asarray(errs)
        out.append(
            f"  mile TT lap error ({rec}): worst lap per session median {np.median(arr):.2f} s, "
            f"max {arr.max():.2f} s; sessions with every lap within {limit} s: "
            f"{np.mean(arr <= limit):.0%}"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of simulated sessions")
    parser.add_argument("--quick", action="store_true", help="one round only")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--real", action="store_true", help="real files only (fast)")
    parser.add_argument(
        "--reps", action="store_true", help="per-rep table of the real files, laps ignored"
    )
    args = parser.parse_args(argv)
    if args.reps:
        sys.stdout.write("\n".join(rep_tables()) + "\n")
        return 0
    if args.real:
        sys.stdout.write("\n".join(real_truth_figures(args.verbose)) + "\n")
        return 0
    tallies = run_simulated(1 if args.quick else args.rounds, args.verbose)
    lines = real_truth_figures(args.verbose)
    for key, title in (
        ("trace", "simulated, laps hidden"),
        ("laps", "simulated, with laps"),
        ("faulty", "simulated, lap presses with real runners' faults (forgotten, skip, stray)"),
        ("real_gps", "simulated, laps hidden, GPS as noisy as on real tracks (3 m, not 1.2 m)"),
    ):
        lines += summary(title, tallies[key])
        lines += [f"    miss: {f}" for f in tallies[key].failures[:15]]
    lines += mile_tt_accuracy(1 if args.quick else args.rounds)
    lines.append("real files, laps hidden:")
    lines += real_files(args.verbose)
    lines += every_real_file()
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
