"""Statuses, types and methods of the exams app (Chinese labels, translated in the UI)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    TRUE_FALSE = "tf", _("判断题")
    FILL = "fill", _("填空题")
    SHORT = "short", _("简答题")


# Paper sections print in this order; objective types are marked by the machine.
TYPE_ORDER = [t.value for t in QuestionType]
OBJECTIVE_TYPES = ("single", "multiple", "tf", "fill")
CHOICE_TYPES = ("single", "multiple")


class Difficulty(models.TextChoices):
    EASY = "1", _("易")
    MEDIUM = "2", _("中")
    HARD = "3", _("难")


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("在用")
    RETIRED = "retired", _("停用")


class ExamKind(models.TextChoices):
    WRITTEN = "written", _("笔试（机关工作人员）")
    ORAL = "oral", _("现场提问（领导干部）")


class UnitFormula(models.TextChoices):
    """How the sitters' marks become the unit's result (a percentage)."""

    AVERAGE = "average", _("平均得分率")
    PASS_RATE = "pass_rate", _("合格率")


class MultiplePolicy(models.TextChoices):
    ALL_OR_NOTHING = "all", _("全对得分，错选漏选不得分")
    PARTIAL = "partial", _("少选按比例得分，错选不得分")


class SittingMode(models.TextChoices):
    ONLINE = "online", _("手机作答")
    PAPER = "paper", _("纸质试卷")
    ORAL = "oral", _("现场提问")


class SittingStatus(models.TextChoices):
    PREPARED = "prepared", _("待抽取试题")
    DRAWN = "drawn", _("试题已抽取")
    OPEN = "open", _("考试进行中")
    CLOSED = "closed", _("已收卷")
    MARKED = "marked", _("已评分")
    CANCELLED = "cancelled", _("已作废")


class ExamineeStatus(models.TextChoices):
    WAITING = "waiting", _("未开始")
    STARTED = "started", _("作答中")
    SUBMITTED = "submitted", _("已交卷")
    ABSENT = "absent", _("缺考")


class SubmitReason(models.TextChoices):
    MANUAL = "manual", _("本人交卷")
    TIMEOUT = "timeout", _("时间到自动交卷")
    CLOSED = "closed", _("考核组收卷")
    PAPER = "paper", _("纸质答卷录入")


class EventKind(models.TextChoices):
    ENTER = "enter", _("输入验证码进入")
    RESUME = "resume", _("重新进入")
    LEAVE = "leave", _("离开页面/切换应用")
    RETURN = "return", _("回到页面")
    SUBMIT = "submit", _("交卷")
    REFUSED = "refused", _("保存被拒绝")


class SeedSource(models.TextChoices):
    TYPED = "typed", _("现场输入")
    GENERATED = "generated", _("系统生成")
