"""The score-entry page of one subject: every applicable leaf, saved together.

A field that is not in the POST means "unchanged"; clearing a value is an explicit tick
(`clear_<id>`); every change carries the version the user loaded, so a write without a valid
version or over someone else's newer value is refused, never applied.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kaohe.common.cached import cached_part, part_key
from kaohe.common.decimals import parse_decimal
from kaohe.common.text import join_sentences
from kaohe.schemes import access

from ..pages import trace_stamp
from ..selectors import score_sheet
from ..services import ScoreChange, ScoreConflict, scores_locked_reason, scores_save


@dataclass
class ParsedPost:
    changes: list[ScoreChange]
    errors: dict[int, str]


def _version(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _parse_row(post: QueryDict, leaf, entry) -> tuple[ScoreChange | None, str]:
    """The change one row asks for (None: unchanged) or the problem with it."""
    pk = leaf.pk
    clear = post.get(f"clear_{pk}") == "1"
    if f"value_{pk}" not in post and not clear:
        return None, ""
    current_value = entry.value if entry else None
    current_note = entry.note if entry else ""
    raw = post.get(f"value_{pk}", "").strip()
    note = post.get(f"note_{pk}", current_note).strip()
    if clear:
        value = None
    elif not raw:
        if current_value is None:
            return None, ""
        return None, _("要清除这一项的得分，请勾选“清除”。")
    else:
        value = parse_decimal(raw)
        if value is None:
            return None, _("“%(raw)s”不是数字。") % {"raw": raw[:20]}
    if value == current_value and (value is None or note == current_note):
        return None, ""
    version = _version(post.get(f"version_{pk}"))
    if version is None:
        return None, _("缺少有效的版本号，请刷新页面后重新录入。")
    return ScoreChange(leaf, value, note, version), ""


def parse_score_post(post: QueryDict, sheet, editable: set[int]) -> ParsedPost:
    parsed = ParsedPost([], {})
    for leaf, entry in sheet:
        if leaf.pk not in editable:
            continue
        change, error = _parse_row(post, leaf, entry)
        if error:
            parsed.errors[leaf.pk] = error
        elif change is not None:
            parsed.changes.append(change)
    return parsed


def _save(request, subject, parsed: ParsedPost) -> bool:
    if parsed.errors:
        messages.error(request, _("未保存，请改正标红的项目。"))
        return False
    if not parsed.changes:
        messages.info(request, _("没有改动。"))
        return False
    try:
        scores_save(subject=subject, changes=parsed.changes, actor=request.user)
    except ScoreConflict as conflict:
        messages.error(request, join_sentences(conflict.messages))
        return False
    except ValidationError as error:
        messages.error(
            request,
            _("未保存，请改正以下问题：%(errors)s") % {"errors": join_sentences(error.messages)},
        )
        return False
    messages.success(request, _("已保存 %(n)d 项得分。") % {"n": len(parsed.changes)})
    return True


def _rows(request, sheet, editable, errors, posted: bool) -> list[dict]:
    rows = []
    for leaf, entry in sheet:
        keep = posted and leaf.pk in editable
        rows.append(
            {
                "leaf": leaf,
                "entry": entry,
                "editable": leaf.pk in editable,
                "value": request.POST.get(f"value_{leaf.pk}", "")
                if keep
                else ("" if entry is None else entry.value),
                "note": request.POST.get(f"note_{leaf.pk}", "")
                if keep
                else ("" if entry is None else entry.note),
                "error": errors.get(leaf.pk, ""),
            }
        )
    return rows


def _editable(sheet, locked: str, components) -> set[int]:
    return {
        leaf.pk
        for leaf, _entry in sheet
        if not locked and (components is None or leaf.component.code in components)
    }


def _table_html(request, subject, locked: str, components, sheet=None, errors=None) -> SafeString:
    """The rows of the form. As most visits see it (a GET) it is cached under everything it
    shows: the subject, the scheme's state, its scores and indicators (the trace's stamp), which
    leaves this viewer may type, and the language. A POST shows its own `sheet` and `errors`."""

    def render_table() -> str:
        rows_of = sheet if sheet is not None else score_sheet(subject=subject)
        editable = _editable(rows_of, locked, components)
        posted = request.method == "POST" and not locked
        rows = _rows(request, rows_of, editable, errors or {}, posted)
        return render_to_string("scoring/_score_table.html", {"rows": rows})

    if request.method != "GET":
        return mark_safe(render_table())  # noqa: S308 — our template
    typed = None if components is None else sorted(components)
    parts = (subject.pk, subject.updated_at, subject.scheme.status, locked, typed)
    parts += (get_language(), trace_stamp(subject))
    return mark_safe(cached_part(part_key("score-entry", parts), render_table))  # noqa: S308


@login_required
def score_entry(request, subject_pk):
    """Enter or correct the leaves this user may score (office: all; team: on-site leaves)."""
    subject = access.access_subject(request.user, subject_pk, score=True)
    locked = scores_locked_reason(subject.scheme)
    components = access.enterable_components(request.user, subject)
    errors: dict[int, str] = {}
    sheet = None
    if request.method == "POST":
        if locked:
            messages.error(request, locked)
        else:
            sheet = score_sheet(subject=subject)
            parsed = parse_score_post(request.POST, sheet, _editable(sheet, locked, components))
            if _save(request, subject, parsed):
                return redirect("scoring:scores", subject.pk)
            errors = parsed.errors
    return render(
        request,
        "scoring/score_entry.html",
        {
            "subject": subject,
            "scheme": subject.scheme,
            "table_html": _table_html(request, subject, locked, components, sheet, errors),
            "locked": locked,
        },
    )
