from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops"

    def ready(self) -> None:
        from surgeries.services.days import register_day_finished_hook
        from workshops import (  # noqa: F401  (signals connects the receivers)
            privacy,
            signals,
        )
        from workshops.services.registration import waiting_lists_end_for_days

        # people cannot import workshops either: export and erasure reach it through these.
        privacy.register()
        # A finished day's workshops have happened, so their waiting lists end with it.
        # The hourly job that finishes days lives in surgeries, which cannot call workshops.
        register_day_finished_hook(waiting_lists_end_for_days)
