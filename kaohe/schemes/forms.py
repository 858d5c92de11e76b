"""Forms for the office's scheme pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaohe.common.forms import ModelMultipleIdsField
from kaohe.orgs.models import Unit, UnitCategory

from .models import Component, GradeLevel, Indicator, Scheme


class BootstrapMixin:
    """Give every widget Bootstrap's classes so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"


class SchemeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "code",
            "name",
            "year",
            "owner_unit",
            "issuing_office",
            "bonus_cap",
            "penalty_cap",
            "tie_break",
            "onsite_start",
            "onsite_end",
            "notice_start",
            "notice_end",
        ]
        widgets = {
            f: DateInput(format="%Y-%m-%d")
            for f in ["onsite_start", "onsite_end", "notice_start", "notice_end"]
        }

    def __init__(self, *args, owner_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owner_units is not None:
            self.fields["owner_unit"].queryset = owner_units
        if self.instance.pk:
            for name in ("code", "owner_unit"):
                self.fields[name].disabled = True


class SchemeCopyForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(label=_("新方案代码"), max_length=64)
    name = forms.CharField(label=_("新方案名称"), max_length=128)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    include_subjects = forms.BooleanField(label=_("同时复制考核对象"), required=False, initial=True)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Scheme.objects.filter(code=code).exists():
            raise ValidationError(gettext("该方案代码已被使用。"))
        return code


class ComponentForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Component
        fields = ["name", "weight", "order"]


class GradeLevelForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = GradeLevel
        fields = ["name", "min_total", "quota_percent"]


class GradingCategoryForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("评定组别名称"), max_length=64)
    unit_categories = ModelMultipleIdsField(
        label=_("包含的单位类别"),
        queryset=UnitCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("一个组别可包含多个单位类别，例如“县(区)”包含县区和功能区。"),
    )
    order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_categories"].widget.attrs.pop("class", None)


class ComponentCreateForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Component
        fields = ["code", "name", "weight", "order"]


class IndicatorForm(BootstrapMixin, forms.ModelForm):
    applies_to = ModelMultipleIdsField(
        label=_("适用对象类别"),
        queryset=UnitCategory.objects.all(),
        required=False,
        help_text=_("不选则适用于全部类别。"),
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_units = ModelMultipleIdsField(
        label=_("责任单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Indicator
        fields = ["parent", "component", *Indicator.EDITABLE_FIELDS]
        widgets = {
            "deadline": DateInput(format="%Y-%m-%d"),
            "content": forms.Textarea(attrs={"rows": 2}),
            "requirement": forms.Textarea(attrs={"rows": 2}),
            "materials": forms.Textarea(attrs={"rows": 2}),
            "responsible_text": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.instance.scheme = scheme
        self.fields["parent"].queryset = scheme.indicators.filter(level__lt=3)
        self.fields["parent"].required = False
        self.fields["component"].queryset = scheme.components.all()
        self.fields["component"].required = False
        self.fields["responsible_units"].queryset = Unit.objects.filter(
            path__startswith=scheme.owner_unit.path
        )
        self.fields["applies_to"].widget.attrs.pop("class", None)
        if self.instance.pk:
            self.fields["parent"].disabled = True
            self.fields["component"].disabled = True
            self.fields["applies_to"].initial = list(self.instance.applies_to.all())
            self.fields["responsible_units"].initial = list(self.instance.responsible_units.all())

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not data.get("parent") and not data.get("component"):
            self.add_error("component", gettext("一级指标必须选择所属考核类别。"))
        return data


class EnrolForm(BootstrapMixin, forms.Form):
    units = ModelMultipleIdsField(
        label=_("选择单位"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = candidates
        self.fields["units"].widget.attrs.pop("class", None)
