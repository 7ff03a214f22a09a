from django.apps import AppConfig


class RegistrarConfig(AppConfig):
    name = "registrar"
    verbose_name = "学籍基础信息"

    def ready(self) -> None:
        from registrar import action_labels  # noqa: F401  (names the audit actions of the core)
