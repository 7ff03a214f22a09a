"""After PostgreSQL drops a worker's connection (what a restart does), the next request succeeds (issue 8, item 9).

The shared server is not restarted: the test's own backend is ended with
``pg_terminate_backend`` from a second connection. Requests go through
Django's real WSGI handler, which, unlike the test client, checks kept
connections at each request start as a server worker does.
"""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.rule("SEC-6")]


def request(rf, path: str) -> int:
    statuses = []
    response = WSGIHandler()(rf.get(path).environ, lambda status, headers: statuses.append(status))
    response.close()  # ends the request: request_finished, as a server does
    return int(statuses[0].split()[0])


def terminate_backend_of(conn) -> None:
    pid = conn.connection.info.backend_pid
    other = conn.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def test_a_request_after_the_database_dropped_the_kept_connection_succeeds(rf, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    assert request(rf, "/healthz") == 200
    assert connection.connection is not None  # kept for the next request (CONN_MAX_AGE)
    terminate_backend_of(connection)
    assert [request(rf, "/healthz") for _ in range(8)] == [200] * 8
