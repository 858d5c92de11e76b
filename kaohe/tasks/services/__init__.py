"""Writes for tasks: generation, materials, submission, review, nominations, extensions.

Each service is keyword-only, runs in one transaction and writes its audit event; a refused
action raises ValidationError with the reason in words and writes nothing."""

from .deadlines import (
    extension_decide,
    extension_request,
    materials_upload,
)
from .generation import TASK_FIELDS, GenerateResult, task_update, tasks_generate
from .materials import (
    _live_versions,
    _nominee_json,
    _pending_submission,
    _refresh_pending,
    material_remove,
    material_upload,
    nominees_save,
)
from .review import task_review, task_submit
from .workflow import MAX_FILES_PER_TASK, _editable, _transition

__all__ = [
    "GenerateResult",
    "MAX_FILES_PER_TASK",
    "TASK_FIELDS",
    "_editable",
    "_live_versions",
    "_nominee_json",
    "_pending_submission",
    "_refresh_pending",
    "_transition",
    "extension_decide",
    "extension_request",
    "material_remove",
    "material_upload",
    "materials_upload",
    "nominees_save",
    "task_review",
    "task_submit",
    "task_update",
    "tasks_generate",
]
