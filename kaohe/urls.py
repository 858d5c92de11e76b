"""Root URL configuration: one include per app."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from kaohe.api.api import urls as api_urls
from kaohe.views import favicon, home

urlpatterns = [
    path("", home, name="home"),
    path("", include("kaohe.home.urls")),
    path("", include("kaohe.accounts.urls")),
    path("", include("kaohe.audit.urls")),
    path("schemes/", include("kaohe.schemes.urls")),
    path("results/", include("kaohe.scoring.urls")),
    path("transfer/", include("kaohe.transfer.urls")),
    path("tasks/", include("kaohe.tasks.urls")),
    path("onsite/", include("kaohe.onsite.urls")),
    path("exams/", include("kaohe.exams.urls")),
    path("publishing/", include("kaohe.publishing.urls")),
    path("rectification/", include("kaohe.rectification.urls")),
    path("notifications/", include("kaohe.notifications.urls")),
    path("sso/", include("kaohe.accounts.sso.urls")),
    path("account/tokens/", include("kaohe.api.urls")),
    path("api/v1/", api_urls()),
    path("surveys/", include("kaohe.surveys.urls")),
    # Public respondent pages (no account); the /s/ prefix is what logging rules key on.
    path("s/", include("kaohe.surveys.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Pages name their icon; this answers tools that still ask for /favicon.ico.
    path("favicon.ico", favicon, name="favicon"),
]
if settings.KAOHE_SUPERUSERS_ALLOWED:
    # Demo and development only: Django admin writes users and roles past the services (and
    # their audit events are then only the generic ones from accounts/signals.py).
    urlpatterns.append(path("django-admin/", admin.site.urls))
