"""API sign-in through the same lockout as the sign-in page (issue 8, item 7; SEC-3).

DRF's ``BasicAuthentication`` passes the request to ``authenticate``, so
django-axes counts its failures and refuses a locked account; this subclass
only says why, in Chinese, instead of "wrong username or password".
"""

from __future__ import annotations

from axes.helpers import get_lockout_message
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import AuthenticationFailed


class LockoutBasicAuthentication(BasicAuthentication):
    def authenticate_credentials(self, userid, password, request=None):
        if "\x00" in userid or "\x00" in password:
            # No account holds a NUL, and PostgreSQL refuses one in a query (it was a 500, SEC-1).
            raise AuthenticationFailed()
        try:
            return super().authenticate_credentials(userid, password, request)
        except AuthenticationFailed:
            if getattr(request, "axes_locked_out", False):
                raise AuthenticationFailed(get_lockout_message()) from None
            raise


class LockoutBasicScheme(OpenApiAuthenticationExtension):
    """The OpenAPI schema names it as plain HTTP basic authentication."""

    target_class = LockoutBasicAuthentication
    name = "basicAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}
