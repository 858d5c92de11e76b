from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "kaohe.publishing"
    label = "publishing"
    verbose_name = "结果发布"
