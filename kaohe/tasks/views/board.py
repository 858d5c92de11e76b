"""The office's progress board: counts per unit and indicator, filters, Excel, chart."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.background.services import enqueue, run_of
from kaohe.common.cached import CSRF_SLOT, cached_part, part_key, with_csrf
from kaohe.common.excel import Sheet, xlsx_response
from kaohe.schemes import access

from .. import selectors, stamps
from ..background import GENERATE_REF, tasks_generate_task
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
    run = run_of(request.user, request.GET.get("run"), GENERATE_REF.format(scheme.pk))
    if request.GET.get("export") != "xlsx" and not set(request.GET) - {"run"}:
        # The unfiltered board, as most visits see it: cached until a task, an extension
        # request or an indicator changes, or the day turns (overdue is derived from it).
        parts = (scheme.pk, timezone.localdate(), get_language(), stamps.board_stamp(scheme))
        body = cached_part(part_key("board", parts), lambda: _board_body(request, scheme))
    else:
        body = _board_body(request, scheme)
        if not isinstance(body, str):
            return body  # the Excel export
    context = {"scheme": scheme, "run": run, "body_html": with_csrf(body, request)}
    return render(request, "tasks/board.html", context)


def _board_body(request, scheme):
    form, flt = _filter(request, scheme)
    data = selectors.board(scheme, flt)
    if request.GET.get("export") == "xlsx":
        return _export(scheme, data)
    units = Paginator(data.pop("units"), UNITS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("run", None)
    context = {
        "units": units,
        "page_query": params.urlencode(),
        "scheme": scheme,
        "form": form,
        "columns": list(zip(BOARD_COLUMNS, COLUMN_LABELS, strict=True)),
        "decision_form": ExtensionDecisionForm(),
        "query": params.urlencode(),
        "csrf_token": CSRF_SLOT,
        **data,
    }
    if flt.status or flt.indicator or flt.unit_name:
        context["task_list"] = selectors.board_tasks(scheme, flt, limit=TASK_LIST_LIMIT)
        context["task_list_limit"] = TASK_LIST_LIMIT
    return render_to_string("tasks/_board_body.html", context)


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
    """Queue the generation (a province's table makes thousands of tasks); the board shows its
    progress and result."""
    scheme = access.access_scheme(request.user, scheme_pk, manage=True)
    run = enqueue(
        tasks_generate_task,
        scheme.pk,
        actor_id=request.user.pk,
        ref=GENERATE_REF.format(scheme.pk),
        requested_by=request.user,
    )
    return redirect(f"{reverse('tasks:board', args=[scheme.pk])}?run={run.pk}")
