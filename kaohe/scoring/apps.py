from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "kaohe.scoring"
    label = "scoring"
    verbose_name = _("计分")

    def ready(self):
        from . import signals  # noqa: F401 — registers the receivers
