"""Dashboards: figures equal the stored results; tables, Excel and chart data agree."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaohe.publishing import dashboards
from kaohe.publishing.factories import open_publicity
from kaohe.schemes.models import ScoreEntry, Subject
from kaohe.schemes.services import scheme_copy
from kaohe.scoring.models import SubjectResult
from kaohe.scoring.services import results_recompute

pytestmark = pytest.mark.django_db


def next_year(demo):
    """2021: same units, every leaf value of 2020 plus nothing except 清丰县 D1 lowered."""
    new = scheme_copy(source=demo, code="puyang-2021", name="2021年度依法行政考核", year=2021)
    subjects = {s.unit_id: s for s in new.subjects.all()}
    leaves = {i.code: i for i in new.indicators.all()}
    ScoreEntry.objects.bulk_create(
        [
            ScoreEntry(
                subject=subjects[e.subject.unit_id],
                indicator=leaves[e.indicator.code],
                value=e.value
                - (10 if e.subject.unit.name == "清丰县" and e.indicator.code == "D1" else 0),
                note=e.note,
            )
            for e in ScoreEntry.objects.filter(subject__scheme=demo).select_related(
                "subject", "indicator"
            )
        ]
    )
    results_recompute(scheme=new)
    return new


def by_key(charts):
    return {c.key: c for c in charts}


def test_office_figures(demo):
    charts = by_key(dashboards.office_dashboard(demo))
    grades = {row[0]: row[1:] for row in charts["grades"].rows}
    assert charts["grades"].headers[1:3] == ["优秀", "良好"]
    assert grades["县(区)"][:2] == [3, 6] and grades["市直部门"][:2] == [23, 14]
    hist = charts["histogram"]
    assert [sum(row[i] for row in hist.rows) for i in (1, 2)] == [9, 37]
    ranking = charts["ranking"].rows
    assert len(ranking) == 46 and ranking[0][1] == 1
    first = SubjectResult.objects.get(scheme=demo, rank=1, grading_category__name="县(区)")
    assert ranking[0][2] == first.subject.unit.name and ranking[0][-2] == first.total
    components = charts["components"]
    assert components.headers[1:] == ["日常考核", "实地考核", "满意度调查"]
    assert all(0 < v <= 100 for row in components.rows for v in row[1:])
    assert charts["yoy"].rows == []  # one year only


def test_year_over_year_and_unit_history(demo):
    new = next_year(demo)
    yoy = by_key(dashboards.office_dashboard(new))["yoy"]
    assert yoy.headers == ["单位", "2020年", "2021年", "较上年变化"]
    assert len(yoy.rows) == 46
    qingfeng = next(r for r in yoy.rows if r[0] == "清丰县")
    assert qingfeng[3] == qingfeng[2] - qingfeng[1] == -6  # 10 daily points × 60%
    assert yoy.rows[-1][0] == "清丰县"  # biggest fall last
    subject = Subject.objects.get(scheme=new, unit__name="清丰县")
    charts = by_key(dashboards.unit_dashboard(subject))
    assert [r[0] for r in charts["history"].rows] == ["2020年", "2021年"]
    versus = charts["versus"]
    assert [r[0] for r in versus.rows] == ["日常考核", "实地考核", "满意度调查", "总分"]
    assert versus.rows[-1][1] == SubjectResult.objects.get(subject=subject).total
    assert versus.echarts()["series"][0]["name"] == "本单位"
    assert [s["name"] for s in charts["history"].echarts()["series"]] == ["总分"]


def test_pages_render_tables_charts_and_excel(demo, demo_users, office_client, client):
    page = office_client.get(reverse("publishing:dashboard", args=[demo.pk])).content.decode()
    assert "vendor/echarts/echarts.min.js" in page and 'data-table="ranking"' in page
    for script in re.findall(r"<script([^>]*)>", page):
        assert "src=" in script or 'type="application/json"' in script  # CSP: no inline code
    xlsx = office_client.get(reverse("publishing:dashboard", args=[demo.pk]) + "?format=xlsx")
    workbook = load_workbook(BytesIO(xlsx.content))
    assert len(workbook.sheetnames) == 5
    assert workbook.worksheets[-1].max_row == 47
    open_publicity(demo, demo_users["office"])
    client.force_login(demo_users["qingfeng"])
    subject = Subject.objects.get(scheme=demo, unit__name="清丰县")
    unit_page = client.get(reverse("publishing:unit_dashboard", args=[subject.pk]))
    assert unit_page.status_code == 200 and "本单位与组别平均" in unit_page.content.decode()
    own = client.get(reverse("publishing:unit_dashboard", args=[subject.pk]) + "?format=xlsx")
    assert own.status_code == 200 and own.content[:2] == b"PK"


def test_histogram_bins_edges():
    from types import SimpleNamespace as NS

    cat = NS(name="A")
    rows = [NS(total=Decimal(t), grading_category=cat) for t in ("100", "100.00", "95", "94.99")]
    chart = dashboards.histogram(rows)
    assert chart.rows == [["90–95", 1], ["95–100", 3]]
