"""Scoring pages: score entry, ranking tables, the trace of one subject."""

from .entry import score_entry
from .results import recompute, results, trace

__all__ = ["recompute", "results", "score_entry", "trace"]
