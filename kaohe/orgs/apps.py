from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "kaohe.orgs"
    label = "orgs"
    verbose_name = "单位"
