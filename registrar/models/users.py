"""Who signs in: users and their role, the colleges they serve or the student they are."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from registrar.models.school import College
from registrar.models.students import Student
from registrar.roles import Role


class User(AbstractUser):
    """A person who signs in, with one role. College staff are linked to colleges; a student to a Student."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    colleges = models.ManyToManyField(College, blank=True, related_name="staff", verbose_name=_("负责院系"))
    student = models.OneToOneField(
        Student,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
        verbose_name=_("学生"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
