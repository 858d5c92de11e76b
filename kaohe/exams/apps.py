from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "kaohe.exams"
    label = "exams"
    verbose_name = "依法行政能力测试"
