from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy


class AnnualRegistrationConfig(AppConfig):
    name = "annual_registration"
    verbose_name = "学年电子注册"

    def ready(self) -> None:
        from annual_registration import (  # noqa: F401  (audit action names, blockers, deadline kinds)
            action_labels,
            action_labels_changes,
            action_labels_records,
            blockers_changes,
            blockers_check_ins,
            deadlines_changes,
            deadlines_records,
        )
        from annual_registration.seeds import kinds_put_back
        from annual_registration.services import (  # noqa: F401  (register the lists' kinds)
            change_lists,
            lists,
        )
        from registrar.student_links import register_student_link

        register_student_link(
            "annual_records:me", gettext_lazy("我的学籍档案"), shown=lambda s: True, order=30
        )
        # A flush (a transactional test's teardown) empties the seeded kinds: put them back.
        post_migrate.connect(kinds_put_back, sender=self, dispatch_uid="annual_registration.kinds_put_back")
