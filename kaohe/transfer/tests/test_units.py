import pytest

from kaohe.common.testing import make_category, make_unit
from kaohe.orgs.models import Person, Unit
from kaohe.transfer.services import import_apply, import_check

from . import builders

pytestmark = pytest.mark.django_db

UNITS = [
    ["单位名称", "简称", "单位类别", "上级单位"],
    ["甲县", "甲", "市直部门", ""],
    ["甲县司法局", "", "", "甲县"],
]
PEOPLE = [
    ["单位", "姓名", "职务", "层级", "科级干部"],
    ["甲县", "张三", "县长", "主要负责人", "否"],
    ["甲县司法局", "李四", "科长", "中层干部", "是"],
]


@pytest.fixture
def city():
    make_category()
    return make_unit("某市")


def test_units_and_people(city):
    data = builders.xlsx(UNITS, title="单位", extra_sheets=[("人员", PEOPLE)])
    preview = import_check(kind="units", name="u.xlsx", data=data, owner=city)
    assert preview["ok"] and preview["units"] == 2 and preview["people"] == 2
    assert not Unit.objects.filter(name="甲县").exists()
    report = import_apply(kind="units", name="u.xlsx", data=data, owner=city)
    assert report["ok"], report
    county = Unit.objects.get(name="甲县")
    assert (
        county.parent == city and county.category.name == "市直部门" and county.short_name == "甲"
    )
    office = Unit.objects.get(name="甲县司法局")
    assert office.parent == county and office.path.startswith(county.path)
    li = Person.objects.get(name="李四")
    assert li.unit == office and li.level == "middle" and li.is_section_level
    # The same file again creates nothing.
    again = import_apply(kind="units", name="u.xlsx", data=data, owner=city)
    assert again["ok"] and again["units"] == 0 and again["existing_units"] == 2
    assert again["existing_people"] == 2 and Person.objects.count() == 2


def test_bad_people_rows_write_nothing(city):
    people = [*PEOPLE, ["乙县", "王五", "", "中层", "也许"]]
    data = builders.xlsx(UNITS, title="单位", extra_sheets=[("人员", people)])
    report = import_apply(kind="units", name="u.xlsx", data=data, owner=city)
    text = "\n".join(report["errors"])
    assert "工作表“人员” 第 4 行“单位”列：单位“乙县”不存在" in text
    assert "第 4 行“层级”列：“中层”不是人员层级" in text
    assert "第 4 行“科级干部”列：“也许”应填“是”或“否”" in text
    assert not Unit.objects.filter(name="甲县").exists()


def test_unknown_parent_and_category(city):
    rows = [UNITS[0], ["丙局", "", "乡镇", "不存在的单位"]]
    report = import_apply(kind="units", name="u.xlsx", data=builders.xlsx(rows), owner=city)
    text = "\n".join(report["errors"])
    assert "上级单位“不存在的单位”不存在" in text


def test_units_only_xlsx(city):
    report = import_apply(kind="units", name="u.docx", data=builders.seed_docx(), owner=city)
    assert "不支持的文件类型" in report["errors"][0]


def test_the_templates_sample_row_is_never_imported(city):
    """The probe: filling in the downloaded template kept its "示例局" row as a real unit."""
    from openpyxl import load_workbook

    from kaohe.transfer.exports import units_template

    book = load_workbook(__import__("io").BytesIO(units_template()))
    book["单位"].append(["甲县", "甲", "市直部门", ""])
    book["人员"].append(["甲县", "王五", "县长", "主要负责人", "否"])
    book["人员"].append(["示例局", "旧模板", "科长", "中层干部", "是"])  # an older template
    buffer = __import__("io").BytesIO()
    book.save(buffer)
    report = import_apply(kind="units", name="u.xlsx", data=buffer.getvalue(), owner=city)
    assert report["ok"], report
    assert report["units"] == 1 and report["people"] == 1
    assert not Unit.objects.filter(name__contains="示例").exists()
    assert not Person.objects.filter(name__in=["张三", "旧模板"]).exists()
