from decimal import Decimal

import pytest

from kaohe.audit.models import AuditEvent
from kaohe.common.testing import make_category, make_scheme, make_unit
from kaohe.schemes.models import ScoreEntry
from kaohe.schemes.services import subject_enrol
from kaohe.transfer.services import import_apply, import_check, unit_alias_save

from . import builders

pytestmark = pytest.mark.django_db
HEADER = ["考核对象", "指标编码", "得分", "说明"]


@pytest.fixture
def scheme():
    dept = make_category()
    scheme = make_scheme(
        "s1",
        categories=[dept],
        leaves=[
            ("daily", "D1", 60, "entered"),
            ("daily", "D2", 40, "deduction"),
            ("onsite", "X1", 100, "entered"),
            ("satisfaction", "S1", 100, "entered"),
        ],
    )
    for name in ("甲局", "乙局"):
        subject_enrol(scheme=scheme, unit=make_unit(name, parent=scheme.owner_unit, category=dept))
    return scheme


def _run(scheme, rows, apply=True, name="s.xlsx"):
    fn = import_apply if apply else import_check
    return fn(kind="scores", name=name, data=builders.xlsx([HEADER, *rows]), scheme=scheme)


def test_scores_import_through_scores_save(scheme):
    report = _run(
        scheme, [["甲局", "D1", 55.5, "好"], ["乙局", "D1", 50, ""], ["甲局", "D2", 3, "扣 3 分"]]
    )
    assert report["ok"], report
    entry = ScoreEntry.objects.get(subject__unit__name="甲局", indicator__code="D1")
    assert entry.value == Decimal("55.5") and entry.source == "import" and entry.note == "好"
    batches = AuditEvent.objects.filter(action="score.batch")
    assert sum(e.after.count('"indicator":') for e in batches) == 3  # every change recorded
    assert AuditEvent.objects.filter(action="transfer.scores_import").count() == 1
    # Importing again: unchanged rows are counted, not rewritten.
    again = _run(scheme, [["甲局", "D1", 55.5, "好"], ["乙局", "D1", 51, ""]], apply=False)
    assert again["ok"] and again["unchanged"] == 1 and again["changed"] == 1 and again["new"] == 0


def test_component_instead_of_code(scheme):
    rows = [["考核对象", "考核类别", "得分"], ["甲局", "满意度调查", 88], ["甲局", "日常考核", 50]]
    report = import_apply(kind="scores", name="c.xlsx", data=builders.xlsx(rows), scheme=scheme)
    assert not report["ok"]
    assert report["errors"] == [
        "工作表“Sheet1” 第 3 行“考核类别”列：考核类别“日常考核”下有 2 个适用的末级指标，请改填指标编码。"
    ]
    report = import_apply(kind="scores", name="c.xlsx", data=builders.xlsx(rows[:2]), scheme=scheme)
    assert report["ok"]
    assert ScoreEntry.objects.get(indicator__code="S1").value == 88


def test_bad_rows_write_nothing_and_are_all_listed(scheme):
    report = _run(
        scheme,
        [
            ["甲局", "D1", 50, ""],
            ["甲局", "D1", 40, ""],  # duplicate
            ["乙局", "D1", 61, ""],  # above max
            ["丙局", "D1", 10, ""],  # unknown unit
            ["乙局", "ZZ", 10, ""],  # unknown code
            ["乙局", "X1", "八十", ""],  # not a number
            ["乙局", "S1", "=1+1", ""],  # formula without value
        ],
    )
    assert not report["ok"]
    text = "\n".join(report["errors"])
    assert "第 3 行：“甲局”的指标“D1”重复（第 2 行已填写）" in text
    assert "第 4 行“得分”列：D1 D1：分值 61 超出范围：应在 0 到 60.00 之间。" in text
    assert "第 5 行“考核对象”列：“丙局”不是本方案的考核对象" in text
    assert "第 6 行“指标编码”列：指标编码“ZZ”在本方案中不存在" in text
    assert "第 7 行“得分”列：“八十”不是数字" in text
    assert "第 8 行“得分”列：缺少得分" in text
    assert not ScoreEntry.objects.exists()


