from django import template
from django.utils.translation import gettext, gettext_noop

from ..engine import UNGRADED
from ..reasons import reason_display

register = template.Library()


@register.filter
def grade_reason(reason: str) -> str:
    """`{{ result.grade_reason|grade_reason }}`: the stored reason in the reader's language."""
    return reason_display(reason)


gettext_noop("未定等次")  # the engine's UNGRADED, for the catalogue


@register.filter
def grade_name(grade: str) -> str:
    """A stored grade: the scheme's own names as written, the engine's "未定等次" translated."""
    return gettext(UNGRADED) if grade == UNGRADED else grade
