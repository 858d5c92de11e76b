from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnsiteConfig(AppConfig):
    name = "kaohe.onsite"
    label = "onsite"
    verbose_name = _("实地考核")

    def ready(self):
        from . import signals  # noqa: F401 — registers the receivers