def test_alias_maps_unknown_unit(scheme):
    unit_alias_save(
        owner_unit=scheme.owner_unit, name="甲", unit=scheme.subjects.get(unit__name="甲局").unit
    )
    assert _run(scheme, [["甲", "D1", 50, ""]])["ok"]


def test_frozen_scheme_rolls_back(scheme):
    scheme.status = "frozen"
    scheme.save()
    report = _run(scheme, [["甲局", "D1", 50, ""]])
    assert not report["ok"] and "冻结" in report["errors"][0]
    assert not ScoreEntry.objects.exists()


def test_parent_indicator_refused(scheme):
    from kaohe.schemes.services import indicator_create

    parent = scheme.indicators.get(code="X1")
    child = scheme.indicators.get(code="S1")
    assert child  # the scheme has leaves; make X1 a parent
    indicator_create(scheme=scheme, code="X1.1", name="子", parent=parent, max_score=Decimal(10))
    report = _run(scheme, [["甲局", "X1", 5, ""]])
    assert "不是末级指标" in report["errors"][0]


def test_name_shared_by_two_units_is_not_guessed(scheme):
    from kaohe.common.testing import make_category

    dept = make_category()
    first = scheme.subjects.get(unit__name="甲局").unit
    other = make_unit("乙局下属", parent=scheme.owner_unit, category=dept)
    twin = make_unit("甲局", parent=other, category=dept)  # same name elsewhere in the tree
    assert _run(scheme, [["甲局", "D1", 50, ""]])["ok"]  # only one of them is a subject
    subject_enrol(scheme=scheme, unit=twin)
    report = _run(scheme, [["甲局", "D1", 40, ""]])
    assert not report["ok"] and "不是本方案的考核对象" in report["errors"][0]
    unit_alias_save(owner_unit=scheme.owner_unit, name="甲局", unit=first)
    assert _run(scheme, [["甲局", "D1", 45, ""]])["ok"]
    assert ScoreEntry.objects.get(subject__unit=first).value == 45


def test_downloaded_template_imports_with_one_cell_filled(scheme):
    """Issue 12 item 7: blank 得分 means no change; the preview counts both."""
    from io import BytesIO

    from openpyxl import load_workbook

    from kaohe.transfer.exports import scores_template

    daily = scheme.components.get(code="daily")
    book = load_workbook(BytesIO(scores_template(scheme, daily)))
    sheet = book.active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {"D1", "D2"}  # only the component asked for
    sheet.cell(row=2, column=6, value=42)
    buffer = BytesIO()
    book.save(buffer)
    report = import_check(kind="scores", name="t.xlsx", data=buffer.getvalue(), scheme=scheme)
    assert report["ok"], report
    assert (report["valued"], report["blank"], report["new"]) == (1, len(rows) - 1, 1)
    applied = import_apply(kind="scores", name="t.xlsx", data=buffer.getvalue(), scheme=scheme)
    assert applied["ok"] and ScoreEntry.objects.count() == 1


def test_all_blank_is_said_and_frozen_is_caught_in_the_preview(scheme):
    report = _run(scheme, [["甲局", "D1", None, ""]], apply=False)
    assert not report["ok"] and "得分都是空的" in report["errors"][0]
    scheme.status = "frozen"
    scheme.save()
    report = _run(scheme, [["甲局", "D1", 50, ""]], apply=False)
    assert not report["ok"] and "冻结" in "\n".join(report["errors"])


def test_template_per_component_view(scheme, client):
    from django.urls import reverse

    from kaohe.accounts.choices import Role
    from kaohe.common.testing import make_user

    office = make_user("o", role=Role.OFFICE_ADMIN, unit=scheme.owner_unit, subtree=True)
    client.force_login(office)
    url = reverse("transfer:template_scores", args=[scheme.pk])
    response = client.get(url, {"component": "onsite"})
    from urllib.parse import unquote

    assert response.status_code == 200 and "实地考核" in unquote(response["Content-Disposition"])
    assert client.get(url, {"component": "nope"}).status_code == 404
