from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Top floor: the to-do home page, search and in-app help (reads every app's data)."""

    name = "kaohe.home"
    verbose_name = "首页"
