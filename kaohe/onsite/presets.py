"""Seed 000's on-site draws as ready-made rules (data, not code paths)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from kaohe.orgs.choices import PersonLevel

from .choices import PopulationSource


@dataclass(frozen=True)
class Preset:
    code: str
    title: str
    source: str
    rule: dict
    hint: str
    strata_hint: str = ""
    columns: tuple[str, ...] = field(default=("编号", "名称", "类别", "分组"))


PRESETS = [
    Preset(
        "leaders",
        _("抽取法治政府建设领导小组1名负责同志和2名成员"),
        PopulationSource.TYPED,
        {
            "count_min": 3,
            "count_max": 3,
            "quotas": [
                {"label": "负责同志", "strata": ["负责同志"], "min": 1, "max": 1},
                {"label": "成员", "strata": ["成员"], "min": 2, "max": 2},
            ],
        },
        _("每行一人：姓名,负责同志 或 姓名,成员"),
        "负责同志 / 成员",
        ("名称", "类别"),
    ),
    Preset(
        "staff",
        _("抽取10至15名机关工作人员（除主要负责人外各级别，中层干部不少于50%）"),
        PopulationSource.PEOPLE,
        {
            "count_min": 10,
            "count_max": 15,
            "exclude_strata": [PersonLevel.HEAD.value],
            "quotas": [
                {"label": "中层干部", "strata": [PersonLevel.MIDDLE.value], "min_percent": "50"},
                {"label": "班子成员", "strata": [PersonLevel.LEADERSHIP.value], "min": 1},
                {"label": "一般干部", "strata": [PersonLevel.GENERAL.value], "min": 1},
                {"label": "行政执法人员", "strata": [PersonLevel.ENFORCEMENT.value], "min": 1},
            ],
        },
        _("名单取自被考核单位的人员名册（不含主要负责人）。"),
    ),
    Preset(
        "reconsideration",
        _("随机抽取5本行政复议案卷"),
        PopulationSource.IMPORTED,
        {"count_min": 5, "count_max": 5},
        _("粘贴或上传案卷清单：编号,案卷名称"),
    ),
    Preset(
        "departments",
        _("现场选取5个部门（音像记录事项清单 / 法制审核目录清单）"),
        PopulationSource.TYPED,
        {"count_min": 5, "count_max": 5},
        _("每行一个部门名称"),
        columns=("名称",),
    ),
    Preset(
        "filings",
        _("随机抽取5份重大行政处罚备案材料"),
        PopulationSource.IMPORTED,
        {"count_min": 5, "count_max": 5},
        _("粘贴或上传备案台账：编号,名称"),
    ),
    Preset(
        "complaints",
        _("5个部门投诉举报台账每个部门抽取1件"),
        PopulationSource.IMPORTED,
        {"per_group": 1, "group_count": 5},
        _("粘贴或上传投诉举报台账：编号,名称,部门"),
        columns=("编号", "名称", "分组"),
    ),
    Preset(
        "spot_units",
        _("抽查1个下级政府和2个行政机关"),
        PopulationSource.TYPED,
        {
            "count_min": 3,
            "count_max": 3,
            "quotas": [
                {"label": "下级政府", "strata": ["下级政府"], "min": 1, "max": 1},
                {"label": "行政机关", "strata": ["行政机关"], "min": 2, "max": 2},
            ],
        },
        _("每行一个：单位名称,下级政府 或 单位名称,行政机关"),
        "下级政府 / 行政机关",
        ("名称", "类别"),
    ),
]
PRESETS_BY_CODE = {p.code: p for p in PRESETS}


def stratum_label(code: str) -> str:
    """Person levels print as their Chinese names; typed strata are already words."""
    try:
        return str(PersonLevel(code).label)
    except ValueError:
        return code
