"""The generated notice read back with python-docx/lxml: every GB/T 9704 property asserted."""

import math
from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from docx.oxml.ns import qn

from kaohe.demo import seed2020
from kaohe.publishing.notice_content import cn_date, grade_lists, notice_prepare
from kaohe.publishing.notice_docx import build_notice
from kaohe.publishing.services.notice import normalise_doc_number, notice_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(demo, demo_users):
    notice = notice_prepare(scheme=demo, actor=demo_users["office"])
    return notice_update(
        notice=notice,
        actor=demo_users["office"],
        data={
            "doc_number": "濮法政办[2021]024号",
            "addressees": "各县（区）党委、人民政府，市直各单位",
            "issue_date": date(2021, 7, 1),
            "problems": "（一）依法行政意识有待进一步提高。个别单位意识淡薄。\n1. 说理式处罚未体现。",
        },
    )


@pytest.fixture
def doc(notice):
    return Document(BytesIO(build_notice(notice)))


def fonts(run):
    return run._element.rPr.find(qn("w:rFonts"))


def east_asia(run):
    return fonts(run).get(qn("w:eastAsia"))


def size_pt(run):
    return run.font.size.pt


def paragraph(doc, text):
    found = [p for p in doc.paragraphs if p.text.strip() == text]
    assert found, f"no paragraph {text!r}"
    return found[0]


def twips(mm):
    return mm / 25.4 * 1440


def test_page_a4_and_margins(doc):
    section = doc.sections[0]
    assert abs(section.page_width.twips - twips(210)) <= 1
    assert abs(section.page_height.twips - twips(297)) <= 1
    for name, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(getattr(section, f"{name}_margin").twips - twips(mm)) <= 1, name
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    assert abs(width - twips(156)) <= 2 and abs(height - twips(225)) <= 2


def test_document_grid_22_lines_of_28_characters(doc):
    section = doc.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    line_pitch = int(grid.get(qn("w:linePitch")))
    char_pitch = 16 * 20 + int(grid.get(qn("w:charSpace"))) * 20 / 4096
    assert math.floor(height / line_pitch) == 22
    assert math.floor(width / char_pitch) == 28
    # Every paragraph lays out its own characters (no grid snapping), with 3号 condensed so
    # that exactly 28 fit in Word and LibreOffice alike; lines are exactly one grid pitch.
    body = next(p for p in doc.paragraphs if p.text.startswith("按照2020年度"))
    assert body._p.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    assert body.paragraph_format.line_spacing.twips == line_pitch == 579
    condensed = int(body.runs[0]._element.rPr.find(qn("w:spacing")).get(qn("w:val")))
    assert math.floor(width / (16 * 20 + condensed)) == 28
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) == "32"
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_issuing_office_mark_number_and_red_rule(doc):
    mark = paragraph(doc, f"{seed2020.OFFICE}文件")
    assert mark.alignment == 1  # centre
    run = mark.runs[0]
    assert str(run.font.color.rgb) == "FF0000"
    assert east_asia(run) == "方正小标宋简体"
    # one line: characters × size fit the 156 mm text block
    assert len(mark.text) * size_pt(run) <= 156 / 25.4 * 72
    number = paragraph(doc, "濮法政办〔2021〕24号")
    assert number.alignment == 1
    texts = [p.text for p in doc.paragraphs]
    assert texts.index(number.text) > texts.index(mark.text)
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"
    assert number._p.pPr.find(qn("w:ind")) is None  # rule spans the text block


def test_title_and_addressees(doc, notice):
    title = paragraph(doc, notice.title)
    assert title.alignment == 1
    assert size_pt(title.runs[0]) == 22
    assert east_asia(title.runs[0]) == "方正小标宋简体"
    addressees = paragraph(doc, "各县（区）党委、人民政府，市直各单位：")
    assert addressees.text.endswith("：")
    assert addressees._p.pPr.find(qn("w:ind")) is None
    assert addressees.alignment in (None, 0)


