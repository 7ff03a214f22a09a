import datetime

import pytest

from diploma.services.certificates import certificates_precheck, certificates_register
from tests.annual_registration.change_builders import Clock
from tests.diploma.builders import cohort, graduating


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    """Today is 2026-07-06, a week after the cohort's graduation date (2026-06-30); ``clock.set`` moves it."""
    frozen = Clock(monkeypatch)
    frozen.set(datetime.date(2026, 7, 6))
    return frozen


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Photos and other uploads of a test go to its own MEDIA_ROOT, gone with it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def prechecked(registrar, school):
    """Pre-checked certificates of ``n`` graduates of ``major`` with ``outcome``, each one the pre-check passes
    (DIP-10); their graduates."""

    def make(major, n, outcome="graduated", **fields):
        graduates = cohort(registrar, graduating(major, n, **fields), outcome=outcome, ready=True)
        certificates_precheck(registrar, [g.pk for g in graduates])
        return graduates

    return make


@pytest.fixture
def registered_a(registrar, prechecked, major_a, student_a):
    """student_a's own certificate (and two classmates'), registered; student_a checked the photo (DIP-9)."""
    from diploma.models import Certificate
    from tests.diploma.builders import GRADUATION_DATE, cohort

    student = student_a.student
    type(student).objects.filter(pk=student.pk).update(expected_graduation_date=GRADUATION_DATE)
    graduates = cohort(registrar, [student], ready=True)
    certificates_precheck(registrar, [g.pk for g in graduates])
    prechecked(major_a, 2)
    certificates_register(actor=registrar)
    return Certificate.objects.get(student=student)
