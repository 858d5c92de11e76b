"""Notice pages: edit keeps text, Word download, publish after final, units download it."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from kaohe.common.testing import assert_view_access
from kaohe.publishing.factories import finalise
from kaohe.publishing.models import Notice

pytestmark = pytest.mark.django_db


def test_edit_download_publish_and_unit_download(demo, demo_users, office_client):
    office = demo_users["office"]
    url = reverse("publishing:notice", args=[demo.pk])
    page = office_client.get(url).content.decode()
    assert "考核组织实施情况" in page
    data = {
        "issuing_office": "濮阳市法治政府建设领导小组办公室",
        "doc_number": "濮法政办〔2021〕24号",
        "title": "关于2020年度全市依法行政考核情况的通报",
        "addressees": "各县（区）人民政府：",
        "intro": "现将考核结果通报如下：",
        "organisation": "四个考核组已完成考核。",
        "achievements": "（一）统筹协调能力进一步加强。",
        "problems": "（一）依法行政意识有待进一步提高。",
        "requirements": "（一）进一步强化责任感。",
        "closing": "",
        "order": "rank",
        "signature": "濮阳市法治政府建设领导小组办公室",
        "issue_date": "2021-07-01",
        "printer": "濮阳市法治政府建设领导小组办公室",
        "print_date": "2021-07-01",
    }
    assert office_client.post(url, data).status_code == 302
    assert Notice.objects.get(scheme=demo).organisation == "四个考核组已完成考核。"
    bad = office_client.post(url, {**data, "doc_number": "24号"})
    assert "发文字号" in bad.content.decode()
    docx = office_client.get(reverse("publishing:notice_docx", args=[demo.pk]))
    texts = [p.text for p in Document(BytesIO(docx.content)).paragraphs]
    assert "四个考核组已完成考核。" in texts and "濮法政办〔2021〕24号" in texts
    publish = reverse("publishing:notice_publish", args=[demo.pk])
    office_client.post(publish)
    assert not Notice.objects.get(scheme=demo).published_file  # not final yet
    finalise(demo, office)
    office_client.post(publish)
    assert Notice.objects.get(scheme=demo).published_file
    assert_view_access(
        reverse("publishing:published", args=[demo.pk]),
        allowed=[demo_users["qingfeng"], demo_users["sifaju"], office],
        denied=[demo_users["team1"]],
    )


def test_published_notice_not_for_units_outside_scheme(demo, demo_users):
    from kaohe.common.testing import make_user
    from kaohe.orgs.models import Unit

    outsider = make_user("outsider", role="unit_user", unit=Unit.objects.get(name="市政府办公室"))
    office = demo_users["office"]
    finalise(demo, office)
    from kaohe.publishing.notice_content import notice_prepare
    from kaohe.publishing.services.notice import notice_publish

    notice_publish(notice=notice_prepare(scheme=demo), actor=office)
    assert_view_access(
        reverse("publishing:published", args=[demo.pk]),
        allowed=[demo_users["qingfeng"]],
        denied=[outsider],
    )