def test_body_headings_and_indent(doc):
    body = next(p for p in doc.paragraphs if p.text.startswith("按照2020年度"))
    run = body.runs[0]
    assert size_pt(run) == 16 and east_asia(run) == "仿宋_GB2312"
    assert fonts(run).get(qn("w:ascii")) == "仿宋_GB2312"
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    h1 = paragraph(doc, "一、考核组织实施情况")
    assert east_asia(h1.runs[0]) == "黑体"
    h2 = paragraph(doc, "（一）县(区)")
    assert east_asia(h2.runs[0]) == "楷体_GB2312"
    inline = next(p for p in doc.paragraphs if p.text.startswith("（一）依法行政意识"))
    assert east_asia(inline.runs[0]) == "楷体_GB2312"
    assert inline.runs[0].text == "（一）依法行政意识有待进一步提高。"
    assert east_asia(inline.runs[1]) == "仿宋_GB2312"
    h3 = paragraph(doc, "1. 说理式处罚未体现。")
    assert east_asia(h3.runs[0]) == "仿宋_GB2312"
    for p in (h1, h2, h3):
        assert p._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"


def test_grade_lists_match_seed_003_in_official_order(doc, demo):
    texts = [p.text for p in doc.paragraphs]
    county = "、".join(
        n for n in seed2020.COUNTIES + seed2020.ZONES if n in seed2020.COUNTY_EXCELLENT
    )
    assert f"1. 考核结果为优秀等次的县(区)3个：{county}" in texts
    assert county == "清丰县、台前县、开发区管委会"
    line = next(t for t in texts if t.startswith("1. 考核结果为优秀等次的市直部门23个："))
    assert line.split("：")[1].split("、") == seed2020.DEPARTMENTS_EXCELLENT


def test_rank_order_puts_rank_one_first(demo):
    from kaohe.scoring.models import SubjectResult

    lists = grade_lists(demo, "rank")
    top = SubjectResult.objects.get(scheme=demo, rank=1, grading_category__name="县(区)")
    assert lists[0].grades[0].units[0] == top.subject.unit.name


def test_date_record_block_and_page_numbers(doc, notice):
    assert cn_date(date(2021, 7, 1)) == "2021年7月1日"
    date_line = paragraph(doc, "2021年7月1日")
    assert date_line.alignment == 2
    record = next(p for p in doc.paragraphs if p.text.endswith("2021年7月1日印发"))
    assert notice.printer in record.text
    borders = record._p.pPr.find(qn("w:pBdr"))
    assert borders.find(qn("w:top")) is not None and borders.find(qn("w:bottom")) is not None
    frame = record._p.pPr.find(qn("w:framePr"))  # pinned to the foot of the last page
    assert frame.get(qn("w:vAnchor")) == "margin" and frame.get(qn("w:yAlign")) == "bottom"
    assert list(record._p.pPr).index(frame) < list(record._p.pPr).index(borders)
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert not section.footer.is_linked_to_previous
    for footer, align in ((odd, 2), (even, 0)):
        assert footer.alignment == align
        assert footer.text == "— 1 —"
        instr = footer._p.findall(".//" + qn("w:instrText"))
        assert instr and instr[0].text.strip() == "PAGE"
        for run in footer.runs:
            assert size_pt(run) == 14 and east_asia(run) == "宋体"
    assert odd._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "100"
    assert even._p.pPr.find(qn("w:ind")).get(qn("w:leftChars")) == "100"


def test_doc_number_normalised_or_refused():
    assert normalise_doc_number("濮法政办〔2021〕24号") == "濮法政办〔2021〕24号"
    assert normalise_doc_number("濮法政办[2021]0024号") == "濮法政办〔2021〕24号"
    with pytest.raises(ValidationError, match="发文字号"):
        normalise_doc_number("第24号")


def test_empty_sections_omitted_and_renumbered(doc):
    texts = [p.text for p in doc.paragraphs]
    # the fixture fills 一 (draft), 二 (results) and 存在问题 only
    assert "三、存在问题" in texts
    assert not any(t.endswith("工作主要成效") or t.endswith("下一步工作要求") for t in texts)


def test_draft_from_scheme_facts_and_regenerate_keeps_edits(demo, demo_users):
    notice = notice_prepare(scheme=demo)
    text = notice.organisation
    assert "2021年1月25日——2021年2月5日" in text
    assert "共46个单位" in text and "华龙区等6个县区" in text and "等37个市直部门" in text
    assert "日常考核占60%" in text and "实地考核占30%" in text and "满意度调查占10%" in text
    notice_update(notice=notice, data={"organisation": "已编辑的组织情况。"}, actor=None)
    notice = notice_prepare(scheme=demo)
    assert notice.organisation == "已编辑的组织情况。"
    doc = Document(BytesIO(build_notice(notice)))
    assert "已编辑的组织情况。" in [p.text for p in doc.paragraphs]
