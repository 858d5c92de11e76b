from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "kaohe.common"
    label = "common"
    verbose_name = "公共"
