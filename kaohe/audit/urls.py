"""The audit admin's pages (三员: read, verify, export). Included at the root without a
namespace, so the names stay `audit_events`, `audit_verify`, `audit_export`."""

from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.event_list, name="audit_events"),
    path("audit/verify/", views.verify, name="audit_verify"),
    path("audit/export/", views.export, name="audit_export"),
]
