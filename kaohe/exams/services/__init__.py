"""Writes of the exams app, one module per topic (bank, exams, sittings, attempts, marking)."""
