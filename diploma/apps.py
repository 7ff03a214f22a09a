from django.apps import AppConfig


class DiplomaConfig(AppConfig):
    name = "diploma"
    verbose_name = "学历证书电子注册"

    def ready(self) -> None:
        from diploma import (  # noqa: F401  (audit action names, deadline kinds, staff pages, the student's pages)
            action_labels,
            action_labels_photos,
            admin_photos,
            deadlines,
            deadlines_photos,
            student_pages_photos,
            timeline,
        )
        from diploma.services import outcome_lists  # noqa: F401  (the outcome lists' batch kind)
