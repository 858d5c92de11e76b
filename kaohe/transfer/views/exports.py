"""Downloads: results, scores, indicator tree and task table (.xlsx/.docx), units, templates."""

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from kaohe.accounts.choices import Role
from kaohe.common.excel import XLSX_TYPE, attachment
from kaohe.common.uploads import DOCX_TYPE
from kaohe.schemes import access
from kaohe.scoring.services import results_ensure_fresh

from .. import docx_export, exports, selectors


def _chinese_file(view):
    """Exported files keep the Chinese formats that imports read back (column names, method
    and level names), whatever the page's language."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(*args, **kwargs)

    return wrapper


def _xlsx(data: bytes, filename: str):
    return attachment(data, filename, XLSX_TYPE)


def _docx(data: bytes, filename: str):
    return attachment(data, filename, DOCX_TYPE)


@login_required
@_chinese_file
def template_indicators(request):
    return _xlsx(exports.indicators_xlsx_template(), "指标导入模板.xlsx")


@login_required
@_chinese_file
def template_units(request):
    if not access.is_office_anywhere(request.user):
        raise Http404(_("页面不存在"))
    return _xlsx(exports.units_template(), "单位人员导入模板.xlsx")


@login_required
@_chinese_file
def template_scores(request, pk):
    scheme = access.access_scheme(request.user, pk, manage=True)
    code = request.GET.get("component", "")
    component = scheme.components.filter(code=code).first() if code else None
    if code and component is None:
        raise Http404(_("考核类别不存在"))
    suffix = f"-{component.name}" if component else ""
    return _xlsx(
        exports.scores_template(scheme, component), f"{scheme.code}{suffix}-得分导入模板.xlsx"
    )


@login_required
@_chinese_file
def results_xlsx(request, pk):
    """Results per grading category + leaf scores; unit users get their own rows once published."""
    scheme = access.access_scheme(request.user, pk)
    if not access.can_view_all_subjects(request.user, scheme):
        return scores_xlsx(request, pk)
    results_ensure_fresh(scheme=scheme, actor=request.user)
    return _xlsx(exports.results_xlsx(scheme), f"{scheme.name}-考核结果.xlsx")


@login_required
@_chinese_file
def scores_xlsx(request, pk):
    scheme = access.access_scheme(request.user, pk)
    subjects = selectors.score_subjects(request.user, scheme)
    return _xlsx(exports.scores_xlsx(scheme, subjects), f"{scheme.name}-指标得分.xlsx")


@login_required
@_chinese_file
def indicators_xlsx(request, pk):
    scheme = access.access_scheme(request.user, pk)
    return _xlsx(exports.indicators_xlsx(scheme), f"{scheme.name}-指标体系.xlsx")


@login_required
@_chinese_file
def indicators_docx(request, pk):
    scheme = access.access_scheme(request.user, pk)
    return _docx(docx_export.indicators_docx(scheme), f"{scheme.name}-指标体系.docx")


@login_required
@_chinese_file
def tasks_xlsx(request, pk):
    scheme = access.access_scheme(request.user, pk)
    return _xlsx(exports.tasks_xlsx(scheme), f"{scheme.name}-任务分解表.xlsx")


@login_required
@_chinese_file
def tasks_docx(request, pk):
    scheme = access.access_scheme(request.user, pk)
    return _docx(docx_export.tasks_docx(scheme), f"{scheme.name}-任务分解表.docx")


@login_required
@_chinese_file
def units_xlsx(request):
    """The units the user may list; people only for office admins (sampling data)."""
    units = selectors.visible_units(request.user).distinct()
    people_units = None
    if access.superuser_powers(request.user):
        people_units = units
    elif access.is_office_anywhere(request.user):
        people_units = units.filter(access.unit_q(request.user, Role.OFFICE_ADMIN))
    return _xlsx(exports.units_xlsx(units, people_units=people_units), "单位名单.xlsx")
