from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    name = "kaohe.background"
    label = "background"
    verbose_name = _("后台任务")
