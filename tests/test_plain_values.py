"""Issue 12 item 11: pages and exports show names, labels and two decimals, not codes."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.schemes.models import Subject

pytestmark = pytest.mark.django_db
LONG_DECIMAL = re.compile(r"\d+\.\d{5,}")


def test_scheme_page_names_the_tie_break(office_client, demo):
    body = office_client.get(reverse("schemes:detail", args=[demo.pk])).content.decode()
    assert "实地考核、日常考核" in body and "onsite,daily" not in body


def test_trace_shows_two_decimals_and_exact_values_on_hover(office_client, demo):
    subject = Subject.objects.filter(scheme=demo).first()
    body = office_client.get(reverse("scoring:trace", args=[subject.pk])).content.decode()
    visible = re.sub(r'title="[^"]*"', "", body)
    assert not LONG_DECIMAL.search(visible), LONG_DECIMAL.search(visible)
    assert "onsite,daily" not in body and "实地考核、日常考核" in body
    assert ">demo<" not in body and " demo " not in visible


def test_security_page_title_is_text_and_roles_are_named(demo_users, client):
    from kaohe.accounts.models import User

    admin = User.objects.get(username="admin")
    client.force_login(admin)
    body = client.get(reverse("security_policy")).content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert "<" not in title and "csrf" not in title.lower()
    roles = re.search(r"<td>双因素认证适用角色</td><td>(.*?)</td>", body).group(1)
    assert "_" not in roles and "系统管理员、安全管理员" in roles


def test_results_export_labels_sources_and_formats_numbers(office_client, demo):
    response = office_client.get(reverse("transfer:results_xlsx", args=[demo.pk]))
    book = load_workbook(BytesIO(response.content))
    sheet = book["指标得分"]
    headers = [c.value for c in sheet[1]]
    source_col = headers.index("来源") + 1
    score_col = headers.index("得分") + 1
    sources = {sheet.cell(row=r, column=source_col).value for r in range(2, 50)}
    assert "演示数据" in sources and "demo" not in sources
    assert sheet.cell(row=2, column=score_col).number_format == "0.00"
