from django.apps import AppConfig


class OnsiteConfig(AppConfig):
    name = "kaohe.onsite"
    label = "onsite"
    verbose_name = "实地考核"
