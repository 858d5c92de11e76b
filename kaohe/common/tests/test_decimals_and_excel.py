"""Shared helpers: parsing numbers people type, and the Excel download."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from kaohe.common.decimals import parse_decimal, round_half_up
from kaohe.common.excel import Sheet, xlsx_response


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("85", Decimal("85")),
        (" 85.5 ", Decimal("85.5")),
        ("85,5", Decimal("85.5")),
        ("８５．５", Decimal("85.5")),
        (0.1, Decimal("0.1")),
        (7, Decimal(7)),
        ("", None),
        ("abc", None),
        ("NaN", None),
        ("inf", None),
        (None, None),
    ],
)
def test_parse_decimal(raw, expected):
    assert parse_decimal(raw) == expected


def test_round_half_up():
    assert round_half_up(Decimal("89.995")) == Decimal("90.00")
    assert round_half_up(Decimal("2.675")) == Decimal("2.68")


def test_xlsx_response_has_chinese_name_frozen_header_and_no_formulas():
    response = xlsx_response(
        "考核结果", [Sheet("县(区)", ["名次", "单位"], [[1, "清丰县"], [2, "=1+1"]])]
    )
    assert "UTF-8''%E8%80%83" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["县(区)"]
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].value == "清丰县"
    assert sheet["B3"].value == "'=1+1"  # formula injection neutralised


def test_decimals_show_two_places_and_lazy_labels_are_text():
    from django.utils.translation import gettext_lazy

    response = xlsx_response(
        "x.xlsx", [Sheet("s", [gettext_lazy("得分")], [[Decimal("95")], [gettext_lazy("已逾期")]])]
    )
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "得分"
    assert ws["A2"].value == 95 and ws["A2"].number_format == "0.00"
    assert ws["A3"].value == "已逾期"
