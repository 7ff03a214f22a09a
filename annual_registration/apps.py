from django.apps import AppConfig


class AnnualRegistrationConfig(AppConfig):
    name = "annual_registration"
    verbose_name = "学年电子注册"

    def ready(self) -> None:
        from annual_registration import action_labels  # noqa: F401  (names its audit actions)
        from annual_registration.services import lists  # noqa: F401  (registers the annual list's kind)
