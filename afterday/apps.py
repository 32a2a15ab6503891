from django.apps import AppConfig


class AfterdayConfig(AppConfig):
    name = "afterday"
    verbose_name = "After the day"

    def ready(self) -> None:
        # The feedback requests' message kinds for the outbox, and what export and
        # erasure do with feedback and next steps: people's hooks, so people never imports afterday.
        from afterday import (
            notifications,
            privacy,
            tasks,  # noqa: F401 - registers the periodic tasks where autodiscovery does not run (run_scheduler)
        )

        notifications.register()
        privacy.register()
