from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "kaohe.rectification"
    label = "rectification"
    verbose_name = "整改"
