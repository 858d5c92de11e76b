"""Forms of the exams app: a question (typed the way the import file is), a bank, an exam."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.common.text import join_list

from . import question_text as qt
from .choices import (
    CHOICE_TYPES,
    Difficulty,
    ExamKind,
    MultiplePolicy,
    QuestionStatus,
    QuestionType,
    UnitFormula,
)
from .importing import QuestionSpec


class BankForm(forms.Form):
    name = forms.CharField(label=_("题库名称"), max_length=64)
    description = forms.CharField(label=_("说明"), max_length=255, required=False)


class QuestionForm(forms.Form):
    qtype = forms.ChoiceField(label=_("题型"), choices=QuestionType.choices)
    stem = forms.CharField(
        label=_("题干"), widget=forms.Textarea(attrs={"rows": 3}), max_length=qt.MAX_STEM
    )
    options = forms.CharField(
        label=_("选项（每行一个，选择题用）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    answer = forms.CharField(
        label=_("答案"),
        required=False,
        help_text=_(
            "选择题写字母如 AC；判断题写 对/错；填空题多个空用“；”分隔，同一空的多种答案用“|”分隔"
        ),
    )
    reference_answer = forms.CharField(
        label=_("参考答案（简答题）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=qt.MAX_TEXT,
    )
    marking_points = forms.CharField(
        label=_("评分要点（每行一个）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=qt.MAX_TEXT,
    )
    explanation = forms.CharField(
        label=_("解析"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=qt.MAX_TEXT,
    )
    topics = forms.CharField(label=_("专题（多个用、分隔）"), required=False, max_length=255)
    difficulty = forms.ChoiceField(
        label=_("难度"), choices=Difficulty.choices, initial=Difficulty.MEDIUM
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=QuestionStatus.choices, initial=QuestionStatus.ACTIVE
    )

    @classmethod
    def initial_for(cls, question) -> dict:
        return {
            "qtype": question.qtype,
            "stem": question.stem,
            "options": "\n".join(question.options or []),
            "answer": _answer_initial(question),
            "reference_answer": question.reference_answer,
            "marking_points": question.marking_points,
            "explanation": question.explanation,
            "topics": join_list(t.name for t in question.topics.all()),
            "difficulty": question.difficulty,
            "status": question.status,
        }

    def clean(self):
        data = super().clean()
        qtype, raw = data.get("qtype"), (data.get("answer") or "").strip()
        spec = QuestionSpec(where="", qtype=qtype, stem=(data.get("stem") or "").strip())
        if qtype in CHOICE_TYPES:
            spec.options = qt.split_options(data.get("options") or "")
            answer = qt.parse_letters(raw)
            if len(spec.options) < 2 or len(spec.options) > len(qt.LETTERS):
                self.add_error("options", _("选择题需要 2–6 个选项。"))
            elif answer is None or any(qt.LETTERS.index(c) >= len(spec.options) for c in answer):
                self.add_error("answer", _("答案应为已有选项的字母。"))
            elif (qtype == QuestionType.SINGLE) != (len(answer) == 1):
                self.add_error("answer", _("单选题一个答案，多选题至少两个答案。"))
            spec.answer = answer or ""
        elif qtype == QuestionType.TRUE_FALSE:
            spec.answer = qt.parse_true_false(raw)
            if spec.answer is None:
                self.add_error("answer", _("判断题答案写 对 或 错。"))
        elif qtype == QuestionType.FILL:
            spec.answer = qt.parse_fill(raw)
            if not spec.answer:
                self.add_error("answer", _("请填写填空题答案。"))
        elif not (data.get("reference_answer") or data.get("marking_points")):
            self.add_error("reference_answer", _("简答题需要参考答案或评分要点。"))
        spec.reference_answer = data.get("reference_answer") or ""
        spec.marking_points = data.get("marking_points") or ""
        spec.explanation = data.get("explanation") or ""
        spec.topics = qt.split_topics(data.get("topics") or "")
        spec.difficulty, spec.status = data.get("difficulty"), data.get("status")
        data["spec"] = spec
        return data


class ExamForm(forms.Form):
    bank = forms.ModelChoiceField(label=_("题库"), queryset=None)
    kind = forms.ChoiceField(label=_("测试方式"), choices=ExamKind.choices)
    title = forms.CharField(label=_("名称"), max_length=128)
    time_limit_minutes = forms.IntegerField(
        label=_("考试时长（分钟）"), min_value=1, max_value=600, initial=40
    )
    pass_percent = forms.DecimalField(
        label=_("合格线（得分率 %）"), min_value=0, max_value=100, initial=60
    )
    shuffle_questions = forms.BooleanField(label=_("题目乱序"), required=False, initial=True)
    shuffle_options = forms.BooleanField(label=_("选项乱序"), required=False, initial=True)
    multiple_policy = forms.ChoiceField(label=_("多选题评分"), choices=MultiplePolicy.choices)
    unit_formula = forms.ChoiceField(label=_("单位得分算法"), choices=UnitFormula.choices)
    double_marking = forms.BooleanField(label=_("简答题双评（两人各自评分）"), required=False)
    double_gap = forms.DecimalField(
        label=_("双评允许分差（该题分值的 %，超过须第三人评分）"),
        min_value=0,
        max_value=100,
        initial=20,
    )
    recent_window = forms.IntegerField(
        label=_("优先回避本单位最近几场考试的试题"), min_value=0, max_value=20, initial=3
    )
    lines = forms.CharField(
        label=_("组卷规则（每行：题型,专题,难度,题数,每题分值；专题、难度可留空）"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    criteria = forms.CharField(
        label=_("现场提问评分项（每行：名称,分值）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, banks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = banks

    def clean_lines(self):
        out = []
        for number, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 5:
                raise forms.ValidationError(
                    _("第 %(n)s 行应有 5 项（题型,专题,难度,题数,分值）。") % {"n": number}
                )
            qtype = (
                qt.parse_type(parts[0])
                or _by_label(QuestionType.choices, parts[0])
                or (parts[0] if parts[0] in QuestionType.values else None)
            )
            difficulty = qt.parse_difficulty(parts[2]) or _by_label(Difficulty.choices, parts[2])
            if qtype is None or difficulty is None:
                raise forms.ValidationError(_("第 %(n)s 行的题型或难度无法识别。") % {"n": number})
            out.append(
                {
                    "type": qtype,
                    "topic": parts[1],
                    "difficulty": difficulty if parts[2] else "",
                    "count": parts[3],
                    "points": parts[4],
                }
            )
        return out

    def clean_criteria(self):
        out = []
        for line in self.cleaned_data["criteria"].splitlines():
            if line.strip():
                name, _sep, weight = line.replace("，", ",").rpartition(",")
                out.append({"name": name.strip(), "weight": weight.strip()})
        return out


def _answer_initial(question) -> str:
    """The answer as typed in the form; true/false in the page's words ("True" reads back)."""
    if question.qtype == QuestionType.TRUE_FALSE:
        return gettext("对") if question.answer == "T" else gettext("错")
    return qt.answer_text(question.qtype, question.answer) if question.qtype != "short" else ""


def _by_label(choices, text: str) -> str | None:
    """A choice typed as its label in the page's language (lines_text writes the labels)."""
    text = text.strip().casefold()
    return next((value for value, label in choices if str(label).casefold() == text), None)


def lines_text(exam) -> str:
    return "\n".join(
        f"{line.get_qtype_display()},{line.topic.name if line.topic_id else ''},"
        f"{line.get_difficulty_display() if line.difficulty else ''},{line.count},{line.points}"
        for line in exam.lines.select_related("topic")
    )


def criteria_text(criteria) -> str:
    return "\n".join(f"{c['name']},{c['weight']}" for c in criteria)
