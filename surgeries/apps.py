from django.apps import AppConfig


class SurgeriesConfig(AppConfig):
    name = "surgeries"
    verbose_name = "Surgery days"

    def ready(self) -> None:
        # What export and erasure do with bookings: people's hooks, so people never
        # imports surgeries.
        from surgeries import tasks  # noqa: F401, PLC0415 -- app ready: registers the periodic task
        from surgeries import privacy  # noqa: PLC0415 -- app ready

        privacy.register()
