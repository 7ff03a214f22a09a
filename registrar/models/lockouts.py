"""Sign-in lockouts: django-axes' records of failed sign-ins, as the registrar sees and lifts them."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.utils.translation import gettext_lazy as _


class SignInLockout(AccessAttempt):
    """A run of failed sign-ins for one account (django-axes' record), as the registrar sees and lifts it."""

    class Meta:
        proxy = True
        verbose_name = _("登录锁定")
        verbose_name_plural = _("登录锁定")
