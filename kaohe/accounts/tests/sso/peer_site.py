"""A small identity provider run as its own process for the SSO tests: an existing
implementation, configured here, not a mock of kaohe's code.

    python peer_site.py oidc|cas PORT WORKDIR RP_BASE

- oidc: django-oidc-provider (authorization code flow, RS256 ID tokens, userinfo);
- cas:  django-cas-server (CAS 1/2/3 with attributes).
Users come as JSON in the environment (PEER_USERS: [[username, name, password], ...]).
Serves on 127.0.0.1:PORT until terminated.
"""

import json
import os
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django
from django.conf import settings
from django.urls import include, path

HERE = Path(__file__).resolve().parent
KIND, PORT, WORKDIR, RP_BASE = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
SITE = f"http://127.0.0.1:{PORT}"


def userinfo(claims, user):
    """django-oidc-provider's OIDC_USERINFO hook: the standard claims of a user."""
    claims["preferred_username"] = user.username
    claims["name"] = user.first_name
    claims["email"] = user.email
    return claims


apps = ["oidc_provider"] if KIND == "oidc" else ["cas_server"]
settings.configure(
    DEBUG=True,
    SECRET_KEY="peer-site-for-tests-only",  # noqa: S106
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    DATABASES={
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(WORKDIR / "peer.sqlite3")}
    },
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        *apps,
    ],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ],
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [HERE / "peer_templates"],
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ]
            },
        }
    ],
    USE_TZ=True,
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    LOGIN_URL="/accounts/login/",
    SITE_URL=SITE,
    OIDC_USERINFO="__main__.userinfo",
    OIDC_LOGIN_URL="/accounts/login/",
    CAS_SHOW_POWERED=False,
    STATIC_URL="/static/",
)
django.setup()

from django.contrib.auth import views as auth_views  # noqa: E402

urlpatterns = [path("accounts/login/", auth_views.LoginView.as_view())]
if KIND == "oidc":
    urlpatterns.append(path("openid/", include("oidc_provider.urls", namespace="oidc_provider")))
else:
    urlpatterns.append(path("cas/", include("cas_server.urls", namespace="cas_server")))


def setup() -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for username, name, password in json.loads(os.environ.get("PEER_USERS", "[]")):
        User.objects.create_user(username, f"{username}@idp.test", password, first_name=name)
    if KIND == "oidc":
        from oidc_provider.models import Client, ResponseType

        call_command("creatersakey")
        client = Client.objects.create(
            name="kaohe",
            client_id=os.environ["PEER_CLIENT_ID"],
            client_secret=os.environ["PEER_CLIENT_SECRET"],
            client_type="confidential",
            jwt_alg="RS256",
            require_consent=False,
            _redirect_uris=f"{RP_BASE}/sso/oidc/callback/",
            _post_logout_redirect_uris=f"{RP_BASE}/login/",
        )
        client.response_types.add(ResponseType.objects.get(value="code"))
    else:
        from cas_server.models import ReplaceAttributName, ServicePattern

        # Single logout: the server posts its logout requests to PEER_SLO_CALLBACK (the test's
        # live kaohe server) instead of the service URL (the test client's host, unreachable).
        callback = os.environ.get("PEER_SLO_CALLBACK", "")
        pattern = ServicePattern.objects.create(
            pos=0,
            name="kaohe",
            pattern=f"^{RP_BASE}/.*",
            restrict_users=False,
            single_log_out=bool(callback),
            single_log_out_callback=callback,
        )
        for attribute in ("first_name", "email"):
            ReplaceAttributName.objects.create(
                name=attribute,
                replace={"first_name": "name", "email": "mail"}[attribute],
                service_pattern=pattern,
            )


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == "__main__":
    setup()
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", PORT, get_wsgi_application(), handler_class=Quiet)
    print("ready", flush=True)
    server.serve_forever()
