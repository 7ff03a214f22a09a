from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "enrollment"
    verbose_name = "新生学籍注册"

    def ready(self) -> None:
        from enrollment import (  # noqa: F401  (audit labels, deadline kinds, the home page's sections)
            action_labels,
            deadlines,
            workbench,
        )
        from enrollment.services import review  # noqa: F401  (registers the review list's kind)
