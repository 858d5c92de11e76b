"""The UI is Chinese by default and switches to English (compiled locale in kaohe/locale/en)."""

import pytest


def test_login_page_is_chinese_by_default(client):
    page = client.get("/login/").content.decode()
    assert "依法行政考核管理系统" in page and "登录" in page


def test_login_page_in_english_by_accept_language(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Law-Based Administration Assessment System" in page and "Sign in" in page
    assert "依法行政考核管理系统" not in page


@pytest.mark.django_db
def test_language_switcher_sets_english(client, office_client, demo):
    office_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = office_client.get(f"/results/{demo.pk}/").content.decode()
    assert "Scores and ranking" in page
