"""publishing views, split by topic."""
