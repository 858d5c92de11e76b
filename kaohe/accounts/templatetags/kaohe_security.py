"""`{% security_nav as nav %}`: which security pages the signed-in user may open (三员)."""

from django import template

from kaohe.accounts import access

register = template.Library()


@register.simple_tag(takes_context=True)
def security_nav(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "users": access.can_manage_users(user) or access.can_assign_roles(user),
        "policy": access.can_manage_security(user),
        "audit": access.can_read_audit(user),
        "sessions": True,
    }
