from django.apps import AppConfig


class SurgeriesConfig(AppConfig):
    name = "surgeries"
    verbose_name = "Surgery days"

    def ready(self) -> None:
        # Hooks other apps call without importing surgeries: message kinds for the
        # outbox, and what export and erasure do with bookings and feedback.
        from surgeries import (
            afterday_notifications,
            afterday_privacy,
            notifications,
            tasks_afterday,  # noqa: F401 - registers the periodic tasks
        )
        from surgeries.services import privacy

        notifications.register()
        afterday_notifications.register()
        afterday_privacy.register()
        privacy.register()
