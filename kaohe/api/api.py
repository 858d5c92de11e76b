"""The REST API (django-ninja) under /api/v1/: OpenAPI at /api/v1/openapi.json, the
documentation page at /api/v1/docs (vendored Swagger UI from ninja's static files)."""

from functools import wraps

from django.conf import settings
from django.utils import translation
from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from . import errors
from .auth import AUTH, TokenRateThrottle
from .routers import audit, exams, onsite, orgs, results, schemes, scores, surveys, tasks


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese stays readable in the JSON


api = NinjaAPI(
    renderer=Renderer(),
    title="kaohe REST API",
    version="1",
    description=(
        "依法行政考核系统 REST 接口。认证：`Authorization: Bearer <令牌>`（在“接口令牌”页面"
        "或用 `kaohe create-token` 创建），或浏览器登录会话（写操作须带 CSRF）。"
        "权限与页面一致：看不到的对象一律 404。分数以字符串表示的十进制数传输。"
    ),
    urls_namespace="api-v1",
    auth=AUTH,
    throttle=[TokenRateThrottle()],
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
for module in (orgs, schemes, scores, results, tasks, onsite, exams, surveys, audit):
    api.add_router("", module.router)


def _in_chinese(view):
    """The API answers in Chinese whatever the request's language (its messages are part of
    its contract; an English browser session trying it out gets the same text)."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return answer


def urls():
    """`api.urls`, each operation answering in Chinese (see _in_chinese)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _in_chinese(pattern.callback)
    return patterns, app_name, namespace
