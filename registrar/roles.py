"""Roles: who may see and do what. Scoping of reads lives in ``registrar.scoping``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    REGISTRAR = "registrar", _("教务处学籍管理员")
    COLLEGE_STAFF = "college_staff", _("二级学院学籍员")
    AUDITOR = "auditor", _("审计人员")
    STUDENT = "student", _("学生")


# Roles that sign in to the staff pages (the Django admin).
STAFF_ROLES = (Role.ADMIN, Role.REGISTRAR, Role.COLLEGE_STAFF, Role.AUDITOR)
# Roles that see every college.
SCHOOL_WIDE_ROLES = (Role.ADMIN, Role.REGISTRAR, Role.AUDITOR)


def role_of(user) -> str | None:
    """The user's role, or ``None`` for an anonymous or inactive user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def is_registrar(user) -> bool:
    """Registrar office staff (and admins), who approve and decide (SEC-1)."""
    return role_of(user) in (Role.REGISTRAR, Role.ADMIN)


def is_college_staff(user) -> bool:
    return role_of(user) == Role.COLLEGE_STAFF


def is_auditor(user) -> bool:
    return role_of(user) == Role.AUDITOR


def acts_for_college(user, college_id: int | None) -> bool:
    """Whether the user acts for this college: the registrar for every one, college staff for their own (SEC-1)."""
    if is_registrar(user):
        return True
    return is_college_staff(user) and college_id is not None and user.colleges.filter(pk=college_id).exists()


def can_write(user) -> bool:
    """Everyone but auditors and students may write through the services their role allows."""
    return role_of(user) in (Role.ADMIN, Role.REGISTRAR, Role.COLLEGE_STAFF)


# ``permission=`` of the ``@transition`` declarations: (instance, user) → whether the user may fire it.


def registrar_decides(instance, user) -> bool:
    """Transitions only the registrar office fires: approvals, decisions on records and 学籍状态 (SEC-1)."""
    return is_registrar(user)


def college_acts(instance, user) -> bool:
    """Transitions the instance's college fires (the registrar acts for every college, SEC-1)."""
    return acts_for_college(user, instance.college_id)
