from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Workshops"

    def ready(self) -> None:
        from workshops import (  # noqa: F401, PLC0415 -- app ready: receivers connects to surgeries' day events
            privacy,
            receivers,
        )

        # people cannot import workshops either: export and erasure reach it through these.
        privacy.register()
