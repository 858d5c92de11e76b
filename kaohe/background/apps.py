from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "kaohe.background"
    label = "background"
    verbose_name = "后台任务"
