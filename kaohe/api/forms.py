from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import TokenScope
from .services import DEFAULT_DAYS, MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称（用途）"), max_length=64)
    scope = forms.ChoiceField(label=_("权限范围"), choices=TokenScope.choices)
    days = forms.IntegerField(
        label=_("有效天数"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
