from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kaohe.surveys"
    label = "surveys"
    verbose_name = "满意度调查"
