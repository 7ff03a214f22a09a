from django.apps import AppConfig


class AnnualRegistrationConfig(AppConfig):
    name = "annual_registration"
    verbose_name = "学年电子注册"
