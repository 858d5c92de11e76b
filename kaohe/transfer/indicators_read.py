"""Reading indicator / task tables (.docx or .xlsx) into an indicator tree, without writing.

Two layouts: the office's own table (one row per leaf, first-level column merged or left
blank downwards, codes generated) and the canonical template (one row per node with its
编码, round-trips with the export). Both go through the same cell cleaning.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from kaohe.common.decimals import parse_decimal
from kaohe.common.sheets import grid
from kaohe.common.sheets.headers import Header, crossing_merges, find_header, is_header_again
from kaohe.common.sheets.problems import ImportFailed, Problems
from kaohe.common.sheets.text import cell_text, join_lines, parse_date, split_names, strip_numbering
from kaohe.common.uploads import CheckedFile
from kaohe.schemes.choices import ScoringMethod

from .columns import INDICATOR_COLUMNS
from .indicator_tree import Node, Tree
from .matching import UnitResolver, category_lookup, component_lookup

MAX_ROWS = 20000
PREFIXES = {"daily": "D", "onsite": "X", "satisfaction": "S"}
# Tables name the methods in Chinese, whatever the page's language.
with translation.override("zh-hans"):
    METHOD_NAMES = {str(m.label): m.value for m in ScoringMethod}
METHOD_LOOKUP = {**{m.value: m.value for m in ScoringMethod}, **METHOD_NAMES}
METHOD_LOOKUP.update(
    {"直接评分": "entered", "扣分制": "deduction", "加分": "bonus", "扣分": "penalty"}
)


class _Reader:
    def __init__(self, scheme, *, component=None, prefix: str = ""):
        self.scheme = scheme
        self.units = UnitResolver(scheme.owner_unit)
        self.categories = category_lookup()
        self.components = component_lookup(scheme)
        self.default_component = component
        self.prefix = prefix
        self.problems = Problems()
        self.unmatched: dict[str, list[str]] = {}
        self.nodes: list[Node] = []
        self.label = ""
        self.row: int | None = None

    # --- cells -------------------------------------------------------------------------
    def cell(self, values, header: Header, key: str):
        col = header.columns.get(key)
        if col is None or col >= len(values):
            return None
        return values[col]

    def text(self, values, header, key) -> str:
        value = self.cell(values, header, key)
        if grid.is_uncomputed_formula(value):
            self.err(
                header, key, _("是公式且没有计算结果，请在 Excel 中打开后保存，或粘贴为数值。")
            )
            return ""
        return cell_text(value)

    def err(self, header, key, message):
        self.problems.add(self.label, self.row, header.title(key) if key else None, message)

    # --- fields --------------------------------------------------------------------------
    def fill(self, node: Node, values, header: Header) -> None:
        node.content = join_lines(self.text(values, header, "content"))
        node.requirement = join_lines(self.text(values, header, "requirement"))
        node.materials = self.text(values, header, "materials")
        node.responsible_text = self.text(values, header, "responsible")
        node.filled = True
        found = self.units.responsible(split_names(node.responsible_text))
        node.responsible, node.groups, node.categories = found.units, found.groups, found.categories
        for name in found.unknown:
            self.unmatched.setdefault(name, []).append(node.where)
        raw_deadline = self.cell(values, header, "deadline")
        if cell_text(raw_deadline):
            node.deadline = parse_date(raw_deadline)
            if node.deadline is None:
                message = _(
                    "“%(value)s”不是日期，应写作 2020.12.28、2020-12-28 或 2020年12月28日。"
                )
                self.err(header, "deadline", message % {"value": cell_text(raw_deadline)})
        raw_score = self.text(values, header, "max_score")
        if raw_score:
            node.max_score = parse_decimal(self.cell(values, header, "max_score"))
            if node.max_score is None or node.max_score < 0 or node.max_score >= Decimal("1000000"):
                message = _("“%(raw_score)s”不是有效分值，应为不小于 0 的数字。")
                self.err(header, "max_score", message % {"raw_score": raw_score})
                node.max_score = None
        raw_method = self.text(values, header, "method")
        if raw_method:
            method = METHOD_LOOKUP.get(raw_method.replace(" ", ""))
            if method is None:
                allowed = "、".join(METHOD_NAMES)  # the Chinese names the table must use
                message = _("“%(raw_method)s”不是评分方式，可选：%(allowed)s。")
                self.err(header, "method", message % {"raw_method": raw_method, "allowed": allowed})
            else:
                node.method = method
        elif "扣分项" in node.name:
            node.method = ScoringMethod.PENALTY
        elif "加分项" in node.name:
            node.method = ScoringMethod.BONUS
        node.veto_grade = self.text(values, header, "veto_grade")[:16]
        if node.method == ScoringMethod.VETO and not node.veto_grade:
            self.err(header, "veto_grade", _("一票否决项必须填写否决后最高等次。"))
        for name in split_names(self.text(values, header, "applies")):
            category = self.categories.get(name)
            if category is None:
                known = _("、").join(sorted({c.name for c in self.categories.values()}))
                message = _("“%(name)s”不是已有的单位类别（已有：%(known)s）。")
                self.err(header, "applies", message % {"name": name, "known": known})
            elif category not in node.applies:
                node.applies.append(category)

    def component_of(self, values, header) -> object:
        raw = self.text(values, header, "component")
        if not raw:
            return self.default_component
        component = self.components.get(raw.replace(" ", ""))
        if component is None:
            known = _("、").join(sorted({c.name for c in self.components.values()}))
            message = _("“%(raw)s”不是本方案的考核类别（可选：%(known)s）。")
            self.err(header, "component", message % {"raw": raw, "known": known})
        return component

    def name_of(self, values, header, key) -> str:
        name = join_lines(self.text(values, header, key))
        if len(name) > 255:
            self.err(
                header, key, _("指标名称过长（%(count)s 字），最多 255 字。") % {"count": len(name)}
            )
            name = name[:255]
        return name

    def new(self, level, name, parent=None) -> Node:
        node = Node(
            level=level,
            name=name,
            where=_("%(label)s 第 %(row)s 行") % {"label": self.label, "row": self.row},
            parent=parent,
        )
        if parent is not None:
            parent.children.append(node)
            node.order = len(parent.children)
        else:
            node.order = sum(1 for n in self.nodes if n.level == 1) + 1
        self.nodes.append(node)
        return node

    # --- layouts ---------------------------------------------------------------------------
    def office_rows(self, table, header: Header, rows) -> None:
        l1_by_name: dict[str, Node] = {}
        current_l1 = current_l2 = None
        has_l3 = "l3" in header.columns
        for self.row, values in rows:
            l1_name = strip_numbering(self.name_of(values, header, "l1"))
            l2_name = self.name_of(values, header, "l2")
            l3_name = self.name_of(values, header, "l3") if has_l3 else ""
            l1_new = l2_new = False
            if l1_name:
                if l1_name not in l1_by_name:
                    current_l1 = self.new(1, l1_name)
                    current_l1.component = self.component_of(values, header)
                    l1_by_name[l1_name] = current_l1
                    current_l2, l1_new = None, True
                elif l1_by_name[l1_name] is not current_l1:
                    current_l1, current_l2 = l1_by_name[l1_name], None
            elif current_l1 is None:
                self.err(header, "l1", _("缺少一级指标名称（第一条数据行必须填写一级指标）。"))
                continue
            leaf = current_l1
            if l2_name:
                l2_name = strip_numbering(l2_name) if has_l3 else l2_name
                merged = (self.row, header.columns["l2"]) in table.merged_from
                if not (current_l2 and has_l3 and (merged or current_l2.name == l2_name)):
                    current_l2, l2_new = self.new(2, l2_name, current_l1), True
                leaf = current_l2
            elif has_l3 and current_l2 is not None and l3_name:
                leaf = current_l2
            elif not l1_new:
                # A row under an existing first-level indicator must name its own indicator.
                self.err(header, "l2", _("缺少二级指标名称。"))
                continue
            if l3_name:
                leaf = self.new(3, l3_name, leaf)
            elif leaf.level == 2 and not l2_new:
                self.err(header, "l3", _("缺少三级指标名称。"))
                continue
            self.fill(leaf, values, header)

    def canonical_rows(self, table, header: Header, rows) -> None:
        last: dict[int, Node] = {}
        seen_codes: dict[str, str] = {}
        keys = [k for k in ("l1", "l2", "l3") if k in header.columns]
        for self.row, values in rows:
            code = self.text(values, header, "code").replace("\n", "")
            names = {k: self.name_of(values, header, k) for k in keys}
            filled = [k for k in keys if names[k]]
            if not filled:
                self.err(
                    header,
                    keys[0] if keys else None,
                    _("缺少指标名称（一级/二级/三级指标须填写一个）。"),
                )
                continue
            key = filled[-1]
            level = int(key[1])
            if not code:
                self.err(header, "code", _("缺少编码。"))
            elif len(code) > 32:
                self.err(
                    header,
                    "code",
                    _("编码“%(value)s”过长，最多 32 个字符。") % {"value": code[:40]},
                )
            elif code in seen_codes:
                message = _("编码“%(code)s”重复（与%(value)s相同）。")
                self.err(header, "code", message % {"code": code, "value": seen_codes[code]})
            else:
                seen_codes[code] = _("第 %(row)s 行") % {"row": self.row}
            parent = last.get(level - 1) if level > 1 else None
            if level > 1 and parent is None:
                message = _("%(value)s“%(value2)s”前面没有上级指标。")
                self.err(header, key, message % {"value": header.title(key), "value2": names[key]})
                continue
            for upper in filled[:-1]:
                ancestor = last.get(int(upper[1]))
                if ancestor is None or ancestor.name != names[upper]:
                    self.err(
                        header,
                        upper,
                        _("“%(value)s”与上方的上级指标不一致。") % {"value": names[upper]},
                    )
            node = self.new(level, names[key], parent)
            node.code = code
            component = self.component_of(values, header)
            if parent is None:
                node.component = component
            elif self.text(values, header, "component") and component is not parent.component:
                self.err(header, "component", _("下级指标的考核类别必须与上级相同。"))
            self.fill(node, values, header)
            last[level] = node
            for deeper in range(level + 1, 4):
                last.pop(deeper, None)

    # --- finishing -------------------------------------------------------------------------
    def finish(self, layout: str) -> Tree:
        for node in self.nodes:
            if node.level == 1 and node.component is None:
                self.problems.note(
                    node.where,
                    _(
                        "一级指标“%(name)s”没有所属考核类别：请在导入选项中选择考核类别，或在表中加“所属考核类别”列。"
                    )
                    % {"name": node.name},
                )
            if node.parent is not None:
                node.component = node.parent.component
        if layout == "office":
            prefix = self.prefix or PREFIXES.get(getattr(self.default_component, "code", ""), "Z")
            for node in self.nodes:
                node.code = (
                    f"{node.parent.code}.{node.order}" if node.parent else f"{prefix}{node.order}"
                )
        existing = set(self.scheme.indicators.values_list("code", flat=True))
        clashes = [n for n in self.nodes if n.code in existing]
        for node in clashes[:50]:
            self.problems.note(
                node.where,
                _("编码“%(code)s”在方案“%(code2)s”中已存在；请换一个编码前缀，或先删除已有指标。")
                % {"code": node.code, "code2": self.scheme.code},
            )
        if not self.nodes and not self.problems:
            self.problems.note(self.label, _("表中没有任何指标行。"))
        self.problems.raise_if_any()
        suggestions = {name: self.units.suggestions(name) for name in self.unmatched}
        return Tree(
            nodes=self.nodes, unmatched=self.unmatched, layout=layout, suggestions=suggestions
        )


def read_indicators(upload: CheckedFile, scheme, *, component=None, prefix: str = "") -> Tree:
    """Parse the file into a tree for `scheme`; ImportFailed lists every problem."""
    tables = (
        grid.read_docx(upload)
        if upload.kind == "docx"
        else grid.read_xlsx(upload, max_rows=MAX_ROWS)
    )
    reader = _Reader(scheme, component=component, prefix=prefix)
    header = None
    layout = "office"
    body: list = []
    first = None
    for table in tables:
        found = find_header(table, INDICATOR_COLUMNS, needed=3)
        if found is None or not ({"l1", "l2", "l3"} & found.columns.keys()):
            if header is not None and upload.kind == "docx" and first is not None:
                body.append((table, header, grid.iter_nonblank(table, 1)))  # continued table
            continue
        if header is not None and upload.kind == "xlsx":
            break  # the first sheet with a header is the one
        header = found
        first = table
        crossing = crossing_merges(table, found)
        if crossing:
            message = _("%(label)s：合并单元格 %(c)s 跨越了表头和数据行，请取消合并后再导入。")
            raise ImportFailed([message % {"label": table.label, "c": c} for c in crossing])
        body.append((table, found, grid.iter_nonblank(table, found.last_row + 1)))
    if header is None:
        names = "、".join(["一级指标", "二级指标", "考核内容", "责任单位", "提交时限"])
        message = _("文件“%(name)s”：没有找到指标表的表头（应包含 %(names)s 等列名）。")
        raise ImportFailed([message % {"name": upload.name, "names": names}])
    layout = "canonical" if "code" in header.columns else "office"
    total = 0
    for table, table_header, rows in body:
        reader.label = table.label
        kept = []
        for number, values in rows:
            if not is_header_again(values, table_header, INDICATOR_COLUMNS):
                kept.append((number, values))
        total += len(kept)
        if total > MAX_ROWS:
            message = _("%(label)s：数据行超过一次导入的上限 %(max)s 行，请拆分后分批导入。")
            raise ImportFailed([message % {"label": table.label, "max": MAX_ROWS}])
        if layout == "canonical":
            reader.canonical_rows(table, table_header, kept)
        else:
            reader.office_rows(table, table_header, kept)
    return reader.finish(layout)
