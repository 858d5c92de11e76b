"""Audit action names of the scoring app (one place, so a typo cannot invent an action)."""

SCORE_SET = "score.set"
SCORE_CLEAR = "score.clear"
SCORE_BATCH = "score.batch"
RESULTS_RECOMPUTE = "results.recompute"
