"""The demo loads on any day of the year (issue 12): its dates follow today and none is in the future."""

import datetime
import io

import pytest
from django.core.management import call_command

from audit.chain import verify_chain
from diploma.models import Certificate, CertificateAnnotation, CertificateCorrection, ReplacementAttestation
from tests.annual_registration.change_builders import Clock

pytestmark = pytest.mark.django_db

# Enough for every step of the demo (status changes, lists, a class's 转专业); tests/registrar/test_demo.py
# loads the full one. Each load takes about 2 s.
STUDENTS = 120

# Before the summer (the graduation before last is the registered cohort), July (last summer's graduates
# not on the open roll, ANN-9), the 证明书 and correction dates (15 and 20 September) just passed, and the
# 结业→毕业 exchange (30 October) just passed. test_demo.py loads it on the real date. (All seven of
# 2027-01-10, 03-10, 07-15, 08-31, 09-20, 10-31 and 12-01 passed when this was written; four keep the
# suite quick.)
DAYS = [
    datetime.date(2027, 1, 10),
    datetime.date(2027, 7, 15),
    datetime.date(2027, 9, 20),
    datetime.date(2027, 10, 31),
]


@pytest.mark.rule("DIP-6")
@pytest.mark.rule("DIP-7")
@pytest.mark.rule("DIP-10")
@pytest.mark.rule("DIP-11")
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_demo_loads_on_any_day_with_a_registered_cohort_and_nothing_dated_after_today(monkeypatch, day):
    Clock(monkeypatch).set(day)
    call_command("load_demo", students=STUDENTS, stdout=io.StringIO())
    assert Certificate.objects.filter(state="registered", issued_on__lte=day).exists()
    assert ReplacementAttestation.objects.filter(issued_on__lte=day).exists()
    assert CertificateCorrection.objects.filter(state="approved", decided_on__lte=day).exists()
    assert CertificateCorrection.objects.filter(state="requested").exists()
    assert not Certificate.objects.filter(issued_on__gt=day).exists()
    assert not CertificateAnnotation.objects.filter(annotated_on__gt=day).exists()
    assert verify_chain()[1] is None
