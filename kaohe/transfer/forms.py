"""Upload and alias forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.orgs.models import Unit
from kaohe.schemes.models import Scheme

from .choices import ImportKind
from .selectors import manageable_schemes, managed_units

COMPONENT_CHOICES = [
    ("daily", _("日常考核")),
    ("onsite", _("实地考核")),
    ("satisfaction", _("满意度调查")),
]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    scheme = forms.ModelChoiceField(
        label=_("考核方案"), queryset=Scheme.objects.none(), required=False
    )
    owner_unit = forms.ModelChoiceField(
        label=_("导入到单位"), queryset=Unit.objects.none(), required=False
    )
    component = forms.ChoiceField(
        label=_("表中指标所属考核类别"),
        choices=COMPONENT_CHOICES,
        initial="onsite",
        required=False,
        help_text=_("表中没有“所属考核类别”列时使用（如任务分解表属于实地考核）。"),
    )
    prefix = forms.RegexField(
        label=_("编码前缀"),
        regex=r"^[A-Za-z0-9]{0,8}$",
        required=False,
        help_text=_(
            "表中没有“编码”列时按此前缀自动编号，如 X → X1、X1.1；留空按考核类别取 D/X/S。"
        ),
    )

    def __init__(self, *args, kind: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        schemes = [s.pk for s in manageable_schemes(user)]
        self.fields["scheme"].queryset = Scheme.objects.filter(pk__in=schemes)
        self.fields["owner_unit"].queryset = managed_units(user)
        if kind == ImportKind.UNITS:
            del self.fields["scheme"], self.fields["component"], self.fields["prefix"]
            self.fields["owner_unit"].required = True
            self.fields["file"].widget.attrs["accept"] = ".xlsx"
        else:
            del self.fields["owner_unit"]
            self.fields["scheme"].required = True
            if kind == ImportKind.SCORES:
                del self.fields["component"], self.fields["prefix"]
                self.fields["file"].widget.attrs["accept"] = ".xlsx"
            else:
                self.fields["file"].widget.attrs["accept"] = ".xlsx,.docx"

        _style(self)

    def options(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("component", "prefix") if data.get(k)}


class AliasForm(forms.Form):
    owner_unit = forms.ModelChoiceField(label=_("考核办单位"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("文件中的名称"), max_length=128)
    unit = forms.ModelChoiceField(
        label=_("对应单位"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("留空表示该名称不是某一个单位，导入时只保留原文、不再列为未匹配。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = managed_units(user)
        self.fields["owner_unit"].queryset = owners
        from django.db.models import Q

        q = Q(pk__in=[])
        for owner in owners:
            q |= Q(path__startswith=owner.path)
        self.fields["unit"].queryset = Unit.objects.filter(q)
        _style(self)


def _style(form) -> None:
    for field in form.fields.values():
        css = (
            "form-select form-select-sm"
            if isinstance(field.widget, forms.Select)
            else "form-control form-control-sm"
        )
        field.widget.attrs.setdefault("class", css)


class UnitGroupForm(forms.Form):
    owner_unit = forms.ModelChoiceField(label=_("考核办单位"), queryset=Unit.objects.none())
    name = forms.CharField(
        label=_("组名"),
        max_length=128,
        help_text=_("与任务分解表中的写法一致，如“市法治政府建设领导小组成员单位”。"),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("成员单位"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        owners = managed_units(user)
        self.fields["owner_unit"].queryset = owners
        q = Q(pk__in=[])
        for owner in owners:
            q |= Q(path__startswith=owner.path)
        self.fields["members"].queryset = Unit.objects.filter(q).order_by("path")
        for name in ("owner_unit", "name", "note"):
            css = "form-select" if name == "owner_unit" else "form-control"
            self.fields[name].widget.attrs.setdefault("class", css)
