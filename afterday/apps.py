from django.apps import AppConfig


class AfterdayConfig(AppConfig):
    name = "afterday"
    verbose_name = "After the day"

    def ready(self) -> None:
        # What export and erasure do with feedback and next steps: people's hooks, so
        # people never imports afterday.
        from afterday import (  # noqa: PLC0415 -- app ready
            privacy,
            receivers,  # noqa: F401 - connects the day version bumps of the impact report
            tasks,  # noqa: F401 - registers the periodic tasks where autodiscovery does not run (run_scheduler)
        )

        privacy.register()
