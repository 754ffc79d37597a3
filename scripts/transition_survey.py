"""How fast real runners change pace at a rep's edges, measured against the lap edges.

For each true rep of the real interval files (``../shared/real-activities/TRUTH.json`` and
``tests/data/truth_manifest.json``: rep ``start_s`` / ``duration_s`` at the device's laps,
manual presses or workout steps) the pace around the rep's start and end is read from the
file's DISTANCE column (speed = its 1 s differences, the channel the detector's hinge fits;
the watch's own speed column lags it by 2-6 s and is reported beside it):

- ``t10`` / ``t50`` / ``t90``: seconds from the lap edge until the speed has gone 10, 50,
  90 % of the way from the recovery's level to the rep's (at the start) or from the rep's
  level to the recovery's (at the end); negative when the change began before the press;
- ``kink``: where the two straight lines fitted to the distance before and after the edge
  meet, s after the edge (a first-order lag of time constant tau puts it tau after the
  change); this is what ``segment.intervals.START_LAG_S`` / ``END_LAG_S`` undo.

Levels: the median speed 35-10 s before and 15-40 s after the edge (or the rep's middle
when the rep is shorter). The same measure runs on simulated sessions
(:func:`simulated_edges`) so the simulator's transitions can be held to the real range
(``tests/test_simulate_transitions.py``).

Run: ``python scripts/transition_survey.py`` (``--sim`` adds the simulator's figures).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-activities"
MANIFEST_TRUTH = ROOT / "tests" / "data" / "truth_manifest.json"

SURVEY_FILES = {
    "run-stats/6761214480_ACTIVITY.fit": "workout steps (400 m), 1 s",
    "run-stats/6840589159_ACTIVITY.fit": "workout steps (400 m), 1 s",
    "run-stats/7119384558_ACTIVITY.fit": "workout steps (400 m), 1 s",
    "activityio/c2eb1b_6.tcx": "manual laps, TCX",
    "connectstats/track_cs_728599.fit": "manual laps, 1 s",
    "fit-parser/garmin-stamina.fit": "manual laps, 1 s",
    "workoutizer/with_nones.fit": "manual laps, smart recording",
    "rust_fit_file/20210610_track_garmin_fenix_6.fit": "auto 400 m laps (track mode)",
}
"""Real sessions whose reps start and end at the device's laps (the 30 km treadmill
ladder, its foot pod badly calibrated, and the single-lap road race are left out)."""

BEFORE_S = (-35.0, -10.0)
AFTER_S = (15.0, 40.0)
"""Windows (s from the edge, on the side away from the rep for BEFORE) where each level is
the median speed; clipped to the rep's middle for short reps."""
MIN_STEP_MPS = 0.5
"""Edges whose rep and recovery levels differ by less are left out (no clear change)."""


@dataclass(frozen=True)
class Edge:
    """One rep edge: where (``start``/``end``), the levels and the transition times."""

    name: str
    kind: str
    low_mps: float
    high_mps: float
    t10_s: float
    t50_s: float
    t90_s: float
    kink_s: float
    t50_speed_col_s: float


def _levels(t, v, edge, rep_len, outward):
    """Median speed on the recovery side and on the rep side of an edge (``outward``: +1
    when the rep lies after the edge, -1 when before)."""
    inner_hi = min(AFTER_S[1], max(rep_len * 0.6, AFTER_S[0] + 5))
    inner_lo = min(AFTER_S[0], inner_hi * 0.5)
    rep_win = edge + outward * np.array([inner_lo, inner_hi])
    rec_win = edge - outward * np.array([-BEFORE_S[1], -BEFORE_S[0]])
    rep = (t >= rep_win.min()) & (t <= rep_win.max())
    rec = (t >= rec_win.min()) & (t <= rec_win.max())
    if rep.sum() < 3 or rec.sum() < 3:
        return None
    return float(np.median(v[rec])), float(np.median(v[rep])), rep, rec


def _crossing(t, v, level, rising, t_from, t_to):
    """First time in [t_from, t_to] after which speed stays on the far side of ``level``
    for 3 s; linearly interpolated."""
    sel = np.nonzero((t >= t_from) & (t <= t_to))[0]
    if len(sel) < 2:
        return float("nan")
    vs = v[sel] if rising else -v[sel]
    lvl = level if rising else -level
    above = vs >= lvl
    for k in range(1, len(sel)):
        if above[k] and not above[k - 1]:
            j = sel[k]
            hold = (t >= t[j]) & (t <= t[j] + 3.0)
            if np.all((v[hold] >= level) if rising else (v[hold] <= level)):
                frac = (lvl - vs[k - 1]) / (vs[k] - vs[k - 1])
                return float(t[j - 1] + frac * (t[j] - t[j - 1]))
    return float("nan")


def _kink(t, d, rep, rec, edge):
    """Time (s after ``edge``) where lines fitted to distance on each side meet."""
    a1, b1 = np.polyfit(t[rec], d[rec], 1)
    a2, b2 = np.polyfit(t[rep], d[rep], 1)
    if abs(a2 - a1) < 1e-6:
        return float("nan")
    return float((b1 - b2) / (a2 - a1) - edge)


