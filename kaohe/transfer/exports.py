"""Excel exports: results, leaf scores, the indicator tree (canonical, re-importable),
the task table in seed 000's layout, units and people. Files the importers read back."""

from io import BytesIO

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from kaohe.common.excel import Sheet, build_workbook
from kaohe.orgs.models import Person
from kaohe.schemes.models import Indicator, ScoreEntry
from kaohe.scoring.models import SubjectResult

from .units_io import SAMPLE_UNIT

CANONICAL_HEADERS = [
    "编码",
    "一级指标",
    "二级指标",
    "三级指标",
    "考核内容",
    "考核要求",
    "分值",
    "评分方式",
    "所属考核类别",
    "适用对象类别",
    "责任单位",
    "资料准备要求",
    "提交时限",
    "否决后最高等次",
]
TASK_HEADERS = ["考核内容", "考核要求", "责任单位", "资料准备要求", "提交时限"]


def _bytes(sheets) -> bytes:
    buffer = BytesIO()
    build_workbook(sheets).save(buffer)
    return buffer.getvalue()


def tree_order(scheme) -> list[Indicator]:
    """Indicators depth-first: component order, then sibling order, then code."""
    indicators = list(
        Indicator.objects.filter(scheme=scheme)
        .select_related("component")
        .prefetch_related("applies_to", "responsible_units")
    )
    children: dict = {}
    for ind in indicators:
        children.setdefault(ind.parent_id, []).append(ind)
    for siblings in children.values():
        siblings.sort(key=lambda i: (i.component.order, i.order, i.code))
    out = []

    def walk(parent_id):
        for ind in children.get(parent_id, []):
            out.append(ind)
            walk(ind.pk)

    walk(None)
    return out


def _unit_names(ind) -> str:
    return ind.responsible_text or "\n".join(u.name for u in ind.responsible_units.all())


def indicators_xlsx(scheme) -> bytes:
    """The canonical template filled with the scheme's tree (imports back unchanged)."""
    rows = []
    for ind in tree_order(scheme):
        names = ["", "", ""]
        names[ind.level - 1] = ind.name
        rows.append(
            [
                ind.code,
                *names,
                ind.content,
                ind.requirement,
                ind.max_score,
                ind.get_method_display(),
                ind.component.name if ind.level == 1 else "",
                "、".join(c.name for c in ind.applies_to.all()),
                _unit_names(ind),
                ind.materials,
                ind.deadline.isoformat() if ind.deadline else "",
                ind.veto_grade,
            ]
        )
    widths = [10, 16, 24, 24, 40, 40, 8, 12, 12, 14, 18, 30, 12, 12]
    return _bytes([Sheet("指标体系", CANONICAL_HEADERS, rows, widths)])


def task_rows(scheme) -> tuple[int, list]:
    """(depth, rows) for the task table: one row per leaf, its ancestors' names in front."""
    ordered = tree_order(scheme)
    has_children = {i.parent_id for i in ordered}
    depth = max((i.level for i in ordered), default=2)
    depth = max(depth, 2)
    by_pk = {i.pk: i for i in ordered}
    rows = []
    for ind in ordered:
        if ind.pk in has_children:
            continue
        chain = [ind]
        while chain[0].parent_id:
            chain.insert(0, by_pk[chain[0].parent_id])
        names = [(c.pk, c.name) for c in chain] + [(None, "")] * (depth - len(chain))
        rows.append(
            (
                names,
                [
                    ind.content,
                    ind.requirement,
                    _unit_names(ind),
                    ind.materials,
                    ind.deadline.strftime("%Y.%m.%d") if ind.deadline else "",
                ],
            )
        )
    return depth, rows


