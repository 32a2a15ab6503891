from django.apps import AppConfig


class SurgeriesConfig(AppConfig):
    name = "surgeries"
    verbose_name = "Surgery days"

    def ready(self) -> None:
        # Hooks other apps call without importing surgeries: message kinds for the
        # outbox, and what export and erasure do with bookings, requests and feedback.
        from surgeries import (
            afterday_notifications,
            afterday_privacy,
            notifications,
            tasks,  # noqa: F401 - registers matchmaking's jobs where autodiscovery does not run (run_scheduler)
            tasks_afterday,  # noqa: F401 - registers the periodic tasks
        )
        from surgeries.services import privacy
        from surgeries.services.matchmaking import register_privacy_hooks

        notifications.register()
        afterday_notifications.register()
        register_privacy_hooks()
        afterday_privacy.register()
        privacy.register()
