"""Joining words and sentences in the active language (a local copy of the helpers that
kaohe/common/text.py provides on the English branch; same msgids and contexts, so the catalogue
has one entry for each separator).

Chinese lists use "、" and sentences "；"; English uses ", " and "; ".
"""

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_list(items: Iterable) -> str:
    """Names in a list: "甲、乙、丙" in Chinese, "A, B, C" in English."""
    return pgettext("list separator", "、").join(str(item) for item in items)


def join_sentences(items: Iterable) -> str:
    """Messages one after another: "甲；乙" in Chinese, "A; B" in English."""
    return pgettext("sentence separator", "；").join(str(item) for item in items)
