"""The product's own error pages in the demo (`make run` runs with DEBUG=1, where Django would
show its technical page listing every URL pattern). Production (DEBUG off) uses the same
templates through Django's own handlers."""

from django.conf import settings
from django.shortcuts import render


class FriendlyErrorsMiddleware:
    """With DEBUG and KAOHE_FRIENDLY_ERRORS (on in the demo), 403/404 show our pages."""

    TEMPLATES = {403: "403.html", 404: "404.html"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        template = self.TEMPLATES.get(response.status_code)
        wanted = settings.DEBUG and getattr(settings, "KAOHE_FRIENDLY_ERRORS", False)
        if template and wanted and "text/html" in response.get("Content-Type", ""):
            return render(request, template, status=response.status_code)
        return response
