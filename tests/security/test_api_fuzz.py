"""schemathesis over the OpenAPI schema, as each role, in-process against the WSGI app.

Every generated request must get an answer that is not a server error, is
documented, and matches its declared schema (bodies of 4xx included). ``make test``
runs a few examples per operation; ``make fuzz`` runs FUZZ_EXAMPLES per operation.
"""

from __future__ import annotations

import contextlib
import json
import os

import pytest
import schemathesis
from django.conf import settings as settings_
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz, pytest.mark.rule("SEC-1")]

# Examples per operation and role: a few keep `make test` quick; `make fuzz` sets FUZZ_EXAMPLES=1000.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ["anonymous", "student_a", "college_a_staff", "auditor", "registrar", "admin"]


@contextlib.contextmanager
def connection_kept():
    """The WSGI handler closes the connection after each request; the test's transaction needs it open.

    (Django's own test client does the same around each of its requests.)
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Drawn once per operation of a schema, then sent as every role. The draw is derandomized, so each
# role drew these very same examples when it drew its own; drawing them six times proved nothing more.
DRAWN: dict[tuple[str, str], list[Case]] = {}


def examples_of(operation, schema_text: str) -> list[Case]:
    """The operation's EXAMPLES examples, valid and invalid (hypothesis through schemathesis)."""
    key = (schema_text, operation.label)
    if key not in DRAWN:
        drawn: list[Case] = []

        @given(
            case=st.one_of(
                operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
            )
        )
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def draw(case: Case) -> None:
            drawn.append(case)

        draw()
        DRAWN[key] = drawn
    return DRAWN[key]


@pytest.mark.parametrize("role", ROLES)
def test_the_api_never_answers_500_and_every_answer_matches_its_schema(role, world):
    """Anonymous requests use the schema the admin reads (they may not read it), and send no session.

    The world (tests/security/conftest.py) has both colleges with records, lists, corrections and
    deadlines, so that ids in paths sometimes exist; each role's writes roll back with its test.
    """
    user = world.users[role]
    client = signed_in(user or world.users["admin"])
    cookies = (
        {settings_.SESSION_COOKIE_NAME: client.cookies[settings_.SESSION_COOKIE_NAME].value} if user else {}
    )
    schema_text = client.get("/api/schema/?format=json").text
    schema = schemathesis.openapi.from_dict(json.loads(schema_text))
    schema.app = get_wsgi_application()
    failures: list[str] = []
    operations = 0
    with connection_kept():
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            for case in examples_of(operation, schema_text):
                response = case.call(cookies=cookies)
                try:
                    case.validate_response(response, checks=CHECKS)
                except FailureGroup as exc:
                    failures.append(
                        f"{case.method} {case.formatted_path}: {' | '.join(map(str, exc.exceptions))}"
                    )
    assert operations > 10
    assert failures == [], "\n".join(dict.fromkeys(failures))