def tasks_xlsx(scheme) -> bytes:
    """Seed 000's 任务分解表: title, 考核指标 over 一级/二级指标, first levels merged down."""
    from openpyxl import Workbook

    depth, rows = task_rows(scheme)
    level_names = ["一级指标", "二级指标", "三级指标"][:depth]
    workbook = Workbook()
    ws = workbook.active
    ws.title = "任务分解表"
    ncols = depth + len(TASK_HEADERS)
    ws.append([f"{scheme.name}任务分解表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.append(["考核指标"] + [None] * (depth - 1) + TASK_HEADERS)
    ws.append(level_names + [None] * len(TASK_HEADERS))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=depth)
    for col in range(depth + 1, ncols + 1):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    for names, cells in rows:
        ws.append([n for _, n in names] + [_safe(c) for c in cells])
    for level in range(depth - 1):
        _merge_runs(ws, level, [names[level][0] for names, _ in rows], first_row=4)
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=ncols):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if cell.row <= 3:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for index, width in enumerate([14] * depth + [36, 36, 16, 30, 12], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "2:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe(value):
    from kaohe.common.excel import safe_cell

    return safe_cell(value)


def _merge_runs(ws, col: int, keys: list, *, first_row: int) -> None:
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            if index - start > 1 and keys[start] is not None:
                ws.merge_cells(
                    start_row=first_row + start,
                    start_column=col + 1,
                    end_row=first_row + index - 1,
                    end_column=col + 1,
                )
            start = index


def results_sheets(scheme) -> list[Sheet]:
    """One sheet per grading category (rank, unit, component scores, total, grade)."""
    components = list(scheme.components.all())
    results = (
        SubjectResult.objects.filter(scheme=scheme)
        .select_related("subject__unit", "grading_category")
        .prefetch_related("components")
        .order_by("grading_category__order", "rank", "subject__order")
    )
    sheets: dict = {}
    for result in results:
        by_component = {c.component_id: c.score for c in result.components.all()}
        category = result.grading_category
        if category.pk not in sheets:
            headers = [
                "名次",
                "单位",
                *[f"{c.name}（{c.weight.normalize():f}%）" for c in components],
            ]
            headers += ["加分", "扣分", "综合成绩", "等次", "未评分指标数"]
            sheets[category.pk] = Sheet(category.name, headers, [])
        sheets[category.pk].rows.append(
            [
                result.rank,
                result.subject.unit.name,
                *[_two(by_component.get(c.pk)) for c in components],
                result.bonus,
                result.penalty,
                result.total,
                result.grade,
                result.missing_count,
            ]
        )
    return list(sheets.values())


def _two(value):
    from kaohe.common.decimals import round_half_up

    return None if value is None else round_half_up(value)


def scores_sheet(scheme, subjects) -> Sheet:
    """Leaf scores of the given subjects, in the import layout (imports back)."""
    entries = (
        ScoreEntry.objects.filter(subject__in=subjects)
        .select_related(
            "subject__unit", "subject__grading_category", "indicator__component", "entered_by"
        )
        .order_by("subject__grading_category__order", "subject__order", "indicator__code")
    )
    rows = [
        [
            e.subject.unit.name,
            e.indicator.code,
            e.indicator.name,
            e.indicator.component.name,
            e.indicator.max_score,
            e.value,
            e.note,
            e.get_source_display(),
            getattr(e.entered_by, "display_name", "") or "",
            e.version,
        ]
        for e in entries
    ]
    headers = [
        "考核对象",
        "指标编码",
        "指标名称",
        "考核类别",
        "满分",
        "得分",
        "说明",
        "来源",
        "录入人",
        "版本",
    ]
    return Sheet("指标得分", headers, rows, [18, 10, 36, 12, 8, 8, 30, 8, 12, 6])


def results_xlsx(scheme) -> bytes:
    return _bytes([*results_sheets(scheme), scores_sheet(scheme, scheme.subjects.all())])


def scores_xlsx(scheme, subjects) -> bytes:
    return _bytes([scores_sheet(scheme, subjects)])


def units_xlsx(units, *, people_units=None) -> bytes:
    """Units (and their people) in the import layout."""
    units = list(units.select_related("parent", "category"))
    sheets = [
        Sheet(
            "单位",
            ["单位名称", "简称", "单位类别", "上级单位"],
            [
                [
                    u.name,
                    u.short_name,
                    getattr(u.category, "name", ""),
                    getattr(u.parent, "name", ""),
                ]
                for u in units
            ],
            [30, 14, 12, 30],
        )
    ]
    if people_units is not None:
        people = Person.objects.filter(unit__in=people_units, is_active=True).select_related("unit")
        sheets.append(
            Sheet(
                "人员",
                ["单位", "姓名", "职务", "层级", "科级干部"],
                [
                    [
                        p.unit.name,
                        p.name,
                        p.post,
                        p.get_level_display(),
                        "是" if p.is_section_level else "否",
                    ]
                    for p in people
                ],
                [30, 10, 16, 12, 10],
            )
        )
    return _bytes(sheets)


def units_template() -> bytes:
    return _bytes(
        [
            Sheet(
                "单位",
                ["单位名称", "简称", "单位类别", "上级单位"],
                [[SAMPLE_UNIT, "示例", "市直部门", ""]],
            ),
            Sheet(
                "人员",
                ["单位", "姓名", "职务", "层级", "科级干部"],
                [[SAMPLE_UNIT, "张三", "科长", "中层干部", "是"]],
            ),
        ]
    )


def scores_template(scheme, component=None) -> bytes:
    """Every subject × applicable leaf (of one component when given), 得分 empty: rows left
    empty change nothing when imported."""
    ordered = tree_order(scheme)
    parents = {i.parent_id for i in ordered}
    leaves = [i for i in ordered if i.pk not in parents]
    if component is not None:
        leaves = [i for i in leaves if i.component_id == component.pk]
    rows = []
    for subject in scheme.subjects.select_related("unit"):
        for leaf in leaves:
            applies = {c.pk for c in leaf.applies_to.all()}
            if applies and subject.unit_category_id not in applies:
                continue
            rows.append(
                [
                    subject.unit.name,
                    leaf.code,
                    leaf.name,
                    leaf.component.name,
                    leaf.max_score,
                    None,
                    "",
                ]
            )
    headers = ["考核对象", "指标编码", "指标名称", "考核类别", "满分", "得分", "说明"]
    return _bytes([Sheet("得分", headers, rows, [18, 10, 36, 12, 8, 8, 30])])


def indicators_xlsx_template() -> bytes:
    example = [
        ["X1", "听取汇报", "", "", "", "", None, "", "实地考核", "", "", "", "", ""],
        [
            "X1.1",
            "",
            "听取考核对象法治政府建设工作情况汇报",
            "",
            "政府主要负责人围绕本地法治政府建设工作进行汇报",
            "领导重视，汇报内容全面",
            8,
            "直接评分",
            "",
            "县区、功能区",
            "市司法局",
            "工作汇报",
            "2020.12.28",
            "",
        ],
    ]
    widths = [10, 16, 24, 24, 40, 40, 8, 12, 12, 14, 18, 30, 12, 12]
    return _bytes([Sheet("指标体系", CANONICAL_HEADERS, example, widths)])
