from datetime import date

import pytest

from kaohe.schemes.models import Indicator
from kaohe.transfer.services import import_apply, import_check

from . import builders

pytestmark = pytest.mark.django_db

L1_NAMES = ["听取汇报", "依法行政能力测试", "抽查检查", "实地走访", "暗访调查"]


def _apply(scheme, name, data, **options):
    return import_apply(
        kind="indicators",
        name=name,
        data=data,
        scheme=scheme,
        options={"component": "onsite", **options},
    )


@pytest.mark.parametrize(
    ("maker", "name", "style"),
    [
        (builders.seed_docx, "任务分解表.docx", "dot"),
        (builders.seed_docx, "任务分解表.docx", "cn"),
        (builders.seed_xlsx, "任务分解表.xlsx", "dot"),
        (builders.seed_xlsx, "任务分解表.xlsx", "cn"),
    ],
)
def test_seed000_whole_table(fresh_scheme, aliases, maker, name, style):
    report = _apply(fresh_scheme, name, maker(style))
    assert report["ok"], report
    indicators = Indicator.objects.filter(scheme=fresh_scheme)
    l1 = list(indicators.filter(level=1).order_by("order"))
    l2 = list(indicators.filter(level=2).order_by("parent__order", "order"))
    assert [i.name for i in l1] == L1_NAMES
    assert len(l2) == 14
    assert [i.code for i in l1] == ["X1", "X2", "X3", "X4", "X5"]
    assert all(i.component.code == "onsite" for i in l1 + l2)
    by_name = {i.name: i for i in l2}
    # The word broken across lines is joined again.
    test = by_name["领导干部依法行政能力测试"]
    assert test.parent.name == "依法行政能力测试"
    assert {u.name for u in test.responsible_units.all()} == {"市政府办公室", "市司法局"}
    # Seven second-level rows under 抽查检查 despite its label repeated after page breaks.
    assert l1[2].children.count() == 7
    # Merged 考核内容 / 考核要求 shared with the row above.
    two = by_name["抽查2个行政机关"]
    assert two.content == by_name["抽查1个下级政府"].content != ""
    assert two.requirement == by_name["抽查1个下级政府"].requirement
    assert "适用法律正确" in by_name["依法办理行政复议案卷"].requirement
    # Units through aliases (市卫健委 → 市卫生健康委, 市住建局 → 市住房和城乡建设局).
    staff = by_name["机关人员依法行政能力测试"]
    assert {u.name for u in staff.responsible_units.all()} == {
        "市市场监管局",
        "市卫生健康委",
        "市住房和城乡建设局",
    }
    assert staff.responsible_text == "市市场监管局\n市卫健委\n市住建局"
    assert all(i.deadline == date(2020, 12, 28) for i in l2)
    penalty = by_name["深入群众了解情况，了解本地政府及其部门是否依法行政（扣分项）"]
    assert penalty.method == "penalty"
    # Group phrases are understood; names that match nothing are reported, never dropped.
    assert [c.code for c in by_name["抽查1个下级政府"].responsible_categories.all()] == [
        "county",
        "zone",
    ]
    assert [c.code for c in by_name["抽查2个行政机关"].responsible_categories.all()] == [
        "department"
    ]
    unmatched = {u["name"]: u for u in report["unmatched"]}
    assert set(unmatched) == {"市法治政府建设领导小组成员单位", "市卫生监督局"}
    assert unmatched["市卫生监督局"]["suggest"][0]["name"] == "市卫生健康委"


def test_seed000_check_writes_nothing_and_lists_unmatched(fresh_scheme):
    report = import_check(
        kind="indicators",
        name="a.docx",
        data=builders.seed_docx(),
        scheme=fresh_scheme,
        options={"component": "onsite"},
    )
    assert report["ok"] and report["counts"] == {"1": 5, "2": 14, "3": 0}
    assert "市卫健委" in {u["name"] for u in report["unmatched"]}
    assert not Indicator.objects.filter(scheme=fresh_scheme).exists()


def test_canonical_three_levels(fresh_scheme):
    data = builders.xlsx(builders.canonical_rows(2, 3, 2))
    report = _apply(fresh_scheme, "t.xlsx", data)
    assert report["ok"], report
    assert report["counts"] == {"1": 2, "2": 6, "3": 12}
    leaf = Indicator.objects.get(scheme=fresh_scheme, code="T2.3.2")
    assert leaf.level == 3 and leaf.parent.code == "T2.3" and leaf.parent.parent.code == "T2"
    assert leaf.max_score == 5 and leaf.component.code == "onsite"
    assert [u.name for u in leaf.responsible_units.all()] == ["市司法局"]


def test_large_canonical_uses_bulk_path_with_one_audit_event(fresh_scheme):
    from kaohe.audit.models import AuditEvent

    data = builders.xlsx(builders.canonical_rows(4, 10, 9))  # 4 + 40 + 360 nodes
    before = AuditEvent.objects.count()
    report = _apply(fresh_scheme, "big.xlsx", data)
    assert report["ok"], report
    assert Indicator.objects.filter(scheme=fresh_scheme).count() == 404
    assert Indicator.objects.get(scheme=fresh_scheme, code="T4.10.9").parent.code == "T4.10"
    events = AuditEvent.objects.filter(pk__gt=0).count() - before
    assert events == 1


def test_header_rows_repeated_inside_the_table(fresh_scheme):
    rows = builders.seed_rows()
    repeated = [
        ["考核指标", "考核指标", "考核内容", "考核要求", "责任单位", "资料准备要求", "提交时限"],
        ["一级指标", "二级指标", "", "", "", "", ""],
    ]
    data = builders.xlsx(
        [builders.HEADER_TOP, builders.HEADER_SUB + [""] * 5, *rows[:6], *repeated, *rows[6:]]
    )
    report = _apply(fresh_scheme, "r.xlsx", data)
    assert report["ok"], report
    assert report["counts"] == {"1": 5, "2": 14, "3": 0}


def test_row_without_its_own_name_is_an_error(fresh_scheme):
    rows = builders.seed_rows()
    rows[1][1] = ""  # 座谈了解情况 lost its name; the merged first level must not absorb it
    report = _apply(fresh_scheme, "n.docx", builders.seed_docx(rows=rows))
    assert not report["ok"]
    assert report["errors"] == ["表格 1 第 4 行“二级指标”列：缺少二级指标名称。"]


def test_synonym_headers_in_any_order(fresh_scheme):
    rows = [
        ["2021年度任务分解表"],
        ["完成时限", "分数", "牵头单位", "二级指标", "一级指标", "评分标准"],
        ["2021年3月1日", 10, "市司法局、市卫健委", "行政复议", "（一）依法行政", "按时办结"],
        [None, 5, "市政府办公室", "规范性文件", None, "备案审查"],
    ]
    report = _apply(fresh_scheme, "s.xlsx", builders.xlsx(rows))
    assert report["ok"], report
    leaf = Indicator.objects.get(scheme=fresh_scheme, code="X1.1")
    assert leaf.parent.name == "依法行政" and leaf.name == "行政复议"
    assert (
        leaf.max_score == 10
        and leaf.requirement == "按时办结"
        and leaf.deadline == date(2021, 3, 1)
    )
    assert [u.name for u in leaf.responsible_units.all()] == ["市司法局"]
    assert Indicator.objects.get(scheme=fresh_scheme, code="X1.2").max_score == 5
