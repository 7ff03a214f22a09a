"""Shared fixtures: the school, two colleges and the named users of STYLE.md.

alice-style naming: ``college_a_staff`` sees college A only, ``college_b_staff``
must see none of it; ``student_a`` sees only themself.
"""

import functools
import os

import pytest
from django.db import connection

from enrollment.models import AdmissionRecord
from registrar.roles import Role
from registrar.services import user_create
from tests.db_template import database_from_template, drop_database
from tests.enrollment.builders import admission_row, import_admissions
from tests.factories import CollegeFactory, MajorFactory, SchoolFactory, StudentFactory, TermFactory
from tests.users import PASSWORD


def pytest_collection_modifyitems(config, items):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    if workers > 1:
        items[:] = long_ones_first(items, workers)


# Modules that take long, with the seconds one worker spends on them (measured on 2 cores, 2026-12-01).
LONG_MODULES = {
    "tests/security/test_api_fuzz.py": 88,  # one draw of examples per worker: kept on one
    "tests/security/test_scoping_matrix.py": 69,
    "tests/browser/": 65,
    "tests/registrar/test_demo_any_day.py": 14,
    "tests/security/test_admin_input.py": 13,
    "tests/registrar/test_demo.py": 10,
    "tests/annual_registration/test_changes_demo.py": 7,
}


def long_ones_first(items: list, workers: int) -> list:
    """The order for pytest-xdist's worksteal, which hands each worker a contiguous share of the list and
    then steals from the ends of the queues: each share starts with its part of the long modules (shared
    out by their seconds), so that no worker is left running them alone at the end."""
    shares: list[list] = [[] for _ in range(workers)]
    loads = [0] * workers
    for prefix, seconds in sorted(LONG_MODULES.items(), key=lambda entry: -entry[1]):
        module = [item for item in items if item.nodeid.startswith(prefix)]
        if module:
            lightest = loads.index(min(loads))
            shares[lightest] += module
            loads[lightest] += seconds
    placed = {id(item) for share in shares for item in share}
    rest = [item for item in items if id(item) not in placed]
    ordered, remaining = [], len(items)
    for index, share in enumerate(shares):
        size = remaining // (workers - index)  # what worksteal hands this worker
        fill = max(0, size - len(share))
        ordered += share + rest[:fill]
        rest = rest[fill:]
        remaining -= len(share) + fill
    return ordered + rest


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """On PostgreSQL each worker copies one migrated template (tests/db_template.py); elsewhere Django's setup."""
    if connection.vendor != "postgresql":
        yield from _django_db_setup_plain(request, django_db_blocker)
        return
    original = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        worker = database_from_template()
    yield
    with django_db_blocker.unblock():
        drop_database(worker, original)


def _django_db_setup_plain(request, django_db_blocker):
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(autouse=True, scope="session")
def tasks_run_in_process():
    """Tasks run eagerly in tests; tests/registrar/test_celery_redis.py proves the broker path."""
    from registrar.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def audit_checkpoints_apart(settings, tmp_path_factory):
    """Each test signs audit checkpoints into its own directory: files outlive the rolled-back database."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.fixture
def term(db):
    return TermFactory()


@pytest.fixture
def college_a(db):
    return CollegeFactory(code="A01", name="计算机学院")


@pytest.fixture
def college_b(db):
    return CollegeFactory(code="B01", name="外国语学院")


@pytest.fixture
def major_a(college_a):
    return MajorFactory(code="080901", name="计算机科学与技术", college=college_a)


@pytest.fixture
def major_b(college_b):
    return MajorFactory(code="050201", name="英语", college=college_b)


@pytest.fixture
def registrar(db):
    return user_create(actor=None, username="registrar", password=PASSWORD, role=Role.REGISTRAR)


@pytest.fixture
def admin_user(db):
    return user_create(actor=None, username="admin", password=PASSWORD, role=Role.ADMIN)


@pytest.fixture
def auditor(db):
    return user_create(actor=None, username="auditor", password=PASSWORD, role=Role.AUDITOR)


@pytest.fixture
def college_a_staff(college_a):
    return user_create(
        actor=None,
        username="college_a_staff",
        password=PASSWORD,
        role=Role.COLLEGE_STAFF,
        colleges=[college_a],
    )


@pytest.fixture
def college_b_staff(college_b):
    return user_create(
        actor=None,
        username="college_b_staff",
        password=PASSWORD,
        role=Role.COLLEGE_STAFF,
        colleges=[college_b],
    )


@pytest.fixture
def student_a_record(major_a):
    return StudentFactory(name="甲同学", major=major_a)


@pytest.fixture
def student_b_record(major_b):
    return StudentFactory(name="乙同学", major=major_b)


@pytest.fixture
def student_a(student_a_record):
    return user_create(
        actor=None, username="student_a", password=PASSWORD, role=Role.STUDENT, student=student_a_record
    )


@pytest.fixture
def student_b(student_b_record):
    return user_create(
        actor=None, username="student_b", password=PASSWORD, role=Role.STUDENT, student=student_b_record
    )


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


DEAD_BROKER = "redis://127.0.0.1:6390/0"


@pytest.fixture
def broker_down():
    """Tasks go to a broker (not in-process) that does not answer: a port where nothing listens.

    The broker is outside the request; the shared Redis is never stopped.
    """
    from registrar.celery import app

    before = app.conf.broker_write_url
    app.conf.task_always_eager = False
    app.conf.broker_write_url = DEAD_BROKER
    yield
    app.conf.broker_write_url = before
    app.conf.task_always_eager = True


# Freshman registration: records imported through the service (builders in tests/enrollment/builders.py).


@pytest.fixture
def import_rows(registrar, term):
    """Import these rows as the registrar and return the result."""

    return functools.partial(import_admissions, actor=registrar)


@pytest.fixture
def freshmen_a(import_rows, major_a, school):
    """Five freshmen of college A, imported."""
    result = import_rows([admission_row(n, major_a) for n in range(1, 6)])
    assert result.ok, result.errors
    return list(AdmissionRecord.objects.filter(college=major_a.college).order_by("exam_number"))


@pytest.fixture
def freshmen_b(import_rows, major_b, school):
    result = import_rows([admission_row(n, major_b) for n in range(101, 104)])
    assert result.ok, result.errors
    return list(AdmissionRecord.objects.filter(college=major_b.college).order_by("exam_number"))
