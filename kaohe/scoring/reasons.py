"""A stored grade reason shown in the reader's language (see `engine/reasons.py`)."""

import re

from django.utils.translation import gettext

from kaohe.common.text import join_sentences

from .engine.reasons import REASON_SEPARATOR, REASON_TEMPLATES

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _pattern(template: str) -> re.Pattern:
    pieces = _PLACEHOLDER.split(template)  # literal, name, literal, name, …, literal
    parts = [
        re.escape(piece.replace("%%", "%")) if index % 2 == 0 else f"(?P<{piece}>.+?)"
        for index, piece in enumerate(pieces)
    ]
    return re.compile("".join(parts))


_PATTERNS = [(template, _pattern(template)) for template in REASON_TEMPLATES]


def _clause(clause: str) -> str | None:
    for template, pattern in _PATTERNS:
        match = pattern.fullmatch(clause)
        if match:
            return gettext(template) % match.groupdict()
    return None


def reason_display(reason: str) -> str:
    """Each clause of the engine's reason translated; a clause it cannot read stays as stored.

    A quota clause may end in " → <grade>" (the grade the subject fell to)."""
    if not reason:
        return ""
    clauses = []
    for clause in reason.split(REASON_SEPARATOR):
        shown = _clause(clause)
        if shown is None:
            head, arrow, grade = clause.rpartition(" → ")
            inner = _clause(head) if arrow else None
            shown = f"{inner}{arrow}{grade}" if inner is not None else clause
        clauses.append(shown)
    return join_sentences(clauses)
