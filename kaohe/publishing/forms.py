"""Forms for publishing pages; services do the real checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import NoticeOrder
from .models import Notice
from .notice_content import NOTICE_TEXT_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"


class PublicityForm(forms.Form):
    start = forms.DateField(label=_("公示开始"), widget=DateInput)
    end = forms.DateField(label=_("公示结束"), widget=DateInput)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("重新开启理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    indicator = forms.TypedChoiceField(
        label=_("异议事项"), coerce=int, empty_value=None, required=False
    )
    text = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, leaves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("总分 / 名次 / 等次"))] + [
            (row.indicator.pk, f"{row.indicator.code} {row.indicator.name}") for row in leaves
        ]


class DecideForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("复核结论"),
        choices=[("upheld", _("成立，调整得分")), ("rejected", _("不成立，维持原分"))],
        widget=forms.RadioSelect,
    )
    indicator = forms.TypedChoiceField(
        label=_("调整的指标"), coerce=int, empty_value=None, required=False
    )
    new_value = forms.DecimalField(
        label=_("调整后的录入值"), required=False, max_digits=8, decimal_places=2
    )
    decision_text = forms.CharField(label=_("复核意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, leaves=(), initial_indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—")] + [
            (row.indicator.pk, _label_with_value(row)) for row in leaves
        ]
        if initial_indicator:
            self.fields["indicator"].initial = initial_indicator


def _label_with_value(row) -> str:
    value = _("未评分") if row.value is None else f"{row.value:.2f}"
    label = _("%(code)s %(name)s（现值 %(value)s）")
    return label % {"code": row.indicator.code, "name": row.indicator.name, "value": value}


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = NOTICE_TEXT_FIELDS
        widgets = {
            "addressees": forms.Textarea(attrs={"rows": 2}),
            "intro": forms.Textarea(attrs={"rows": 3}),
            "organisation": forms.Textarea(attrs={"rows": 6}),
            "achievements": forms.Textarea(attrs={"rows": 8}),
            "problems": forms.Textarea(attrs={"rows": 8}),
            "requirements": forms.Textarea(attrs={"rows": 8}),
            "closing": forms.Textarea(attrs={"rows": 3}),
            "issue_date": DateInput,
            "print_date": DateInput,
            "order": forms.RadioSelect(choices=NoticeOrder.choices),
        }
        help_texts = {
            "doc_number": _("如：濮法政办〔2021〕24号（年份用六角括号〔〕，系统会自动改正）。"),
            "addressees": _("主送机关，如：各县（区）党委、人民政府，市直各单位。"),
            "problems": _("每行一段；以“（一）”开头的段落，第一句为小标题。"),
            "requirements": _("每行一段；以“（一）”开头的段落，第一句为小标题。"),
            "achievements": _("每行一段；以“（一）”开头的段落，第一句为小标题。"),
            "issue_date": _("公文必须有成文日期，印在落款下方。"),
            "print_date": _("印在最后一页版记中；不填则与成文日期相同。"),
        }

    # The sections of the form, in the order of the document.
    SECTIONS = [
        (_("版头"), ["issuing_office", "doc_number"]),
        (_("标题与主送机关"), ["title", "addressees", "intro"]),
        (_("正文"), ["organisation", "achievements", "problems", "requirements", "closing"]),
        (_("考评结果及等次"), ["order"]),
        (_("落款与版记"), ["signature", "issue_date", "printer", "print_date"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue_date"].required = True
        for name, field in self.fields.items():
            if name != "order":
                field.widget.attrs.setdefault("class", "form-control")
                field.widget.attrs["data-preview"] = name

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


class TemplateForm(forms.Form):
    template = forms.FileField(label=_("本单位的 Word 模板（.docx）"))
