"""Publishing pages: status of the results, a unit's own results, objections, notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaohe.common.excel import Sheet, xlsx_response
from kaohe.common.uploads import MATERIALS, check_uploads
from kaohe.schemes import access
from kaohe.scoring.engine import round_total

from .. import selectors, services
from ..forms import DecideForm, ObjectionForm, PublicityForm, ReopenForm
from ..models import Notice
from ..selectors import access_objection, results_visible, subject_results


def _error(request, exc) -> None:
    messages.error(request, _("；").join(getattr(exc, "messages", [str(exc)])))


def download(stored_file, name: str, content_type: str) -> FileResponse:
    """Stored files go out as attachments only (never rendered inline)."""
    return FileResponse(
        stored_file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )


@login_required
def index(request):
    schemes = access.visible_schemes(request.user).select_related("owner_unit")
    rows = []
    for scheme in schemes:
        rows.append(
            {
                "scheme": scheme,
                "manage": access.can_manage_scheme(request.user, scheme),
                "own": list(selectors.own_subjects(request.user, scheme)),
                "visible": results_visible(request.user, scheme),
                "published": Notice.objects.filter(scheme=scheme)
                .exclude(published_file="")
                .exists(),
            }
        )
    return render(
        request,
        "publishing/index.html",
        {"rows": rows},
    )


@login_required
def scheme_overview(request, pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    context = {
        "scheme": scheme,
        "objections": selectors.objections_for_office(scheme),
        "changes": selectors.changes_since_freeze(scheme),
        "publicity_form": PublicityForm(
            initial={"start": scheme.notice_start, "end": scheme.notice_end}
        ),
        "reopen_form": ReopenForm(),
        "finalise_refusal": selectors.finalise_refusal(scheme),
        "unit_count": scheme.subjects.count(),
    }
    return render(request, "publishing/overview.html", context)


# What each step did, said after it with the scheme's NEW status.
DONE = {
    "freeze": gettext_lazy("结果已冻结：已保存结果快照，成绩此后只能经复核调整。"),
    "publicity": gettext_lazy(
        "公示已开始：各被考核单位已收到通知，可在公示期内查看本单位结果并提出复核申请。"
    ),
    "finalise": gettext_lazy("已定稿：成绩、名次和等次已锁定。"),
    "reopen": gettext_lazy("已重新开启：成绩可以再次修改，修改后须重新冻结、公示。"),
}


def _status_action(request, pk, step, action):
    scheme = access.access_scheme(request.user, pk, manage=True)
    try:
        action(scheme)
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        scheme.refresh_from_db()
        messages.success(
            request,
            _("%(done)s方案当前状态：%(status)s。")
            % {"done": DONE[step], "status": scheme.get_status_display()},
        )
    return redirect("publishing:overview", pk=scheme.pk)


@login_required
@require_POST
def scheme_freeze(request, pk):
    return _status_action(
        request, pk, "freeze", lambda s: services.scheme_freeze(scheme=s, actor=request.user)
    )


@login_required
@require_POST
def publicity_open(request, pk):
    form = PublicityForm(request.POST)

    def act(scheme):
        if not form.is_valid():
            raise ValidationError(_("请填写有效的公示开始和结束日期。"))
        services.publicity_open(
            scheme=scheme,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            actor=request.user,
        )

    return _status_action(request, pk, "publicity", act)


@login_required
@require_POST
def scheme_finalise(request, pk):
    return _status_action(
        request, pk, "finalise", lambda s: services.scheme_finalise(scheme=s, actor=request.user)
    )


@login_required
@require_POST
def scheme_reopen(request, pk):
    reason = request.POST.get("reason", "")
    return _status_action(
        request,
        pk,
        "reopen",
        lambda s: services.scheme_reopen(scheme=s, reason=reason, actor=request.user),
    )


@login_required
def my_results(request, pk):
    """A unit user's entry point: its own subject in the scheme (office: the overview)."""
    scheme = access.access_scheme(request.user, pk)
    own = list(selectors.own_subjects(request.user, scheme)[:2])
    if len(own) == 1:
        return redirect("publishing:subject", pk=own[0].pk)
    if access.can_manage_scheme(request.user, scheme):
        return redirect("publishing:overview", pk=scheme.pk)
    return redirect("publishing:index")


@login_required
def subject_page(request, pk):
    subject = access.access_subject(request.user, pk)
    scheme = subject.scheme
    if not results_visible(request.user, scheme):
        return render(request, "publishing/not_published.html", {"scheme": scheme})
    data = subject_results(subject)
    is_unit = selectors.is_unit_of(request.user, subject)
    can_object = is_unit and services.publicity_is_open(scheme)
    context = {
        "scheme": scheme,
        "subject": subject,
        "data": data,
        "objections": subject.objections.select_related("indicator").order_by("-created_at"),
        "can_object": can_object,
        "form": ObjectionForm(leaves=data.leaves) if can_object else None,
        "manage": access.can_manage_scheme(request.user, scheme),
    }
    return render(request, "publishing/subject.html", context)


