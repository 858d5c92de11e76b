"""Tasks and submissions (read), and uploading a material file through the tasks service."""

from ninja import Field, File, Query, Router, Schema, Status, UploadedFile

from kaohe.tasks.selectors import access_task, task_detail, visible_tasks
from kaohe.tasks.services import material_upload

from ..auth import require_write
from ..schemas import FileOut, TaskDetailOut, TaskPage, Text
from .common import READ_ERRORS, WRITE_ERRORS, Paging, id_param, page, pk

router = Router(tags=["任务与材料"])


def task_out(t) -> dict:
    return {
        "id": t.pk,
        "scheme_id": t.scheme_id,
        "indicator_id": t.indicator_id,
        "indicator_code": t.indicator.code,
        "indicator": t.indicator.name,
        "unit_id": t.unit_id,
        "unit": t.unit.name,
        "materials": t.materials,
        "deadline": t.deadline,
        "status": t.status,
    }


def file_out(v) -> dict:
    return {
        "id": v.pk,
        "task_file_id": v.task_file_id,
        "number": v.number,
        "name": v.name,
        "kind": v.kind,
        "size": v.size,
        "sha256": v.sha256,
        "uploaded_at": v.uploaded_at,
    }


class TaskFilter(Schema):
    scheme_id: int | None = id_param("考核方案")
    unit_id: int | None = id_param("责任单位")
    indicator_id: int | None = id_param("指标")
    status: Text | None = Field(None, max_length=16)


@router.get("/tasks", response={200: TaskPage, **READ_ERRORS}, summary="任务列表")
def task_list(request, paging: Query[Paging], flt: Query[TaskFilter]):
    tasks = visible_tasks(request.user).order_by("deadline", "pk")
    for field in ("scheme_id", "unit_id", "indicator_id", "status"):
        value = getattr(flt, field)
        if value:
            tasks = tasks.filter(**{field: value})
    return page(tasks, paging, task_out)


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, **READ_ERRORS}, summary="任务详情")
def task_get(request, task_id: int = pk()):
    task = access_task(request.user, task_id)
    detail = task_detail(task)
    return {
        **task_out(task),
        "files": [file_out(v) for f in detail["files"] for v in f.versions.all()],
        "submissions": [
            {
                "id": s.pk,
                "number": s.number,
                "description": s.description,
                "submitted_at": s.submitted_at,
                "decision": s.decision,
                "review_comment": s.review_comment,
                "file_version_ids": [v.pk for v in s.versions.all()],
            }
            for s in detail["submissions"]
        ],
    }


@router.post(
    "/tasks/{task_id}/files",
    response={201: FileOut, **WRITE_ERRORS},
    summary="上传一份材料（类型按内容检查）",
)
def task_upload(request, file: File[UploadedFile], task_id: int = pk()):
    require_write(request)
    task = access_task(request.user, task_id, work=True)
    return Status(201, file_out(material_upload(task=task, upload=file, actor=request.user)))
