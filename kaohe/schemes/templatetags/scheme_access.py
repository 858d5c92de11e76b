"""Template access to the permission module, so shared fragments need no view context."""

from django import template

from kaohe.schemes import access

register = template.Library()


@register.simple_tag(takes_context=True)
def manages_scheme(context, scheme) -> bool:
    return access.can_manage_scheme(context["request"].user, scheme)
