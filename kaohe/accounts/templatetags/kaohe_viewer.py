"""`{% viewer_cached "nav" %}…{% endviewer_cached %}`: a part of every page that depends only on
its viewer (the navigation bar: roles, the bell, the unit, the name), rendered once per viewer
state and language (accounts/viewer.py) instead of on every request.

The part's CSRF field is rendered with a placeholder and filled with this request's token when
served, so the cached HTML holds no token.
"""

import hashlib

from django import template
from django.utils.translation import get_language

from kaohe.accounts.viewer import per_viewer
from kaohe.common.cached import CSRF_SLOT, with_csrf

register = template.Library()


class ViewerCachedNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.nodelist.render(context)

        def render() -> str:
            with context.push(csrf_token=CSRF_SLOT):
                return str(self.nodelist.render(context))

        shown = hashlib.sha256(str(user).encode()).hexdigest()[:16]  # the name in the bar
        name = f"part:{self.name}:{get_language()}:{shown}"
        html = per_viewer(user, name, render)
        return with_csrf(html, token=str(context.get("csrf_token", "")))


@register.tag("viewer_cached")
def viewer_cached(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError('{% viewer_cached "name" %} takes one name')
    nodelist = parser.parse(("endviewer_cached",))
    parser.delete_first_token()
    return ViewerCachedNode(nodelist, bits[1].strip("\"'"))