@login_required
def subject_sheet(request, pk):
    """The unit's own results sheet (.xlsx): total, components and every leaf with its reason."""
    subject = access.access_subject(request.user, pk)
    if not results_visible(request.user, subject.scheme):
        raise Http404(_("结果尚未公示"))
    data = subject_results(subject)
    result = data.result
    summary = [
        [_("单位"), subject.unit.name],
        [_("评定组别"), subject.grading_category.name],
        [_("总分"), result.total if result else None],
        [_("名次"), result.rank if result else None],
        [_("等次"), result.grade if result else None],
        [_("等次依据"), result.grade_reason if result else ""],
    ] + [[c.component.name, round_total(c.score)] for c in data.components]
    leaves = [
        [
            r.indicator.component.name,
            r.indicator.code,
            r.indicator.name,
            r.indicator.max_score,
            r.value,
            r.score,
            r.deducted or None,
            r.note,
        ]
        for r in data.leaves
    ]
    return xlsx_response(
        _("%(scheme)s-%(unit)s-考核结果")
        % {"scheme": subject.scheme.name, "unit": subject.unit.name},
        [
            Sheet(_("汇总"), [_("项目"), _("内容")], summary),
            Sheet(
                _("指标得分"),
                [
                    _("考核类别"),
                    _("编码"),
                    _("指标"),
                    _("分值"),
                    _("录入值"),
                    _("得分"),
                    _("扣分"),
                    _("扣分原因/说明"),
                ],
                leaves,
            ),
        ],
    )


@login_required
@require_POST
def objection_create(request, pk):
    subject = access.access_subject(request.user, pk)
    if not selectors.is_unit_of(request.user, subject):
        raise Http404(_("考核对象不存在"))
    data = subject_results(subject)
    form = ObjectionForm(request.POST, leaves=data.leaves)
    if not form.is_valid():
        messages.error(request, _("请填写异议理由并选择有效的异议事项。"))
        return redirect("publishing:subject", pk=subject.pk)
    indicator_id = form.cleaned_data["indicator"]
    indicator = next((r.indicator for r in data.leaves if r.indicator.pk == indicator_id), None)
    try:
        files = check_uploads(request.FILES.getlist("files"), MATERIALS)
        objection = services.objection_submit(
            subject=subject,
            text=form.cleaned_data["text"],
            indicator=indicator,
            files=files,
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
        return redirect("publishing:subject", pk=subject.pk)
    messages.success(
        request, _("复核申请#%(pk)s已提交，考核办处理后将通知您。") % {"pk": objection.pk}
    )
    return redirect("publishing:objection", pk=objection.pk)


@login_required
def objection_detail(request, pk):
    objection = access_objection(request.user, pk)
    manage = access.can_manage_scheme(request.user, objection.scheme)
    form = None
    if manage and objection.status == "pending":
        form = DecideForm(
            leaves=subject_results(objection.subject).leaves,
            initial_indicator=objection.indicator_id,
        )
    return render(
        request,
        "publishing/objection.html",
        {"objection": objection, "manage": manage, "form": form, "files": objection.files.all()},
    )


@login_required
@require_POST
def objection_decide(request, pk):
    objection = access_objection(request.user, pk)
    if not access.can_manage_scheme(request.user, objection.scheme):
        raise Http404(_("复核申请不存在"))
    leaves = subject_results(objection.subject).leaves
    form = DecideForm(request.POST, leaves=leaves)
    if not form.is_valid():
        messages.error(request, _("请选择复核结论并填写复核意见。"))
        return redirect("publishing:objection", pk=objection.pk)
    indicator = next(
        (r.indicator for r in leaves if r.indicator.pk == form.cleaned_data["indicator"]), None
    )
    try:
        services.objection_decide(
            objection=objection,
            upheld=form.cleaned_data["verdict"] == "upheld",
            decision_text=form.cleaned_data["decision_text"],
            new_value=form.cleaned_data["new_value"],
            indicator=indicator,
            actor=request.user,
        )
    except (ValidationError, PermissionDenied) as exc:
        _error(request, exc)
    else:
        messages.success(request, _("复核结论已保存，已通知该单位。"))
    return redirect("publishing:objection", pk=objection.pk)


@login_required
def objection_file(request, pk):
    stored = selectors.access_objection_file(request.user, pk)
    return download(stored.file, stored.original_name, stored.content_type)
