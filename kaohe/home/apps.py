from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Top floor: the to-do home page, search and in-app help (reads every app's data)."""

    name = "kaohe.home"
    verbose_name = _("首页")
