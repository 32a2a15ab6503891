from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from people import directory_services, navigation

        directory_services.register()
        navigation.connect_signals()
