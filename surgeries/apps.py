from django.apps import AppConfig


class SurgeriesConfig(AppConfig):
    name = "surgeries"
    verbose_name = "Surgery days"

    def ready(self) -> None:
        from surgeries import notifications

        notifications.register()
        from surgeries.services.matchmaking import register_privacy_hooks

        register_privacy_hooks()
