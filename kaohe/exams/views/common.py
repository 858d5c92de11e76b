"""Small helpers shared by the exams views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from kaohe.common.text import join_sentences


def flash_error(request, exc: ValidationError) -> None:
    messages.error(request, join_sentences(exc.messages))


def require(condition: bool, what: str = "") -> None:
    """Same 404 as a missing object when the user may see but not change something."""
    if not condition:
        raise Http404(_("%(what)s不存在") % {"what": what or _("页面")})


def client_address(request) -> str:
    from kaohe.audit.context import client_ip

    return client_ip(request) or "unknown"
