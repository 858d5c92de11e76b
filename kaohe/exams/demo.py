"""The exams part of the demo: the bank (126 original questions) and the two tests of X2."""

from __future__ import annotations

from decimal import Decimal

from .demo_bank import load_demo_bank
from .models import Exam
from .services.exams import exam_save

WRITTEN_LINES = [
    {"type": "single", "count": 10, "points": Decimal("2")},
    {"type": "multiple", "count": 5, "points": Decimal("4")},
    {"type": "tf", "count": 10, "points": Decimal("2")},
    {"type": "fill", "count": 5, "points": Decimal("4")},
    {"type": "short", "count": 2, "points": Decimal("10")},
]
ORAL_LINES = [
    {"type": "short", "topic": "法治政府建设实施纲要", "count": 2, "points": Decimal("50")}
]


def exams_demo(scheme) -> None:
    """Bank under the scheme's owner; X2.1 oral (leaders), X2.2 written (staff). Idempotent."""
    bank = load_demo_bank(scheme.owner_unit)
    for indicator in scheme.indicators.filter(code__in=["X2.1", "X2.2"]):
        if Exam.objects.filter(indicator=indicator).exists():
            continue
        oral = indicator.code == "X2.1"
        exam_save(
            indicator=indicator,
            bank=bank,
            kind="oral" if oral else "written",
            title=indicator.name,
            lines=ORAL_LINES if oral else WRITTEN_LINES,
            time_limit_minutes=40,
        )
