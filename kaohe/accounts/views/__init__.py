"""accounts views, split by topic."""
