"""The office's progress board: counts per unit and indicator, filters, Excel, chart."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.common.excel import Sheet, xlsx_response
from kaohe.common.text import join_list
from kaohe.schemes import access

from .. import selectors, services
from ..choices import BOARD_COLUMNS, TaskState
from ..forms import BoardFilterForm, ExtensionDecisionForm

TASK_LIST_LIMIT = 500  # the filtered list shows this many; the counts and Excel cover all
UNITS_PER_PAGE = 200  # the unit table pages; counts and totals always cover every unit
COLUMN_LABELS = [TaskState(s).label for s in BOARD_COLUMNS]


def _filter(request, scheme) -> tuple[BoardFilterForm, selectors.BoardFilter]:
    form = BoardFilterForm(request.GET or None, scheme=scheme)
    if form.is_valid():
        data = form.cleaned_data
        return form, selectors.BoardFilter(
            status=data["status"] or "",
            indicator=data["indicator"],
            category=data["category"],
            unit_name=data["unit_name"].strip(),
        )
    return form, selectors.BoardFilter()


@login_required
def board(request, scheme_pk):
    scheme = access.access_scheme(request.user, scheme_pk, manage=True)
    form, flt = _filter(request, scheme)
    data = selectors.board(scheme, flt)
    if request.GET.get("export") == "xlsx":
        return _export(scheme, data)
    units = Paginator(data.pop("units"), UNITS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "units": units,
        "page_query": params.urlencode(),
        "scheme": scheme,
        "form": form,
        "columns": list(zip(BOARD_COLUMNS, COLUMN_LABELS, strict=True)),
        "decision_form": ExtensionDecisionForm(),
        "query": request.GET.urlencode(),
        **data,
    }
    if flt.status or flt.indicator or flt.unit_name:
        context["task_list"] = selectors.board_tasks(scheme, flt, limit=TASK_LIST_LIMIT)
        context["task_list_limit"] = TASK_LIST_LIMIT
    return render(request, "tasks/board.html", context)


def _export(scheme, data):
    headers = [_("单位"), *COLUMN_LABELS, _("合计"), _("完成率(%)")]
    unit_rows = [[r.label, *r.cells, r.total, r.done_percent] for r in data["units"]]
    unit_rows.append(
        [
            data["totals"].label,
            *data["totals"].cells,
            data["totals"].total,
            data["totals"].done_percent,
        ]
    )
    indicator_rows = [
        [r.extra, r.label, *r.cells, r.total, r.done_percent] for r in data["indicators"]
    ]
    series = data["series"]
    return xlsx_response(
        _("%(scheme)s-任务进度.xlsx") % {"scheme": scheme.name},
        [
            Sheet(_("按单位"), headers, unit_rows),
            Sheet(_("按指标"), [_("编码"), _("指标"), *headers[1:]], indicator_rows),
            Sheet(
                _("完成趋势"),
                [_("日期"), _("累计已提交"), _("累计已通过"), _("通过率(%)")],
                list(
                    zip(
                        series["days"],
                        series["submitted"],
                        series["accepted"],
                        series["percent"],
                        strict=True,
                    )
                ),
            ),
        ],
    )


@login_required
@require_POST
def generate(request, scheme_pk):
    scheme = access.access_scheme(request.user, scheme_pk, manage=True)
    try:
        result = services.tasks_generate(scheme=scheme, actor=request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("tasks:board", scheme.pk)
    messages.success(
        request,
        _("已生成 %(created)d 项任务，已存在 %(existing)d 项未重复生成。")
        % {"created": result.created, "existing": result.existing},
    )
    if result.without_deadline:
        codes = join_list(sorted(set(result.without_deadline)))
        messages.warning(
            request,
            _("以下指标没有提交时限，未生成任务：%(codes)s。请先在指标中填写提交时限。")
            % {"codes": codes},
        )
    if result.created:
        from ..reminders import reminders_send

        reminders_send(task_ids=result.task_ids, kinds={"assigned"})
    return redirect("tasks:board", scheme.pk)
