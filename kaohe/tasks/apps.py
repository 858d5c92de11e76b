from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "kaohe.tasks"
    label = "tasks"
    verbose_name = "任务分解"
