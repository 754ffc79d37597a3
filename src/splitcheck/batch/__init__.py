"""Many files at once: folders and export zips, parallel workers, a cache, the weekly review.

``run_batch(paths, store)`` analyses every activity file it finds (see
:mod:`splitcheck.batch.run`); ``weekly_review(activities, reps)`` judges the training week
by week against guidance.md section 3 (:mod:`splitcheck.batch.weekly`). Nothing here
imports pandas at module level; :func:`splitcheck.batch.tables.to_frames` does, on demand.
"""
