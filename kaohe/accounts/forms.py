"""Forms for user and role management, password change and the second factor."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import User


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * max(obj.depth - 1, 0) + obj.name


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 @/./+/-/_。")},
    )
    display_name = forms.CharField(label=_("姓名"), max_length=64)
    unit = UnitChoiceField(label=_("所在单位"), queryset=None)
    email = forms.EmailField(label=_("邮箱"), required=False)
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        help_text=lazy(
            lambda: " ".join(
                [gettext("用户首次登录后必须修改。"), *password_validators_help_texts()]
            ),
            str,
        )(),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(gettext("该用户名已被使用。"))
        return username


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    unit = UnitChoiceField(label=_("单位"), queryset=None)
    include_subtree = forms.BooleanField(label=_("含下级单位"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("临时密码"), widget=forms.PasswordInput)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput,
        help_text=lazy(lambda: " ".join(password_validators_help_texts()), str)(),
    )
    new_password2 = forms.CharField(label=_("确认新密码"), widget=forms.PasswordInput)

    def __init__(self, *args, user, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.locked_out = False

    def clean_old_password(self):
        """Checked like a sign-in (django-axes): a wrong old password is a failed login,
        audited and counted towards the lockout, so it cannot be guessed without limit."""
        from django.contrib.auth import authenticate

        password = self.cleaned_data["old_password"]
        user = authenticate(self.request, username=self.user.get_username(), password=password)
        if user is None or user.pk != self.user.pk:
            if getattr(self.request, "axes_locked_out", False):
                self.locked_out = True
                raise forms.ValidationError(gettext("原密码错误次数过多，账号已锁定。"))
            raise forms.ValidationError(gettext("原密码不正确。"))
        return password

    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", gettext("两次输入的新密码不一致。"))
        return data


class OTPTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("动态验证码"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("请输入 6 位数字验证码。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
