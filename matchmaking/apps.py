from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = "Matchmaking"

    def ready(self) -> None:
        # What export and erasure do with matchmaking requests: people's hooks, so people
        # never imports matchmaking.
        from matchmaking import (  # noqa: PLC0415 -- app ready
            privacy,
            proposal_version,
            receivers,  # noqa: F401 - books confirmations on the embedded scheduler's passes
            tasks,  # noqa: F401 - registers the jobs where autodiscovery does not run (run_scheduler)
        )

        privacy.register()
        proposal_version.connect()
