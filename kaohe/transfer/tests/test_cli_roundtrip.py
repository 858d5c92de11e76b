import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kaohe.schemes.models import Indicator, Scheme, ScoreEntry
from kaohe.schemes.services import scheme_create
from kaohe.transfer import docx_export, exports
from kaohe.transfer.services import import_apply

from . import builders

pytestmark = pytest.mark.django_db


def _tree(scheme):
    """Everything that defines the tree, keyed by code (order as sibling position)."""
    out = {}
    for ind in exports.tree_order(scheme):
        out[ind.code] = (
            ind.name,
            ind.level,
            ind.parent.code if ind.parent else None,
            ind.component.code,
            ind.max_score,
            ind.method,
            ind.veto_grade,
            ind.content,
            ind.requirement,
            ind.materials,
            ind.deadline,
            sorted(c.code for c in ind.applies_to.all()),
            sorted(u.name for u in ind.responsible_units.all()),
        )
    return out


def test_canonical_export_round_trips(demo):
    data = exports.indicators_xlsx(demo)
    copy = scheme_create(code="copy", name="副本", year=2021, owner_unit=demo.owner_unit)
    from kaohe.demo import seed2020
    from kaohe.orgs.models import Unit
    from kaohe.transfer.services import unit_alias_save

    for name, full in seed2020.RESPONSIBLE_ALIASES.items():
        unit_alias_save(owner_unit=demo.owner_unit, name=name, unit=Unit.objects.get(name=full))
    report = import_apply(kind="indicators", name="tree.xlsx", data=data, scheme=copy)
    assert report["ok"], report
    assert _tree(copy) == _tree(demo)
    assert [i.code for i in exports.tree_order(copy)] == [i.code for i in exports.tree_order(demo)]


def test_task_table_exports_reimport(demo):
    copy = scheme_create(code="copy2", name="副本", year=2021, owner_unit=demo.owner_unit)
    for data, name in (
        (docx_export.tasks_docx(demo), "t.docx"),
        (exports.tasks_xlsx(demo), "t.xlsx"),
    ):
        report = import_apply(
            kind="indicators",
            name=name,
            data=data,
            scheme=copy,
            options={"component": "onsite", "prefix": name[2]},
        )
        assert report["ok"], report
        assert report["counts"]["2"] == 14
    leaf = Indicator.objects.get(scheme=copy, code="d7.2")
    assert leaf.name == "机关人员依法行政能力测试" and leaf.deadline.isoformat() == "2020-12-28"
    assert leaf.parent.name == "依法行政能力测试"
    assert Indicator.objects.get(scheme=copy, code="d1").name == "专项工作完成情况"


def test_task_docx_layout(demo):
    import docx

    document = docx.Document(io.BytesIO(docx_export.tasks_docx(demo)))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    table = document.tables[0]
    header_rows = [
        r
        for r in table.rows
        if r._tr.trPr is not None
        and r._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    ]
    assert len(header_rows) == 2
    assert table.rows[0].cells[0].text == "考核指标" and table.rows[1].cells[1].text == "二级指标"


def test_cli_import_indicators_dry_run_and_apply(demo, tmp_path, capsys):
    Scheme.objects.create(code="new", name="n", year=2021, owner_unit=demo.owner_unit)
    new = Scheme.objects.get(code="new")
    from kaohe.schemes.models import Component

    Component.objects.create(scheme=new, code="onsite", name="实地考核", weight=30)
    path = tmp_path / "任务分解表.docx"
    path.write_bytes(builders.seed_docx())
    call_command("import_indicators", str(path), "--scheme", "new", "--dry-run")
    out = capsys.readouterr().out
    assert "将导入一级指标：5" in out and "将导入二级指标：14" in out
    assert "市法治政府建设领导小组成员单位" in out and "试运行" in out
    assert not new.indicators.exists()
    call_command("import_indicators", str(path), "--scheme", "new")
    assert new.indicators.count() == 19


def test_cli_bad_input_exits_non_zero_with_messages(demo, tmp_path, capsys):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path), "--scheme", "puyang-2020")
    assert "请另存为 .xlsx/.docx" in capsys.readouterr().err
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_scores", str(path), "--scheme", "nope")


def test_cli_main_exit_code(demo, tmp_path):
    """The `kaohe` entry point exits 1 on bad input (CommandError → SystemExit(1))."""
    from kaohe.cli import main

    path = tmp_path / "x.xlsx"
    path.write_bytes(b"")
    with pytest.raises(SystemExit) as exc:
        main(["kaohe", "import-scores", str(path), "--scheme", "puyang-2020"])
    assert exc.value.code == 1


def test_cli_scores_and_export(demo, tmp_path, capsys):
    rows = [
        ["考核对象", "指标编码", "得分", "说明"],
        ["清丰县", "D1", 29, "导入"],
        ["市司法局", "D1", 28, ""],
    ]
    path = tmp_path / "scores.xlsx"
    path.write_bytes(builders.xlsx(rows))
    call_command("import_scores", str(path), "--scheme", "puyang-2020", "--dry-run")
    assert "得分行：2" in capsys.readouterr().out
    call_command("import_scores", str(path), "--scheme", "puyang-2020")
    assert (
        ScoreEntry.objects.get(subject__unit__name="清丰县", indicator__code="D1").source
        == "import"
    )
    out = tmp_path / "results.xlsx"
    call_command("export_results", str(out), "--scheme", "puyang-2020")
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["县(区)", "市直部门", "指标得分"]


def test_cli_units(demo, tmp_path, capsys):
    rows = [["单位名称", "单位类别", "上级单位"], ["市新设局", "市直部门", "濮阳市"]]
    path = tmp_path / "u.xlsx"
    path.write_bytes(builders.xlsx(rows))
    call_command("import_units", str(path), "--unit", "濮阳市", "--dry-run")
    assert "新增单位：1" in capsys.readouterr().out
    call_command("import_units", str(path), "--unit", "濮阳市")
    from kaohe.orgs.models import Unit

    assert Unit.objects.get(name="市新设局").parent.name == "濮阳市"
