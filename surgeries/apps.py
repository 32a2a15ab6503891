from django.apps import AppConfig


class SurgeriesConfig(AppConfig):
    name = "surgeries"
    verbose_name = "Surgery days"

    def ready(self) -> None:
        from surgeries import notifications

        notifications.register()
        from surgeries import afterday_notifications, afterday_privacy, tasks_afterday  # noqa: F401 - tasks register

        afterday_privacy.register()
        afterday_notifications.register()
