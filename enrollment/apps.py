from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "enrollment"
    verbose_name = "新生学籍注册"

    def ready(self) -> None:
        from enrollment import action_labels, deadlines  # noqa: F401  (registers audit labels, deadline kinds)
        from enrollment.services import review  # noqa: F401  (registers the review list's kind)