def edges_of(name, elapsed_s, distance_m, speed_col_mps, reps):
    """The :class:`Edge` s of a session's reps, ``reps`` as (start_s, end_s) pairs. The
    trace is resampled on a 1 s grid (distance interpolated over gaps and pauses)."""
    ok = np.isfinite(elapsed_s) & np.isfinite(distance_m)
    te, de = elapsed_s[ok], np.maximum.accumulate(distance_m[ok])
    t = np.arange(np.ceil(te[0]), np.floor(te[-1]) + 1.0)
    d = np.interp(t, te, de)
    v = np.gradient(d, t)  # centred 1 s difference: no lag
    sc = (
        np.interp(
            t, elapsed_s[np.isfinite(speed_col_mps)], speed_col_mps[np.isfinite(speed_col_mps)]
        )
        if np.isfinite(speed_col_mps).sum() > 10
        else None
    )
    out = []
    for start, end in reps:
        rep_len = end - start
        for kind, edge, outward in (("start", start, 1), ("end", end, -1)):
            lv = _levels(t, v, edge, rep_len, outward)
            if lv is None:
                continue
            low, high, rep, rec = lv
            if high - low < MIN_STEP_MPS:
                continue
            rising = kind == "start"
            lo_t, hi_t = edge - 12.0, edge + min(20.0, rep_len * 0.5)
            if not rising:
                lo_t, hi_t = edge - min(20.0, rep_len * 0.5), edge + 15.0
            a, b = (low, high) if rising else (high, low)
            ts = [
                _crossing(t, v, a + f * (b - a), rising, lo_t, hi_t) - edge for f in (0.1, 0.5, 0.9)
            ]
            t50c = float("nan")
            if sc is not None:
                t50c = _crossing(t, sc, a + 0.5 * (b - a), rising, lo_t, hi_t + 8) - edge
            out.append(Edge(name, kind, low, high, *ts, _kink(t, d, rep, rec, edge), t50c))
    return out


def real_edges() -> list[Edge]:
    """Every rep edge of :data:`SURVEY_FILES` (reps from TRUTH.json / the manifest)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from real_truth import running_activity

    truth = json.loads((REAL / "TRUTH.json").read_text(encoding="utf-8"))
    truth.update(json.loads(MANIFEST_TRUTH.read_text(encoding="utf-8")))
    out = []
    for rel in SURVEY_FILES:
        if not (REAL / rel).exists():
            continue
        s = running_activity(rel).samples
        reps = [(r["start_s"], r["start_s"] + r["duration_s"]) for r in truth[rel]["reps"]]
        out += edges_of(rel, s.elapsed_s, s.distance_m, s.speed_mps, reps)
    return out


def simulated_edges(seeds=range(6)) -> list[Edge]:
    """The same edges on simulated track sessions (1 s recording, laps hidden does not
    matter here: reps are the truth's), several rep lengths and recoveries."""
    from splitcheck.simulate import simulate
    from splitcheck.simulate import workout as wk

    out = []
    for seed in seeds:
        rng = np.random.default_rng(500 + seed)
        pace = float(rng.uniform(190, 260))
        for plan in (
            wk.repeats(6, 400, pace, recovery=200, recovery_mode="distance"),
            wk.repeats(4, 800, pace + 10, recovery=120),
            wk.time_reps(5, 180, pace, recovery_s=120),
        ):
            recording = "smart" if seed % 3 == 2 else "1s"
            sim = simulate(plan, seed=seed, route="track", recording=recording, laps="none")
            s = sim.to_activity().samples
            reps = [(r.start_s, r.end_s) for r in sim.truth.reps]
            out += edges_of(
                f"sim {plan.label} #{seed}", s.elapsed_s, s.distance_m, s.speed_mps, reps
            )
    return out


def summary(edges: list[Edge], kind: str) -> dict[str, tuple[float, float, float]]:
    """(25th percentile, median, 75th percentile) of each figure over edges of ``kind``."""
    sel = [e for e in edges if e.kind == kind]
    out = {}
    for attr in ("t10_s", "t50_s", "t90_s", "kink_s", "t50_speed_col_s"):
        x = np.array([getattr(e, attr) for e in sel])
        x = x[np.isfinite(x)]
        out[attr] = tuple(np.percentile(x, [25, 50, 75])) if len(x) else (np.nan,) * 3
    return out


def _table(edges: list[Edge], title: str, by_file: bool) -> list[str]:
    lines = [f"{title}: {len(edges)} edges (s from the lap edge; 25th / median / 75th pct)"]
    groups = {}
    for e in edges:
        groups.setdefault(e.name if by_file else "all", []).append(e)
    if by_file and len(groups) > 1:
        groups["ALL"] = edges
    for name, es in groups.items():
        for kind in ("start", "end"):
            n = sum(e.kind == kind for e in es)
            if not n:
                continue
            s = summary(es, kind)
            cells = "  ".join(
                f"{k[:-2]} {s[k][1]:+5.1f} ({s[k][0]:+.1f}..{s[k][2]:+.1f})"
                for k in ("t10_s", "t50_s", "t90_s", "kink_s", "t50_speed_col_s")
            )
            label = SURVEY_FILES.get(name, "")
            lines.append(f"  {name[:44]:44s} {kind:5s} n={n:2d}  {cells}  {label}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sim", action="store_true", help="the simulator's figures too")
    parser.add_argument("--edges", action="store_true", help="every edge, one per line")
    args = parser.parse_args(argv)
    real = real_edges()
    lines = _table(real, "real files", by_file=True)
    if args.edges:
        lines += [f"    {e}" for e in real]
    if args.sim:
        lines += _table(simulated_edges(), "simulated track sessions", by_file=False)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
