"""The named users' password (STYLE: registrar, college_a_staff, college_b_staff, auditor, student_a),
and an API client signed in as one of them."""

from rest_framework.test import APIClient

PASSWORD = "Test-pass-2026!"


def api_as(user) -> APIClient:
    """An API client signed in as ``user`` (``None``: anonymous)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
