"""Pacing metrics: pure functions over lap, rep and sample arrays, units in their names.

Modules: :mod:`.laps` (one effort in laps), :mod:`.series` (reps, drift), :mod:`.terrain`
(grade-adjusted pace), :mod:`.physio` (heart rate), :mod:`.predict` (mile predictions).
Formulas and reference numbers: ../shared/docs/pacing-science.md.
"""

from .laps import (
    SHAPES,
    StartVerdict,
    equal_lap_times_s,
    evenness_cv_pct,
    half_split_pct,
    kick_pct,
    kick_vs_average_pct,
    lap_speeds_mps,
    pacing_shape,
    went_out_too_fast,
)
from .physio import aerobic_decoupling_pct, is_steady, peak_hr_pct_of_max
from .predict import MilePrediction, predict_mile, riegel_time_s, time_for_vdot_s, vdot
from .series import (
    consistency_cv_pct,
    drift_s_per_km_per_km,
    fade_s_per_km_per_rep,
    mean_speed_change_pct,
    ols_slope,
    pace_s_per_km,
)
from .terrain import (
    grade_adjusted_speed_mps,
    grade_from_altitude,
    minetti_cost_j_per_kg_m,
    on_track,
    running_altitude_m,
    smooth_altitude_m,
)

__all__ = [
    "SHAPES",
    "MilePrediction",
    "StartVerdict",
    "aerobic_decoupling_pct",
    "consistency_cv_pct",
    "drift_s_per_km_per_km",
    "equal_lap_times_s",
    "evenness_cv_pct",
    "fade_s_per_km_per_rep",
    "grade_adjusted_speed_mps",
    "grade_from_altitude",
    "half_split_pct",
    "is_steady",
    "kick_pct",
    "kick_vs_average_pct",
    "lap_speeds_mps",
    "mean_speed_change_pct",
    "minetti_cost_j_per_kg_m",
    "ols_slope",
    "on_track",
    "pace_s_per_km",
    "pacing_shape",
    "peak_hr_pct_of_max",
    "predict_mile",
    "riegel_time_s",
    "running_altitude_m",
    "smooth_altitude_m",
    "time_for_vdot_s",
    "vdot",
    "went_out_too_fast",
]
