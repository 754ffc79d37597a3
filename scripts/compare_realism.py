"""Do simulated traces look like real ones? Prints a table comparing statistics of the
real running files in ../shared/real-activities/ with simulated activities.

Statistics, each computed the same way on every activity as splitcheck reads it:

- ``dv_sd``: SD of sample-to-sample change of the device speed (m/s), over 1 s gaps
  where both samples are running (> 1.5 m/s);
- ``dvd_sd``: the same for speed from the distance column (m/s);
- ``v_lag_s``: how many seconds the device speed lags the distance column's speed (the
  shift, 0-10 s, that best correlates them on a 1 s grid): a watch smooths its speed;
- ``jitter_move``: SD of positions (m) around a centred 5-sample moving average while
  running, 1 s recording only (high-frequency position noise);
- ``jitter_stand``: RMS distance (m) of positions from their centroid while standing for
  at least 10 s;
- ``dist/path``: the file's distance over the summed length of its positions (the
  positions' own length includes jitter: a watch that sums smoothed fixes reads shorter);
- ``dist/true`` (simulated only): the file's distance over the distance really run;
- ``noise_run`` / ``noise_jog`` / ``noise_walk``: relative SD of the 15 s speed from the
  distance column around its 61 s median, where the 61 s speed is a run (> 3.2 m/s), a
  jog (1.8-3.2 m/s) or a walk (0.8-1.8 m/s) and steady (within 5 % over +-30 s): the GPS
  noise the segmentation sees at the scale of a rep, 1 s recording only;
- ``cad_corr``: correlation of the 15 s cadence with the 15 s speed over the running
  (segment/cadence.py relies on it: sessions of reps score high, easy runs low).

``--intervals`` prints the table for the real interval sessions (TRUTH.json and
tests/data/truth_manifest.json sessions with reps) and simulated interval sessions only,
with the medians of both.

Usage: python scripts/compare_realism.py
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import numpy as np

from splitcheck.derive import haversine_m
from splitcheck.errors import SplitcheckError
from splitcheck.io import read, read_bytes
from splitcheck.segment.trace import rolling_median
from splitcheck.simulate import simulate, workout
from splitcheck.simulate.watch import REAL_TRACK_GPS_SIGMA_M

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-activities"
RUNNING_MPS = 1.5
STANDING_MPS = 0.3
MIN_STAND_S = 10


def _local_xy(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat0 = np.nanmean(lat)
    y = np.radians(lat - lat0) * 6_371_008.8
    x = np.radians(lon - np.nanmean(lon)) * 6_371_008.8 * math.cos(math.radians(lat0))
    return x, y


def stats(act) -> dict[str, float]:
    s = act.samples
    t, d, v = s.elapsed_s, s.distance_m, s.speed_mps
    dt = np.diff(t)
    one = dt == 1
    out: dict[str, float] = {"n": len(t), "one_s_%": 100 * float(one.mean()) if len(dt) else 0}
    run = one & (v[1:] > RUNNING_MPS) & (v[:-1] > RUNNING_MPS)
    out["dv_sd"] = float(np.std(np.diff(v)[run])) if run.sum() > 30 else math.nan
    vd = np.diff(d) / np.where(dt > 0, dt, np.nan)
    run_d = one[1:] & one[:-1] & (vd[1:] > RUNNING_MPS) & (vd[:-1] > RUNNING_MPS)
    out["dvd_sd"] = float(np.std(np.diff(vd)[run_d])) if run_d.sum() > 30 else math.nan
    out["v_lag_s"] = _speed_lag_s(t, d, v)
    out |= _scale_noise(t, d, dt)
    out["cad_corr"] = _cadence_corr(t, d, s.cadence_spm)
    lat, lon = s.lat_deg, s.lon_deg
    if np.isfinite(lat).sum() < 10:
        return out | {"jitter_move": math.nan, "jitter_stand": math.nan, "dist/path": math.nan}
    x, y = _local_xy(lat, lon)
    out["jitter_move"] = _jitter_moving(x, y, dt, v)
    out["jitter_stand"] = _jitter_standing(x, y, vd)
    ok = np.isfinite(lat)
    path = float(np.sum(haversine_m(lat[ok][:-1], lon[ok][:-1], lat[ok][1:], lon[ok][1:])))
    out["dist/path"] = act.distance_m / path if path > 0 else math.nan
    return out


NOISE_BANDS = {"noise_run": (3.2, 99.0), "noise_jog": (1.8, 3.2), "noise_walk": (0.8, 1.8)}


def _medians(t, d, widths=(15, 61)):
    """1 s grid times and the distance-column speed as rolling medians of ``widths``."""
    ok = np.isfinite(t) & np.isfinite(d)
    if ok.sum() < 300:
        return None
    grid = np.arange(t[ok][0], t[ok][-1])
    v = np.gradient(np.interp(grid, t[ok], d[ok]))
    return grid, [rolling_median(v, w) for w in widths]


def _scale_noise(t, d, dt) -> dict[str, float]:
    nan = dict.fromkeys(NOISE_BANDS, math.nan)
    if len(dt) == 0 or np.mean(dt == 1) < 0.9:
        return nan
    got = _medians(t, d)
    if got is None:
        return nan
    _, (v15, v61) = got
    lo, hi = np.roll(v61, 30), np.roll(v61, -30)
    with np.errstate(divide="ignore", invalid="ignore"):  # standing: v61 == 0
        steady = (np.abs(lo / v61 - 1) < 0.05) & (np.abs(hi / v61 - 1) < 0.05)
        rel = v15 / np.where(v61 > 0, v61, np.nan) - 1
    steady[:30], steady[-30:] = False, False
    out = {}
    for name, (a, b) in NOISE_BANDS.items():
        m = steady & (v61 > a) & (v61 <= b)
        out[name] = float(np.std(rel[m])) if m.sum() >= 60 else math.nan
    return out


def _cadence_corr(t, d, cad) -> float:
    ok = np.isfinite(cad) & np.isfinite(t)
    got = _medians(t, d, (15,))
    if got is None or ok.sum() < 0.5 * len(t):
        return math.nan
    grid, (v15,) = got
    c15 = rolling_median(np.interp(grid, t[ok], cad[ok]), 15)
    run = (v15 > 1.8) & (c15 > 130)
    if run.sum() < 300 or np.std(c15[run]) == 0:
        return math.nan
    return float(np.corrcoef(c15[run], v15[run])[0, 1])


def _speed_lag_s(t, d, v) -> float:
    ok = np.isfinite(t) & np.isfinite(d) & np.isfinite(v)
    if ok.sum() < 300:
        return math.nan
    grid = np.arange(t[ok][0], t[ok][-1])
    vd = np.gradient(np.interp(grid, t[ok], d[ok]))
    vg = np.interp(grid, t[ok], v[ok])
    inner = slice(20, -20)
    corr = [np.corrcoef(vd[inner], np.roll(vg, -lag)[inner])[0, 1] for lag in range(11)]
    return float(np.argmax(corr))


def _jitter_moving(x, y, dt, v) -> float:
    k = 5
    if len(x) < 20:
        return math.nan
    kern = np.ones(k) / k
    rx = x[2:-2] - np.convolve(x, kern, "valid")
    ry = y[2:-2] - np.convolve(y, kern, "valid")
    one = np.convolve((dt == 1).astype(float), np.ones(4), "valid") == 4
    good = one & (v[2:-2] > RUNNING_MPS) & np.isfinite(rx)
    if good.sum() < 30:
        return math.nan
    return float(np.sqrt(np.mean(rx[good] ** 2 + ry[good] ** 2) / 2))


def _jitter_standing(x, y, vd) -> float:
    still = np.concatenate([[False], vd < STANDING_MPS])
    edges = np.diff(np.concatenate([[0], still.astype(int), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    res = []
    for a, b in zip(starts, ends, strict=True):
        if b - a >= MIN_STAND_S:
            res.append((x[a:b] - np.nanmean(x[a:b])) ** 2 + (y[a:b] - np.nanmean(y[a:b])) ** 2)
    if not res:
        return math.nan
    return float(np.sqrt(np.nanmean(np.concatenate(res))))


def real_rows() -> list[tuple[str, dict]]:
    with (REAL / "MANIFEST.tsv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    out = []
    for row in rows:
        if not row["sport_if_known"].startswith("running"):
            continue
        try:
            acts = read(REAL / row["path"])
        except SplitcheckError:
            continue
        runs = [a for a in acts if a.sport == "running" and a.distance_m > 1000]
        if runs:
            out.append((row["path"], stats(runs[0])))
    return out


SIMULATED = {
    "sim easy 32 min road 1s": (workout.easy(1920), {"route": "road"}),
    "sim easy 32 min road smart": (workout.easy(1920), {"route": "road", "recording": "smart"}),
    "sim 8x200 track 1s": (
        workout.repeats(8, 200, 210, recovery=200, recovery_mode="distance"),
        {},
    ),
    "sim mile TT track 1s": (workout.mile_tt(), {}),
    "sim 4x3 min stand track": (
        workout.time_reps(4, 180, 240, recovery_s=120, recovery_mode="stand"),
        {},
    ),
    "sim tempo hilly road smart": (workout.tempo_hilly(), {"route": "road", "recording": "smart"}),
    "sim 6x400 jog track 1s": (
        workout.repeats(6, 400, 215, recovery=200, recovery_mode="distance"),
        {},
    ),
    "sim 5x1000 jog road 1s": (
        workout.repeats(5, 1000, 240, recovery=120),
        {"route": "road"},
    ),
    "sim 8x200 track 1s, track GPS 3 m": (
        workout.repeats(8, 200, 210, recovery=200, recovery_mode="distance"),
        {"gps_noise": REAL_TRACK_GPS_SIGMA_M},
    ),
    "sim 6x400 jog track 1s, track GPS 3 m": (
        workout.repeats(6, 400, 215, recovery=200, recovery_mode="distance"),
        {"gps_noise": REAL_TRACK_GPS_SIGMA_M},
    ),
}


SIM_INTERVALS = {
    "sim 8x200 track 1s",
    "sim 4x3 min stand track",
    "sim 6x400 jog track 1s",
    "sim 5x1000 jog road 1s",
    "sim 8x200 track 1s, track GPS 3 m",
    "sim 6x400 jog track 1s, track GPS 3 m",
}


def sim_rows() -> list[tuple[str, dict]]:
    out = []
    for name, (plan, kw) in SIMULATED.items():
        sim = simulate(plan, seed=7, **kw)
        act = read_bytes(sim.fit_bytes(), name)[0]
        row = stats(act)
        true_m = float(sim.trace.distance_at(np.array([sim.recording.end_s]))[0])
        row["dist/true"] = act.distance_m / true_m
        out.append((name, row))
    return out


COLS = (
    "n",
    "one_s_%",
    "dv_sd",
    "dvd_sd",
    "v_lag_s",
    "jitter_move",
    "jitter_stand",
    "dist/path",
    "dist/true",
    *NOISE_BANDS,
    "cad_corr",
)


def table(rows: list[tuple[str, dict]]) -> str:
    head = f"{'activity':<58}" + "".join(f"{c:>13}" for c in COLS)
    lines = [head]
    for name, r in rows:
        cells = "".join(
            f"{r.get(c, math.nan):>13.3f}" if c != "n" else f"{r[c]:>13d}" for c in COLS
        )
        lines.append(f"{name:<58}{cells}")
    return "\n".join(lines)


def interval_paths() -> set[str]:
    """Real sessions with reps in their hand truth (TRUTH.json, truth_manifest.json)."""
    import json

    truth = json.loads((REAL / "TRUTH.json").read_text(encoding="utf-8"))
    truth |= json.loads((ROOT / "tests" / "data" / "truth_manifest.json").read_text("utf-8"))
    return {k for k, v in truth.items() if v.get("n_work", 0) >= 2}


def main() -> int:
    import warnings

    warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)  # no stands
    intervals = "--intervals" in sys.argv[1:]
    real, sim = real_rows(), sim_rows()
    if intervals:
        keep = interval_paths()
        real = [(n, r) for n, r in real if n in keep]
        sim = [(n, r) for n, r in sim if n in SIM_INTERVALS]
    print(table(real + sim))
    for label, rows in (("real median", real), ("sim median", sim)):
        with np.errstate(all="ignore"):
            med = {
                c: float(np.nanmedian([r.get(c, math.nan) for _, r in rows]))
                if any(np.isfinite(r.get(c, math.nan)) for _, r in rows)
                else math.nan
                for c in COLS[2:]
            }
        print(f"{label:<58}{'':>26}" + "".join(f"{med[c]:>13.3f}" for c in COLS[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
