from django import template

from ..reasons import reason_display

register = template.Library()


@register.filter
def grade_reason(reason: str) -> str:
    """`{{ result.grade_reason|grade_reason }}`: the stored reason in the reader's language."""
    return reason_display(reason)
