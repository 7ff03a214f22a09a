from django.apps import AppConfig


class DiplomaConfig(AppConfig):
    name = "diploma"
    verbose_name = "学历证书电子注册"

    def ready(self) -> None:
        from diploma import action_labels  # noqa: F401  (audit action names)
        from diploma.services import outcome_lists  # noqa: F401  (the outcome lists' batch kind)
