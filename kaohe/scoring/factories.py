"""Test factories for scores: always through the one score service."""

from decimal import Decimal

from .services import score_set


def make_score(subject, indicator, value, *, note: str = "", actor=None):
    return score_set(
        subject=subject, indicator=indicator, value=Decimal(str(value)), note=note, actor=actor
    )
