import io

import pytest
from django.core.management import call_command
from django.test import Client

from audit.chain import verify_chain
from registrar.demo import DEMO_LOGINS
from registrar.models import College, Student
from tests.scopes import rolled_back_at_the_end

pytestmark = pytest.mark.django_db

STUDENTS = 520


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``make run``'s demo, loaded once for this module's tests and rolled back after them."""
    with rolled_back_at_the_end(django_db_blocker):
        call_command("load_demo", students=STUDENTS, stdout=io.StringIO())
        yield


def test_the_demo_has_colleges_students_in_varied_statuses_and_working_logins(demo):
    assert College.objects.count() >= 3
    assert Student.objects.count() >= 500
    assert set(Student.objects.values_list("student_status", flat=True)) >= {
        "in_school",
        "suspended",
        "retained",
        "deregistered",
    }
    for username, (_role, password, _label) in DEMO_LOGINS.items():
        response = Client().post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, username
    assert verify_chain()[1] is None


def test_loading_the_demo_twice_changes_nothing(demo, capsys):
    # The domain demos add students of their own (e.g. freshmen registered by enrollment.demo).
    count = Student.objects.count()
    call_command("load_demo", students=STUDENTS)
    assert Student.objects.count() == count >= 500
    assert "跳过" in capsys.readouterr().out


def test_the_demo_student_login_is_a_registered_freshman_with_a_registration_page(demo):
    from registrar.models import User

    client = Client()
    client.post("/accounts/login/", {"username": "student_a", "password": DEMO_LOGINS["student_a"][1]})
    student = User.objects.get(username="student_a").student
    assert 'href="/enrollment/me/"' in client.get("/me/").text
    assert student.name in client.get("/enrollment/me/").text
