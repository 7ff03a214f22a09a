from django.apps import AppConfig

# The models that lived in the audit app until the engine became this app (issue 9): the audit events
# recorded before then name them ``audit.<model>``.
MOVED_FROM_AUDIT = ("deadlinerule", "deadlinescan", "deadlineviolation", "deadlinenotice", "deadlinereminder")


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "时限"

    def ready(self) -> None:
        from audit.subject_types import subject_type_moved
        from deadlines import (  # noqa: F401  (the scan's audit action names, the home page's sections)
            action_labels,
            workbench,
        )

        for model in MOVED_FROM_AUDIT:
            subject_type_moved(old=f"audit.{model}", new=f"{self.label}.{model}")
