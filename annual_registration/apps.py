from django.apps import AppConfig


class AnnualRegistrationConfig(AppConfig):
    name = "annual_registration"
    verbose_name = "学年电子注册"

    def ready(self) -> None:
        from annual_registration import (  # noqa: F401  (audit action names, deadline kinds)
            action_labels,
            action_labels_records,
            deadlines_records,
        )
        from annual_registration.services import lists  # noqa: F401  (registers the annual list's kind)
