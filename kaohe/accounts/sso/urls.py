from django.urls import path

from . import views

urlpatterns = [
    path("oidc/start/", views.oidc_start, name="sso_oidc_start"),
    path("oidc/callback/", views.oidc_callback, name="sso_oidc_callback"),
    path("cas/login/", views.cas_login, name="sso_cas_login"),
]
