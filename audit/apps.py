from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from audit import action_labels, checks  # noqa: F401  (audit labels, deploy checks of the chain key)
