"""学籍档案 (QRY-1, ANN-11): the student as their archive, for the staff page that shows their whole record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from registrar.models import Student


class StudentArchive(Student):
    """A student read as their archive: the same rows and scope as ``Student``, nothing of its own."""

    class Meta:
        proxy = True
        verbose_name = _("学籍档案")
        verbose_name_plural = _("学籍档案")
