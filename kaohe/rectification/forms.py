from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"


class ItemCreateForm(forms.Form):
    subjects = forms.TypedMultipleChoiceField(label=_("整改单位（可多选）"), coerce=int)
    title = forms.CharField(label=_("问题"), max_length=255)
    description = forms.CharField(
        label=_("问题描述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput)

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].choices = [(s.pk, str(s.unit)) for s in subjects]
        self.fields["subjects"].widget.attrs.update({"size": 8, "class": "form-select"})


class GenerateForm(forms.Form):
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[("deduction", _("考核扣分（含扣分原因）")), ("checklist", _("检查清单不符合项"))],
    )
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput)


class SubmitForm(forms.Form):
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 4}))


class VerifyForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("核验结论"),
        choices=[("close", _("整改到位，销号")), ("return", _("退回重改"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("核验意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
