from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Network directory"

    def ready(self) -> None:
        # What export and erasure do with listings, messages and blocks: hooks of
        # people, which never imports this app. (The relayed message's kind is data in
        # notifications.py, which the outbox reads by itself.)
        from directory import privacy  # noqa: PLC0415 -- app ready

        privacy.register()
