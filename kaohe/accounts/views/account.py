"""Sign-in, the home page, the user's own password, sessions and second factor."""

import base64
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import OTPTokenForm, PasswordChangeForm
from ..middleware import otp_required_for


def _next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class LoginForm(AuthenticationForm):
    inactive = False
    error_messages = {
        **AuthenticationForm.error_messages,
        "inactive": _(
            "账号尚未启用。首次通过统一身份认证登录的账号，须由管理员分配单位和角色后启用。"
        ),
    }

    def confirm_login_allowed(self, user):
        self.inactive = not user.is_active
        super().confirm_login_allowed(user)


class LoginView(auth_views.LoginView):
    """Django's login, plus: the demo's published password is refused outside the demo."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        from ..sso import cas, oidc

        context = super().get_context_data(**kwargs)
        context["sso_oidc"] = oidc.enabled()
        context["sso_cas"] = cas.enabled()
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        refuse = getattr(settings, "KAOHE_REFUSE_DEMO_PASSWORD", False)
        if refuse and form.cleaned_data.get("password") == settings.KAOHE_DEMO_PASSWORD:
            services.user_require_password_change(user=form.get_user(), reason="使用了演示密码")
        return response


@login_required
def password_change(request):
    user = request.user
    form = PasswordChangeForm(request.POST or None, user=user, request=request)
    valid = request.method == "POST" and form.is_valid()
    if form.locked_out:
        # Too many wrong old passwords: end the session; signing in again meets the lockout.
        logout(request)
        messages.error(
            request, gettext("原密码错误次数过多，账号已锁定，请稍后再登录或联系安全管理员。")
        )
        return redirect("login")
    if valid:
        try:
            services.password_change(user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, gettext("密码已修改。"))
            return redirect(_next(request))
    forced = user.must_change_password
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": forced, "next": _next(request, "")},
    )


def _live_sessions(user):
    """The user's sessions, minus those the session store has already expired (read only:
    an expired row is simply not listed; it goes when the user signs out everywhere)."""
    sessions = user.login_sessions.all()
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        from django.contrib.sessions.models import Session
        from django.utils import timezone

        live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        sessions = sessions.filter(session_key__in=live)
    return sessions


@login_required
def my_sessions(request):
    sessions = _live_sessions(request.user)
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": sessions, "current": request.session.session_key},
    )


@login_required
@require_POST
def session_end(request, pk):
    session = get_object_or_404(request.user.login_sessions, pk=pk)
    if session.session_key == request.session.session_key:
        messages.info(request, gettext("当前会话请使用“退出”。"))
    else:
        services.session_end(session=session, actor=request.user)
        messages.success(request, gettext("已结束该会话。"))
    return redirect("my_sessions")


@login_required
@require_POST
def sessions_end_others(request):
    ended = services.sessions_end(
        user=request.user, keep=request.session.session_key, actor=request.user
    )
    messages.success(request, (gettext("已结束其他 %(ended)s 个会话。") % {"ended": ended}))
    return redirect("my_sessions")


def _qr_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


OTP_PENDING_KEY = "kaohe_otp_pending_key"


@login_required
def otp(request):
    """Set up (first time) or verify the TOTP second factor."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp.util import random_hex

    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setup = device is None
    if setup:
        # The new key lives in the session until the user proves their app has it (no write
        # on GET); only a confirmed device is ever stored.
        key = request.session.get(OTP_PENDING_KEY) or random_hex(20)
        request.session[OTP_PENDING_KEY] = key
        device = TOTPDevice(user=user, name="kaohe", key=key)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if setup:
            device = services.otp_enrol(user=user, key=key, token=token)
            verified = device is not None
        else:
            verified = device.verify_token(token)
        if verified:
            request.session.pop(OTP_PENDING_KEY, None)
            otp_login(request, device)
            services.otp_verified(user=user)
            return redirect(_next(request))
        device = device or TOTPDevice(user=user, name="kaohe", key=key)
        form.add_error("token", gettext("验证码不正确或已过期。"))
    context = {
        "form": form,
        "setup": setup,
        "required": otp_required_for(user),
        "next": _next(request, ""),
    }
    if setup:
        context["qr"] = _qr_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/otp.html", context)
