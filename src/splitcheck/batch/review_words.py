"""The weekly review's flags in words, as the article says them (guidance.md section 3).

``FLAG_WORDS``: the short phrase shown for a week; ``FLAG_EXPLAINED``: what the rule asks,
listed once under the review.
"""

from __future__ import annotations

FLAG_WORDS = {
    "no_sprint_session": "no sprint session this week",
    "no_speed_endurance_session": "no speed-endurance session this week",
    "no_30_min_run": "no 30-minute run this week",
    "back_to_back_days": "ran on consecutive days",
    "hard_minutes_jump": "hard minutes up more than 30 %",
    "no_cross_training": "no cross-training this week",
    "back_after_break": "first week back after a break",
}
"""The review in words, as the article says it (guidance.md section 3)."""
FLAG_EXPLAINED = {
    "no_sprint_session": "once a week, short super-fast reps of up to ~60 s or ~300 m "
    "(article tip #1)",
    "no_speed_endurance_session": "at least once a week, longer reps of ~2 min or ~600 m and "
    "more (tip #6)",
    "no_30_min_run": "beginners: build up to one continuous 30-minute run a week (tip #7)",
    "back_to_back_days": "new runners: run every other day to start",
    "hard_minutes_jump": "hard minutes more than 30 % above the mean of the 3 weeks before "
    "(weeks of a break left out): build intensity gradually",
    "no_cross_training": "experienced runners: one cross-training session in place of an "
    "aerobic run",
    "back_after_break": "two weeks or more without a run before this one: build back up gently",
}

__all__ = ["FLAG_EXPLAINED", "FLAG_WORDS"]
