"""tasks views, split by topic."""
