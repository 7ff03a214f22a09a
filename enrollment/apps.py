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

        _student_page()


def _student_page() -> None:
    """我的学籍注册 in the student's navigation, for a student with admission data (ENR-11)."""
    from django.utils.translation import gettext_lazy

    from enrollment.models import AdmissionRecord
    from registrar.student_links import register_student_link

    register_student_link(
        "enrollment:me",
        gettext_lazy("我的学籍注册"),
        shown=lambda student: AdmissionRecord.objects.filter(student=student).exists(),
        order=20,
    )
