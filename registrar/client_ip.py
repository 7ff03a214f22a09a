"""The client's IP address, as sign-in lockouts and rate limits see it.

``X-Forwarded-For`` is a header anyone can send: it is read only when
``settings.TRUSTED_PROXY_COUNT`` says how many reverse proxies of our own
stand in front of the application. Each of them appends the address it
received the request from, so the client is the entry that many places from
the right; anything further left was written by the client and is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent ``request`` (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return remote  # not through all our proxies: the header is not theirs
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
