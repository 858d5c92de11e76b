"""Accounts (system admin), roles and the security policy (security admin).

三员: the system admin creates, disables and resets accounts; the security admin assigns and
revokes roles (三员 roles included) and looks after sign-in; each checks its own role, nobody
manages their own account, and services.py refuses and audits anything else.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kaohe.common.text import join_list

from .. import access, services
from ..choices import Role
from ..forms import PasswordResetForm, RoleAssignForm, UserCreateForm
from ..models import RoleAssignment


def _require(check, user):
    if not check(user):
        raise PermissionDenied(gettext("没有权限访问此页面。"))


def _errors(form, exc: ValidationError, field=None):
    for message in exc.messages:
        form.add_error(field, message)


def _can_open_user_pages(user) -> bool:
    return access.can_manage_users(user) or access.can_assign_roles(user)


@login_required
def user_list(request):
    _require(_can_open_user_pages, request.user)
    users = access.admin_users(request.user).select_related("unit").order_by("username")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(display_name__icontains=q) | Q(unit__name__icontains=q)
        )
    return render(
        request,
        "accounts/user_list.html",
        {"users": users[:500], "q": q, "can_create": access.can_manage_users(request.user)},
    )


@login_required
def user_create(request):
    _require(access.can_manage_users, request.user)
    units = access.manageable_units(request.user)
    form = UserCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            from django.contrib.auth.password_validation import validate_password

            from ..models import User

            validate_password(data["password"], User(username=data["username"]))
            user = services.user_create(
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                unit=data["unit"],
                email=data["email"],
                actor=request.user,
                must_change_password=True,
            )
        except ValidationError as exc:
            _errors(form, exc, "password")
        else:
            messages.success(
                request,
                (
                    gettext("已创建用户 %(username)s，首次登录须修改密码。")
                    % {"username": user.username}
                ),
            )
            return redirect("user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, pk):
    _require(_can_open_user_pages, request.user)
    target = access.access_managed_user(request.user, pk)
    assign = access.can_assign_roles(request.user)
    form = RoleAssignForm(request.POST or None, units=access.role_units(request.user))
    if request.method == "POST":
        if not assign:  # the system admin: refused and audited by the service
            services.role_assign(user=target, role="", unit=None, actor=request.user)
        if form.is_valid():
            try:
                services.role_assign(
                    user=target,
                    role=form.cleaned_data["role"],
                    unit=form.cleaned_data["unit"],
                    include_subtree=form.cleaned_data["include_subtree"],
                    actor=request.user,
                )
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, gettext("已分配角色。"))
                return redirect("user_detail", pk=target.pk)
    admin_account = access.is_admin_account(target)
    manage = access.can_manage_users(request.user)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "assignments": target.role_assignments.select_related("unit"),
            "form": form,
            "reset_form": PasswordResetForm(),
            "can_assign": assign,
            "can_toggle": (assign if admin_account else manage),
            "can_reset": manage and not admin_account,
        },
    )


@login_required
@require_POST
def role_revoke(request, pk):
    _require(_can_open_user_pages, request.user)
    assignment = RoleAssignment.objects.select_related("user", "unit").filter(pk=pk).first()
    target = access.access_managed_user(request.user, assignment.user_id if assignment else 0)
    services.role_revoke(assignment=assignment, actor=request.user)
    messages.success(request, gettext("已撤销角色。"))
    return redirect("user_detail", pk=target.pk)


@login_required
@require_POST
def user_active(request, pk):
    _require(_can_open_user_pages, request.user)
    target = access.access_managed_user(request.user, pk)
    services.user_set_active(
        user=target, active=request.POST.get("active") == "1", actor=request.user
    )
    messages.success(request, gettext("已更新账号状态。"))
    return redirect("user_detail", pk=target.pk)


@login_required
@require_POST
def user_password(request, pk):
    _require(access.can_manage_users, request.user)
    target = access.access_managed_user(request.user, pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            # 三员 accounts are refused (and the attempt audited) by the service: their
            # passwords are reset by the operator with `kaohe changepassword`.
            services.user_reset_password(
                user=target, password=form.cleaned_data["password"], actor=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, gettext("已重置密码，用户下次登录须修改。"))
    else:
        messages.error(request, gettext("请输入临时密码。"))
    return redirect("user_detail", pk=target.pk)


def _policy_rows():
    s = settings
    return [
        (
            gettext("密码策略"),
            gettext("等保（字符类别 + 定期更换）")
            if s.KAOHE_PASSWORD_POLICY == "classic"  # noqa: S105
            else gettext("ASVS（长度优先，不强制定期更换）"),
            "KAOHE_PASSWORD_POLICY",
        ),
        (gettext("密码最小长度"), s.KAOHE_PASSWORD_MIN_LENGTH, "KAOHE_PASSWORD_MIN_LENGTH"),
        (
            gettext("密码有效期（天，0 = 不强制更换）"),
            s.KAOHE_PASSWORD_MAX_AGE_DAYS,
            "KAOHE_PASSWORD_MAX_AGE_DAYS",
        ),
        (gettext("不得重复最近几次密码"), s.KAOHE_PASSWORD_HISTORY, "KAOHE_PASSWORD_HISTORY"),
        (
            gettext("登录失败锁定"),
            gettext("开启") if s.AXES_ENABLED else gettext("关闭"),
            "KAOHE_AXES",
        ),
        (gettext("锁定阈值（次）"), s.AXES_FAILURE_LIMIT, "KAOHE_LOCKOUT_FAILURES"),
        (
            gettext("锁定时长 / 统计窗口（分钟）"),
            int(s.AXES_COOLOFF_TIME.total_seconds() // 60),
            "KAOHE_LOCKOUT_MINUTES",
        ),
        (gettext("空闲超时（分钟）"), s.KAOHE_SESSION_IDLE_MINUTES, "KAOHE_SESSION_IDLE_MINUTES"),
        (
            gettext("会话最长时间（分钟）"),
            s.KAOHE_SESSION_ABSOLUTE_MINUTES,
            "KAOHE_SESSION_ABSOLUTE_MINUTES",
        ),
        (
            gettext("管理角色须双因素认证"),
            gettext("是") if s.KAOHE_OTP_REQUIRED else gettext("否"),
            "KAOHE_OTP_REQUIRED",
        ),
        (gettext("双因素认证适用角色"), _role_names(s.KAOHE_OTP_ROLES), "KAOHE_OTP_ROLES"),
        (
            gettext("审计日志最短保存（天）"),
            s.KAOHE_AUDIT_RETENTION_DAYS,
            "KAOHE_AUDIT_RETENTION_DAYS",
        ),
    ]


@login_required
def security_policy(request):
    """The effective policy (set by the operator in the environment) and current lockouts."""
    _require(access.can_manage_security, request.user)
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.order_by("-attempt_time")[:200]
    return render(
        request,
        "accounts/security.html",
        {"rows": _policy_rows(), "attempts": attempts, "limit": settings.AXES_FAILURE_LIMIT},
    )


@login_required
@require_POST
def security_unlock(request):
    _require(access.can_manage_security, request.user)
    services.login_unlock(
        username=request.POST.get("username", "")[:150],
        ip_address=request.POST.get("ip_address", "")[:64],
        actor=request.user,
    )
    messages.success(request, gettext("已解除锁定。"))
    return redirect("security_policy")


@login_required
@require_POST
def security_otp_reset(request):
    """A user lost their phone: remove their second-factor devices so they can enrol again."""
    _require(access.can_manage_security, request.user)
    username = request.POST.get("username", "").strip()[:150]
    target = access.security_users(request.user).filter(username=username).first()
    if target is None or target.pk == request.user.pk:
        messages.error(
            request, (gettext("找不到可管理的用户 %(username)s。") % {"username": username})
        )
        return redirect("security_policy")
    services.otp_reset(user=target, actor=request.user)
    messages.success(
        request,
        (
            gettext("已清除 %(username)s 的动态验证码绑定，下次登录时重新绑定。")
            % {"username": target.username}
        ),
    )
    return redirect("security_policy")


def _role_names(codes) -> str:
    """system_admin,security_admin → 系统管理员、安全管理员 (superuser → 超级管理员)."""
    labels = {value: str(label) for value, label in Role.choices}
    labels["superuser"] = gettext("超级管理员")
    return join_list(labels.get(code, code) for code in codes)
