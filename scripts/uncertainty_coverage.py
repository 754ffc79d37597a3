"""Does the stated 90 % interval of a GPS-timed lap cover the true lap time 90 % of the time?

Simulated mile time trials (the runner's laps hidden, so every quarter is timed from GPS),
for each route (track, road) and recording (1 s, smart), with the simulator's GPS noise:
prints the share of laps whose true time lies within ``time +- uncertainty_s``::

    PYTHONPATH=src python scripts/uncertainty_coverage.py [N] [--fit|--reps|--fit-reps|--published]

``--published`` judges the published miles (right / cannot tell / wrong).
``--reps`` checks reps the pace trace found (repeats of 200, 400, 800 m, laps hidden);
``--fit-reps`` fits their constants (``metrics.uncertainty.REP_Q90_M``).
``--fit`` fits ``metrics.uncertainty.LAP_Q90_M`` (the detector's part without GPS noise,
the GPS part so that 90 % of laps are covered with it), on runners 2000+; the coverage is
checked on runners 9000+.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from splitcheck.analysis import analyze
from splitcheck.metrics.uncertainty import Z90, lap_uncertainty_s
from splitcheck.scoring import mile_effort
from splitcheck.scoring.margins import timing_of
from splitcheck.simulate import simulate
from splitcheck.simulate import workout as wk

FIT_SEED, CHECK_SEED = 2000, 9000
"""Runners 2000+ set the constants; the coverage is checked on others (9000+)."""
ROUTES = ("track", "road")
RECORDINGS = ("1s", "smart")


def trial(r: int, seed0: int, route: str, recording: str, noise: bool = True):
    """One simulated runner: (true quarters, analysis)."""
    rng = np.random.default_rng(seed0 + r)
    laps = tuple(float(rng.uniform(80, 120)) * (1 + rng.normal(0, 0.03, 4)))
    plan = wk.mile_tt(laps, warmup_s=600.0, start_rest_s=90.0 * (r % 2))
    sim = simulate(plan, seed=seed0 + r, route=route, recording=recording, laps="none",
                   gps_noise=noise)  # fmt: skip
    true = np.array([lap.duration_s for lap in sim.truth.mile_effort.laps])
    return true, analyze(sim.to_activity())


def coverage(
    runners: int, seed0: int = CHECK_SEED
) -> dict[tuple[str, str], tuple[float, int, float]]:
    """(route, recording) -> (share of laps covered, laps, median half-width s)."""
    out = {}
    for route in ROUTES:
        for recording in RECORDINGS:
            hits, widths = [], []
            for r in range(runners):
                true, a = trial(r, seed0, route, recording)
                card = a.pacing
                if card is None or card.kind != "mile":
                    continue
                for lap, t in zip(card.laps, true, strict=True):
                    hits.append(abs(lap.time_s - t) <= lap.uncertainty_s)
                    widths.append(lap.uncertainty_s)
            out[(route, recording)] = (float(np.mean(hits)), len(hits), float(np.median(widths)))
    return out


def fit(runners: int) -> None:
    """Fit (detector, GPS) of each route and recording so that the library's own interval
    covers 90 % of the laps: the detector part on runs without GPS noise, then the GPS
    part (scaled by each file's jitter) by bisection on runs with it."""
    for route in ROUTES:
        for recording in RECORDINGS:
            runs = {noise: _errors(runners, route, recording, noise) for noise in (False, True)}
            err, per_m, _ = runs[False]
            det = float(np.percentile(err / per_m, 90))
            err, per_m, ratio = runs[True]
            lo, hi = 0.0, 20.0
            for _ in range(40):
                gps = (lo + hi) / 2
                covered = np.mean(err <= per_m * np.hypot(det, ratio * gps))
                lo, hi = (gps, hi) if covered < 0.9 else (lo, gps)
            print(f"{route:5s} {recording:5s}: (detector, GPS) = ({det:.2f}, {hi:.2f}) m; "
                  f"median jitter ratio {np.median(ratio):.2f}")  # fmt: skip


def _errors(runners: int, route: str, recording: str, noise: bool):
    """Per GPS lap: |error| s, the library's half-width per metre of lap error, the file's
    jitter ratio."""
    errs, per_m, ratio = [], [], []
    for r in range(runners):
        true, a = trial(r, FIT_SEED, route, recording, noise)
        e = mile_effort(a.activity, a.structure) if a.structure else None
        if e is None:
            continue
        got = np.array([lap.duration_s for lap in e.laps])
        dists = np.array([lap.distance_m for lap in e.laps])
        unit, _ = lap_uncertainty_s(got, dists, 1.0 / Z90 / np.sqrt(2.0), np.zeros(5, bool))
        errs.extend(np.abs(got - true))
        per_m.extend(unit)
        ratio.extend([timing_of(a.activity).noise_ratio] * len(got))
    return np.array(errs), np.array(per_m), np.array(ratio)


def rep_trial(r: int, seed0: int, route: str, recording: str, noise: bool = True):
    """One simulated repeats session, laps hidden: (true reps, analysis)."""
    rng = np.random.default_rng(seed0 + r)
    distance = (200, 400, 800)[r % 3]
    pace = float(rng.uniform(190, 280))
    plan = wk.repeats(6, distance, pace, warmup_s=600)
    sim = simulate(plan, seed=seed0 + r, route=route, recording=recording, laps="none",
                   gps_noise=noise)  # fmt: skip
    return list(sim.truth.reps), analyze(sim.to_activity())


def _rep_errors(runners: int, seed0: int, route: str, recording: str, noise: bool):
    """Per trace-found rep matched to a true one: |error| s, the library's half-width per
    metre of rep error, the file's jitter ratio, the stated half-width."""
    errs, per_m, ratio, stated = [], [], [], []
    for r in range(runners):
        truth, a = rep_trial(r, seed0, route, recording, noise)
        card = a.pacing
        if card is None or card.kind != "intervals":
            continue
        jitter = timing_of(a.activity).noise_ratio
        for rep in card.reps:
            t = min(truth, key=lambda w: abs(w.start_s - rep.start_s))
            if abs(t.start_s - rep.start_s) > 10 or rep.time_source != "gps":
                continue
            unit, _ = lap_uncertainty_s([rep.time_s], [rep.distance_m], 1.0 / Z90 / np.sqrt(2.0),
                                        np.zeros(2, bool))  # fmt: skip
            errs.append(abs(rep.time_s - t.duration_s))
            per_m.append(unit[0])
            ratio.append(jitter)
            stated.append(rep.uncertainty_s)
    return np.array(errs), np.array(per_m), np.array(ratio), np.array(stated)


def fit_reps(runners: int) -> None:
    for route in ROUTES:
        for recording in RECORDINGS:
            err, per_m, _, _ = _rep_errors(runners, FIT_SEED, route, recording, False)
            det = float(np.percentile(err / per_m, 90))
            err, per_m, ratio, _ = _rep_errors(runners, FIT_SEED, route, recording, True)
            lo, hi = 0.0, 50.0
            for _ in range(40):
                gps = (lo + hi) / 2
                covered = np.mean(err <= per_m * np.hypot(det, ratio * gps))
                lo, hi = (gps, hi) if covered < 0.9 else (lo, gps)
            print(f"reps {route:5s} {recording:5s}: (detector, GPS) = ({det:.2f}, {hi:.2f}) m")


def rep_coverage(runners: int) -> None:
    for route in ROUTES:
        for recording in RECORDINGS:
            err, _, _, stated = _rep_errors(runners, CHECK_SEED, route, recording, True)
            print(f"reps {route:5s} {recording:5s}: 90 % interval covers "
                  f"{np.mean(err <= stated):.1%} of {len(err)} true rep times "
                  f"(median +-{np.median(stated):.2f} s)")  # fmt: skip


def published(seeds: int) -> None:
    """The published miles (pacing-science.md) run by the simulated runner with GPS noise
    and laps hidden, each route and recording, ``seeds`` runners each: every verdict
    (even, halves, kick, fast start) right, cannot tell, or wrong against the runner's true
    quarters."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from splitcheck.metrics import equal_lap_times_s
    from splitcheck.metrics.laps import (
        EVEN_CV_PCT,
        HALF_SPLIT_EVEN_BAND_PCT,
        KICK_MIN_PCT,
        went_out_too_fast,
    )
    from test_scoring import PUBLISHED, Q, hand_values

    def verdicts(quarters, cv, half, kick, too_fast):
        band = 0 if abs(half) <= HALF_SPLIT_EVEN_BAND_PCT else int(np.sign(half))
        return {"even": cv <= EVEN_CV_PCT, "halves": band, "kick": kick >= KICK_MIN_PCT,
                "start": too_fast}  # fmt: skip

    tally = {"right": 0, "cannot tell": 0, "wrong": 0}
    for name, (laps, lengths, _) in PUBLISHED.items():
        quarters = tuple(equal_lap_times_s(lengths, laps))
        for route in ROUTES:
            for recording in RECORDINGS:
                for seed in range(seeds):
                    plan = wk.mile_tt(quarters, warmup_s=120.0, cooldown_s=60.0)
                    sim = simulate(plan, seed=10 + seed, route=route, recording=recording,
                                   laps="none")  # fmt: skip
                    tq = np.array([lap.duration_s for lap in sim.truth.mile_effort.laps])
                    truth = verdicts(tq, *hand_values(tq), went_out_too_fast([Q] * 4, tq).too_fast)
                    card = analyze(sim.to_activity()).pacing
                    if card is None or card.kind != "mile":
                        print(f"{name} {route} {recording} {seed}: no mile found")
                        continue
                    mx = card.metrics
                    got = verdicts(None, mx["evenness_cv_pct"], mx["half_split_pct"],
                                   mx["kick_pct"], bool(mx["went_out_too_fast"]))  # fmt: skip
                    for key, value in truth.items():
                        if key in mx["cannot_tell"]:
                            tally["cannot tell"] += 1
                        elif got[key] == value:
                            tally["right"] += 1
                        else:
                            tally["wrong"] += 1
                            print(f"WRONG {name} {route} {recording} seed {seed}: {key}")
    print(", ".join(f"{k} {v}" for k, v in tally.items()))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runners = int(args[0]) if args else 60
    if "--fit" in sys.argv:
        fit(runners)
        return
    if "--fit-reps" in sys.argv:
        fit_reps(runners)
        return
    if "--published" in sys.argv:
        published(int(args[0]) if args else 6)
        return
    if "--reps" in sys.argv:
        rep_coverage(runners)
        return
    for (route, recording), (share, n, width) in coverage(runners).items():
        print(f"{route:5s} {recording:5s}: 90 % interval covers {share:.1%} of {n} true lap "
              f"times (median +-{width:.2f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
