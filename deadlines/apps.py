from django.apps import AppConfig
from django.db.models.signals import post_migrate

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
        from deadlines.seeds import rules_put_back

        for model in MOVED_FROM_AUDIT:
            subject_type_moved(old=f"audit.{model}", new=f"{self.label}.{model}")

        # A flush (a transactional test's teardown) empties the seeded rules: put them back.
        post_migrate.connect(rules_put_back, sender=self, dispatch_uid="deadlines.rules_put_back")
