"""The product's own 403/404 pages also under `make run` (DEBUG), not Django's debug page.

Production (DEBUG off) renders templates/404.html, 403.html, 400.html, 500.html and
403_csrf.html through Django's handlers. With DEBUG on, Django answers a 404 with its
technical page listing every URL pattern; this middleware swaps in the product page unless
KAOHE_DEBUG_TECHNICAL_404=1 (a developer looking for a route). 500s keep the traceback page
in development.
"""

from django.conf import settings
from django.shortcuts import render


class ProductErrorPagesMiddleware:
    TEMPLATES = {403: "403.html", 404: "404.html"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        template = self.TEMPLATES.get(response.status_code)
        if (
            template
            and settings.DEBUG
            and not getattr(settings, "KAOHE_DEBUG_TECHNICAL_404", False)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"data-kaohe-error" not in response.content[:20000]
        ):
            return render(request, template, status=response.status_code)
        return response
