"""Forms for the task pages; files come through request.FILES (several per upload)."""

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Task


class Styled:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault(
                "class",
                f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm",
            )


class SubmitForm(Styled, forms.Form):
    description = forms.CharField(
        label=_("提交说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(Styled, forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("accept", _("通过")), ("return", _("退回"))]
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtensionForm(Styled, forms.Form):
    requested_deadline = forms.DateField(
        label=_("申请延期至"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("延期理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionDecisionForm(Styled, forms.Form):
    decision = forms.ChoiceField(
        label=_("审批"), choices=[("approve", _("批准")), ("refuse", _("不批准"))]
    )
    new_deadline = forms.DateField(
        label=_("批准的截止日期（空为申请的日期）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    comment = forms.CharField(label=_("审批意见"), required=False, max_length=2000)


class TaskEditForm(Styled, forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "materials",
            "special_form",
            "nominee_count",
            "nominee_level",
            "min_section_level",
        ]
        widgets = {"materials": forms.Textarea(attrs={"rows": 3})}


class BoardFilterForm(Styled, forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False)
    indicator = forms.TypedChoiceField(
        label=_("指标"), required=False, coerce=int, empty_value=None
    )
    category = forms.TypedChoiceField(
        label=_("单位类别"), required=False, coerce=int, empty_value=None
    )
    unit_name = forms.CharField(label=_("单位名称"), required=False, max_length=64)

    def __init__(self, *args, scheme, **kwargs):
        from kaohe.orgs.models import UnitCategory

        from .choices import TaskState

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", gettext("全部"))] + list(TaskState.choices)
        indicators = scheme.indicators.filter(tasks__isnull=False).distinct().order_by("code")
        self.fields["indicator"].choices = [("", gettext("全部"))] + [
            (i.pk, f"{i.code} {Truncator(i.name).chars(30)}") for i in indicators
        ]
        self.fields["category"].choices = [("", gettext("全部"))] + [
            (c.pk, c.name) for c in UnitCategory.objects.all()
        ]
