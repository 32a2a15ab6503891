from django.apps import AppConfig


class SurgeriesConfig(AppConfig):
    name = "surgeries"
    verbose_name = "Surgery days"

    def ready(self) -> None:
        # What export and erasure do with bookings: people's hooks, so people never
        # imports surgeries.
        from surgeries import (  # noqa: PLC0415 -- app ready
            day_version,
            privacy,
            tasks,  # noqa: F401 - registers the periodic task
        )

        privacy.register()
        # The public day page and the programme cache by day version; every change bumps it.
        day_version.connect()
