"""Writes of the transfer app: running an import (check or apply) and the unit aliases.

An import is checked (dry run: nothing written, a report to preview) and then applied;
applying reads the file again and writes everything in one transaction, or nothing.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.services import audit_record
from kaohe.common.sheets.files import check_upload
from kaohe.common.sheets.problems import ImportFailed
from kaohe.transfer import audit_actions

from .choices import ImportKind
from .indicators_read import read_indicators
from .indicators_write import indicators_write
from .models import ImportJob, UnitAlias
from .scores_io import read_scores, scores_write
from .units_io import read_units, units_write

PREVIEW_ROWS = 300
ALLOWED = {
    ImportKind.INDICATORS: ("xlsx", "docx"),
    ImportKind.UNITS: ("xlsx",),
    ImportKind.SCORES: ("xlsx",),
}


def _component(scheme, options: dict):
    code = (options or {}).get("component") or ""
    return scheme.components.filter(code=code).first() if code else None


def _read(kind: str, upload, *, scheme, owner, options: dict, progress=None):
    if kind == ImportKind.INDICATORS:
        return read_indicators(
            upload,
            scheme,
            component=_component(scheme, options),
            prefix=(options or {}).get("prefix", ""),
        )
    if kind == ImportKind.SCORES:
        return read_scores(upload, scheme, progress)
    return read_units(upload, owner)


def _report(kind: str, plan) -> dict:
    if kind == ImportKind.INDICATORS:
        return {
            "ok": True,
            "layout": plan.layout,
            "counts": {str(k): v for k, v in plan.counts().items()},
            "total": len(plan.nodes),
            "unmatched": [
                {
                    "name": n,
                    "where": w[:5],
                    "times": len(w),
                    "suggest": [
                        {"pk": pk, "name": name, "score": round(score, 2)}
                        for pk, name, score in plan.suggestions.get(n, [])
                    ],
                }
                for n, w in sorted(plan.unmatched.items())
            ],
            "preview": [
                {
                    "level": n.level,
                    "code": n.code,
                    "name": n.name,
                    "component": getattr(n.component, "name", ""),
                    "max_score": str(n.max_score) if n.max_score is not None else "",
                    "responsible": n.responsible_text,
                    "matched": [u.name for u in n.responsible]
                    + [str(g) for g in n.groups]
                    + [_("%(name)s（全部考核对象）") % {"name": c.name} for c in n.categories],
                    "deadline": n.deadline.isoformat() if n.deadline else "",
                }
                for n in plan.nodes[:PREVIEW_ROWS]
            ],
        }
    if kind == ImportKind.SCORES:
        return {"ok": True, **plan.summary()}
    return {
        "ok": True,
        **plan.summary(),
        "preview": [
            {
                "name": u.name,
                "parent": getattr(u.parent, "name", ""),
                "category": getattr(u.category, "name", ""),
            }
            for u in plan.units[:PREVIEW_ROWS]
        ],
    }


def import_check(
    *,
    kind: str,
    name: str,
    data: bytes,
    scheme=None,
    owner=None,
    options: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Dry run: read and check the file, write nothing; returns the preview report."""
    try:
        upload = check_upload(name, data, allowed=ALLOWED[kind])
        plan = _read(
            kind, upload, scheme=scheme, owner=owner, options=options or {}, progress=progress
        )
    except ImportFailed as exc:
        return {"ok": False, "errors": exc.messages}
    return _report(kind, plan)


def import_apply(
    *,
    kind: str,
    name: str,
    data: bytes,
    scheme=None,
    owner=None,
    options: dict | None = None,
    actor=None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Read, check and write in one transaction; on any problem nothing is written."""
    try:
        upload = check_upload(name, data, allowed=ALLOWED[kind])
        plan = _read(kind, upload, scheme=scheme, owner=owner, options=options or {})
        report = _report(kind, plan)
        if kind == ImportKind.INDICATORS:
            indicators_write(
                scheme=scheme, tree=plan, actor=actor, filename=upload.name, progress=progress
            )
        elif kind == ImportKind.SCORES:
            scores_write(
                scheme=scheme, plan=plan, actor=actor, filename=upload.name, progress=progress
            )
        else:
            units_write(
                owner=owner, plan=plan, actor=actor, filename=upload.name, progress=progress
            )
    except ImportFailed as exc:
        return {"ok": False, "errors": exc.messages}
    report["applied"] = True
    return report


# --- aliases ---------------------------------------------------------------------------


@transaction.atomic
def unit_alias_save(*, owner_unit, name: str, unit=None, actor=None) -> UnitAlias:
    """Map a name used in files to a unit of the office's tree (or to "not one unit")."""
    name = "".join(name.split())
    if not name:
        raise ValidationError(_("别名不能为空。"))
    if unit is not None and not unit.path.startswith(owner_unit.path):
        raise ValidationError(
            _("单位“%(unit)s”不在“%(owner_unit)s”之下。") % {"unit": unit, "owner_unit": owner_unit}
        )
    alias = UnitAlias.objects.filter(owner_unit=owner_unit, name=name).first()
    before = None
    if alias is None:
        alias = UnitAlias(owner_unit=owner_unit, name=name, unit=unit)
    else:
        before = {"unit": alias.unit_id}
        alias.unit = unit
    alias.full_clean()
    alias.save()
    audit_record(
        action=audit_actions.UNIT_ALIAS_SAVE,
        actor=actor,
        obj=alias,
        before=before,
        after={"name": name, "unit": unit.pk if unit else None},
    )
    return alias


@transaction.atomic
def unit_alias_delete(*, alias: UnitAlias, actor=None) -> None:
    audit_record(
        action=audit_actions.UNIT_ALIAS_DELETE,
        actor=actor,
        obj=alias,
        before={"name": alias.name, "unit": alias.unit_id},
    )
    alias.delete()


def import_job_create(*, kind: str, scheme, owner, uploaded, options: dict, actor) -> ImportJob:
    """Keep an uploaded import file (under a random name) as a job to check, then apply."""
    job = ImportJob(
        kind=kind,
        scheme=scheme,
        owner_unit=owner,
        created_by=actor,
        filename=uploaded.name[:255],
        options=options,
    )
    job.file.save("upload.bin", ContentFile(uploaded.read()), save=False)
    job.save()
    return job
