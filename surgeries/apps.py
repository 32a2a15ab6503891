from django.apps import AppConfig


class SurgeriesConfig(AppConfig):
    name = "surgeries"
    verbose_name = "Surgery days"

    def ready(self) -> None:
        # Hooks other apps call without importing surgeries: message kinds for the
        # outbox, and what export and erasure do with bookings.
        from surgeries import (
            notifications,
            tasks,  # noqa: F401 - registers the periodic task
        )
        from surgeries.services import privacy

        notifications.register()
        privacy.register()
