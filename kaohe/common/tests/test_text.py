from django.utils import translation

from kaohe.common.text import join_list, join_sentences


def test_join_list_follows_the_language():
    with translation.override("zh-hans"):
        assert join_list(["甲", "乙", 3]) == "甲、乙、3"
    with translation.override("en"):
        assert join_list(["A", "B"]) == "A, B"
    assert join_list([]) == ""


def test_join_sentences_follows_the_language():
    with translation.override("zh-hans"):
        assert join_sentences(["缺少名称", "分值无效"]) == "缺少名称；分值无效"
    with translation.override("en"):
        assert join_sentences(["Name missing", "Bad points"]) == "Name missing; Bad points"
