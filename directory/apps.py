from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Network directory"

    def ready(self) -> None:
        # The relayed message's kind for the outbox, and what export and erasure do
        # with listings, messages and blocks: hooks of the apps below, which never
        # import this one.
        from directory import notifications, privacy

        notifications.register()
        privacy.register()
