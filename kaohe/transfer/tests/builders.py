"""Test files built with python-docx and openpyxl, reproducing seed 000's quirks.

SEED000_ROWS is the task table of seed 000 (2020年度全省依法行政实地考核任务分解表) as
written: empty first-level cells (merged downwards in Word), the first-level label repeated
after page breaks, a word broken across lines, several units per cell, and the row whose
考核内容/考核要求 are merged with the row above.
"""

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook

HEADER_TOP = [
    "考核指标",
    "考核指标",
    "考核内容",
    "考核要求",
    "责任\n单位",
    "资料准备要求",
    "提交\n时限",
]
HEADER_SUB = ["一级指标", "二级指标"]
# Rows whose 考核内容 and 考核要求 (columns 2, 3) are merged with the row above.
MERGED_WITH_ABOVE = {"抽查2个行政机关"}

SEED000_ROWS = [
    [
        "一、听取汇报",
        "听取考核对象法治政府建设工作情况汇报",
        "政府主要负责人围绕2020年本地落实法治政府建设各项工作任务的整体情况、工作举措、工作成效、亮点经验、存在问题、下步计划及工作建议等内容进行汇报",
        "1.领导重视，无特殊原因，领导小组全员参会；2.工作汇报内容全面、工作扎实、亮点突出、问题精准、建议中肯",
        "市司法局",
        "法治政府建设工作汇报（整体情况、工作举措、工作成效、亮点经验、存在问题、下步计划及工作建议）",
        "2020.12.28",
    ],
    [
        "",
        "座谈了解情况",
        "了解成员单位特别是党委部门发挥作用情况和本地加强法治建设、强化公共卫生法治保障、提高新冠肺炎疫情防控的法治化水平、加大企业复工复产法治保障力度和营造法治化营商环境等情况",
        "1.结合职责和具体事例，体现发挥作用情况；2.结合实际，通过案例、数据，体现重点工作具体举措",
        "市法治政府建设领导小组成员单位",
        "相关汇报资料（加强法治建设，如何通过法治思维和法治方式强化公共卫生、疫情防控、企业复工复产）",
        "2020.12.28",
    ],
    [
        "二、依法行政能力测试",
        "领导干部依法行政能力测\n试",
        "现场抽取法治政府建设领导小组1名负责同志和2名成员，通过现场提问的方式，对领导干部运用法治思维法治方式解决实际问题的能力进行测试",
        "围绕主题、结合实际，思路清晰、表述流畅、层次分明",
        "市政府办公室\n市司法局",
        "市司法局准备相关试题\n市政府办公室负责呈送张雷明市长、刘江副市长",
        "2020.12.28",
    ],
    [
        "",
        "机关人员依法行政能力测试",
        "现场抽取10至15名有关单位机关工作人员进行测试，应包括除单位主要负责人以外的各级别人员，其中中层干部人数应当达到参加测试人员50%",
        "没有用手机查阅、抄袭、交头接耳等现象，依法行政、法治政府相关基础知识掌握牢固",
        "市市场监管局\n市卫健委\n市住建局",
        "各推荐5名行政执法人员（其中科级干部不少于3人），名单递交市法治政府建设领导小组办公室",
        "2020.12.28",
    ],
    [
        "三、抽查检查",
        "抽查1个下级政府",
        "通过现场提问、交流座谈、实地走访等形式，对考核对象汇报情况进行核验，了解基层政府和机关依法行政工作水平",
        "能够按照法治政府建设十个方面工作内容和法治政府建设五大落实机制相关要求开展工作",
        "各县市区人民政府",
        "准备工作报告和相关印证资料",
        "2020.12.28",
    ],
    ["", "抽查2个行政机关", "", "", "市直考核对象", "准备工作报告和相关印证资料", "2020.12.28"],
    [
        "",
        "依法办理行政复议案卷",
        "随机抽取5本行政复议案卷带回",
        "认定事实清楚、适用法律正\n确、程序合法",
        "市政府办公室",
        "做好行政复议案卷整理工作",
        "2020.12.28",
    ],
    [
        "",
        "指导下级政府及本级政府所属执法部门制定《音像记录事项清单》",
        "现场选取5个部门查看其《音像记录事项清单》制定情况",
        "《音像记录事项清单》细化到具体执法环节",
        "市司法局",
        "组织市行政执法部门做好音像记录事项清单工作",
        "2020.12.28",
    ],
    [
        "三、抽查检查",
        "指导下级政府及本级政府所属执法部门制定《重大执法决定法制审核目录清单》",
        "现场选取5个部门查看其《重大执法决定法制审核目录清单》制定情况",
        "1.《重大执法决定法制审核目录清单》细化到重大行政强制、行政检查、行政征收征用、行政许可等具体执法事项；2.适用一般程序作出的所有行政处罚决定都要依法进行法制审核。清单中如果列有行政处罚事项，应为该部门所有行政处罚事项,不应表述为重大行政处罚事项",
        "市司法局",
        "组织市行政执法部门做好重大执法决定法制审核目录清单工作",
        "2020.12.28",
    ],
    [
        "",
        "落实重大行政处罚备案审查制度",
        "提前通知被考核地司法局准备2020年度重大行政处罚备案材料并带至考核现场，随机抽取5份备案材料，查看备案材料是否齐全（需有重大行政处罚备案报告、河南省重大行政处罚备案审查表、行政处罚决定书），备案审查表填写是否规范",
        "行政处罚决定机关自作出重大行政处罚决定之日起15日内，向备案审查部门备案；备案审查部门应当自收到重大行政处罚备案材料之日起60日内完成审查工作",
        "市司法局",
        "准备2020年度重大行政处罚备案材料",
        "2020.12.28",
    ],
    [
        "三、抽查检查",
        "依法处理群众投诉举报",
        "提前通知被考核地司法局提供自然资源、住房和城乡建设、水利、文化旅游、生态环境5个部门的行政执法投诉举报台账及依法处理投诉举报情况并带至考核现场，每个部门抽取1件查看是否依法处理。",
        "依法处理群众的投诉举报",
        "市自然资源\n市住建局\n市水利局\n市文化广电旅游局\n市生态环境局",
        "准备行政执法投诉举报台账及依法处理投诉举报情况印证资料",
        "2020.12.28",
    ],
    [
        "四、实地走访",
        "政务服务大厅查看办事效率、质量",
        "查看办事效率、服务质量和公示牌设置情况",
        "办事效率高、服务质量优、公示牌设置合理、内容完整",
        "市政务服务和大数据管理局",
        "做好相关准备工作，规范大厅工作人员言行，设置好公示牌，提高办事效率和服务质量",
        "2020.12.28",
    ],
    [
        "",
        "走访当地民营企业",
        "组织5名左右民营企业家召开座谈会，了解在民营企业中推进服务型行政执法情况",
        "年度内对相关企业广泛宣传违法风险点，及时开展行政指导",
        "市住建局\n市交通局\n市文化广电旅游局\n市生态环境局\n市卫生监督局",
        "各推荐一家民营企业，名单报至市法治政府建设领导小组办公室",
        "2020.12.28",
    ],
    [
        "五、暗访调查",
        "深入群众了解情况，了解本地政府及其部门是否依法行政（扣分项）",
        "省法治政府建设领导小组办公室通过事先征集社情民意，有针对性的对行业或领域反映情况较多的问题进行调查。也可采取拨打当地热线，询问沿街店铺商贩，或到政务服务大厅等面向群众开放的办事机构，灵活开展暗访调查，了解群众对本地依法行政、法治政府建设工作的感受及评价",
        "无行政不作为、乱作为等现象",
        "市政务服务和大数据管理局\n市城市管理局",
        "做好行政执法人员思想工作，规范行政执法人员执法行为，采取温暖执法、文明执法方式（上报工作方案）",
        "2020.12.28",
    ],
]


