"""Writes of the surveys app, one module per topic (each service audited, in a transaction)."""
