"""Small helpers shared by the exams views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404


def flash_error(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def require(condition: bool, what: str = "页面") -> None:
    """Same 404 as a missing object when the user may see but not change something."""
    if not condition:
        raise Http404(f"{what}不存在")


def client_address(request) -> str:
    from kaohe.audit.context import client_ip

    return client_ip(request) or "unknown"
