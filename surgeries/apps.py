from django.apps import AppConfig


class SurgeriesConfig(AppConfig):
    name = "surgeries"
    verbose_name = "Surgery days"
