"""A django-tasks backend that stores each run in the database and queues it on huey.

settings.TASKS = {"default": {"BACKEND": "kaohe.background.backend.HueyBackend"}}
"""

from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import BackgroundRun


class HueyBackend(BaseTaskBackend):
    supports_defer = False
    supports_get_result = True

    def enqueue(self, task, args, kwargs):
        from .runner import task_result
        from .services import run_enqueue

        self.validate_task(task)
        run = run_enqueue(task, args, kwargs)
        return task_result(run, task)

    def get_result(self, result_id):
        from .runner import task_result

        try:
            run = BackgroundRun.objects.get(pk=int(result_id))
        except (BackgroundRun.DoesNotExist, ValueError) as exc:
            raise TaskResultDoesNotExist(result_id) from exc
        return task_result(run, import_string(run.task_path))
