"""Numbers under concurrency: registrations on their own PostgreSQL connections at once, no repeat, no gap."""

import threading

import pytest
from django.db import connection

from diploma.models import Certificate, CertificateState
from diploma.services.certificates import certificates_register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 4
EACH = 15


@pytest.mark.rule("DIP-6")
def test_concurrent_registrations_share_one_sequence_without_repeats_or_gaps(
    registrar, prechecked, major_a, major_b
):
    prechecked(major_a, THREADS * EACH // 2)
    prechecked(major_b, THREADS * EACH // 2, outcome="completed")
    ids = list(Certificate.objects.order_by("?").values_list("pk", flat=True))
    shares = [ids[n::THREADS] for n in range(THREADS)]
    start, errors = threading.Barrier(THREADS), []

    def register(share):
        try:
            start.wait()
            certificates_register(actor=registrar, certificate_ids=share)
        except Exception as error:  # reported below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=register, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(
        Certificate.objects.filter(state=CertificateState.REGISTERED).values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, THREADS * EACH + 1))
    assert Certificate.objects.values("certificate_number").distinct().count() == THREADS * EACH
