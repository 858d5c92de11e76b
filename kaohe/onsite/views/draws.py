"""Draw pages: create (preset + population), announce the seed, draw, verify, certificate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.common.excel import attachment
from kaohe.common.uploads import DOCX_TYPE

from .. import draw_engine, populations, selectors
from ..choices import DrawStatus, PopulationSource
from ..documents import certificate_docx, describe_rule
from ..presets import PRESETS, PRESETS_BY_CODE, stratum_label
from ..services import draws as draw_services
from .common import flash_error


def _members_from_request(request, subject, source: str, preset) -> list[dict]:
    if source == PopulationSource.PEOPLE:
        return populations.from_people(subject.unit)
    upload = request.FILES.get("file")
    if upload is not None:
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("文件“%(name)s”不是 .xlsx 文件。") % {"name": upload.name})
        return populations.from_xlsx(upload, _("文件“%(name)s”") % {"name": upload.name})
    return populations.from_text(request.POST.get("text", ""), preset.columns)


def _rule_from_request(request, preset) -> dict:
    """The preset's rule; the count range may be narrowed on site (e.g. exactly 12)."""
    rule = dict(preset.rule)
    if rule.get("per_group") is None:
        low = request.POST.get("count_min", "").strip()
        high = request.POST.get("count_max", "").strip()
        if low:
            rule["count_min"] = low
        if high:
            rule["count_max"] = high
    excluded = [k.strip() for k in request.POST.get("exclude_keys", "").splitlines() if k.strip()]
    if excluded:
        rule["exclude_keys"] = excluded
    return rule


@login_required
def draw_new(request, subject_id):
    subject = selectors.access_onsite_subject(request.user, subject_id, work=True)
    preset = PRESETS_BY_CODE.get(request.POST.get("preset") or request.GET.get("preset") or "staff")
    if preset is None:
        preset = PRESETS_BY_CODE["staff"]
    if request.method == "POST":
        source = request.POST.get("source") or preset.source
        if source not in PopulationSource.values:
            source = preset.source
        try:
            members = _members_from_request(request, subject, source, preset)
            draw = draw_services.draw_prepare(
                subject=subject,
                title=request.POST.get("title") or preset.title,
                members=members,
                rule=_rule_from_request(request, preset),
                source=source,
                preset=preset.code,
                actor=request.user,
            )
        except ValidationError as exc:
            flash_error(request, exc)
        else:
            messages.success(request, _("抽取范围和规则已固定，请公布随机种子。"))
            return redirect("onsite:draw", draw.pk)
    return render(
        request,
        "onsite/draw_new.html",
        {
            "subject": subject,
            "presets": PRESETS,
            "preset": preset,
            "columns": ",".join(populations.column_names(preset.columns)),
            "header_names": "/".join(populations.column_names(populations.DEFAULT_COLUMNS)),
            "rule_lines": describe_rule(draw_engine.normalise_rule(preset.rule)),
            "sources": PopulationSource.choices,
            "posted": request.POST,
        },
    )


def _detail_context(request, draw, verification=None):
    members = draw_services.draw_members(draw)
    selected = draw_services.draw_selected(draw)
    chosen = {m["key"] for m in selected}
    for m in [*members, *selected]:
        m["stratum_label"] = stratum_label(m["stratum"])
    return {
        "draw": draw,
        "subject": draw.subject,
        "work": selectors.can_work_on(request.user, draw.subject),
        "members": members,
        "selected": selected,
        "chosen": chosen,
        "rule_lines": describe_rule(draw_services.draw_rule(draw)),
        "verification": verification,
        "Status": DrawStatus,
    }


@login_required
def draw_detail(request, pk):
    draw = selectors.access_draw(request.user, pk)
    return render(request, "onsite/draw_detail.html", _detail_context(request, draw))


@login_required
def draw_verify(request, pk):
    draw = selectors.access_draw(request.user, pk)
    report = draw_services.draw_verify(draw)
    return render(request, "onsite/draw_detail.html", _detail_context(request, draw, report))


@login_required
@require_POST
def draw_seed(request, pk):
    draw = selectors.access_draw(request.user, pk, work=True)
    typed = request.POST.get("seed", "").strip()
    if request.POST.get("action") != "generate" and not typed:
        messages.error(request, _("请输入随机种子（如现场掷骰子的点数），或点击“系统生成种子”。"))
        return redirect("onsite:draw", draw.pk)
    try:
        draw = draw_services.draw_announce_seed(
            draw=draw,
            seed=None if request.POST.get("action") == "generate" else typed,
            actor=request.user,
        )
        messages.success(
            request,
            _("随机种子“%(seed)s”已公布，请向在场人员宣读后执行抽取。") % {"seed": draw.seed},
        )
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect("onsite:draw", draw.pk)


@login_required
@require_POST
def draw_execute(request, pk):
    draw = selectors.access_draw(request.user, pk, work=True)
    try:
        draw_services.draw_execute(draw=draw, actor=request.user)
        messages.success(request, _("抽取完成。"))
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect("onsite:draw", draw.pk)


@login_required
@require_POST
def draw_cancel(request, pk):
    draw = selectors.access_draw(request.user, pk, work=True)
    try:
        draw_services.draw_cancel(
            draw=draw, reason=request.POST.get("reason", ""), actor=request.user
        )
        messages.success(request, _("抽取记录已作废（记录保留）。"))
    except ValidationError as exc:
        flash_error(request, exc)
    return redirect("onsite:draw", draw.pk)


@login_required
def draw_certificate(request, pk):
    draw = selectors.access_draw(request.user, pk)
    report = draw_services.draw_verify(draw) if draw.status == DrawStatus.DONE else None
    content = certificate_docx(draw, report)
    return attachment(content, f"随机抽取记录-{draw.pk}-{draw.subject.unit.name}.docx", DOCX_TYPE)


@login_required
def draw_list(request, scheme_id):
    """Every draw of the subjects the user may see, newest first (fairness review)."""
    scheme = selectors.access_onsite_scheme(request.user, scheme_id)
    draws = selectors.scheme_draws(request.user, scheme)
    return render(request, "onsite/draw_list.html", {"scheme": scheme, "draws": draws})
