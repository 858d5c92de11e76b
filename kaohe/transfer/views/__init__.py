"""transfer views, split by topic."""
