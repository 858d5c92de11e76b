"""The product's own Chinese error pages: 400, 403, 404, 500 and CSRF failure, in production
and (404) under `make run`'s DEBUG, never Django's English defaults or its URL listing."""

import pytest
from django.test import Client, override_settings

from kaohe.accounts.choices import Role
from kaohe.common.testing import make_unit, make_user

pytestmark = pytest.mark.django_db


def _signed_in(**kwargs):
    from kaohe.accounts.models import User

    clerk = User.objects.filter(username="clerk").first() or make_user(
        "clerk", role=Role.UNIT_USER, unit=make_unit("甲县")
    )
    client = Client(**kwargs)
    client.force_login(clerk)
    return client


def test_404_and_403_are_product_pages():
    client = _signed_in()
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "页面不存在" in page.text and "返回首页" in page.text
    page = client.get("/audit/")
    assert page.status_code == 403 and "没有权限" in page.text
    assert "Forbidden" not in page.text


def test_debug_404_shows_the_product_page_not_the_url_patterns():
    with override_settings(DEBUG=True):
        page = _signed_in().get("/no-such-page/")
        assert page.status_code == 404 and "页面不存在" in page.text
        assert "URLconf" not in page.text and "django-admin" not in page.text
    with override_settings(DEBUG=True, KAOHE_DEBUG_TECHNICAL_404=True):  # the route list
        assert "URLconf" in _signed_in().get("/no-such-page/").text


@override_settings(ROOT_URLCONF="kaohe.common.tests.urls_errors")
def test_500_is_the_product_page():
    page = _signed_in(raise_request_exception=False).get("/boom/")
    assert page.status_code == 500 and "系统出错" in page.text
    assert "Server Error" not in page.text and "故意的错误" not in page.text


def test_csrf_failure_and_bad_request_pages():
    client = _signed_in(enforce_csrf_checks=True)
    page = client.post("/account/password/", {"old_password": "x"})
    assert page.status_code == 403 and "页面已过期" in page.text
    bad = client.get("/", HTTP_HOST="evil.example.com")  # DisallowedHost → 400
    assert bad.status_code == 400 and "请求无效" in bad.text
