"""Property tests for the small format rules of the notice (dates, numbers, document numbers)."""

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from kaohe.publishing.notice_content import cn_date, cn_number
from kaohe.publishing.services.notice import normalise_doc_number

CN_DATE = re.compile(r"^(\d{4})年([1-9]\d?)月([1-9]\d?)日$")


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_have_no_leading_zeros(value):
    match = CN_DATE.match(cn_date(value))
    assert match and tuple(map(int, match.groups())) == (value.year, value.month, value.day)


@given(
    st.sampled_from(["濮法政办", "豫政办", "国办发"]),
    st.integers(min_value=2000, max_value=2099),
    st.integers(min_value=1, max_value=999),
    st.sampled_from(["〔{}〕", "[{}]", "（{}）", "【{}】", "［{}］"]),
    st.integers(min_value=0, max_value=2),
)
def test_doc_number_normalised(prefix, year, number, brackets, zeros):
    raw = f"{prefix}{brackets.format(year)}{'0' * zeros}{number}号"
    assert normalise_doc_number(raw) == f"{prefix}〔{year}〕{number}号"


def test_cn_numbers():
    assert [cn_number(n) for n in (1, 4, 10, 11, 20, 23)] == [
        "一",
        "四",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
