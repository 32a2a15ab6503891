from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from people import (  # noqa: PLC0415 -- app ready
            navigation,
            tasks,  # noqa: F401 - registers the jobs the services queue by name, run_scheduler and eager runs included
            topic_forms,
        )

        navigation.connect_signals()
        topic_forms.connect_signals()
