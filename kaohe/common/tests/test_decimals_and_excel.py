"""Shared helpers: parsing numbers people type, and the Excel download."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from kaohe.common.decimals import (
    NumberError,
    parse_decimal,
    parse_id,
    parse_ids,
    parse_int,
    round_half_up,
)
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
        # Only ASCII and full-width digits, no exponent, separators or endless digits.
        ("1e999", None),
        ("9" * 400, None),
        ("٣", None),
        ("1_0", None),
        ("0x10", None),
        (1e300, None),
        (1e-05, Decimal("0.00001")),  # Excel's float for a small typed value
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


def test_parse_int_and_ids_bound_the_value():
    assert parse_int("１２", maximum=20) == 12
    assert parse_int(" ", maximum=20) is None
    for raw, message in [("21", "之间"), ("1.5", "整数"), ("-1", "负数"), ("9" * 400, "位数")]:
        with pytest.raises(NumberError, match=message):
            parse_int(raw, maximum=20)
    assert parse_id("42") == 42 and parse_id("abc") is None and parse_id("0") is None
    assert parse_ids(["1", "x", "٣", "2", "1e3"]) == [1, 2]


def test_every_domain_model_guards_its_text():
    """NUL/control characters and over-long text are refused by every kaohe model's save and
    full_clean (common.models.TextGuardMixin); the audit chain escapes them instead."""
    from django.apps import apps

    from kaohe.common.models import TextGuardMixin

    unguarded = [
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("kaohe.")
        and not m.__module__.startswith("kaohe.audit.")
        and not issubclass(m, TextGuardMixin)
    ]
    assert not unguarded


@pytest.mark.django_db
def test_text_guard_refuses_nul_and_overlong_text_on_save_and_full_clean():
    from django.core.exceptions import ValidationError

    from kaohe.common.testing import make_unit
    from kaohe.orgs.models import Unit

    unit = make_unit("甲县")
    for bad in ("甲\x00县", "甲\x1b县", "县" * 200):
        unit.name = bad
        with pytest.raises(ValidationError):
            unit.full_clean()
        with pytest.raises(ValidationError):
            unit.save()
    assert Unit.objects.get(pk=unit.pk).name == "甲县"
    unit.name = "甲县\t第二行\n"  # tabs and line breaks are text
    unit.save()


def test_decimals_show_two_places_and_lazy_labels_are_text():
    from django.utils.translation import gettext_lazy

    response = xlsx_response(
        "x.xlsx", [Sheet("s", [gettext_lazy("得分")], [[Decimal("95")], [gettext_lazy("已逾期")]])]
    )
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A1"].value == "得分"
    assert ws["A2"].value == 95 and ws["A2"].number_format == "0.00"
    assert ws["A3"].value == "已逾期"
