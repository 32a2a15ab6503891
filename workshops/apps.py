from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops"

    def ready(self) -> None:
        # surgeries cannot import workshops, so workshops hands its part of the
        # programme (and of each person's agenda) to surgeries' registries here.
        from workshops import (  # noqa: F401  (signals connects the receivers)
            integration,
            notifications,
            privacy,
            signals,
        )

        integration.register()
        notifications.register()
        # people cannot import workshops either: export and erasure reach it through these.
        privacy.register()
