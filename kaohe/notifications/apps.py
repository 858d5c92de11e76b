from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kaohe.notifications"
    label = "notifications"
    verbose_name = "站内通知"
