"""Joining words and sentences in the active language.

Chinese lists use "、" and sentences "；"; English uses ", " and "; ". Every page that joins a list
of names or messages for the reader goes through these two helpers, so the separator follows the
language of the request (the separators are msgids in the catalogue, with a context so that the
bare punctuation does not collide with any other msgid).
"""

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_list(items: Iterable) -> str:
    """Names in a list: "甲、乙、丙" in Chinese, "A, B, C" in English."""
    return pgettext("list separator", "、").join(str(item) for item in items)


def join_sentences(items: Iterable) -> str:
    """Messages one after another: "甲；乙" in Chinese, "A; B" in English."""
    return pgettext("sentence separator", "；").join(str(item) for item in items)
