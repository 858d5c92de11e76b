from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "kaohe.scoring"
    label = "scoring"
    verbose_name = "计分"

    def ready(self):
        from . import signals  # noqa: F401 — registers the receivers