def seed_rows(date_style: str = "dot"):
    """The rows with their deadline written as 2020.12.28 (dot) or 2020年12月28日 (cn)."""
    out = []
    for row in SEED000_ROWS:
        row = list(row)
        if date_style == "cn":
            row[6] = "2020年12月28日"
        out.append(row)
    return out


def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def seed_docx(date_style: str = "dot", rows=None) -> bytes:
    """Seed 000's table as a Word document: title, two-row header, merged cells."""
    rows = rows if rows is not None else seed_rows(date_style)
    document = docx.Document()
    _landscape(document)
    document.add_paragraph("附件1")
    document.add_paragraph("2020年度全省依法行政实地考核任务分解表")
    table = document.add_table(rows=2 + len(rows), cols=7)
    for col, text in enumerate(HEADER_TOP):
        if col != 1:
            table.cell(0, col).text = text
    table.cell(1, 0).text, table.cell(1, 1).text = HEADER_SUB
    table.cell(0, 0).merge(table.cell(0, 1))
    for col in range(2, 7):
        table.cell(0, col).merge(table.cell(1, col))
    _repeat_header(table.rows[0])
    _repeat_header(table.rows[1])
    group_start = None
    for index, row in enumerate(rows, start=2):
        for col, text in enumerate(row):
            if col == 0 and not text:
                continue
            if col in (2, 3) and row[1] in MERGED_WITH_ABOVE:
                continue
            table.cell(index, col).text = text
        if row[0]:
            group_start = index
        elif group_start is not None:
            table.cell(group_start, 0).merge(table.cell(index, 0))
        if row[1] in MERGED_WITH_ABOVE:
            for col in (2, 3):
                table.cell(index - 1, col).merge(table.cell(index, col))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_xlsx(date_style: str = "dot", rows=None) -> bytes:
    """Seed 000's table pasted into Excel: title row, two-row header, merged cells."""
    rows = rows if rows is not None else seed_rows(date_style)
    workbook = Workbook()
    ws = workbook.active
    ws.title = "任务分解表"
    ws.append(["附件1"])
    ws.append(["2020年度全省依法行政实地考核任务分解表"])
    ws.merge_cells("A2:G2")
    ws.append([t if i != 1 else None for i, t in enumerate(HEADER_TOP)])
    ws.append(HEADER_SUB + [None] * 5)
    ws.merge_cells("A3:B3")
    for col in "CDEFG":
        ws.merge_cells(f"{col}3:{col}4")
    group_start = None
    for offset, row in enumerate(rows):
        number = 5 + offset
        values = [
            None if (i == 0 and not text) or (i in (2, 3) and row[1] in MERGED_WITH_ABOVE) else text
            for i, text in enumerate(row)
        ]
        ws.append(values)
        if row[0]:
            if group_start is not None and group_start < number - 1:
                ws.merge_cells(f"A{group_start}:A{number - 1}")
            group_start = number
        if row[1] in MERGED_WITH_ABOVE:
            for col in "CD":
                ws.merge_cells(f"{col}{number - 1}:{col}{number}")
    last = 4 + len(rows)
    if group_start is not None and group_start < last:
        ws.merge_cells(f"A{group_start}:A{last}")
    return workbook_bytes(workbook)


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(rows, title: str = "Sheet1", extra_sheets=()) -> bytes:
    """A plain workbook from rows (first row the header); extra_sheets = [(title, rows)]."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for name, more in extra_sheets:
        sheet = workbook.create_sheet(name)
        for row in more:
            sheet.append(list(row))
    return workbook_bytes(workbook)


CANONICAL_HEADER = [
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
]


def canonical_rows(l1: int = 2, l2: int = 3, l3: int = 2):
    """A canonical template body: l1 × l2 × l3 nodes with every column used."""
    rows = [CANONICAL_HEADER]
    for a in range(1, l1 + 1):
        rows.append([f"T{a}", f"一级{a}", "", "", "", "", "", "", "实地考核", "", "", "", ""])
        for b in range(1, l2 + 1):
            rows.append(
                [
                    f"T{a}.{b}",
                    "",
                    f"二级{a}.{b}",
                    "",
                    f"内容{a}.{b}",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
            for c in range(1, l3 + 1):
                rows.append(
                    [
                        f"T{a}.{b}.{c}",
                        "",
                        "",
                        f"三级{a}.{b}.{c}",
                        "内容",
                        "要求",
                        5,
                        "直接评分",
                        "",
                        "",
                        "市司法局",
                        "材料",
                        "2020-12-28",
                    ]
                )
    return rows
