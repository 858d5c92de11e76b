from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "kaohe.exams"
    label = "exams"
    verbose_name = _("依法行政能力测试")
