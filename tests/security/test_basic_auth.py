"""HTTP basic credentials the database cannot hold are refused like wrong ones (SEC-1)."""

import base64

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SEC-1")]


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


@pytest.mark.parametrize("credentials", ["regis\x00trar:secret", "registrar:sec\x00ret"])
def test_a_nul_in_basic_credentials_is_a_refusal_not_a_server_error(client, registrar, credentials):
    response = client.get("/api/enrollment/records/", HTTP_AUTHORIZATION=basic(credentials))
    assert response.status_code in (401, 403)
    assert response.json()["detail"]
