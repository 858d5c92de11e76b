"""Office forms: questionnaire, question, survey, invitations, forum."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import TEXT_HARD_LIMIT, TEXT_MAX_LENGTH, QuestionKind, QuestionnaireKind, SurveyMode
from .models import Questionnaire, Survey
from .services.questionnaires import QuestionSpec

DATETIME = {"type": "datetime-local"}


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "kind", "intro", "thanks"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 2})}


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("题目"), max_length=255)
    section = forms.CharField(label=_("部分"), max_length=128, required=False)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    choices = forms.CharField(
        label=_("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一个选项；评分题写“选项=分值”，例如“非常满意=10”。填空题不填。"),
    )
    max_length = forms.IntegerField(
        label=_("最多字数"), min_value=1, max_value=TEXT_HARD_LIMIT, initial=TEXT_MAX_LENGTH
    )

    def spec(self) -> QuestionSpec:
        data = self.cleaned_data
        options = []
        for number, line in enumerate(data["choices"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            label, sep, points = line.partition("=")
            value = None
            if sep and points.strip():
                try:
                    value = Decimal(points.strip())
                except InvalidOperation:
                    raise ValidationError(
                        _("选项第 %(row)s 行的分值“%(value)s”不是数字。")
                        % {"row": number, "value": points}
                    ) from None
            options.append((label.strip(), value))
        return QuestionSpec(
            kind=data["kind"],
            text=data["text"],
            required=data["required"],
            section=data["section"],
            choices=options,
            max_length=data["max_length"] or TEXT_MAX_LENGTH,
        )


def choices_text(question) -> str:
    return "\n".join(
        c.label if c.points is None else f"{c.label}={c.points.normalize():f}"
        for c in question.choices.all()
    )


class SurveyForm(forms.ModelForm):
    subjects = forms.ModelMultipleChoiceField(
        label=_("考核对象"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Survey
        fields = [
            "title",
            "questionnaire",
            "indicator",
            "mode",
            "opens_at",
            "closes_at",
            "quota",
            "min_answers",
            "invitation_only",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = scheme.questionnaires.all()
        self.fields["indicator"].queryset = scheme.indicators.filter(children__isnull=True)
        self.fields["indicator"].required = False
        self.fields["subjects"].queryset = scheme.subjects.select_related("unit")
        self.fields["mode"].choices = SurveyMode.choices


class SurveyWindowForm(forms.ModelForm):
    """Extend or change the window, the leaf and the thresholds of an existing survey."""

    class Meta:
        model = Survey
        fields = ["title", "indicator", "opens_at", "closes_at", "quota", "min_answers"]
        widgets = SurveyForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = self.instance.scheme.indicators.filter(
            children__isnull=True
        )
        self.fields["indicator"].required = False


class InvitationForm(forms.Form):
    count = forms.IntegerField(label=_("数量"), min_value=1, max_value=2000, initial=5)
    target = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False)
    batch = forms.CharField(label=_("批次（如座谈会名称）"), max_length=64, required=False)

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = survey.targets.select_related("subject__unit")
        self.fields["target"].label_from_instance = lambda t: str(t.subject.unit)


class ForumForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=128)
    subject = forms.ModelChoiceField(label=_("考核对象"), queryset=None, required=False)
    survey = forms.ModelChoiceField(label=_("所用调查"), queryset=None, required=False)
    attendees = forms.CharField(
        label=_("参会企业（每行一家）"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    notes = forms.CharField(
        label=_("座谈纪要"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = scheme.subjects.select_related("unit")
        self.fields["survey"].queryset = scheme.surveys.all()


QUESTIONNAIRE_KINDS = QuestionnaireKind.choices
