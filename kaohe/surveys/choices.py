from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionnaireKind(models.TextChoices):
    FORUM = "forum", _("民营企业家座谈")
    HALL = "hall", _("办事大厅走访")
    OTHER = "other", _("其他")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("满意度评分")
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("填空")


class SurveyMode(models.TextChoices):
    PER_SUBJECT = "per_subject", _("每个考核对象一个链接")
    PICK_UNIT = "pick_unit", _("一个链接，答题人选择单位")


class Channel(models.TextChoices):
    LINK = "link", _("公开链接/二维码")
    INVITATION = "invitation", _("邀请码")
    INTERVIEWER = "interviewer", _("考核组访谈录入")
    PAPER = "paper", _("纸质问卷录入")


TEAM_CHANNELS = (Channel.INTERVIEWER, Channel.PAPER)


class MarkKind(models.TextChoices):
    IDEMPOTENCY = "idem", _("提交标识")
    DEVICE = "device", _("设备令牌")


# The usual five-point scale (points editable per question).
DEFAULT_RATING_SCALE = [
    ("非常满意", Decimal("10")),
    ("满意", Decimal("8")),
    ("基本满意", Decimal("6")),
    ("不满意", Decimal("3")),
    ("非常不满意", Decimal("0")),
]
# A rating answer counts as "satisfied" for the satisfaction rate at or above this share of max.
SATISFIED_SHARE = Decimal("0.6")
TEXT_MAX_LENGTH = 500
TEXT_HARD_LIMIT = 2000
